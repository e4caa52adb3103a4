package config_test

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/beian/beian/config"
)

func TestDevelopmentDefaultsLoad(t *testing.T) {
	c, err := config.Load(nil)
	if err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if c.VerifyPageURL() != "http://localhost:8080/v/" {
		t.Fatalf("development verification page URL = %q", c.VerifyPageURL())
	}
	if c.HTTPAddr != ":8080" || string(c.DatabaseURL) != "sqlite://./data/beian.db" || !c.Redis.Embedded() || c.SMS.Provider != "log" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestProductionRefusesDevelopmentDefaults(t *testing.T) {
	_, err := config.Load([]string{"BEIAN_ENV=production"})
	if err == nil {
		t.Fatal("production started on development defaults")
	}
	for _, name := range []string{"BEIAN_DATABASE_URL", "BEIAN_REDIS_URL", "BEIAN_JWT_SECRET", "BEIAN_DATA_KEY",
		"BEIAN_SMS_PROVIDER", "BEIAN_EMAIL_PROVIDER", "BEIAN_PUBLIC_URL"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("the error does not name %s:\n%v", name, err)
		}
	}
}

func TestProductionAcceptsACompleteConfiguration(t *testing.T) {
	env := []string{"BEIAN_ENV=production", "BEIAN_DATABASE_URL=mysql://beian:pw@db:3306/beian",
		"BEIAN_REDIS_URL=redis://:pw@redis:6379/0", "BEIAN_JWT_SECRET=" + strings.Repeat("s", 40),
		"BEIAN_DATA_KEY=MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=", "BEIAN_SMS_PROVIDER=tencent",
		"BEIAN_SMS_TENCENT_SECRET_ID=id", "BEIAN_SMS_TENCENT_SECRET_KEY=key", "BEIAN_SMS_TENCENT_SDK_APP_ID=1400000000",
		"BEIAN_SMS_TENCENT_SIGN_NAME=备案", "BEIAN_EMAIL_PROVIDER=smtp", "BEIAN_SMTP_HOST=smtp.example.com",
		"BEIAN_EMAIL_FROM=beian@example.com", "BEIAN_PUBLIC_URL=https://beian.example.com/"}
	c, err := config.Load(env)
	if err != nil {
		t.Fatalf("complete production config refused: %v", err)
	}
	if got := c.VerifyPageURL(); got != "https://beian.example.com/v/" {
		t.Fatalf("verification page URL = %q", got)
	}
}

func TestBadValuesAreNamed(t *testing.T) {
	tests := []struct{ env, name string }{
		{"BEIAN_ENV=staging", "BEIAN_ENV"},
		{"BEIAN_DATABASE_URL=postgres://x", "BEIAN_DATABASE_URL"},
		{"BEIAN_DATA_KEY=short", "BEIAN_DATA_KEY"},
		{"BEIAN_ACCESS_TTL=5h", "BEIAN_ACCESS_TTL"},
		{"BEIAN_SMS_PROVIDER=carrier-pigeon", "BEIAN_SMS_PROVIDER"},
		{"BEIAN_PUBLIC_URL=beian://verify", "BEIAN_PUBLIC_URL"},
		{"BEIAN_PUBLIC_URL=https://beian.example.com/?x=1", "BEIAN_PUBLIC_URL"},
		{"BEIAN_TRUSTED_PROXIES=10.0.0.0/8,lb.internal", "BEIAN_TRUSTED_PROXIES"},
		{"BEIAN_BLOB_URL=gs://bucket", "BEIAN_BLOB_URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load([]string{tc.env})
			if err == nil || !strings.Contains(err.Error(), tc.name) {
				t.Fatalf("%s: err = %v", tc.env, err)
			}
		})
	}
}

func TestSecretsAreMaskedWhenPrinted(t *testing.T) {
	c, err := config.Load([]string{"BEIAN_JWT_SECRET=super-secret-jwt-value-1234567890",
		"BEIAN_DATABASE_URL=mysql://beian:db-password@db:3306/beian", "BEIAN_REDIS_URL=redis://:redis-password@r:6379/0"})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Info("config", "config", c)
	js, _ := json.Marshal(c)
	for _, out := range []string{b.String(), string(js), c.JWTSecret.String()} {
		for _, secret := range []string{"super-secret-jwt-value", "db-password", "redis-password"} {
			if strings.Contains(out, secret) {
				t.Errorf("secret %q printed: %s", secret, out)
			}
		}
	}
}

func TestBlobURLIsMaskedWhenPrinted(t *testing.T) {
	c, err := config.Load([]string{"BEIAN_BLOB_URL=s3://AKID:topsecret@bucket?endpoint=http://127.0.0.1:7070",
		"BEIAN_TRUSTED_PROXIES=10.0.0.0/8,192.168.1.10"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 {
		t.Fatalf("trusted proxies: %v", c.TrustedProxies)
	}
	var b strings.Builder
	slog.New(slog.NewJSONHandler(&b, nil)).Info("config", "config", c)
	if strings.Contains(b.String(), "topsecret") {
		t.Fatalf("the blob URL's secret is in the log: %s", b.String())
	}
}

func TestPprofAddrMustBeLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:6060": true, "localhost:6060": true, "[::1]:6060": true,
		":6060": false, "0.0.0.0:6060": false, "10.0.0.5:6060": false, "127.0.0.1": false} {
		_, err := config.Load([]string{"BEIAN_PPROF_ADDR=" + addr})
		if (err == nil) != ok {
			t.Errorf("BEIAN_PPROF_ADDR=%s: err = %v, want accepted %v", addr, err, ok)
		}
	}
}
