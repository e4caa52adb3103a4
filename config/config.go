// Package config loads beian's settings from BEIAN_* environment variables into one typed struct.
//
// Development gets working defaults (embedded SQLite and Redis, log SMS and e-mail senders, fixed
// development secrets); production refuses to start until every secret and real provider is set.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Environments.
const (
	EnvDevelopment = "development"
	EnvProduction  = "production"
)

// Development-only secrets. Validate refuses them in production, so they can never protect real data.
const (
	devJWTSecret = "development-only-jwt-secret-not-for-production-use"
	devDataKey   = "ZGV2ZWxvcG1lbnQtb25seS1kYXRhLWtleS0zMmJ5dGU=" // "development-only-data-key-32byte"
)

// devPublicURL is the development server as a browser on the same machine reaches it.
const devPublicURL = "http://localhost:8080"

// Config is every setting beian reads. Field tags name the environment variable and its default.
type Config struct {
	Env      string `env:"BEIAN_ENV" envDefault:"development"`
	HTTPAddr string `env:"BEIAN_HTTP_ADDR" envDefault:":8080"`
	// TrustedProxies lists the load balancers and reverse proxies (IP addresses or CIDRs) whose
	// X-Forwarded-For the service believes. Empty trusts none: the client is the TCP peer.
	TrustedProxies []string `env:"BEIAN_TRUSTED_PROXIES"`
	LogLevel       string   `env:"BEIAN_LOG_LEVEL" envDefault:"info"`
	// PprofAddr, when set, serves Go's runtime profiles (/debug/pprof/) on this loopback address,
	// apart from the API, for an operator profiling a replica from the same host.
	PprofAddr string `env:"BEIAN_PPROF_ADDR"`

	// DatabaseURL is mysql://user:pass@host:port/db?params or sqlite://path.
	DatabaseURL    Secret `env:"BEIAN_DATABASE_URL" envDefault:"sqlite://./data/beian.db"`
	MigrateOnStart bool   `env:"BEIAN_MIGRATE_ON_START" envDefault:"true"`

	Redis Redis

	JWTSecret  Secret        `env:"BEIAN_JWT_SECRET"`
	JWTIssuer  string        `env:"BEIAN_JWT_ISSUER" envDefault:"beian"`
	AccessTTL  time.Duration `env:"BEIAN_ACCESS_TTL" envDefault:"15m"`
	RefreshTTL time.Duration `env:"BEIAN_REFRESH_TTL" envDefault:"720h"`
	// RefreshGrace is how long a just-rotated refresh token still gets the same new pair.
	RefreshGrace time.Duration `env:"BEIAN_REFRESH_GRACE" envDefault:"30s"`

	// DataKey is 32 bytes, base64: it encrypts ID numbers, phone numbers in the outbox and face photos.
	DataKey Secret `env:"BEIAN_DATA_KEY"`

	// BlobURL names the store for uploaded materials and face photos: s3://KEY:SECRET@bucket?endpoint=…
	// (any S3-compatible service), file:///abs/dir, or empty for the local directory FilesDir. Every
	// replica must see the same store, so more than one API process needs S3 (or a shared volume).
	BlobURL        Secret `env:"BEIAN_BLOB_URL"`
	FilesDir       string `env:"BEIAN_FILES_DIR" envDefault:"./data/files"`
	UploadMaxBytes int64  `env:"BEIAN_UPLOAD_MAX_BYTES" envDefault:"9437184"`
	BodyMaxBytes   int64  `env:"BEIAN_BODY_MAX_BYTES" envDefault:"1048576"`
	// FaceCascade optionally names a pigo face cascade file to use instead of the built-in one.
	FaceCascade string `env:"BEIAN_FACE_CASCADE"`
	Image       Image

	// PublicURL is where people reach this service from outside (scheme and host, optional path,
	// no trailing slash): the verification QR code encodes PublicURL + "/v/" + token.
	PublicURL string `env:"BEIAN_PUBLIC_URL"`

	SMS    SMS
	Email  Email
	Outbox Outbox
	WeChat WeChat
}

// WeChat is the mini-program behind POST /auth/wechat; with no AppID that login is off (503).
type WeChat struct {
	AppID   string `env:"BEIAN_WECHAT_APPID"`
	Secret  Secret `env:"BEIAN_WECHAT_SECRET"`
	APIBase string `env:"BEIAN_WECHAT_API_BASE" envDefault:"https://api.weixin.qq.com"`
}

// Outbox bounds how long a notification is retried: after MaxAttempts sends or once older than
// MaxAge it is marked failed and left for an admin to re-queue.
type Outbox struct {
	MaxAttempts int           `env:"BEIAN_OUTBOX_MAX_ATTEMPTS" envDefault:"10"`
	MaxAge      time.Duration `env:"BEIAN_OUTBOX_MAX_AGE" envDefault:"24h"`
}

// Redis selects the Redis behind asynq, rate limits and the development SMS inbox. With none of
// URL, SentinelAddrs or ClusterAddrs set, an embedded in-process server is used (development only).
type Redis struct {
	URL            Secret   `env:"BEIAN_REDIS_URL"`
	SentinelAddrs  []string `env:"BEIAN_REDIS_SENTINEL_ADDRS"`
	SentinelMaster string   `env:"BEIAN_REDIS_SENTINEL_MASTER"`
	ClusterAddrs   []string `env:"BEIAN_REDIS_CLUSTER_ADDRS"`
	Password       Secret   `env:"BEIAN_REDIS_PASSWORD"`
}

// Embedded reports whether no external Redis is configured.
func (r Redis) Embedded() bool {
	return r.URL == "" && len(r.SentinelAddrs) == 0 && len(r.ClusterAddrs) == 0
}

// SMS selects the SMS provider: "log" (development: log + inbox) or "tencent".
type SMS struct {
	Provider        string            `env:"BEIAN_SMS_PROVIDER" envDefault:"log"`
	TencentSecretID string            `env:"BEIAN_SMS_TENCENT_SECRET_ID"`
	TencentSecret   Secret            `env:"BEIAN_SMS_TENCENT_SECRET_KEY"`
	TencentRegion   string            `env:"BEIAN_SMS_TENCENT_REGION" envDefault:"ap-guangzhou"`
	TencentAppID    string            `env:"BEIAN_SMS_TENCENT_SDK_APP_ID"`
	TencentSign     string            `env:"BEIAN_SMS_TENCENT_SIGN_NAME"`
	TencentEndpoint string            `env:"BEIAN_SMS_TENCENT_ENDPOINT" envDefault:"https://sms.tencentcloudapi.com"`
	Templates       map[string]string `env:"BEIAN_SMS_TEMPLATES"`
}

// Email selects the e-mail provider: "log" (development) or "smtp".
type Email struct {
	Provider string `env:"BEIAN_EMAIL_PROVIDER" envDefault:"log"`
	SMTPHost string `env:"BEIAN_SMTP_HOST"`
	SMTPPort int    `env:"BEIAN_SMTP_PORT" envDefault:"465"`
	SMTPUser string `env:"BEIAN_SMTP_USER"`
	SMTPPass Secret `env:"BEIAN_SMTP_PASSWORD"`
	SMTPTLS  string `env:"BEIAN_SMTP_TLS" envDefault:"tls"`
	From     string `env:"BEIAN_EMAIL_FROM"`
	FromName string `env:"BEIAN_EMAIL_FROM_NAME" envDefault:"ICP备案服务"`
}

// Load reads the given environment (main passes os.Environ(), tests a list of their own), fills
// development defaults and validates. The error names every offending setting.
func Load(environ []string) (Config, error) {
	var c Config
	if err := env.ParseWithOptions(&c, env.Options{Environment: env.ToMap(environ)}); err != nil {
		return Config{}, fmt.Errorf("read environment: %w", err)
	}
	if c.Env == EnvDevelopment {
		if c.JWTSecret == "" {
			c.JWTSecret = devJWTSecret
		}
		if c.DataKey == "" {
			c.DataKey = devDataKey
		}
		if c.PublicURL == "" {
			c.PublicURL = devPublicURL
		}
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	c.Image = c.Image.withDefaults()
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks the settings; in production it also refuses development defaults.
func (c Config) Validate() error {
	var errs []error
	bad := func(name, why string) { errs = append(errs, fmt.Errorf("%s: %s", name, why)) }
	if c.Env != EnvDevelopment && c.Env != EnvProduction {
		bad("BEIAN_ENV", "must be development or production")
	}
	if !strings.HasPrefix(string(c.DatabaseURL), "mysql://") && !strings.HasPrefix(string(c.DatabaseURL), "sqlite://") {
		bad("BEIAN_DATABASE_URL", "must start with mysql:// or sqlite://")
	}
	if _, err := c.DataKeyBytes(); err != nil && c.DataKey != "" {
		bad("BEIAN_DATA_KEY", err.Error())
	}
	if c.AccessTTL <= 0 || c.AccessTTL > time.Hour {
		bad("BEIAN_ACCESS_TTL", "must be between 0 and 1h")
	}
	if c.WeChat.AppID != "" && c.WeChat.Secret == "" {
		bad("BEIAN_WECHAT_SECRET", "is required with BEIAN_WECHAT_APPID")
	}
	if c.RefreshGrace < 0 || c.RefreshGrace > 5*time.Minute {
		bad("BEIAN_REFRESH_GRACE", "must be between 0 and 5m")
	}
	for _, p := range c.TrustedProxies {
		if !validProxy(p) {
			bad("BEIAN_TRUSTED_PROXIES", fmt.Sprintf("%q is neither an IP address nor a CIDR", p))
		}
	}
	if u := string(c.BlobURL); u != "" && strings.Contains(u, "://") && !strings.HasPrefix(u, "s3://") && !strings.HasPrefix(u, "file://") {
		bad("BEIAN_BLOB_URL", "must be s3://…, file:///dir or a directory path")
	}
	if c.PprofAddr != "" && !loopbackAddr(c.PprofAddr) {
		bad("BEIAN_PPROF_ADDR", "must be a loopback host:port, such as 127.0.0.1:6060")
	}
	if c.UploadMaxBytes <= 0 {
		bad("BEIAN_UPLOAD_MAX_BYTES", "must be positive")
	}
	if err := checkPublicURL(c.PublicURL); err != nil {
		bad("BEIAN_PUBLIC_URL", err.Error())
	}
	if c.SMS.Provider != "log" && c.SMS.Provider != "tencent" {
		bad("BEIAN_SMS_PROVIDER", "must be log or tencent")
	}
	if c.Email.Provider != "log" && c.Email.Provider != "smtp" {
		bad("BEIAN_EMAIL_PROVIDER", "must be log or smtp")
	}
	if c.Outbox.MaxAttempts < 1 {
		bad("BEIAN_OUTBOX_MAX_ATTEMPTS", "must be at least 1")
	}
	if c.Outbox.MaxAge < time.Minute {
		bad("BEIAN_OUTBOX_MAX_AGE", "must be at least 1m")
	}
	errs = append(errs, c.Image.problems()...)
	if c.Env == EnvProduction {
		errs = append(errs, c.productionProblems()...)
	}
	return errors.Join(errs...)
}

func (c Config) productionProblems() []error {
	var errs []error
	bad := func(name, why string) { errs = append(errs, fmt.Errorf("%s: %s", name, why)) }
	if strings.HasPrefix(string(c.DatabaseURL), "sqlite://") {
		bad("BEIAN_DATABASE_URL", "production needs MySQL, not the embedded SQLite database")
	}
	if c.Redis.Embedded() {
		bad("BEIAN_REDIS_URL", "production needs a real Redis (or BEIAN_REDIS_SENTINEL_ADDRS / BEIAN_REDIS_CLUSTER_ADDRS)")
	}
	if len(c.JWTSecret) < 32 || c.JWTSecret == devJWTSecret {
		bad("BEIAN_JWT_SECRET", "production needs a secret of at least 32 bytes")
	}
	if c.DataKey == "" || c.DataKey == devDataKey {
		bad("BEIAN_DATA_KEY", "production needs its own 32-byte key, base64-encoded (openssl rand -base64 32)")
	}
	if c.SMS.Provider == "log" {
		bad("BEIAN_SMS_PROVIDER", "production cannot use the log SMS provider")
	}
	if c.SMS.Provider == "tencent" && (c.SMS.TencentSecretID == "" || c.SMS.TencentSecret == "" || c.SMS.TencentAppID == "" || c.SMS.TencentSign == "") {
		bad("BEIAN_SMS_TENCENT_*", "SECRET_ID, SECRET_KEY, SDK_APP_ID and SIGN_NAME are required")
	}
	if c.Email.Provider == "log" {
		bad("BEIAN_EMAIL_PROVIDER", "production cannot use the log e-mail provider")
	}
	if c.Email.Provider == "smtp" && (c.Email.SMTPHost == "" || c.Email.From == "") {
		bad("BEIAN_SMTP_HOST / BEIAN_EMAIL_FROM", "required for the smtp provider")
	}
	return errs
}

// checkPublicURL accepts an absolute http or https URL without query or fragment.
func checkPublicURL(raw string) error {
	if raw == "" {
		return errors.New("required: the address people reach the service at, e.g. https://beian.example.com")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("must be an absolute http(s) URL without query or fragment")
	}
	return nil
}

// VerifyPageURL is the prefix of the verification QR code's URL; the token follows it.
func (c Config) VerifyPageURL() string { return c.PublicURL + "/v/" }

// DataKeyBytes decodes DataKey; it must be 32 bytes of base64.
func (c Config) DataKeyBytes() ([]byte, error) {
	if c.DataKey == "" {
		return nil, errors.New("missing")
	}
	k, err := base64.StdEncoding.DecodeString(string(c.DataKey))
	if err != nil || len(k) != 32 {
		return nil, errors.New("must be 32 bytes, base64-encoded")
	}
	return k, nil
}

// validProxy reports whether p is an IP address or a CIDR, the two forms gin's trusted proxies take.
func validProxy(p string) bool {
	if _, _, err := net.ParseCIDR(p); err == nil {
		return true
	}
	return net.ParseIP(p) != nil
}

// loopbackAddr reports whether addr is host:port with a loopback IP address or localhost.
func loopbackAddr(addr string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
