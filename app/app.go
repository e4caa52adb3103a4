package app

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
	"github.com/beian/beian/jobs/wechat"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/blob"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/imaging"
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

// App is every long-lived dependency of a running beian: storage, the queue, and the use cases
// of service/…, built once by Open. Subcommands and the end-to-end tests use its fields.
type App struct {
	Config   config.Config
	Log      *slog.Logger
	DB       *gorm.DB
	Redis    *jobs.Redis
	Queue    *asynq.Client
	Registry *prometheus.Registry
	Limiter  *repository.RedisLimiter
	// Idempotency keeps the answers to POSTs sent with an Idempotency-Key.
	Idempotency *repository.RedisIdempotency
	Enqueuer    *jobs.Enqueuer
	Tasks       *jobs.TaskMetrics
	Tokens      *api.Tokens
	DevSMS      *jobs.DevSMS // the development SMS inbox; nil with a real provider
	Blobs       blob.Store   // uploaded materials and face photos (sealed per purpose on top)
	// Images bounds image decoding (workers and pixel memory), shared by material uploads and
	// face checks.
	Images *imaging.Limiter

	Accounts       *account.Accounts
	Sessions       *account.Sessions
	Staff          *account.Staff
	Notifications  *notify.Notifications
	Orders         *filing.Orders
	Materials      *filing.Materials
	Subjects       *filing.Subjects
	StaleOrders    *filing.StaleOrders
	Verifications  *verification.Verifications
	SMSChecks      *review.SMSChecks
	Reviews        *review.Reviews
	Inspections    *inspection.Inspections
	Authorizations *transfer.Authorizations

	verified filing.VerificationStatus // confirmed verifications as submit and review read them
	// orderRows and verificationRows are the process's order and verification tables.
	orderRows        *repository.OrderRepo
	verificationRows *repository.VerificationRepo
	// materialBlobs and facePhotos are the sealed stores of materials and face photos, which
	// reviewers open through the review use case.
	materialBlobs, facePhotos blob.Store
}

// Options changes how Open builds the App. The zero value is production's choice.
type Options struct {
	Migrate bool         // apply database migrations first
	Now     kernel.Clock // nil: the system clock; tests inject their own
	// Verified overrides where submit reads confirmed verifications (tests fake it); nil: the database.
	Verified filing.VerificationStatus
}

// Open connects to the database and Redis and builds every use case.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger, opts Options) (*App, error) {
	log.Info("starting", "config", cfg)
	db, err := openDatabase(ctx, cfg, log, opts.Migrate)
	if err != nil {
		return nil, err
	}
	rdb, err := jobs.OpenRedis(cfg.Redis, log)
	if err != nil {
		return nil, errors.Join(err, closeDatabase(db))
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	a := &App{Config: cfg, Log: log, DB: db, Redis: rdb, verified: opts.Verified, Registry: reg}
	now := opts.Now
	if now == nil {
		now = kernel.SystemClock
	}
	if a.Blobs, err = openBlobs(ctx, cfg); err != nil {
		return nil, errors.Join(err, a.Close())
	}
	if err := a.wire(now); err != nil {
		return nil, errors.Join(err, a.Close())
	}
	return a, nil
}

// openBlobs opens the store for materials and face photos: BEIAN_BLOB_URL, else the FilesDir directory.
func openBlobs(ctx context.Context, cfg config.Config) (blob.Store, error) {
	if cfg.BlobURL == "" {
		return blob.Open(ctx, cfg.FilesDir)
	}
	s, err := blob.Open(ctx, string(cfg.BlobURL))
	if err != nil {
		return nil, fmt.Errorf("BEIAN_BLOB_URL: %w", err)
	}
	return s, nil
}

// openDatabase opens the configured database and, when asked, migrates it.
func openDatabase(ctx context.Context, cfg config.Config, log *slog.Logger, migrate bool) (*gorm.DB, error) {
	db, dialect, err := repository.Open(string(cfg.DatabaseURL))
	if err != nil {
		return nil, err
	}
	if migrate {
		n, err := repository.Migrate(ctx, db, dialect)
		if err != nil {
			return nil, errors.Join(err, closeDatabase(db))
		}
		log.Info("migrations applied", "count", n)
	}
	return db, nil
}

func closeDatabase(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

func (a *App) wire(now kernel.Clock) error {
	key, err := a.Config.DataKeyBytes()
	if err != nil {
		return err
	}
	cipher, err := repository.NewCipher(key)
	if err != nil {
		return err
	}
	if err := a.wireAccounts(cipher, now); err != nil {
		return err
	}
	// One OrderRepo (one cache of opened proposals) and one VerificationRepo (one scan combiner)
	// serve every use case of the process.
	a.orderRows = repository.NewOrderRepo(a.DB, cipher)
	a.verificationRows = repository.NewVerificationRepo(a.DB, cipher, a.orderRows)
	a.Images = imaging.NewLimiter(a.Config.Image.Workers, int64(a.Config.Image.Memory), a.Config.Image.Wait)
	users := repository.NewUserRepo(a.DB)
	if err := a.wireFiling(cipher, users, now); err != nil {
		return err
	}
	a.wireTransfers(cipher, users, now)
	a.wireInspections(cipher, now)
	if err := a.wireVerification(cipher, now); err != nil {
		return err
	}
	a.wireReview(cipher, now)
	return nil
}

// wireAccounts builds the notification pipeline (outbox, queue, senders) and the account use cases.
func (a *App) wireAccounts(cipher *repository.Cipher, now kernel.Clock) error {
	sms, email, err := a.senders(now)
	if err != nil {
		return err
	}
	sends, err := jobs.NewSendCounter(a.Registry)
	if err != nil {
		return err
	}
	sms, email = sends.SMS(sms, a.Config.SMS.Provider), sends.Email(email, a.Config.Email.Provider)
	outbox := repository.NewOutboxRepo(a.DB, cipher)
	users := repository.NewUserRepo(a.DB)
	a.Queue = asynq.NewClientFromRedisClient(a.Redis.Client)
	inspector := asynq.NewInspectorFromRedisClient(a.Redis.Client)
	a.Notifications = notify.NewNotifications(outbox, users, sms, email, time.Minute, now)
	a.Notifications.SetLimits(notify.Limits{MaxAttempts: a.Config.Outbox.MaxAttempts, MaxAge: a.Config.Outbox.MaxAge})
	a.Enqueuer = jobs.NewEnqueuer(a.Queue, inspector, a.Notifications, a.Log)
	if err := jobs.RegisterQueueMetrics(a.Registry, inspector, a.Notifications, a.Log); err != nil {
		return err
	}
	if a.Tasks, err = jobs.NewTaskMetrics(a.Registry); err != nil {
		return err
	}
	a.Limiter = repository.NewRedisLimiter(a.Redis.Client)
	a.Idempotency = repository.NewRedisIdempotency(a.Redis.Client, cipher)
	a.Tokens = api.NewTokens([]byte(a.Config.JWTSecret), a.Config.JWTIssuer, a.Config.AccessTTL, now)
	a.Sessions = account.NewSessions(users, repository.NewTokenRepo(a.DB), a.Tokens, account.SessionConfig{
		RefreshTTL: a.Config.RefreshTTL, Grace: a.Config.RefreshGrace, SuccessorKey: cipher.DeriveKey("refresh-successor")}, now)
	a.Accounts = account.NewAccounts(users, repository.NewCodeRepo(a.DB, outbox), a.Sessions, a.Limiter,
		a.Enqueuer, cipher.DeriveKey("sms-code"), now)
	a.Staff = account.NewStaff(users, now)
	if w := a.Config.WeChat; w.AppID != "" {
		a.Accounts.UseWeChat(wechat.New(wechat.Config{AppID: w.AppID, Secret: string(w.Secret), APIBase: w.APIBase},
			&http.Client{Timeout: 10 * time.Second}, now), users)
	}
	return nil
}

// senders picks the SMS and e-mail providers; config has already refused "log" in production.
func (a *App) senders(now kernel.Clock) (notify.SMSSender, notify.EmailSender, error) {
	var sms notify.SMSSender
	var email notify.EmailSender = jobs.NewDevEmail(a.Log)
	if a.Config.SMS.Provider == "log" {
		a.DevSMS = jobs.NewDevSMS(a.Redis.Client, a.Log, now)
		sms = a.DevSMS
	} else {
		c := a.Config.SMS
		t, err := sender.NewTencentSMS(sender.TencentSMSConfig{SecretID: c.TencentSecretID, SecretKey: string(c.TencentSecret),
			Region: c.TencentRegion, SdkAppID: c.TencentAppID, SignName: c.TencentSign, Templates: c.Templates,
			Endpoint: c.TencentEndpoint}, &http.Client{Timeout: 10 * time.Second}, now)
		if err != nil {
			return nil, nil, fmt.Errorf("sms provider: %w", err)
		}
		sms = t
	}
	if a.Config.Email.Provider == "smtp" {
		c := a.Config.Email
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

// Ready reports whether the database and Redis answer.
func (a *App) Ready(ctx context.Context) error {
	return errors.Join(repository.Ping(ctx, a.DB), a.Redis.Ping(ctx))
}

// Close releases the database and Redis. The asynq client shares the Redis connection, so it is
// not closed on its own.
func (a *App) Close() error {
	return errors.Join(closeDatabase(a.DB), a.Redis.Close())
}

// Router is the HTTP API with every route.
func (a *App) Router() (http.Handler, error) {
	deps := api.Deps{Accounts: a.Accounts, Sessions: a.Sessions, Tokens: a.Tokens, Limiter: a.Limiter,
		Ready: a.Ready, Registry: a.Registry, Log: a.Log, BodyMaxBytes: a.Config.BodyMaxBytes, TrustedProxies: a.Config.TrustedProxies,
		Orders: a.Orders, Materials: a.Materials, Subjects: a.Subjects, UploadMaxBytes: a.Config.UploadMaxBytes,
		Reviews: a.Reviews, Inspections: a.Inspections, Authorizations: a.Authorizations, SMSChecks: a.SMSChecks,
		Verifications: a.Verifications, FacePhotoMaxBytes: a.Config.UploadMaxBytes, Outbox: a.Enqueuer,
		Idempotency: a.Idempotency}
	deps.ProviderName = a.Config.Email.FromName
	deps.JobsUI = jobs.NewMonitor(a.Redis, "/admin/jobs")
	if a.Config.Env == config.EnvDevelopment && a.DevSMS != nil {
		deps.DevInbox = a.DevSMS
	}
	return api.NewRouter(deps)
}
