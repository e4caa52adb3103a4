package repository

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// errBatchAborted is what a combined call answers when its batch ended without answering it (the
// batch function panicked).
var errBatchAborted = errors.New("batch aborted")

// outcome is one request's answer from a batch.
type outcome[Res any] struct {
	val Res
	err error
}

// combiner groups concurrent calls into batches, so that N callers waiting for the database at
// the same moment share one transaction (and one commit) instead of queueing for N. There is no
// timer: a caller that finds fewer than maxInFlight batches running runs one at once with whatever
// has queued (at first only its own request); callers arriving while maxInFlight batches run
// queue, and when a batch ends the first of them leads the next batch with everything queued by
// then. Under load batches grow with the number of concurrent callers; with one caller a call
// costs what it did alone.
//
// A batch runs on its leader's context without its cancellation, bounded by timeout: a call
// stays in the batch it joined until that batch is done, whatever happens to its own caller, so
// every caller learns its real outcome.
type combiner[Req, Res any] struct {
	// run answers reqs, one outcome per request in order; an error fails the whole batch (every
	// caller gets it).
	run         func(ctx context.Context, reqs []Req) ([]outcome[Res], error)
	maxBatch    int
	maxInFlight int
	timeout     time.Duration

	mu       sync.Mutex
	queue    []*combinedCall[Req, Res]
	inFlight int
}

type combinedCall[Req, Res any] struct {
	req Req
	out outcome[Res]
	// lead is set, with the batch to run, before done is closed when the caller is to run the
	// next batch instead of returning.
	lead  bool
	batch []*combinedCall[Req, Res]
	done  chan struct{} // closed once: the outcome is in, or the call leads
}

func newCombiner[Req, Res any](maxBatch, maxInFlight int, timeout time.Duration, run func(ctx context.Context, reqs []Req) ([]outcome[Res], error)) *combiner[Req, Res] {
	return &combiner[Req, Res]{run: run, maxBatch: maxBatch, maxInFlight: maxInFlight, timeout: timeout}
}

// do adds req to the next batch and returns its outcome.
func (c *combiner[Req, Res]) do(ctx context.Context, req Req) (Res, error) {
	call := &combinedCall[Req, Res]{req: req, done: make(chan struct{})}
	c.mu.Lock()
	c.queue = append(c.queue, call)
	var batch []*combinedCall[Req, Res]
	if c.inFlight < c.maxInFlight {
		c.inFlight++
		batch = c.take()
		c.mu.Unlock()
	} else {
		c.mu.Unlock()
		<-call.done
		if !call.lead {
			return call.out.val, call.out.err
		}
		batch = call.batch
	}
	c.runBatch(ctx, batch)
	return call.out.val, call.out.err
}

// take removes the next batch from the queue; c.mu is held. The batch's first call leads it.
func (c *combiner[Req, Res]) take() []*combinedCall[Req, Res] {
	n := min(len(c.queue), c.maxBatch)
	batch := c.queue[:n:n]
	c.queue = c.queue[n:]
	return batch
}

// runBatch answers every call of batch, then hands its slot to the next batch of queued calls (or
// frees it) and wakes the batch's other callers, even if run panics.
func (c *combiner[Req, Res]) runBatch(ctx context.Context, batch []*combinedCall[Req, Res]) {
	for _, call := range batch {
		call.out = outcome[Res]{err: errBatchAborted}
	}
	defer func() {
		c.mu.Lock()
		if len(c.queue) > 0 {
			next := c.take()
			next[0].lead, next[0].batch = true, next
			close(next[0].done)
		} else {
			c.inFlight--
		}
		c.mu.Unlock()
		for _, call := range batch[1:] { // batch[0] is the leader, which is not waiting
			close(call.done)
		}
	}()
	reqs := make([]Req, len(batch))
	for i, call := range batch {
		reqs[i] = call.req
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
	defer cancel()
	outs, err := c.run(ctx, reqs)
	if err == nil && len(outs) != len(batch) {
		err = fmt.Errorf("batch of %d answered %d", len(batch), len(outs))
	}
	for i, call := range batch {
		if err != nil {
			call.out = outcome[Res]{err: err}
		} else {
			call.out = outs[i]
		}
	}
}

// queued is how many calls wait for the next batch (for tests).
func (c *combiner[Req, Res]) queued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue)
}
