package imaging

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// runConcurrently starts n Do calls of the given cost at once, each holding its slot for hold,
// and returns the most that ran together, the most bytes they held together and the errors.
func runConcurrently(l *Limiter, n int, cost int64, hold time.Duration) (maxRunning, maxHeld int64, errs []error) {
	var running, held atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			err := l.Do(context.Background(), cost, func() error {
				r, h := running.Add(1), held.Add(cost)
				mu.Lock()
				maxRunning, maxHeld = max(maxRunning, r), max(maxHeld, h)
				mu.Unlock()
				time.Sleep(hold)
				running.Add(-1)
				held.Add(-cost)
				return nil
			})
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		})
	}
	wg.Wait()
	return maxRunning, maxHeld, errs
}

func TestLimiterBoundsSlotsAndBytes(t *testing.T) {
	tests := []struct {
		name        string
		limiter     *Limiter
		cost        int64
		wantRunning int64
	}{
		{"slots bind", NewLimiter(2, 1000, 5*time.Second), 1, 2},
		{"bytes bind", NewLimiter(8, 100, 5*time.Second), 40, 2},
		{"one at a time", NewLimiter(1, 100, 5*time.Second), 100, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			maxRunning, maxHeld, errs := runConcurrently(tt.limiter, 10, tt.cost, 10*time.Millisecond)
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if maxRunning != tt.wantRunning || maxHeld > tt.limiter.MaxBytes() {
				t.Fatalf("%d ran at once holding %d bytes; want %d at once within %d bytes",
					maxRunning, maxHeld, tt.wantRunning, tt.limiter.MaxBytes())
			}
		})
	}
}

func TestLimiterBusy(t *testing.T) {
	l := NewLimiter(1, 100, 50*time.Millisecond)
	hold, started := make(chan struct{}), make(chan struct{})
	go l.Do(context.Background(), 10, func() error {
		close(started)
		<-hold
		return nil
	})
	<-started
	begin := time.Now()
	ran := false
	err := l.Do(context.Background(), 10, func() error { ran = true; return nil })
	var busy *BusyError
	if !errors.As(err, &busy) || !errors.Is(err, ErrBusy) || ran {
		t.Fatalf("err = %v (ran %v), want a BusyError without running", err, ran)
	}
	if waited := time.Since(begin); waited < 50*time.Millisecond || busy.RetryAfter < time.Second {
		t.Fatalf("gave up after %v with Retry-After %v; want the 50ms wait and at least a second", waited, busy.RetryAfter)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Do(ctx, 10, func() error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	close(hold)
	if err := l.Do(context.Background(), 10, func() error { return nil }); err != nil {
		t.Fatalf("after the slot came free: %v", err)
	}
}

func TestLimiterRefusesWhatCanNeverFit(t *testing.T) {
	l := NewLimiter(4, 100, time.Minute)
	ran := false
	begin := time.Now()
	err := l.Do(context.Background(), 101, func() error { ran = true; return nil })
	if !errors.Is(err, ErrTooBig) || ran || time.Since(begin) > time.Second {
		t.Fatalf("err = %v, ran %v after %v; want ErrTooBig at once", err, ran, time.Since(begin))
	}
}

func TestLimiterReleasesOnError(t *testing.T) {
	l := NewLimiter(1, 10, 10*time.Millisecond)
	boom := errors.New("boom")
	for range 3 {
		if err := l.Do(context.Background(), 10, func() error { return boom }); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want fn's error", err)
		}
	}
	var nilLimiter *Limiter
	if err := nilLimiter.Do(context.Background(), 1<<40, func() error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("nil limiter: %v", err)
	}
}
