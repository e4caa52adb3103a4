package config

import (
	"log/slog"
	"net/url"
)

// Secret is a setting that must never be printed: String, logs and JSON show it masked.
// Use string(s) where the value itself is needed.
type Secret string

// String masks the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return "******"
}

// LogValue masks the value in slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText masks the value in JSON and other text encodings.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Redacted shows a URL with its password masked, for a secret that is a connection URL.
func (s Secret) Redacted() string {
	u, err := url.Parse(string(s))
	if err != nil || u.User == nil {
		if err != nil {
			return s.String()
		}
		return u.String()
	}
	return u.Redacted()
}

// LogValue lists the settings with every secret masked, for the start-up log line.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("env", c.Env),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("database_url", c.DatabaseURL.Redacted()),
		slog.String("redis_url", c.Redis.URL.Redacted()),
		slog.Bool("redis_embedded", c.Redis.Embedded()),
		slog.Any("jwt_secret", c.JWTSecret),
		slog.Any("data_key", c.DataKey),
		slog.String("sms_provider", c.SMS.Provider),
		slog.String("email_provider", c.Email.Provider),
		slog.String("files_dir", c.FilesDir),
		slog.String("blob_url", c.BlobURL.Redacted()),
		slog.Any("trusted_proxies", c.TrustedProxies),
	)
}
