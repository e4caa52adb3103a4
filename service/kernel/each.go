package kernel

import (
	"sync"
	"sync/atomic"
)

// Each runs fn(0) … fn(n-1), up to parallel of them at once, and returns when all have returned.
// With one to run, or one at a time, it runs them on the calling goroutine.
func Each(n, parallel int, fn func(i int)) {
	if n == 1 || parallel <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(parallel, n) {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				fn(int(i))
			}
		})
	}
	wg.Wait()
}
