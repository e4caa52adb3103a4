package jobs

import (
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
)

// Scheduler enqueues the periodic tasks. Every worker replica may run one: each periodic task is
// enqueued with asynq.Unique, so replicas do not double it.
type Scheduler struct{ s *asynq.Scheduler }

// NewScheduler registers beian's periodic tasks on a scheduler sharing rdb.
func NewScheduler(rdb *Redis, log *slog.Logger) (*Scheduler, error) {
	s := asynq.NewSchedulerFromRedisClient(rdb.Client, &asynq.SchedulerOpts{Logger: slogAdapter{log}, LogLevel: asynq.WarnLevel,
		Location: time.UTC})
	periodic := []struct {
		spec, typ string
		unique    time.Duration
	}{
		{"@every 1m", TypeSMSDeadlineSweep, 50 * time.Second},
		{"@every 1h", TypeOrderStale, 50 * time.Minute},
		{"@every 5m", TypeInspectionDeadlineSweep, 4 * time.Minute},
		{"@every 30s", TypeBureauPoll, 25 * time.Second},
	}
	for _, p := range periodic {
		if _, err := s.Register(p.spec, asynq.NewTask(p.typ, nil), asynq.Unique(p.unique), asynq.MaxRetry(0)); err != nil {
			return nil, err
		}
	}
	return &Scheduler{s: s}, nil
}

// Start runs the scheduler in the background.
func (s *Scheduler) Start() error { return s.s.Start() }

// Shutdown stops it.
func (s *Scheduler) Shutdown() { s.s.Shutdown() }
