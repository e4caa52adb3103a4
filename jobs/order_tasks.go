package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/service"
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

type orderPayload struct {
	OrderID int64 `json:"order_id"`
}

// NewSMSDeadlineTask builds the task that enforces order id's SMS deadline at `at`.
func NewSMSDeadlineTask(orderID int64, at time.Time) (*asynq.Task, error) {
	payload, err := json.Marshal(orderPayload{OrderID: orderID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeSMSDeadline, payload, asynq.ProcessAt(at),
		asynq.TaskID(fmt.Sprintf("sms-deadline:%d:%d", orderID, at.Unix())), asynq.MaxRetry(10)), nil
}

// DeadlineScheduler schedules deadline tasks; it satisfies service.DeadlineScheduler.
type DeadlineScheduler struct{ client *asynq.Client }

// NewDeadlineScheduler returns a scheduler on client.
func NewDeadlineScheduler(client *asynq.Client) *DeadlineScheduler {
	return &DeadlineScheduler{client: client}
}

// ScheduleSMSDeadline enqueues the order's deadline task for `at`; scheduling it twice is harmless.
func (d *DeadlineScheduler) ScheduleSMSDeadline(ctx context.Context, orderID int64, at time.Time) error {
	task, err := NewSMSDeadlineTask(orderID, at)
	if err != nil {
		return err
	}
	if _, err := d.client.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return err
	}
	return nil
}

// smsDeadlineHandler returns orders whose SMS check timed out.
type smsDeadlineHandler struct{ checks *service.SMSChecks }

func (h smsDeadlineHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	if t.Type() == TypeSMSDeadlineSweep {
		_, err := h.checks.ExpireDue(ctx)
		return err
	}
	var p orderPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.OrderID <= 0 {
		return fmt.Errorf("bad %s payload: %w", t.Type(), asynq.SkipRetry)
	}
	_, err := h.checks.Expire(ctx, p.OrderID)
	if errors.Is(err, service.ErrNotFound) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}

// staleHandler runs the stale-order sweep.
type staleHandler struct{ stale *service.StaleOrders }

func (h staleHandler) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	_, _, err := h.stale.Sweep(ctx)
	return err
}
