package kernel

import (
	"sync/atomic"
	"testing"
)

func TestEachRunsEveryIndexOnceWithinItsBound(t *testing.T) {
	for _, tc := range []struct{ n, parallel int }{{0, 4}, {1, 4}, {5, 1}, {100, 8}, {3, 10}} {
		seen := make([]atomic.Int32, tc.n)
		var running, most atomic.Int32
		Each(tc.n, tc.parallel, func(i int) {
			now := running.Add(1)
			for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
			}
			seen[i].Add(1)
			running.Add(-1)
		})
		for i := range seen {
			if got := seen[i].Load(); got != 1 {
				t.Fatalf("n=%d parallel=%d: index %d ran %d times", tc.n, tc.parallel, i, got)
			}
		}
		if int(most.Load()) > max(tc.parallel, 1) {
			t.Fatalf("n=%d parallel=%d: %d ran at once", tc.n, tc.parallel, most.Load())
		}
	}
}
