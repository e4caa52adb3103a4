package blob

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// eachStore runs fn in a parallel subtest for every store under test, each opened fresh: "local",
// "sealed-local", and with BEIAN_TEST_S3_URL set "s3" and "sealed-s3", each on a key prefix of its own.
func eachStore(t *testing.T, fn func(t *testing.T, store Store)) {
	t.Helper()
	eachBackend(t, fn)
	for _, b := range backends {
		t.Run("sealed-"+b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, seal(t, b.open(t)))
		})
	}
}

// eachBackend runs fn in a parallel subtest for every unsealed store under test: "local", and "s3"
// with BEIAN_TEST_S3_URL set.
func eachBackend(t *testing.T, fn func(t *testing.T, store Store)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b.open(t))
		})
	}
}

var backends = []struct {
	name string
	open func(t *testing.T) Store
}{
	{"local", newLocalStore},
	{"s3", newS3Store},
}

func newLocalStore(t *testing.T) Store {
	t.Helper()
	local, err := NewLocal(filepath.Join(t.TempDir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return local
}

func seal(t *testing.T, inner Store) *Sealed {
	t.Helper()
	s, err := NewSealed(inner, bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		key  string
		data []byte
	}{
		{"licence.jpg", []byte("\xff\xd8\xff jpeg bytes")},
		{"orders/0042/id-card_front.png", bytes.Repeat([]byte{0x89, 'P'}, 5000)},
		{"a/b/c/d/e/f/g/empty", nil},
	}
	eachStore(t, func(t *testing.T, store Store) {
		for _, tt := range tests {
			t.Run(tt.key, func(t *testing.T) {
				ctx := t.Context()
				if err := store.Put(ctx, tt.key, []byte("first version")); err != nil {
					t.Fatalf("Put: %v", err)
				}
				if err := store.Put(ctx, tt.key, tt.data); err != nil {
					t.Fatalf("Put over an existing object: %v", err)
				}
				got, err := store.Get(ctx, tt.key)
				if err != nil || !bytes.Equal(got, tt.data) {
					t.Fatalf("Get = %q, %v; want %q", got, err, tt.data)
				}
				if err := store.Delete(ctx, tt.key); err != nil {
					t.Fatalf("Delete: %v", err)
				}
				if _, err := store.Get(ctx, tt.key); !errors.Is(err, ErrNotFound) {
					t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
				}
				if err := store.Delete(ctx, tt.key); err != nil {
					t.Fatalf("Delete of a missing key: %v", err)
				}
			})
		}
	})
}

func TestLocalFilesAndModes(t *testing.T) {
	root := filepath.Join(t.TempDir(), "blobs")
	l, err := NewLocal(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Put(context.Background(), "orders/7/letter.pdf", []byte("%PDF-")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		mode os.FileMode
	}{
		{root, 0o700 | os.ModeDir},
		{filepath.Join(root, "orders", "7"), 0o700 | os.ModeDir},
		{filepath.Join(root, "orders", "7", "letter.pdf"), 0o600},
	}
	for _, tt := range tests {
		info, err := os.Stat(tt.path)
		if err != nil || info.Mode() != tt.mode {
			t.Errorf("%s: mode %v, %v; want %v", tt.path, info.Mode(), err, tt.mode)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(root, "orders", "7"))
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only the object (no temporary files)", len(entries))
	}
}

func TestBadKeys(t *testing.T) {
	tests := []string{
		"", "/etc/passwd", "../escape", "a/../b", "a..b", "Upper.jpg", "a b", "a\\b", "a//b", "a/", "./a",
		"a/./b", "名字.jpg", "a\x00b", "TMP-123.partial", strings.Repeat("a", MaxKeyLen+1),
	}
	eachStore(t, func(t *testing.T, store Store) {
		for _, key := range tests {
			t.Run(fmt.Sprintf("%q", key), func(t *testing.T) {
				ctx := t.Context()
				if err := store.Put(ctx, key, []byte("x")); !errors.Is(err, ErrBadKey) {
					t.Errorf("Put: %v, want ErrBadKey", err)
				}
				if _, err := store.Get(ctx, key); !errors.Is(err, ErrBadKey) {
					t.Errorf("Get: %v, want ErrBadKey", err)
				}
				if err := store.Delete(ctx, key); !errors.Is(err, ErrBadKey) {
					t.Errorf("Delete: %v, want ErrBadKey", err)
				}
			})
		}
	})
	if err := ValidateKey(strings.Repeat("a", MaxKeyLen)); err != nil {
		t.Errorf("key of MaxKeyLen: %v", err)
	}
}

func TestCancelledContext(t *testing.T) {
	eachStore(t, func(t *testing.T, store Store) {
		if err := store.Put(t.Context(), "k", []byte("x")); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := store.Put(ctx, "k", []byte("y")); !errors.Is(err, context.Canceled) {
			t.Errorf("Put with a cancelled context: %v", err)
		}
		if _, err := store.Get(ctx, "k"); !errors.Is(err, context.Canceled) {
			t.Errorf("Get with a cancelled context: %v", err)
		}
		if err := store.Delete(ctx, "k"); !errors.Is(err, context.Canceled) {
			t.Errorf("Delete with a cancelled context: %v", err)
		}
		if got, err := store.Get(t.Context(), "k"); err != nil || string(got) != "x" {
			t.Errorf("after the cancelled calls Get = %q, %v; want the first object", got, err)
		}
	})
}

func TestConcurrentPuts(t *testing.T) {
	eachStore(t, func(t *testing.T, store Store) {
		ctx := t.Context()
		const n = 40
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				key := fmt.Sprintf("shard/%02d/object-%d", i%4, i)
				if err := store.Put(ctx, key, []byte(key)); err != nil {
					t.Errorf("Put %s: %v", key, err)
				}
				if err := store.Put(ctx, "shared", bytes.Repeat([]byte{byte(i)}, 4096)); err != nil {
					t.Errorf("Put shared: %v", err)
				}
			})
		}
		wg.Wait()
		for i := range n {
			key := fmt.Sprintf("shard/%02d/object-%d", i%4, i)
			if got, err := store.Get(ctx, key); err != nil || string(got) != key {
				t.Errorf("Get %s = %q, %v", key, got, err)
			}
		}
		got, err := store.Get(ctx, "shared")
		if err != nil || len(got) != 4096 || !bytes.Equal(got, bytes.Repeat(got[:1], 4096)) {
			t.Errorf("the object written concurrently is not one whole write: %d bytes, %v", len(got), err)
		}
	})
}

func TestSealedRejectsTampering(t *testing.T) {
	eachBackend(t, func(t *testing.T, inner Store) {
		ctx := t.Context()
		s := seal(t, inner)
		plain := []byte("营业执照 scan bytes")
		if err := s.Put(ctx, "a/licence.jpg", plain); err != nil {
			t.Fatal(err)
		}
		raw, err := inner.Get(ctx, "a/licence.jpg")
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, plain) {
			t.Fatal("the stored bytes contain the plaintext")
		}
		tests := []struct {
			name    string
			stored  []byte
			wantErr error
		}{
			{"version byte", flip(raw, 0), ErrUnknownVersion},
			{"nonce", flip(raw, 5), ErrTampered},
			{"ciphertext", flip(raw, 1+12+3), ErrTampered},
			{"tag", flip(raw, len(raw)-1), ErrTampered},
			{"truncated", raw[:len(raw)-1], ErrTampered},
			{"too short to hold a tag", raw[:20], ErrTampered},
			{"empty", nil, ErrTampered},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := inner.Put(ctx, "a/licence.jpg", tt.stored); err != nil {
					t.Fatal(err)
				}
				if got, err := s.Get(ctx, "a/licence.jpg"); !errors.Is(err, tt.wantErr) || got != nil {
					t.Errorf("Get = %q, %v; want %v", got, err, tt.wantErr)
				}
			})
		}
	})
}

func TestSealedDetectsSwap(t *testing.T) {
	eachBackend(t, func(t *testing.T, inner Store) {
		ctx := t.Context()
		s := seal(t, inner)
		for _, key := range []string{"order-1/id.jpg", "order-2/id.jpg"} {
			if err := s.Put(ctx, key, []byte("photo of "+key)); err != nil {
				t.Fatal(err)
			}
		}
		one, _ := inner.Get(ctx, "order-1/id.jpg")
		two, _ := inner.Get(ctx, "order-2/id.jpg")
		if err := inner.Put(ctx, "order-1/id.jpg", two); err != nil {
			t.Fatal(err)
		}
		if err := inner.Put(ctx, "order-2/id.jpg", one); err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{"order-1/id.jpg", "order-2/id.jpg"} {
			if _, err := s.Get(ctx, key); !errors.Is(err, ErrTampered) {
				t.Errorf("Get %s after the swap: %v, want ErrTampered", key, err)
			}
		}
	})
}

func TestSealedKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, inner Store) {
		for _, n := range []int{0, 16, 24, 31, 33} {
			if _, err := NewSealed(inner, make([]byte, n)); err == nil {
				t.Errorf("NewSealed accepted a %d-byte key", n)
			}
		}
		ctx := t.Context()
		keyA, keyB := make([]byte, 32), make([]byte, 32)
		rand.Read(keyA)
		rand.Read(keyB)
		a, _ := NewSealed(inner, keyA)
		b, _ := NewSealed(inner, keyB)
		if err := a.Put(ctx, "k", []byte("secret")); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Get(ctx, "k"); !errors.Is(err, ErrTampered) {
			t.Errorf("Get under another master key: %v, want ErrTampered", err)
		}
		first, _ := inner.Get(ctx, "k")
		a.Put(ctx, "k", []byte("secret"))
		second, _ := inner.Get(ctx, "k")
		if bytes.Equal(first, second) {
			t.Error("sealing the same object twice gave the same bytes; nonces must be fresh")
		}
	})
}

func flip(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0x80
	return out
}

// TestSealedReusesBuffersSafely: Sealed over Local reuses the buffers it seals into; objects of
// growing and shrinking sizes, put one after another and concurrently, all open to their own bytes.
func TestSealedReusesBuffersSafely(t *testing.T) {
	s := seal(t, newLocalStore(t))
	ctx := t.Context()
	sizes := []int{100_000, 10, 300_000, 0, 50_000, 100_000}
	var wg sync.WaitGroup
	for round := range 4 {
		wg.Go(func() {
			for i, n := range sizes {
				key := fmt.Sprintf("r%d/o%d", round, i)
				if err := s.Put(ctx, key, bytes.Repeat([]byte{byte(round*16 + i)}, n)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for round := range 4 {
		for i, n := range sizes {
			got, err := s.Get(ctx, fmt.Sprintf("r%d/o%d", round, i))
			if err != nil || !bytes.Equal(got, bytes.Repeat([]byte{byte(round*16 + i)}, n)) {
				t.Errorf("round %d object %d: %d bytes, %v", round, i, len(got), err)
			}
		}
	}
}
