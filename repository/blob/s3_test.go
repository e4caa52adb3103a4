package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// testS3URLVar names the variable holding the s3:// URL of a running S3-compatible server, bucket
// included; scripts/s3-server.sh starts one and prints the value. Without it the S3 tests skip.
const testS3URLVar = "BEIAN_TEST_S3_URL"

// testS3Config returns the configuration in BEIAN_TEST_S3_URL, or skips the test when it is unset.
func testS3Config(t *testing.T) S3Config {
	t.Helper()
	raw := os.Getenv(testS3URLVar)
	if raw == "" {
		t.Skip(testS3URLVar + " is not set: the S3 store is tested only against a real S3-compatible server (scripts/s3-server.sh starts one and prints the value)")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" {
		t.Fatalf("%s is not an s3:// URL", testS3URLVar)
	}
	cfg, err := parseS3URL(u)
	if err != nil {
		t.Fatalf("%s: %v", testS3URLVar, err)
	}
	return cfg
}

// newS3Store opens the bucket of BEIAN_TEST_S3_URL under a key prefix unique to this test and run, and
// deletes what the test left there when it ends.
func newS3Store(t *testing.T) Store {
	t.Helper()
	cfg := testS3Config(t)
	cfg.Prefix += testPrefix(t)
	s, err := NewS3(t.Context(), cfg)
	if err != nil {
		t.Fatalf("NewS3(%s): %v", cfg, err)
	}
	t.Cleanup(func() { emptyS3(t, s) })
	return s
}

// testPrefix turns the test's name into a key prefix, with a random part so that runs do not collide.
func testPrefix(t *testing.T) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return '-'
	}, t.Name())
	return "test-" + randomHex(4) + "/" + name + "/"
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// emptyS3 deletes every object under the store's prefix.
func emptyS3(t *testing.T, s *S3) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pages := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{
		Bucket: aws.String(s.bucket),
		Prefix: aws.String(s.prefix),
	})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Errorf("list %s to clean up: %v", s.prefix, err)
			return
		}
		for _, obj := range page.Contents {
			if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: obj.Key}); err != nil {
				t.Errorf("clean up %s: %v", aws.ToString(obj.Key), err)
			}
		}
	}
}

func TestS3KeepsObjectsUnderPrefix(t *testing.T) {
	cfg := testS3Config(t)
	store := newS3Store(t).(*S3)
	if err := store.Put(t.Context(), "orders/1/id.jpg", []byte("bytes")); err != nil {
		t.Fatal(err)
	}
	out, err := store.client.GetObject(t.Context(), &s3.GetObjectInput{
		Bucket: aws.String(cfg.Bucket),
		Key:    aws.String(store.prefix + "orders/1/id.jpg"),
	})
	if err != nil {
		t.Fatalf("the object is not at prefix+key: %v", err)
	}
	out.Body.Close()
	if !strings.HasPrefix(store.prefix, cfg.Prefix+"test-") {
		t.Errorf("prefix %q does not extend the URL's prefix %q", store.prefix, cfg.Prefix)
	}
}

func TestOpenS3(t *testing.T) {
	cfg := testS3Config(t)
	base, _ := url.Parse(os.Getenv(testS3URLVar))
	withBucket := func(bucket string, create bool) string {
		u := *base
		u.Host, u.Path = bucket, ""
		q := u.Query()
		q.Set("create_bucket", map[bool]string{true: "true", false: "false"}[create])
		u.RawQuery = q.Encode()
		return u.String()
	}

	t.Run("create_bucket makes a missing bucket", func(t *testing.T) {
		bucket := "beian-test-" + randomHex(6)
		store, err := Open(t.Context(), withBucket(bucket, true))
		if err != nil {
			t.Fatal(err)
		}
		s := store.(*S3)
		t.Cleanup(func() {
			emptyS3(t, s)
			if _, err := s.client.DeleteBucket(context.Background(), &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
				t.Errorf("delete bucket %s: %v", bucket, err)
			}
		})
		if err := store.Put(t.Context(), "k", []byte("v")); err != nil {
			t.Fatal(err)
		}
		if _, err := Open(t.Context(), withBucket(bucket, true)); err != nil {
			t.Errorf("create_bucket on an existing bucket: %v", err)
		}
	})
	t.Run("missing bucket", func(t *testing.T) {
		_, err := Open(t.Context(), withBucket("beian-missing-"+randomHex(6), false))
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("Open = %v, want an error saying the bucket does not exist", err)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		const wrong = "not-the-secret-5f3a9c"
		u := *base
		u.User = url.UserPassword(cfg.AccessKeyID, wrong)
		_, err := Open(t.Context(), u.String())
		if err == nil {
			t.Fatal("Open with a wrong secret succeeded")
		}
		if strings.Contains(err.Error(), wrong) || strings.Contains(err.Error(), cfg.SecretAccessKey) {
			t.Errorf("the error shows a secret: %v", err)
		}
	})
}
