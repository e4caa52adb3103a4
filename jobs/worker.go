package jobs

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/inspection"
	"github.com/beian/beian/service/notify"
	"github.com/beian/beian/service/review"
	"github.com/hibiken/asynq"
)

// WorkerOptions tune the asynq server.
type WorkerOptions struct {
	Concurrency       int
	TaskCheckInterval time.Duration // low in tests so tasks (and retries due) start promptly
	Metrics           *TaskMetrics  // nil: failures are only logged
	// RetryDelay is the wait before a failed task's next try; nil keeps asynq's exponential
	// backoff (tests shorten it).
	RetryDelay func(retried int, err error, t *asynq.Task) time.Duration
}

// Worker is the asynq server with every beian handler registered.
type Worker struct {
	server *asynq.Server
	mux    *asynq.ServeMux
}

// Services are the use cases the task handlers call. Notifications is required; a nil SMSChecks
// leaves its tasks unhandled (for processes and tests that only deliver notifications).
type Services struct {
	Notifications *notify.Notifications
	SMSChecks     *review.SMSChecks
	StaleOrders   *filing.StaleOrders
	Reviews       *review.Reviews
	Inspections   *inspection.Inspections
}

// NewWorker registers the handlers on a server that shares the given Redis client.
func NewWorker(rdb *Redis, svc Services, log *slog.Logger, opts WorkerOptions) *Worker {
	if opts.Concurrency == 0 {
		opts.Concurrency = 10
	}
	failures := failureLog{log: log, metrics: opts.Metrics}
	srv := asynq.NewServerFromRedisClient(rdb.Client, asynq.Config{
		Concurrency:       opts.Concurrency,
		TaskCheckInterval: opts.TaskCheckInterval,
		// 0 keeps asynq's default (5s) for moving due retries and scheduled tasks to pending.
		DelayedTaskCheckInterval: opts.TaskCheckInterval,
		Queues:                   map[string]int{queueName: 1},
		Logger:                   slogAdapter{log},
		LogLevel:                 asynq.WarnLevel,
		ShutdownTimeout:          20 * time.Second,
		ErrorHandler:             failures,
		RetryDelayFunc:           opts.RetryDelay,
	})
	mux := asynq.NewServeMux()
	h := notificationHandler{notifications: svc.Notifications}
	mux.Handle(TypeSMSSend, h)
	mux.Handle(TypeEmailSend, h)
	if svc.SMSChecks != nil {
		d := deadlineHandler{sweepType: TypeSMSDeadlineSweep, idKey: "order_id", enforcer: svc.SMSChecks, failures: failures}
		mux.Handle(TypeSMSDeadline, d)
		mux.Handle(TypeSMSDeadlineSweep, d)
	}
	if svc.StaleOrders != nil {
		mux.Handle(TypeOrderStale, staleHandler{stale: svc.StaleOrders, failures: failures})
	}
	if svc.Inspections != nil {
		d := deadlineHandler{sweepType: TypeInspectionDeadlineSweep, idKey: "inspection_id", enforcer: svc.Inspections, failures: failures}
		mux.Handle(TypeInspectionDeadline, d)
		mux.Handle(TypeInspectionDeadlineSweep, d)
	}
	if svc.Reviews != nil {
		mux.Handle(TypeBureauPoll, bureauPollHandler{reviews: svc.Reviews, failures: failures})
	}
	return &Worker{server: srv, mux: mux}
}

// Start begins processing in the background.
func (w *Worker) Start() error { return w.server.Start(w.mux) }

// Shutdown stops fetching, waits for running tasks (bounded) and returns.
func (w *Worker) Shutdown(context.Context) { w.server.Shutdown() }

// slogAdapter lets asynq log through slog. asynq's own "Retry exhausted for task id=…" line is
// dropped: it names neither the task type nor the error, and the worker's ErrorHandler has already
// logged the same failure with both.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug("asynq", "msg", args) }
func (a slogAdapter) Info(args ...any)  { a.l.Info("asynq", "msg", args) }
func (a slogAdapter) Warn(args ...any) {
	if len(args) == 1 {
		if s, ok := args[0].(string); ok && strings.HasPrefix(s, "Retry exhausted for task id=") {
			return
		}
	}
	a.l.Warn("asynq", "msg", args)
}
func (a slogAdapter) Error(args ...any) { a.l.Error("asynq", "msg", args) }
func (a slogAdapter) Fatal(args ...any) { a.l.Error("asynq fatal", "msg", args) }
