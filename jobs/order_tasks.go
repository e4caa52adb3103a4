package jobs

import (
	"context"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/hibiken/asynq"
)

// Order deadline task types.
const (
	// TypeSMSDeadline fires when one order's SMS check window ends (scheduled at hand-over).
	TypeSMSDeadline = "order:sms_deadline"
	// TypeSMSDeadlineSweep is periodic: it returns every order whose SMS deadline passed, so a
	// deadline holds even if its scheduled task was lost with Redis.
	TypeSMSDeadlineSweep = "order:sms_deadline_sweep"
	// TypeOrderStale is periodic: reminders for orders idle 7/15/30 days, expiry at 45.
	TypeOrderStale = "order:stale"
)

// NewSMSDeadlineTask builds the task that enforces order id's SMS deadline at `at`.
func NewSMSDeadlineTask(orderID int64, at time.Time) (*asynq.Task, error) {
	return newDeadlineTask(TypeSMSDeadline, "order_id", "sms-deadline", orderID, at)
}

// ScheduleSMSDeadline enqueues the order's deadline task for `at`; scheduling it twice is harmless.
func (d *DeadlineScheduler) ScheduleSMSDeadline(ctx context.Context, orderID int64, at time.Time) error {
	task, err := NewSMSDeadlineTask(orderID, at)
	return d.enqueueOnce(ctx, task, err)
}

// staleHandler runs the stale-order sweep.
type staleHandler struct {
	stale    *filing.StaleOrders
	failures failureLog
}

func (h staleHandler) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	_, _, err := h.stale.Sweep(ctx)
	return h.failures.sweepResult(ctx, TypeOrderStale, err)
}
