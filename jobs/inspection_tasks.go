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

// Inspection deadline task types.
const (
	// TypeInspectionDeadline fires when one inspection's rectification deadline ends (scheduled
	// when the inspection is opened).
	TypeInspectionDeadline = "inspection:deadline"
	// TypeInspectionDeadlineSweep is periodic: it expires every overdue unresolved inspection, so a
	// deadline holds even if its scheduled task was lost with Redis.
	TypeInspectionDeadlineSweep = "inspection:deadline_sweep"
)

type inspectionPayload struct {
	InspectionID int64 `json:"inspection_id"`
}

// NewInspectionDeadlineTask builds the task that enforces inspection id's deadline at `at`.
func NewInspectionDeadlineTask(inspectionID int64, at time.Time) (*asynq.Task, error) {
	payload, err := json.Marshal(inspectionPayload{InspectionID: inspectionID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeInspectionDeadline, payload, asynq.ProcessAt(at),
		asynq.TaskID(fmt.Sprintf("inspection-deadline:%d:%d", inspectionID, at.Unix())), asynq.MaxRetry(10)), nil
}

// ScheduleInspectionDeadline enqueues the inspection's deadline task for `at`; scheduling it twice
// is harmless. It makes DeadlineScheduler satisfy service.InspectionDeadlines.
func (d *DeadlineScheduler) ScheduleInspectionDeadline(ctx context.Context, inspectionID int64, at time.Time) error {
	task, err := NewInspectionDeadlineTask(inspectionID, at)
	if err != nil {
		return err
	}
	if _, err := d.client.EnqueueContext(ctx, task); err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return err
	}
	return nil
}

// inspectionDeadlineHandler expires overdue inspections (cancelling access once).
type inspectionDeadlineHandler struct{ inspections *service.Inspections }

func (h inspectionDeadlineHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	if t.Type() == TypeInspectionDeadlineSweep {
		_, err := h.inspections.ExpireDue(ctx)
		return err
	}
	var p inspectionPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.InspectionID <= 0 {
		return fmt.Errorf("bad %s payload: %w", t.Type(), asynq.SkipRetry)
	}
	_, err := h.inspections.Expire(ctx, p.InspectionID)
	if errors.Is(err, service.ErrNotFound) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}
