package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/beian/beian/api"
	"github.com/beian/beian/config"
	"github.com/beian/beian/jobs"
	"github.com/beian/beian/jobs/sender"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/inspection"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/beian/beian/service/review"
	"github.com/beian/beian/service/transfer"
	"github.com/beian/beian/service/verification"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"gorm.io/gorm"
)

// app is every long-lived dependency, built once by openApp.
type app struct {
	cfg           config.Config
	log           *slog.Logger
	db            *gorm.DB
	redis         *jobs.Redis
	queue         *asynq.Client
	devSMS        *jobs.DevSMS
	accounts      *account.Accounts
	sessions      *account.Sessions
	notifications *notify.Notifications
	enqueuer      *jobs.Enqueuer
	limiter       *repository.RedisLimiter
	verifications *verification.Verifications
	tokens        *api.Tokens
	orders        *filing.Orders
	materials     *filing.Materials
	subjects      *filing.Subjects
	verified      filing.VerificationStatus // confirmed verifications as submit reads them
	smsChecks     *review.SMSChecks
	reviews       *review.Reviews
	stale         *filing.StaleOrders
	inspections   *inspection.Inspections
	grants        *transfer.Authorizations
	registry      *prometheus.Registry
}

type appOptions struct {
	migrate bool
	now     kernel.Clock // nil: the system clock; tests inject their own
	// verified overrides where submit reads confirmed verifications (tests fake it); nil: the database.
	verified filing.VerificationStatus
}

func openApp(ctx context.Context, cfg config.Config, log *slog.Logger, opts appOptions) (*app, error) {
	log.Info("starting", "config", cfg)
	db, dialect, err := repository.Open(string(cfg.DatabaseURL))
	if err != nil {
		return nil, err
	}
	if opts.migrate {
		n, err := repository.Migrate(ctx, db, dialect)
		if err != nil {
			return nil, err
		}
		log.Info("migrations applied", "count", n)
	}
	rdb, err := jobs.OpenRedis(cfg.Redis, log)
	if err != nil {
		return nil, err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a := &app{cfg: cfg, log: log, db: db, redis: rdb, verified: opts.verified, registry: reg}
	now := opts.now
	if now == nil {
		now = kernel.SystemClock
	}
	if err := a.wire(now); err != nil {
		return nil, errors.Join(err, a.close())
	}
	return a, nil
}

func (a *app) wire(now kernel.Clock) error {
	key, err := a.cfg.DataKeyBytes()
	if err != nil {
		return err
	}
	cipher, err := repository.NewCipher(key)
	if err != nil {
		return err
	}
	sms, email, err := a.senders(now)
	if err != nil {
		return err
	}
	sends, err := jobs.NewSendCounter(a.registry)
	if err != nil {
		return err
	}
	sms, email = sends.SMS(sms, a.cfg.SMS.Provider), sends.Email(email, a.cfg.Email.Provider)
	outbox := repository.NewOutboxRepo(a.db, cipher)
	users := repository.NewUserRepo(a.db)
	a.queue = asynq.NewClientFromRedisClient(a.redis.Client)
	a.notifications = notify.NewNotifications(outbox, users, sms, email, time.Minute, now)
	a.enqueuer = jobs.NewEnqueuer(a.queue, a.notifications)
	if err := jobs.RegisterQueueMetrics(a.registry, a.redis, a.notifications, a.log); err != nil {
		return err
	}
	a.limiter = repository.NewRedisLimiter(a.redis.Client)
	a.tokens = api.NewTokens([]byte(a.cfg.JWTSecret), a.cfg.JWTIssuer, a.cfg.AccessTTL, now)
	a.sessions = account.NewSessions(users, repository.NewTokenRepo(a.db), a.tokens, a.cfg.RefreshTTL, now)
	a.accounts = account.NewAccounts(users, repository.NewCodeRepo(a.db, outbox), a.sessions, a.limiter,
		a.enqueuer, cipher.DeriveKey("sms-code"), now)
	// ---- wiring: filing ----
	if err := a.wireFiling(cipher, users, now); err != nil {
		return err
	}
	// ---- wiring: review ----
	// ---- wiring: flows and inspections ----
	a.wireFlows(cipher, users, now)
	// ---- wiring: bureau and SMS check ----
	a.wireBureau(cipher, users, now)
	// ---- wiring: verification ----
	if err := a.wireVerification(cipher, now); err != nil {
		return err
	}
	return nil
}

// senders picks the SMS and e-mail providers; config has already refused "log" in production.
func (a *app) senders(now kernel.Clock) (notify.SMSSender, notify.EmailSender, error) {
	var sms notify.SMSSender
	var email notify.EmailSender = jobs.NewDevEmail(a.log)
	if a.cfg.SMS.Provider == "log" {
		a.devSMS = jobs.NewDevSMS(a.redis.Client, a.log, now)
		sms = a.devSMS
	} else {
		c := a.cfg.SMS
		t, err := sender.NewTencentSMS(sender.TencentSMSConfig{SecretID: c.TencentSecretID, SecretKey: string(c.TencentSecret),
			Region: c.TencentRegion, SdkAppID: c.TencentAppID, SignName: c.TencentSign, Templates: c.Templates,
			Endpoint: c.TencentEndpoint}, &http.Client{Timeout: 10 * time.Second}, now)
		if err != nil {
			return nil, nil, fmt.Errorf("sms provider: %w", err)
		}
		sms = t
	}
	if a.cfg.Email.Provider == "smtp" {
		c := a.cfg.Email
		tlsMode, err := sender.ParseTLSMode(c.SMTPTLS)
		if err != nil {
			return nil, nil, fmt.Errorf("BEIAN_SMTP_TLS: %w", err)
		}
		m, err := sender.NewSMTPMailer(sender.SMTPConfig{Host: c.SMTPHost, Port: c.SMTPPort, Username: c.SMTPUser,
			Password: string(c.SMTPPass), From: c.From, FromName: c.FromName, TLS: tlsMode})
		if err != nil {
			return nil, nil, fmt.Errorf("email provider: %w", err)
		}
		email = m
	}
	return sms, email, nil
}

func (a *app) ready(ctx context.Context) error {
	return errors.Join(repository.Ping(ctx, a.db), a.redis.Ping(ctx))
}

func (a *app) close() error {
	var errs []error
	if a.queue != nil {
		errs = append(errs, a.queue.Close())
	}
	if sqlDB, err := a.db.DB(); err == nil {
		errs = append(errs, sqlDB.Close())
	}
	errs = append(errs, a.redis.Close())
	return errors.Join(errs...)
}

func (a *app) router() (http.Handler, error) {
	deps := api.Deps{Accounts: a.accounts, Sessions: a.sessions, Tokens: a.tokens, Limiter: a.limiter,
		Ready: a.ready, Registry: a.registry, Log: a.log, BodyMaxBytes: a.cfg.BodyMaxBytes}
	// ---- router deps: filing ----
	deps.Orders, deps.Materials, deps.Subjects, deps.UploadMaxBytes = a.orders, a.materials, a.subjects, a.cfg.UploadMaxBytes
	// ---- router deps: review ----
	deps.Reviews = a.reviews
	// ---- router deps: flows and inspections ----
	deps.Inspections, deps.Authorizations = a.inspections, a.grants
	// ---- router deps: bureau ----
	deps.SMSChecks = a.smsChecks
	// ---- router deps: verification ----
	deps.Verifications, deps.FacePhotoMaxBytes = a.verifications, a.cfg.UploadMaxBytes
	deps.JobsUI = jobs.NewMonitor(a.redis, "/admin/jobs")
	if a.cfg.Env == config.EnvDevelopment && a.devSMS != nil {
		deps.DevInbox = a.devSMS
	}
	return api.NewRouter(deps)
}

// runServices runs the API and/or the worker until ctx ends, then shuts down gracefully.
func runServices(ctx context.Context, cfg config.Config, log *slog.Logger, which string) error {
	a, err := openApp(ctx, cfg, log, appOptions{migrate: cfg.MigrateOnStart})
	if err != nil {
		return err
	}
	defer a.close()
	var worker *jobs.Worker
	if which != "serve" {
		worker = jobs.NewWorker(a.redis, a.workerServices(), log, jobs.WorkerOptions{})
		if err := worker.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		sched, err := jobs.NewScheduler(a.redis, log)
		if err != nil {
			return err
		}
		if err := sched.Start(); err != nil {
			return fmt.Errorf("start scheduler: %w", err)
		}
		defer sched.Shutdown()
		relay := jobs.NewRelay(a.notifications, a.enqueuer, log, time.Second, 5*time.Second)
		go relay.Run(ctx)
		defer worker.Shutdown(context.Background())
	}
	if which == "worker" {
		return a.serveHTTP(ctx, api.NewOpsRouter(a.ready, a.registry, log))
	}
	h, err := a.router()
	if err != nil {
		return err
	}
	return a.serveHTTP(ctx, h)
}

// serveHTTP serves h until ctx ends, then drains connections (bounded) before returning.
func (a *app) serveHTTP(ctx context.Context, h http.Handler) error {
	srv := &http.Server{Addr: a.cfg.HTTPAddr, Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	a.log.Info("http listening", "addr", a.cfg.HTTPAddr)
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	a.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
