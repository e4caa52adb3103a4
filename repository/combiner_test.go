package repository

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCombinerAnswersEveryCall runs many concurrent calls: each gets its own answer, batches stay
// within maxBatch, and no more than maxInFlight run at once.
func TestCombinerAnswersEveryCall(t *testing.T) {
	const calls, maxBatch, maxInFlight = 300, 16, 2
	var running, peak, batched atomic.Int32
	var mu sync.Mutex
	var sizes []int
	c := newCombiner(maxBatch, maxInFlight, time.Minute, func(_ context.Context, reqs []int) ([]outcome[int], error) {
		now := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
		}
		mu.Lock()
		sizes = append(sizes, len(reqs))
		mu.Unlock()
		batched.Add(int32(len(reqs)))
		time.Sleep(time.Millisecond) // long enough for calls to queue behind the batch
		outs := make([]outcome[int], len(reqs))
		for i, r := range reqs {
			outs[i].val = 2 * r
		}
		return outs, nil
	})
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			if got, err := c.do(context.Background(), i); err != nil || got != 2*i {
				t.Errorf("call %d answered %d, %v", i, got, err)
			}
		})
	}
	wg.Wait()
	if got := batched.Load(); got != calls {
		t.Errorf("%d requests run, want %d", got, calls)
	}
	if p := peak.Load(); p > maxInFlight {
		t.Errorf("%d batches ran at once, want at most %d", p, maxInFlight)
	}
	for _, n := range sizes {
		if n > maxBatch {
			t.Errorf("batch of %d, want at most %d", n, maxBatch)
		}
	}
	t.Logf("%d calls in %d batches", calls, len(sizes))
}

// TestCombinerFailedOrPanickedBatch: an error of the batch reaches each of its callers; a batch
// that panics releases its callers with errBatchAborted and the combiner keeps working.
func TestCombinerFailedOrPanickedBatch(t *testing.T) {
	failure := errors.New("database gone")
	var mode atomic.Int32 // 0 works, 1 fails, 2 panics
	c := newCombiner(100, 1, time.Minute, func(_ context.Context, reqs []int) ([]outcome[int], error) {
		time.Sleep(time.Millisecond) // long enough for calls to queue behind the batch
		switch mode.Load() {
		case 1:
			return nil, failure
		case 2:
			panic("bug")
		}
		return make([]outcome[int], len(reqs)), nil
	})
	tests := []struct {
		name string
		mode int32
		want error
	}{
		{"error", 1, failure},
		{"panic", 2, errBatchAborted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mode.Store(tt.mode)
			const calls = 10
			errs := make([]error, calls)
			var wg sync.WaitGroup
			for i := range calls {
				wg.Go(func() {
					defer func() {
						if p := recover(); p != nil {
							errs[i] = errBatchAborted // the leader's panic goes on up its own stack
						}
					}()
					_, errs[i] = c.do(context.Background(), i)
				})
			}
			wg.Wait()
			for i, err := range errs {
				if !errors.Is(err, tt.want) {
					t.Errorf("call %d: %v, want %v", i, err, tt.want)
				}
			}
			mode.Store(0)
			if _, err := c.do(context.Background(), 0); err != nil {
				t.Errorf("call after the %s: %v", tt.name, err)
			}
		})
	}
}
