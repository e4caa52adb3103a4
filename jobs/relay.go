package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/beian/beian/service/notify"
)

// Relay moves outbox rows nobody enqueued (the dispatcher failed, Redis was down, a worker died
// holding a lease) onto the queue, and gives up on rows past their retry limits (marking them
// failed). Outbox ids are TaskIDs, so running several relays is safe.
type Relay struct {
	notifications *notify.Notifications
	enqueuer      *Enqueuer
	log           *slog.Logger
	interval      time.Duration
	grace         time.Duration
}

// NewRelay polls every interval for rows older than grace.
func NewRelay(n *notify.Notifications, e *Enqueuer, log *slog.Logger, interval, grace time.Duration) *Relay {
	return &Relay{notifications: n, enqueuer: e, log: log, interval: interval, grace: grace}
}

// giveUpEvery is how often Run looks for rows past their retry limits. Such rows are old by
// nature (tried many times, or a day old), so a minute late is no loss, while the search reads
// every waiting row, which with a backlog is many.
const giveUpEvery = time.Minute

// Run relays until ctx ends, backing off (up to a minute) while the database or Redis fails.
func (r *Relay) Run(ctx context.Context) {
	wait := r.interval
	var gaveUp time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		giveUp := time.Since(gaveUp) >= giveUpEvery
		n, err := r.runOnce(ctx, giveUp)
		if giveUp && err == nil {
			gaveUp = time.Now()
		}
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			wait = min(max(wait*2, r.interval), time.Minute)
			r.log.Warn("outbox relay failed; backing off", "err", err, "retry_in", wait)
		case n > 0:
			wait = 0 // rows changed hands: more may be waiting
		default:
			wait = r.interval
		}
	}
}

// RunOnce gives up on rows past their limits, relays one batch and reports how many rows changed
// hands (given up, enqueued afresh, or failed because the queue had given up on them). Rows whose
// task is still in the queue, such as a backlog the worker has not reached yet, do not count: a
// relay that counted them would go round the whole backlog again and again without pause, asking
// Redis about every queued task while the worker needs it.
func (r *Relay) RunOnce(ctx context.Context) (int, error) {
	return r.runOnce(ctx, true)
}

// runOnce is RunOnce, looking for rows past their limits only when giveUp is set.
func (r *Relay) runOnce(ctx context.Context, giveUp bool) (int, error) {
	refs, failed, err := r.notifications.RelayBatch(ctx, r.grace, 500, giveUp)
	if len(failed) > 0 {
		r.log.Warn("outbox: notifications failed after their last allowed attempt", "outbox_ids", failed)
	}
	if err != nil || len(refs) == 0 {
		return len(failed), err
	}
	moved, err := r.enqueuer.enqueue(ctx, refs)
	return len(failed) + moved, err
}
