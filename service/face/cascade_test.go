package face

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadCascade(t *testing.T) {
	data := DefaultCascade()
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pupilLike := append(append([]byte{}, data[:8]...), 0, 0, 0, 0, 0, 0, 0, 0) // depth 0, no trees
	tests := []struct {
		name    string
		path    string
		wantErr error
	}{
		{"built in", "", nil},
		{"a copy of facefinder", write("facefinder", data), nil},
		{"truncated copy", write("truncated", data[:len(data)/2]), ErrBadCascade},
		{"one byte short", write("short", data[:len(data)-1]), ErrBadCascade},
		{"header only", write("header", data[:16]), ErrBadCascade},
		{"shorter than the header", write("tiny", data[:10]), ErrBadCascade},
		{"a trailing byte", write("long", append(append([]byte{}, data...), 0)), ErrBadCascade},
		{"a header without trees", write("empty", pupilLike), ErrBadCascade},
		{"missing file", filepath.Join(dir, "absent"), os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadCascade(tt.path)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && !bytes.Equal(got, data) {
				t.Fatalf("read %d bytes, want the %d of facefinder", len(got), len(data))
			}
		})
	}
}

func TestDefaultCascadeIsACopy(t *testing.T) {
	a := DefaultCascade()
	a[20] ^= 0xFF
	if bytes.Equal(a, DefaultCascade()) {
		t.Fatal("changing the returned cascade changed the built-in one")
	}
	if err := validateCascade(DefaultCascade()); err != nil {
		t.Fatal(err)
	}
}
