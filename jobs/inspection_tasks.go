package jobs

import (
	"context"
	"time"

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

// NewInspectionDeadlineTask builds the task that enforces inspection id's deadline at `at`.
func NewInspectionDeadlineTask(inspectionID int64, at time.Time) (*asynq.Task, error) {
	return newDeadlineTask(TypeInspectionDeadline, "inspection_id", "inspection-deadline", inspectionID, at)
}

// ScheduleInspectionDeadline enqueues the inspection's deadline task for `at`; scheduling it twice
// is harmless. It makes DeadlineScheduler satisfy service.InspectionDeadlines.
func (d *DeadlineScheduler) ScheduleInspectionDeadline(ctx context.Context, inspectionID int64, at time.Time) error {
	task, err := NewInspectionDeadlineTask(inspectionID, at)
	return d.enqueueOnce(ctx, task, err)
}
