package sender

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/service/notify"
)

const (
	testSecretID  = "AKIDtest0123456789"
	testSecretKey = "tencent-secret-key-must-not-leak"
	testPhone     = "13800138000"
)

var testNow = time.Date(2025, 3, 1, 16, 30, 0, 0, time.UTC)

func testTencentConfig(endpoint string) TencentSMSConfig {
	return TencentSMSConfig{
		SecretID:  testSecretID,
		SecretKey: testSecretKey,
		SdkAppID:  "1400006666",
		SignName:  "备案中心",
		Templates: map[string]string{"login_code": "1110"},
		Endpoint:  endpoint,
	}
}

func testSMS() notify.SMSMessage {
	return notify.SMSMessage{ID: "outbox-42", Phone: testPhone, Template: "login_code", Params: []string{"4370", "5"}}
}

// received is what the fake Tencent endpoint saw of one request.
type received struct {
	header http.Header
	body   sendSmsRequest
}

// fakeTencent starts a server that verifies each request's signature, records it and answers with
// status and reply.
func fakeTencent(t *testing.T, status int, reply string) (*httptest.Server, func() []received) {
	t.Helper()
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read request: %v", err)
		}
		if err := verifyTC3(r, raw, testSecretID, testSecretKey, "sms"); err != nil {
			t.Errorf("signature: %v", err)
		}
		var body sendSmsRequest
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Errorf("request body %s: %v", raw, err)
		}
		mu.Lock()
		got = append(got, received{header: r.Header.Clone(), body: body})
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []received {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(got)
	}
}

func apiError(code string) string {
	return `{"Response":{"Error":{"Code":"` + code + `","Message":"refused for +8613800138000"},"RequestId":"req-1"}}`
}

func sendStatus(code string) string {
	return `{"Response":{"SendStatusSet":[{"SerialNo":"2645:1","PhoneNumber":"+8613800138000","Fee":1,` +
		`"SessionContext":"outbox-42","Code":"` + code + `","Message":"status for +8613800138000","IsoCode":"CN"}],` +
		`"RequestId":"req-2"}}`
}

func TestTencentSMSSend(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		reply         string
		wantErr       bool
		wantPermanent bool
		wantCode      string
	}{
		{name: "accepted", status: 200, reply: sendStatus("Ok")},
		{name: "api error, rate limited", status: 200, reply: apiError("LimitExceeded.PhoneNumberDailyLimit"),
			wantErr: true, wantCode: "LimitExceeded.PhoneNumberDailyLimit"},
		{name: "api error, internal", status: 200, reply: apiError("InternalError.Timeout"),
			wantErr: true, wantCode: "InternalError.Timeout"},
		{name: "api error, template not approved", status: 200,
			reply: apiError("FailedOperation.TemplateIncorrectOrUnapproved"), wantErr: true, wantPermanent: true,
			wantCode: "FailedOperation.TemplateIncorrectOrUnapproved"},
		{name: "api error, signature refused", status: 200, reply: apiError("AuthFailure.SignatureFailure"),
			wantErr: true, wantPermanent: true, wantCode: "AuthFailure.SignatureFailure"},
		{name: "api error, unauthorized", status: 200, reply: apiError("UnauthorizedOperation.SmsSdkAppIdVerifyFail"),
			wantErr: true, wantPermanent: true, wantCode: "UnauthorizedOperation.SmsSdkAppIdVerifyFail"},
		{name: "send status, invalid number", status: 200, reply: sendStatus("InvalidParameterValue.IncorrectPhoneNumber"),
			wantErr: true, wantPermanent: true, wantCode: "InvalidParameterValue.IncorrectPhoneNumber"},
		{name: "send status, frequency limit", status: 200, reply: sendStatus("LimitExceeded.DeliveryFrequencyLimit"),
			wantErr: true, wantCode: "LimitExceeded.DeliveryFrequencyLimit"},
		{name: "empty send status", status: 200, reply: `{"Response":{"SendStatusSet":[],"RequestId":"r"}}`,
			wantErr: true},
		{name: "http 500", status: 500, reply: "upstream failed", wantErr: true},
		{name: "http 502 with html", status: 502, reply: "<html>bad gateway</html>", wantErr: true},
		{name: "http 400 without api error", status: 400, reply: "bad request", wantErr: true, wantPermanent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, requests := fakeTencent(t, tt.status, tt.reply)
			sms, err := NewTencentSMS(testTencentConfig(srv.URL), srv.Client(), func() time.Time { return testNow })
			if err != nil {
				t.Fatal(err)
			}
			err = sms.SendSMS(context.Background(), testSMS())
			if (err != nil) != tt.wantErr || errors.Is(err, ErrPermanent) != tt.wantPermanent {
				t.Fatalf("err = %v, want error %v, permanent %v", err, tt.wantErr, tt.wantPermanent)
			}
			var tencentErr *TencentError
			if errors.As(err, &tencentErr) != (tt.wantCode != "") || tt.wantCode != "" && tencentErr.Code != tt.wantCode {
				t.Errorf("err = %v, want Tencent code %q", err, tt.wantCode)
			}
			assertNoLeak(t, err)
			got := requests()
			if len(got) != 1 {
				t.Fatalf("server saw %d requests, want 1", len(got))
			}
			assertSendSmsRequest(t, got[0])
		})
	}
}

func assertSendSmsRequest(t *testing.T, r received) {
	t.Helper()
	headers := map[string]string{
		"Content-Type":   "application/json; charset=utf-8",
		"X-TC-Action":    "SendSms",
		"X-TC-Version":   "2021-01-11",
		"X-TC-Region":    "ap-guangzhou",
		"X-TC-Timestamp": "1740846600",
	}
	for name, want := range headers {
		if got := r.header.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	want := sendSmsRequest{
		PhoneNumberSet:   []string{"+8613800138000"},
		SmsSdkAppID:      "1400006666",
		TemplateID:       "1110",
		SignName:         "备案中心",
		TemplateParamSet: []string{"4370", "5"},
		SessionContext:   "outbox-42",
	}
	if !slices.Equal(r.body.PhoneNumberSet, want.PhoneNumberSet) ||
		!slices.Equal(r.body.TemplateParamSet, want.TemplateParamSet) ||
		r.body.SmsSdkAppID != want.SmsSdkAppID || r.body.TemplateID != want.TemplateID ||
		r.body.SignName != want.SignName || r.body.SessionContext != want.SessionContext || r.body.SenderID != "" {
		t.Errorf("request body %+v, want %+v", r.body, want)
	}
}

// assertNoLeak fails when an error string carries the secret key or the recipient's number.
func assertNoLeak(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, secret := range []string{testSecretKey, testPhone} {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q contains %q", err, secret)
		}
	}
}

func TestTencentSMSRejectsBeforeSending(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*notify.SMSMessage)
	}{
		{"unknown template key", func(m *notify.SMSMessage) { m.Template = "welcome" }},
		{"landline number", func(m *notify.SMSMessage) { m.Phone = "02012345678" }},
		{"number with letters", func(m *notify.SMSMessage) { m.Phone = "+86138abc" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, requests := fakeTencent(t, 200, sendStatus("Ok"))
			sms, err := NewTencentSMS(testTencentConfig(srv.URL), srv.Client(), func() time.Time { return testNow })
			if err != nil {
				t.Fatal(err)
			}
			m := testSMS()
			tt.modify(&m)
			err = sms.SendSMS(context.Background(), m)
			if !errors.Is(err, ErrPermanent) {
				t.Errorf("err = %v, want ErrPermanent", err)
			}
			assertNoLeak(t, err)
			if n := len(requests()); n != 0 {
				t.Errorf("server saw %d requests, want none", n)
			}
		})
	}
}

// TestTencentSMSAbandonedRequest covers a caller that gives up and a client timeout. The server
// holds each request until the client goes away (or the test ends), so no assertion depends on how
// long anything takes.
func TestTencentSMSAbandonedRequest(t *testing.T) {
	tests := []struct {
		name          string
		clientTimeout time.Duration
		cancel        bool
		want          func(error) bool
	}{
		{"caller cancels", 0, true, func(err error) bool { return errors.Is(err, context.Canceled) }},
		{"client timeout", 20 * time.Millisecond, false, func(err error) bool {
			var netErr net.Error
			return errors.As(err, &netErr) && netErr.Timeout()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			release := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body) // the server notices a gone client only once the body is read
				if tt.cancel {
					cancel()
				}
				select {
				case <-r.Context().Done():
				case <-release:
				}
			}))
			defer srv.Close()
			defer close(release)
			client := srv.Client()
			client.Timeout = tt.clientTimeout
			sms, err := NewTencentSMS(testTencentConfig(srv.URL), client, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = sms.SendSMS(ctx, testSMS())
			if err == nil || !tt.want(err) || errors.Is(err, ErrPermanent) {
				t.Errorf("err = %v, want a retryable %s error", err, tt.name)
			}
			assertNoLeak(t, err)
		})
	}
}

// TestTencentSMSConcurrent sends through one TencentSMS from several goroutines (run with -race).
func TestTencentSMSConcurrent(t *testing.T) {
	srv, requests := fakeTencent(t, 200, sendStatus("Ok"))
	sms, err := NewTencentSMS(testTencentConfig(srv.URL), srv.Client(), nil)
	if err != nil {
		t.Fatal(err)
	}
	const senders = 8
	errs := make(chan error, senders)
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() { errs <- sms.SendSMS(context.Background(), testSMS()) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(requests()); n != senders {
		t.Errorf("server saw %d requests, want %d", n, senders)
	}
}
