package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/beian/beian/service/notify"
)

// Relay moves outbox rows nobody enqueued (the dispatcher failed, Redis was down, a worker died
// holding a lease) onto the queue. Outbox ids are TaskIDs, so running several relays is safe.
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

// Run relays until ctx ends, backing off (up to a minute) while the database or Redis fails.
func (r *Relay) Run(ctx context.Context) {
	wait := r.interval
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		n, err := r.RunOnce(ctx)
		switch {
		case err != nil:
			wait = min(wait*2, time.Minute)
			r.log.Warn("outbox relay failed; backing off", "err", err, "retry_in", wait)
		case n > 0:
			wait = 0 // a full batch may mean more is waiting
		default:
			wait = r.interval
		}
	}
}

// RunOnce relays one batch and reports how many rows it enqueued.
func (r *Relay) RunOnce(ctx context.Context) (int, error) {
	refs, err := r.notifications.RelayBatch(ctx, r.grace, 500)
	if err != nil || len(refs) == 0 {
		return 0, err
	}
	return len(refs), r.enqueuer.enqueue(ctx, refs)
}
