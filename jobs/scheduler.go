package jobs

import (
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// Scheduler enqueues the periodic tasks. Every worker replica may run one: each periodic task is
// enqueued with asynq.Unique, so replicas do not double it.
type Scheduler struct{ s *asynq.Scheduler }

// NewScheduler registers beian's periodic tasks on a scheduler with its own connection to rdb's
// server. (An asynq scheduler on a shared client tries to close it at shutdown and logs an ERROR
// when it may not; with a client of its own the close succeeds.)
func NewScheduler(rdb *Redis, log *slog.Logger) (*Scheduler, error) {
	opts := &asynq.SchedulerOpts{Logger: slogAdapter{log}, LogLevel: asynq.WarnLevel, Location: time.UTC}
	var s *asynq.Scheduler
	if c, own := rdb.ownClient(); own {
		s = asynq.NewScheduler(ownConn{c}, opts)
	} else {
		s = asynq.NewSchedulerFromRedisClient(c, opts)
	}
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

// ownConn hands asynq a client that asynq then owns (and closes).
type ownConn struct{ c redis.UniversalClient }

func (o ownConn) MakeRedisClient() any { return o.c }

// Start runs the scheduler in the background.
func (s *Scheduler) Start() error { return s.s.Start() }

// Shutdown stops it.
func (s *Scheduler) Shutdown() { s.s.Shutdown() }
