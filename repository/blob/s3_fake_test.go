package blob

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The tests in this file run S3 against an in-process fake that answers with canned responses. They
// check only how the store builds requests and translates answers; behaviour against a real server is
// tested through BEIAN_TEST_S3_URL.

const (
	fakeKeyID  = "AKIDFAKE"
	fakeSecret = "fake-secret-7d1e0b"
)

// fakeS3 answers HEAD on the bucket with 200 and every other request with status and body. It records
// the last such request.
type fakeS3 struct {
	status int
	body   string

	mu       sync.Mutex
	method   string
	path     string
	header   http.Header
	received []byte
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead && r.URL.Path == "/bucket" {
		return
	}
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.method, f.path, f.header, f.received = r.Method, r.URL.Path, r.Header.Clone(), body
	f.mu.Unlock()
	if f.body != "" {
		w.Header().Set("Content-Type", "application/xml")
	}
	w.WriteHeader(f.status)
	io.WriteString(w, f.body)
}

// newFakeS3Store returns an S3 store on handler, path style, prefix "pre/fix/", with retries off.
func newFakeS3Store(t *testing.T, handler http.Handler) *S3 {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	s, err := newS3(t.Context(), S3Config{
		Bucket: "bucket", Prefix: "pre/fix/", Endpoint: srv.URL, PathStyle: true,
		AccessKeyID: fakeKeyID, SecretAccessKey: fakeSecret,
	}, func(o *s3.Options) { o.Retryer = aws.NopRetryer{} })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func errorXML(code string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>` + code + `</Code><Message>m</Message></Error>`
}

func TestS3ErrorTranslation(t *testing.T) {
	tests := []struct {
		name     string
		op       string
		status   int
		body     string
		wantErr  error  // nil with wantText empty: success
		wantText string // a non-nil error that is not ErrNotFound, containing this
	}{
		{"get of a missing key", "get", 404, errorXML("NoSuchKey"), ErrNotFound, ""},
		{"get from a missing bucket", "get", 404, errorXML("NoSuchBucket"), nil, "NoSuchBucket"},
		{"get without a code", "get", 404, "", nil, "404"},
		{"get denied", "get", 403, errorXML("AccessDenied"), nil, "AccessDenied"},
		{"get", "get", 200, "", nil, ""},
		{"delete of a missing key", "delete", 404, errorXML("NoSuchKey"), nil, ""},
		{"delete", "delete", 204, "", nil, ""},
		{"delete denied", "delete", 403, errorXML("AccessDenied"), nil, "AccessDenied"},
		{"put throttled", "put", 503, errorXML("SlowDown"), nil, "SlowDown"},
		{"put", "put", 200, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFakeS3Store(t, &fakeS3{status: tt.status, body: tt.body})
			var err error
			switch tt.op {
			case "get":
				_, err = s.Get(t.Context(), "k")
			case "delete":
				err = s.Delete(t.Context(), "k")
			case "put":
				err = s.Put(t.Context(), "k", []byte("x"))
			}
			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("error %v, want %v", err, tt.wantErr)
				}
			case tt.wantText != "":
				if err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), tt.wantText) {
					t.Errorf("error %v, want one mentioning %s and not ErrNotFound", err, tt.wantText)
				}
				if err != nil && strings.Contains(err.Error(), fakeSecret) {
					t.Errorf("the error shows the secret: %v", err)
				}
			default:
				if err != nil {
					t.Errorf("error %v, want none", err)
				}
			}
		})
	}
}

func TestS3RequestShape(t *testing.T) {
	fake := &fakeS3{status: 200}
	s := newFakeS3Store(t, fake)
	data := []byte("\x01sealed bytes")
	if err := s.Put(t.Context(), "orders/7/id.jpg", data); err != nil {
		t.Fatal(err)
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if fake.method != http.MethodPut || fake.path != "/bucket/pre/fix/orders/7/id.jpg" {
		t.Errorf("request %s %s, want PUT /bucket/pre/fix/orders/7/id.jpg (path style, prefixed)", fake.method, fake.path)
	}
	if string(fake.received) != string(data) {
		t.Errorf("body %q, want the object's bytes as they are (no aws-chunked framing)", fake.received)
	}
	if auth := fake.header.Get("Authorization"); !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+fakeKeyID+"/") {
		t.Errorf("Authorization %q is not a SigV4 signature with the static key id", auth)
	}
	if enc := fake.header.Get("Content-Encoding"); enc != "" {
		t.Errorf("Content-Encoding %q, want none", enc)
	}
}

// TestS3ContextEndsRequest checks that a request the server never answers returns as soon as its
// context ends, with the context's error.
func TestS3ContextEndsRequest(t *testing.T) {
	release := make(chan struct{})
	s := newFakeS3Store(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			return
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release) })
	tests := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		want error
	}{
		{"deadline", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(t.Context(), 100*time.Millisecond)
		}, context.DeadlineExceeded},
		{"cancel", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(t.Context())
			time.AfterFunc(100*time.Millisecond, cancel)
			return ctx, cancel
		}, context.Canceled},
	}
	for _, tt := range tests {
		ops := map[string]func(ctx context.Context) error{
			"put":    func(ctx context.Context) error { return s.Put(ctx, "k", []byte("x")) },
			"get":    func(ctx context.Context) error { _, err := s.Get(ctx, "k"); return err },
			"delete": func(ctx context.Context) error { return s.Delete(ctx, "k") },
		}
		for name, op := range ops {
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				ctx, cancel := tt.ctx()
				defer cancel()
				start := time.Now()
				err := op(ctx)
				if !errors.Is(err, tt.want) {
					t.Errorf("error %v, want %v", err, tt.want)
				}
				if d := time.Since(start); d > 2*time.Second {
					t.Errorf("returned after %v, want soon after the context ended", d)
				}
			})
		}
	}
}
