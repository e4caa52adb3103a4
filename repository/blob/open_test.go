package blob

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenRejects(t *testing.T) {
	const secret = "s3cr3t-value"
	tests := []struct {
		url  string
		want string
	}{
		{"", "empty"},
		{"gs://bucket", `unknown store URL scheme "gs"`},
		{"file:relative/dir", "must be file:///abs/dir"},
		{"s3:bucket", "must be file:///abs/dir"},
		{"file://host/dir", `names host "host"`},
		{"file:///", "names no directory"},
		{"file:///tmp/x?mode=1", "no user, query or fragment"},
		{"s3://AK:" + secret + "@?region=x", "names no bucket"},
		{"s3://AK:" + secret + "@Bad_Bucket", "naming rules"},
		{"s3://AK:" + secret + "@ab", "3 to 63"},
		{"s3://AK:" + secret + "@-bucket", "naming rules"},
		{"s3://AK:" + secret + "@bucket?endpoint=ftp://host", "not an http(s)://host[:port] URL"},
		{"s3://AK:" + secret + "@bucket?endpoint=http://", "not an http(s)://host[:port] URL"},
		{"s3://AK:" + secret + "@bucket?endpoint=127.0.0.1:8333", "http(s)://host[:port]"},
		{"s3://AK:" + secret + "@bucket?endpoint=http://host/path", "without path or query"},
		{"s3://AK:" + secret + "@bucket?endpoint=http://u:p@host", "must not carry credentials"},
		{"s3://AK:" + secret + "@bucket?pathstyle=true", `unknown parameter "pathstyle"`},
		{"s3://AK:" + secret + "@bucket?path_style=yes", "not true or false"},
		{"s3://AK:" + secret + "@bucket?region=a&region=b", "sets region 2 times"},
		{"s3://AK:" + secret + "@bucket#frag", "no fragment"},
		{"s3://AK:" + secret + "@bucket/Upper/", "prefix"},
		{"s3://bucket", "access key id and a secret"},
		{"s3://AK@bucket", "access key id and a secret"},
		{"s3://AK:" + secret + "/x@bucket", "does not parse"},
		{"s3://AK:" + secret + "%zz@bucket", "does not parse"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			store, err := Open(t.Context(), tt.url)
			if err == nil || store != nil {
				t.Fatalf("Open = %v, %v; want an error", store, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to mention %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error shows the secret: %q", err)
			}
		})
	}
}

func TestOpenLocal(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		url  string
		root string
	}{
		{"file://" + filepath.Join(dir, "a"), filepath.Join(dir, "a")},
		{"file://localhost" + filepath.Join(dir, "b"), filepath.Join(dir, "b")},
		{filepath.Join(dir, "c"), filepath.Join(dir, "c")},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			store, err := Open(t.Context(), tt.url)
			if err != nil {
				t.Fatal(err)
			}
			local, ok := store.(*Local)
			if !ok || local.root != tt.root {
				t.Errorf("Open = %#v, want a Local at %s", store, tt.root)
			}
		})
	}
}

func TestParseS3URL(t *testing.T) {
	tests := []struct {
		url  string
		want S3Config
	}{
		{"s3://AK:secret-1@bucket", S3Config{Bucket: "bucket", AccessKeyID: "AK", SecretAccessKey: "secret-1"}},
		{
			"s3://AK:s%2Fk%2B%40@files-1250000000/beian/prod?endpoint=https://cos.ap-guangzhou.myqcloud.com&region=ap-guangzhou",
			S3Config{
				Bucket: "files-1250000000", Prefix: "beian/prod/", Endpoint: "https://cos.ap-guangzhou.myqcloud.com",
				Region: "ap-guangzhou", AccessKeyID: "AK", SecretAccessKey: "s/k+@",
			},
		},
		{
			"s3://AK:secret-3@beian-test/?endpoint=http://127.0.0.1:7070&path_style=true&create_bucket=1",
			S3Config{
				Bucket: "beian-test", Endpoint: "http://127.0.0.1:7070", PathStyle: true, CreateBucket: true,
				AccessKeyID: "AK", SecretAccessKey: "secret-3",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			u, err := url.Parse(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseS3URL(u)
			if err != nil || got != tt.want {
				t.Errorf("parseS3URL = %+v, %v; want %+v", got, err, tt.want)
			}
			var logged bytes.Buffer
			slog.New(slog.NewJSONHandler(&logged, nil)).Info("blob", "config", got)
			for _, shown := range []string{fmt.Sprint(got), fmt.Sprintf("%+v", got), logged.String()} {
				if strings.Contains(shown, got.SecretAccessKey) {
					t.Errorf("%s shows the secret", shown)
				}
			}
		})
	}
}

func TestOpenS3CreatesBucket(t *testing.T) {
	fake := &fakeS3{status: http.StatusOK}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	store, err := Open(t.Context(), "s3://AK:SK@bucket?path_style=true&create_bucket=true&endpoint="+srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := store.(*S3); !ok {
		t.Errorf("Open = %T, want *S3", store)
	}
	fake.mu.Lock()
	defer fake.mu.Unlock()
	if fake.method != http.MethodPut || fake.path != "/bucket" {
		t.Errorf("last request %s %s, want PUT /bucket (CreateBucket)", fake.method, fake.path)
	}
}
