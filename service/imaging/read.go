package imaging

import (
	"errors"
	"fmt"
	"io"
)

// Format is a file type recognised from its leading bytes.
type Format int

// Formats Sniff recognises.
const (
	Unknown Format = iota
	JPEG
	PNG
	PDF
)

// pngSignature starts every PNG file.
const pngSignature = "\x89PNG\r\n\x1a\n"

// Sniff names the format of data from its signature; file names and client content types are
// never consulted.
func Sniff(data []byte) Format {
	switch {
	case hasPrefix(data, "\xff\xd8\xff"):
		return JPEG
	case hasPrefix(data, pngSignature):
		return PNG
	case hasPrefix(data, "%PDF-"):
		return PDF
	}
	return Unknown
}

func hasPrefix(data []byte, prefix string) bool {
	return len(data) >= len(prefix) && string(data[:len(prefix)]) == prefix
}

// ErrFileTooLarge means an upload is longer than the limit ReadLimited was given.
var ErrFileTooLarge = errors.New("imaging: file too large")

// SizeHinter is a reader that knows roughly how many bytes it holds, such as an upload whose
// request declared its length.
type SizeHinter interface {
	SizeHint() int64
}

// ReadLimited reads r to its end and returns the bytes, or ErrFileTooLarge once more than limit
// bytes have arrived. It never asks r for more than limit+1 bytes and never holds a buffer larger
// than that. A reader that is a SizeHinter gets a first buffer of its hinted size (within the
// limit), so a typical upload is read without growing and copying the buffer.
func ReadLimited(r io.Reader, limit int64) ([]byte, error) {
	return ReadLimitedInto(nil, r, limit)
}

// ReadLimitedInto is ReadLimited reading into buf's storage (from buf[:0]) when it is large
// enough for the hinted size, or for at least 64 KiB when there is no hint, so that a caller can
// reuse one buffer across reads. The bytes returned may share buf's storage.
func ReadLimitedInto(buf []byte, r io.Reader, limit int64) ([]byte, error) {
	ceiling := limit + 1
	first := int64(64 * 1024)
	if h, ok := r.(SizeHinter); ok && h.SizeHint() > first {
		first = h.SizeHint() + 1 // one more byte, so the read that meets EOF needs no growth
	}
	if first = min(ceiling, first); int64(cap(buf)) < first {
		buf = make([]byte, 0, first)
	}
	buf = buf[:0:min(int64(cap(buf)), ceiling)]
	for {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(ceiling, 2*int64(cap(buf))))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, fmt.Errorf("%w: more than %d bytes", ErrFileTooLarge, limit)
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read upload: %w", err)
		}
	}
}
