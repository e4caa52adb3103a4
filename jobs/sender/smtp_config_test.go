package sender

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/service/notify"
)

func TestNewSMTPMailerValidates(t *testing.T) {
	tests := []struct {
		name     string
		modify   func(*SMTPConfig)
		wantErr  []string
		wantPort int
	}{
		{"defaults to starttls on 587", func(c *SMTPConfig) { c.TLS, c.Port = "", 0 }, nil, 587},
		{"tls defaults to 465", func(c *SMTPConfig) { c.TLS, c.Port = TLSImplicit, 0 }, nil, 465},
		{"none defaults to 25", func(c *SMTPConfig) { c.TLS, c.Port = TLSNone, 0 }, nil, 25},
		{"mode is case-insensitive", func(c *SMTPConfig) { c.TLS = " STARTTLS " }, nil, 2525},
		{"nothing set", func(c *SMTPConfig) { *c = SMTPConfig{} }, []string{"missing Host", "missing From"}, 0},
		{"password missing", func(c *SMTPConfig) { c.Password = "" }, []string{"missing Password"}, 0},
		{"unknown mode", func(c *SMTPConfig) { c.TLS = "ssl" }, []string{`tls mode "ssl"`}, 0},
		{"port out of range", func(c *SMTPConfig) { c.Port = 70000 }, []string{"Port out of range"}, 0},
		{"from with display name", func(c *SMTPConfig) { c.From = "备案中心 <noreply@beian.example.com>" },
			[]string{"bare address"}, 0},
		{"from not an address", func(c *SMTPConfig) { c.From = "noreply" }, []string{"bare address"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testSMTPConfig(2525, TLSStartTLS, nil)
			tt.modify(&cfg)
			mailer, err := NewSMTPMailer(cfg)
			if tt.wantErr == nil {
				if err != nil || mailer.cfg.Port != tt.wantPort || mailer.cfg.Timeout <= 0 {
					t.Fatalf("NewSMTPMailer = %v, %v; want port %d", mailer, err, tt.wantPort)
				}
				return
			}
			if err == nil {
				t.Fatal("NewSMTPMailer accepted an invalid config")
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}

func TestSMTPConfigMasksPassword(t *testing.T) {
	cfg := testSMTPConfig(25, TLSNone, nil)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(verb, cfg); strings.Contains(out, testSMTPPassword) {
			t.Errorf("%s prints the password: %s", verb, out)
		}
	}
}

// TestSMTPMailerRejectsBadInput fails before dialling: the configured port has no server.
func TestSMTPMailerRejectsBadInput(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*notify.Email)
	}{
		{"empty id", func(e *notify.Email) { e.ID = "" }},
		{"id with angle bracket", func(e *notify.Email) { e.ID = "7>" }},
		{"id with space", func(e *notify.Email) { e.ID = "outbox 7" }},
		{"id with double dot", func(e *notify.Email) { e.ID = "a..b" }},
		{"recipient not an address", func(e *notify.Email) { e.To = "applicant" }},
	}
	mailer, err := NewSMTPMailer(testSMTPConfig(1, TLSNone, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := testEmail()
			tt.modify(&e)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if err := mailer.SendEmail(ctx, e); !errors.Is(err, ErrPermanent) {
				t.Errorf("err = %v, want ErrPermanent", err)
			}
		})
	}
}

func TestParseTLSMode(t *testing.T) {
	tests := []struct {
		in   string
		want TLSMode
		ok   bool
	}{
		{"none", TLSNone, true},
		{"StartTLS", TLSStartTLS, true},
		{" tls", TLSImplicit, true},
		{"ssl", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := ParseTLSMode(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseTLSMode(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
