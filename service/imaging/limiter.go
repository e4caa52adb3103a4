package imaging

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrBusy means every decode slot or the pixel memory budget stayed taken for the whole wait.
var ErrBusy = errors.New("imaging: busy decoding other images")

// BusyError is the error Limiter.Do returns when it gave up waiting. It matches ErrBusy.
type BusyError struct {
	// RetryAfter is when a new attempt has a fair chance: the wait that just ran out.
	RetryAfter time.Duration
}

func (e *BusyError) Error() string {
	return fmt.Sprintf("imaging: busy decoding other images, retry after %s", e.RetryAfter)
}

// Is makes errors.Is(err, ErrBusy) true for a *BusyError.
func (e *BusyError) Is(target error) bool { return target == ErrBusy }

// Limiter bounds image work across a process: at most slots functions run at once, and the costs
// (bytes of pixel memory) of those running add up to at most maxBytes. One Limiter is shared by
// every caller that decodes images. A nil *Limiter runs everything at once. Waiters are served as
// slots and bytes free up, not strictly in arrival order.
type Limiter struct {
	slots    int
	maxBytes int64
	wait     time.Duration

	mu      sync.Mutex
	running int
	held    int64
	freed   chan struct{} // closed and replaced whenever a function finishes
}

// NewLimiter returns a Limiter of slots concurrent functions (at least 1) and maxBytes of budget
// (at least 1) whose Do waits at most wait for both.
func NewLimiter(slots int, maxBytes int64, wait time.Duration) *Limiter {
	return &Limiter{slots: max(slots, 1), maxBytes: max(maxBytes, 1), wait: max(wait, 0), freed: make(chan struct{})}
}

// MaxBytes is the budget the costs of running functions share.
func (l *Limiter) MaxBytes() int64 { return l.maxBytes }

// Do runs fn once a slot and cost bytes of the budget are free, and returns fn's error. A cost
// larger than the whole budget can never run: Do returns an error wrapping ErrTooBig at once.
// When slot and bytes are not both free within the Limiter's wait, Do returns a *BusyError
// without running fn; when ctx ends first, ctx's error.
func (l *Limiter) Do(ctx context.Context, cost int64, fn func() error) error {
	if l == nil {
		return fn()
	}
	if cost > l.maxBytes {
		return fmt.Errorf("%w: needs %d bytes of a %d-byte decode budget", ErrTooBig, cost, l.maxBytes)
	}
	if err := l.acquire(ctx, max(cost, 0)); err != nil {
		return err
	}
	defer l.release(max(cost, 0))
	return fn()
}

func (l *Limiter) acquire(ctx context.Context, cost int64) error {
	timer := time.NewTimer(l.wait)
	defer timer.Stop()
	for {
		l.mu.Lock()
		if l.running < l.slots && l.held+cost <= l.maxBytes {
			l.running++
			l.held += cost
			l.mu.Unlock()
			return nil
		}
		freed := l.freed
		l.mu.Unlock()
		select {
		case <-freed:
		case <-timer.C:
			return &BusyError{RetryAfter: max(l.wait, time.Second)}
		case <-ctx.Done():
			return fmt.Errorf("wait for image decoding: %w", ctx.Err())
		}
	}
}

func (l *Limiter) release(cost int64) {
	l.mu.Lock()
	l.running--
	l.held -= cost
	close(l.freed)
	l.freed = make(chan struct{})
	l.mu.Unlock()
}
