package imaging

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

type hinted struct {
	io.Reader
	hint int64
}

func (h hinted) SizeHint() int64 { return h.hint }

// TestReadLimitedWithSizeHints: a hint sizes the first buffer only; whatever it says, the bytes
// come back whole and the limit holds.
func TestReadLimitedWithSizeHints(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 30_000) // 300 kB
	for _, hint := range []int64{-1, 0, 10, 299_999, 300_000, 300_500, 1 << 40} {
		got, err := ReadLimited(hinted{bytes.NewReader(data), hint}, 400_000)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("hint %d: %d bytes, %v", hint, len(got), err)
		}
		if hint >= 300_000 && hint < 400_000 && cap(got) != int(hint)+1 {
			t.Errorf("hint %d: buffer grew to %d", hint, cap(got))
		}
		if _, err := ReadLimited(hinted{bytes.NewReader(data), hint}, 299_999); !errors.Is(err, ErrFileTooLarge) {
			t.Errorf("hint %d over the limit: %v", hint, err)
		}
	}
}

// TestReadLimitedIntoReusesTheBuffer: a buffer large enough is read into in place; a small one is
// replaced; a larger one is never read past the limit.
func TestReadLimitedIntoReusesTheBuffer(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 30_000) // 300 kB
	tests := []struct {
		name    string
		cap     int
		limit   int64
		inPlace bool
		err     error
	}{
		{"large enough", 400_000, 400_000, true, nil},
		{"too small", 1000, 400_000, false, nil},
		{"larger than the limit", 1 << 20, 299_999, true, ErrFileTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]byte, 7, tt.cap)
			got, err := ReadLimitedInto(buf, hinted{bytes.NewReader(data), 300_000}, tt.limit)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if !bytes.Equal(got, data) || (&got[0] == &buf[:1][0]) != tt.inPlace {
				t.Errorf("%d bytes, in place %v", len(got), &got[0] == &buf[:1][0])
			}
		})
	}
}
