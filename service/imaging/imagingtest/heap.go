package imagingtest

import (
	"runtime"
	"sync"
	"time"
)

// PeakHeap runs fn and returns the largest HeapInuse seen while it ran, minus HeapInuse before it
// (after a collection), sampling every 200 µs from another goroutine. The garbage collector runs
// as usual, so this is the heap the process really held, not the sum of allocations.
func PeakHeap(fn func()) uint64 {
	base, peak := HeapDuring(fn)
	return peak - base
}

// HeapDuring runs fn and returns HeapInuse before it (after a collection) and the largest HeapInuse
// sampled while it ran.
func HeapDuring(fn func()) (base, peak uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak = ms.HeapInuse, ms.HeapInuse
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var m runtime.MemStats
		tick := time.NewTicker(200 * time.Microsecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	return base, peak
}
