package sender

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/beian/beian/service/notify"
)

const (
	testSMTPUser     = "mailer@example.com"
	testSMTPPassword = "smtp-password-must-not-leak"
	testRecipient    = "applicant@example.org"
	testSubject      = "ICP 备案审核结果通知：您的备案申请已通过初审"
)

// testBody has a line longer than 76 bytes (soft breaks), '=' (escaped in quoted-printable) and a
// line starting with '.' (dot-stuffed in DATA).
var testBody = strings.Join([]string{
	"您好：",
	"",
	"您的网站备案申请（订单号 BA-2025-0001）已通过腾讯云初审，已提交至管局审核。管局审核通常需要 1 至 20 个工作日，请保持手机畅通，留意工信部发送的核验短信。",
	".以点开头的一行",
	"费用=0 元",
}, "\n")

func testEmail() notify.Email {
	return notify.Email{ID: "outbox-7", To: testRecipient, Subject: testSubject, Text: testBody}
}

func testSMTPConfig(port int, mode TLSMode, roots *tls.Config) SMTPConfig {
	return SMTPConfig{
		Host:      "127.0.0.1",
		Port:      port,
		Username:  testSMTPUser,
		Password:  testSMTPPassword,
		From:      "noreply@beian.example.com",
		FromName:  "备案中心",
		TLS:       mode,
		TLSConfig: roots,
		Timeout:   10 * time.Second,
	}
}

func TestSMTPMailerDelivers(t *testing.T) {
	for _, mode := range []TLSMode{TLSNone, TLSStartTLS, TLSImplicit} {
		t.Run(string(mode), func(t *testing.T) {
			backend := &smtpBackend{username: testSMTPUser, password: testSMTPPassword}
			port, roots := startSMTP(t, backend, mode)
			mailer, err := NewSMTPMailer(testSMTPConfig(port, mode, &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}))
			if err != nil {
				t.Fatal(err)
			}
			if err := mailer.SendEmail(context.Background(), testEmail()); err != nil {
				t.Fatalf("SendEmail: %v", err)
			}
			got := backend.delivered()
			if len(got) != 1 {
				t.Fatalf("server accepted %d messages, want 1", len(got))
			}
			if got[0].from != "noreply@beian.example.com" || !slices.Equal(got[0].to, []string{testRecipient}) {
				t.Errorf("envelope from %q to %q", got[0].from, got[0].to)
			}
			assertMessage(t, got[0].data)
		})
	}
}

func assertMessage(t *testing.T, data []byte) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, data)
	}
	header, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	if i := bytes.IndexFunc(header, func(r rune) bool { return r > 127 }); i >= 0 {
		t.Errorf("header has raw non-ASCII at byte %d; it must be RFC 2047 encoded:\n%s", i, header)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subject != testSubject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, testSubject)
	}
	from, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil || from.Name != "备案中心" || from.Address != "noreply@beian.example.com" {
		t.Errorf("From %q parses to %v (%v)", msg.Header.Get("From"), from, err)
	}
	to, err := mail.ParseAddress(msg.Header.Get("To"))
	if err != nil || to.Address != testRecipient {
		t.Errorf("To %q parses to %v (%v)", msg.Header.Get("To"), to, err)
	}
	headers := map[string]string{
		"Message-ID":   "<beian-outbox-7@beian.example.com>",
		"Content-Type": "text/plain; charset=UTF-8",
		"Mime-Version": "1.0",
	}
	for name, want := range headers {
		if got := msg.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	body := decodeBody(t, msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
	if body = strings.ReplaceAll(body, "\r\n", "\n"); strings.TrimRight(body, "\n") != testBody {
		t.Errorf("body decodes to\n%q\nwant\n%q", body, testBody)
	}
}

func decodeBody(t *testing.T, encoding string, r io.Reader) string {
	t.Helper()
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r)
	default:
		t.Fatalf("Content-Transfer-Encoding %q, want quoted-printable or base64", encoding)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s body: %v", encoding, err)
	}
	return string(b)
}

func TestSMTPMailerFailures(t *testing.T) {
	tests := []struct {
		name          string
		rcptReply     *smtp.SMTPError
		password      string
		wantPermanent bool
	}{
		{name: "recipient rejected", rcptReply: &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "No such user " + testRecipient}, password: testSMTPPassword, wantPermanent: true},
		{name: "recipient deferred", rcptReply: &smtp.SMTPError{Code: 450, EnhancedCode: smtp.EnhancedCode{4, 2, 1},
			Message: "Mailbox busy"}, password: testSMTPPassword},
		{name: "wrong password", password: "another-password-must-not-leak", wantPermanent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			backend := &smtpBackend{username: testSMTPUser, password: testSMTPPassword, rcptReply: tt.rcptReply}
			port, _ := startSMTP(t, backend, TLSNone)
			cfg := testSMTPConfig(port, TLSNone, nil)
			cfg.Password = tt.password
			mailer, err := NewSMTPMailer(cfg)
			if err != nil {
				t.Fatal(err)
			}
			err = mailer.SendEmail(context.Background(), testEmail())
			if err == nil || errors.Is(err, ErrPermanent) != tt.wantPermanent {
				t.Fatalf("err = %v, want an error, permanent %v", err, tt.wantPermanent)
			}
			for _, secret := range []string{testSMTPPassword, tt.password, testRecipient} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q contains %q", err, secret)
				}
			}
			if n := len(backend.delivered()); n != 0 {
				t.Errorf("server accepted %d messages, want none", n)
			}
		})
	}
}

// TestSMTPMailerAbandoned talks to a server that accepts the connection and never greets: the
// caller's cancellation or the configured Timeout must end the attempt as a retryable error.
func TestSMTPMailerAbandoned(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		cancel  bool
		want    func(error) bool
	}{
		{"caller cancels", time.Minute, true, func(err error) bool { return errors.Is(err, context.Canceled) }},
		{"timeout", 50 * time.Millisecond, false, func(err error) bool {
			var netErr net.Error
			return errors.As(err, &netErr) && netErr.Timeout()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			port := silentServer(t, func() {
				if tt.cancel {
					cancel()
				}
			})
			cfg := testSMTPConfig(port, TLSNone, nil)
			cfg.Timeout = tt.timeout
			mailer, err := NewSMTPMailer(cfg)
			if err != nil {
				t.Fatal(err)
			}
			err = mailer.SendEmail(ctx, testEmail())
			if err == nil || !tt.want(err) || errors.Is(err, ErrPermanent) {
				t.Errorf("err = %v, want a retryable %s error", err, tt.name)
			}
		})
	}
}

// silentServer accepts connections, calls onAccept and then says nothing until the client leaves.
func silentServer(t *testing.T, onAccept func()) int {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			onAccept()
			io.Copy(io.Discard, conn)
			conn.Close()
		}
	}()
	t.Cleanup(func() {
		listener.Close()
		<-done
	})
	return listener.Addr().(*net.TCPAddr).Port
}

// TestSMTPMailerConcurrent sends through one SMTPMailer from several goroutines (run with -race).
func TestSMTPMailerConcurrent(t *testing.T) {
	backend := &smtpBackend{username: testSMTPUser, password: testSMTPPassword}
	port, roots := startSMTP(t, backend, TLSStartTLS)
	mailer, err := NewSMTPMailer(testSMTPConfig(port, TLSStartTLS, &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}))
	if err != nil {
		t.Fatal(err)
	}
	const senders = 8
	errs := make(chan error, senders)
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() { errs <- mailer.SendEmail(context.Background(), testEmail()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(backend.delivered()); n != senders {
		t.Errorf("server accepted %d messages, want %d", n, senders)
	}
}
