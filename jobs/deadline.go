package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/hibiken/asynq"
)

// A deadline is enforced twice over: a task per record scheduled for the deadline itself, and a
// periodic sweep that catches any record whose task was lost (e.g. with Redis).

// deadlineEnforcer is a use case with a deadline: it expires one record or every overdue one.
type deadlineEnforcer interface {
	Expire(ctx context.Context, id int64) (bool, error)
	ExpireDue(ctx context.Context) (int, error)
}

// newDeadlineTask builds the task of type typ that enforces one record's deadline at `at`. The
// payload is {idKey: id}; the TaskID makes scheduling the same deadline twice a no-op.
func newDeadlineTask(typ, idKey, taskIDPrefix string, id int64, at time.Time) (*asynq.Task, error) {
	payload, err := json.Marshal(map[string]int64{idKey: id})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(typ, payload, asynq.ProcessAt(at),
		asynq.TaskID(fmt.Sprintf("%s:%d:%d", taskIDPrefix, id, at.Unix())), asynq.MaxRetry(10)), nil
}

// DeadlineScheduler schedules deadline tasks; it satisfies service.DeadlineScheduler and
// service.InspectionDeadlines.
type DeadlineScheduler struct{ client *asynq.Client }

// NewDeadlineScheduler returns a scheduler on client.
func NewDeadlineScheduler(client *asynq.Client) *DeadlineScheduler {
	return &DeadlineScheduler{client: client}
}

// enqueueOnce enqueues a freshly built task; one already queued under its TaskID counts as done.
func (d *DeadlineScheduler) enqueueOnce(ctx context.Context, task *asynq.Task, err error) error {
	if err != nil {
		return err
	}
	if _, err := d.client.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return err
	}
	return nil
}

// deadlineHandler handles one kind of deadline: tasks of sweepType run the sweep, the others carry
// {idKey: id} and expire that record. A bad payload or a vanished record is not retried.
type deadlineHandler struct {
	sweepType string
	idKey     string
	enforcer  deadlineEnforcer
	failures  failureLog
}

func (h deadlineHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	if t.Type() == h.sweepType {
		_, err := h.enforcer.ExpireDue(ctx)
		return h.failures.sweepResult(ctx, h.sweepType, err)
	}
	var p map[string]int64
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p[h.idKey] <= 0 {
		return fmt.Errorf("bad %s payload: %w", t.Type(), asynq.SkipRetry)
	}
	_, err := h.enforcer.Expire(ctx, p[h.idKey])
	if errors.Is(err, kernel.ErrNotFound) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}
