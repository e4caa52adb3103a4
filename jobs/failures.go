package jobs

import (
	"context"
	"errors"
	"log/slog"

	"github.com/beian/beian/service/kernel"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
)

// TaskMetrics counts failed tasks by type and the records sweeps could not handle.
type TaskMetrics struct {
	tasks *prometheus.CounterVec
	rows  *prometheus.CounterVec
}

// NewTaskMetrics registers beian_task_failures_total{type,final} and
// beian_sweep_row_failures_total{sweep} on reg.
func NewTaskMetrics(reg prometheus.Registerer) (*TaskMetrics, error) {
	m := &TaskMetrics{
		tasks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "beian_task_failures_total",
			Help: "Task runs that returned an error, by task type; final=true when the task was archived."}, []string{"type", "final"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "beian_sweep_row_failures_total",
			Help: "Records a periodic sweep could not handle (it went on with the others), by sweep task type."}, []string{"sweep"}),
	}
	return m, errors.Join(reg.Register(m.tasks), reg.Register(m.rows))
}

// failureLog logs and counts task failures and sweep rows that failed. A nil metrics only logs.
type failureLog struct {
	log     *slog.Logger
	metrics *TaskMetrics
}

// HandleError is the worker's asynq ErrorHandler: one line per failed run naming the task type,
// its id, the error and whether asynq will retry it. Runs that exhaust their retries (or are not
// retryable) are logged at ERROR, the others at WARN.
func (f failureLog) HandleError(ctx context.Context, t *asynq.Task, err error) {
	id, _ := asynq.GetTaskID(ctx)
	retried, _ := asynq.GetRetryCount(ctx)
	maxRetry, _ := asynq.GetMaxRetry(ctx)
	final := retried >= maxRetry || errors.Is(err, asynq.SkipRetry)
	level, msg := slog.LevelWarn, "task failed; will retry"
	if final {
		level, msg = slog.LevelError, "task failed; retries exhausted, archived"
	}
	f.log.Log(ctx, level, msg, "task_type", t.Type(), "task_id", id, "retried", retried, "max_retry", maxRetry, "err", err)
	if f.metrics != nil {
		label := "false"
		if final {
			label = "true"
		}
		f.metrics.tasks.WithLabelValues(t.Type(), label).Inc()
	}
}

// sweepResult logs and counts each record a sweep of type sweep reported as a kernel.RowError and
// returns the rest of err (a failure of the sweep itself, which the task should report). The failed
// records are tried again by the next sweep.
func (f failureLog) sweepResult(ctx context.Context, sweep string, err error) error {
	if err == nil {
		return nil
	}
	errs := []error{err}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		errs = joined.Unwrap()
	}
	var rest []error
	for _, e := range errs {
		var row *kernel.RowError
		if !errors.As(e, &row) {
			rest = append(rest, e)
			continue
		}
		f.log.ErrorContext(ctx, "sweep: record failed; going on with the others", "sweep", sweep,
			"record", row.Kind, "id", row.ID, "err", row.Err)
		if f.metrics != nil {
			f.metrics.rows.WithLabelValues(sweep).Inc()
		}
	}
	return errors.Join(rest...)
}
