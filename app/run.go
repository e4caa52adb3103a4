package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/beian/beian/api"
	"github.com/beian/beian/config"
	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
)

// Role says which parts of beian a process runs.
type Role string

// Process roles: the API and the worker together, the API alone, or the worker alone.
const (
	RoleAll    Role = "all"
	RoleServe  Role = "serve"
	RoleWorker Role = "worker"
)

// Run runs the API and/or the worker until ctx ends, then shuts down gracefully: the HTTP server
// drains, the outbox relay and the scheduler stop, and the worker finishes its running tasks.
func Run(ctx context.Context, cfg config.Config, log *slog.Logger, role Role) error {
	a, err := Open(ctx, cfg, log, Options{Migrate: cfg.MigrateOnStart})
	if err != nil {
		return err
	}
	defer a.Close()
	if role != RoleServe {
		stop, err := a.startWorker(ctx)
		if err != nil {
			return err
		}
		defer stop()
	}
	if cfg.PprofAddr != "" {
		stop := servePprof(ctx, cfg.PprofAddr, log)
		defer stop()
	}
	h := api.NewOpsRouter(a.Ready, a.Registry, log)
	if role != RoleWorker {
		if h, err = a.Router(); err != nil {
			return err
		}
	}
	return a.serveHTTP(ctx, h)
}

// startWorker starts the asynq worker, the scheduler and the outbox relay. The returned function
// stops all three and waits for them.
func (a *App) startWorker(ctx context.Context) (stop func(), err error) {
	worker := jobs.NewWorker(a.Redis, a.WorkerServices(), a.Log, jobs.WorkerOptions{Metrics: a.Tasks})
	if err := worker.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	sched, err := jobs.NewScheduler(a.Redis, a.Log)
	if err == nil {
		err = sched.Start()
	}
	if err != nil {
		worker.Shutdown(context.Background())
		return nil, fmt.Errorf("start scheduler: %w", err)
	}
	relayCtx, cancelRelay := context.WithCancel(ctx)
	relayDone := make(chan struct{})
	go func() {
		defer close(relayDone)
		jobs.NewRelay(a.Notifications, a.Enqueuer, a.Log, time.Second, 5*time.Second).Run(relayCtx)
	}()
	return func() {
		cancelRelay()
		<-relayDone
		sched.Shutdown()
		worker.Shutdown(context.Background())
	}, nil
}

// NewHTTPServer is the API's HTTP server on addr: every phase of a request and an idle connection
// is bounded in time.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
}

// serveHTTP serves h until ctx ends, then drains connections (bounded) before returning.
func (a *App) serveHTTP(ctx context.Context, h http.Handler) error {
	srv := NewHTTPServer(a.Config.HTTPAddr, h)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	a.Log.Info("http listening", "addr", a.Config.HTTPAddr)
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Migrate applies the database migrations and reports how many ran. It needs no Redis.
func Migrate(ctx context.Context, cfg config.Config, log *slog.Logger) (int, error) {
	db, dialect, err := repository.Open(string(cfg.DatabaseURL))
	if err != nil {
		return 0, err
	}
	n, err := repository.Migrate(ctx, db, dialect)
	if err == nil {
		log.Info("migrations applied", "count", n)
	}
	return n, errors.Join(err, closeDatabase(db))
}

// EnsureStaffUser creates or updates a reviewer or admin account for an operator. It needs only
// the database (migrated first when BEIAN_MIGRATE_ON_START is on).
func EnsureStaffUser(ctx context.Context, cfg config.Config, log *slog.Logger, phone string, role account.Role, password string) (account.User, error) {
	if role != account.RoleReviewer && role != account.RoleAdmin {
		return account.User{}, fmt.Errorf("role must be reviewer or admin, not %q", role)
	}
	db, err := openDatabase(ctx, cfg, log, cfg.MigrateOnStart)
	if err != nil {
		return account.User{}, err
	}
	u, err := account.NewStaff(repository.NewUserRepo(db), kernel.SystemClock).EnsureUser(ctx, phone, role, password)
	return u, errors.Join(err, closeDatabase(db))
}

// servePprof serves net/http/pprof's handlers on addr (a loopback address, see config) until the
// returned function is called. A failure to listen is logged, not fatal: profiling is optional.
func servePprof(ctx context.Context, addr string, log *slog.Logger) (stop func()) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("pprof listener", "addr", addr, "err", err)
		}
	}()
	log.Info("pprof listening", "addr", addr)
	return func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	}
}
