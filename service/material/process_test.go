package material

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// endless yields the same byte forever.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

// pdfOfSize builds a PDF-looking file of exactly n bytes.
func pdfOfSize(n int) []byte {
	head, tail := "%PDF-1.7\n", "\n%%EOF\n"
	return []byte(head + strings.Repeat(" ", n-len(head)-len(tail)) + tail)
}

func TestProcessSizeLimit(t *testing.T) {
	small := imagingtest.EncodePNG(t, imagingtest.PhotoImage(40, 30))
	tests := []struct {
		name    string
		src     io.Reader
		opts    Options
		wantErr error
	}{
		{"default limit plus one byte", bytes.NewReader(pdfOfSize(DefaultMaxBytes + 1)), Options{}, ErrTooLarge},
		{"endless stream", io.MultiReader(strings.NewReader("%PDF-1.7\n"), endless(' ')), Options{}, ErrTooLarge},
		{"exactly the default limit", bytes.NewReader(pdfOfSize(DefaultMaxBytes)), Options{}, nil},
		{"image one byte over a small limit", bytes.NewReader(small), Options{MaxBytes: int64(len(small)) - 1}, ErrTooLarge},
		{"image exactly at a small limit", bytes.NewReader(small), Options{MaxBytes: int64(len(small))}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := &countingReader{r: tt.src}
			_, err := Process(context.Background(), cr, tt.opts)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Process error = %v, want %v", err, tt.wantErr)
			}
			limit := tt.opts.withDefaults().MaxBytes
			if cr.n > limit+1 {
				t.Errorf("read %d bytes, want at most %d", cr.n, limit+1)
			}
		})
	}
}

func TestProcessTypes(t *testing.T) {
	jpg := imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(64, 48), 85)
	pngData := imagingtest.EncodePNG(t, imagingtest.PhotoImage(64, 48))
	pdf := pdfOfSize(2000)
	tests := []struct {
		name      string
		data      []byte
		wantType  string
		wantW     int
		wantH     int
		wantErr   error
		unchanged bool
	}{
		{"jpeg", jpg, MediaJPEG, 64, 48, nil, true},
		{"png", pngData, MediaPNG, 64, 48, nil, true},
		{"pdf passes through", pdf, MediaPDF, 0, 0, nil, true},
		{"text", []byte("name,id\nzhang san,110101199003074215\n"), "", 0, 0, ErrUnsupportedType, false},
		{"empty", nil, "", 0, 0, ErrUnsupportedType, false},
		{"gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "", 0, 0, ErrUnsupportedType, false},
		{"pdf signature later in the file", append([]byte("junk "), pdf...), "", 0, 0, ErrUnsupportedType, false},
		{"truncated jpeg", jpg[:len(jpg)/2], "", 0, 0, ErrCorrupt, false},
		{"jpeg without EOI", jpg[:len(jpg)-2], "", 0, 0, ErrCorrupt, false},
		{"jpeg header only", jpg[:20], "", 0, 0, ErrCorrupt, false},
		{"truncated png", pngData[:len(pngData)-20], "", 0, 0, ErrCorrupt, false},
		{"png with a broken crc", flipByte(pngData, 8+12+13+12), "", 0, 0, ErrCorrupt, false},
		{"png header declaring 50000×50000", imagingtest.HeaderOnlyPNG(50000, 50000), "", 0, 0, ErrImageDimensions, false},
		{"png side over the limit", imagingtest.HeaderOnlyPNG(10001, 10), "", 0, 0, ErrImageDimensions, false},
		{"png pixels over the limit", imagingtest.HeaderOnlyPNG(8000, 5001), "", 0, 0, ErrImageDimensions, false},
		{"png zero width", imagingtest.HeaderOnlyPNG(0, 10), "", 0, 0, ErrCorrupt, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Process(context.Background(), bytes.NewReader(tt.data), Options{})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Process error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if p.MediaType != tt.wantType || p.Width != tt.wantW || p.Height != tt.wantH {
				t.Errorf("got %s %d×%d, want %s %d×%d", p.MediaType, p.Width, p.Height, tt.wantType, tt.wantW, tt.wantH)
			}
			if tt.unchanged && (!bytes.Equal(p.Data, tt.data) || p.MetadataRemoved || p.Reencoded) {
				t.Errorf("data changed (removed=%v, reencoded=%v), want it stored as uploaded", p.MetadataRemoved, p.Reencoded)
			}
			sum := sha256.Sum256(p.Data)
			if p.SHA256 != hex.EncodeToString(sum[:]) || p.Size != int64(len(p.Data)) {
				t.Errorf("SHA256 %s size %d do not describe Data", p.SHA256, p.Size)
			}
		})
	}
}

func TestProcessColour(t *testing.T) {
	doc := documentImage(white, true)
	plain := documentImage(white, false)
	tests := []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"sealed document as png", imagingtest.EncodePNG(t, doc), nil},
		{"sealed document as jpeg", imagingtest.EncodeJPEG(t, doc, 85), nil},
		{"photo as jpeg", imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(300, 200), 85), nil},
		{"grayscale jpeg", imagingtest.EncodeJPEG(t, toGray(doc), 85), ErrNotColour},
		{"gray document in an rgb png", imagingtest.EncodePNG(t, toGrayRGBA(doc)), ErrNotColour},
		{"gray document in a colour jpeg", imagingtest.EncodeJPEG(t, toGrayRGBA(doc), 75), ErrNotColour},
		{"black and white copy on tinted paper", imagingtest.EncodeJPEG(t, documentImage(paperTan, false), 85), ErrNotColour},
		{"unsealed white document", imagingtest.EncodePNG(t, plain), ErrNotColour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Process(context.Background(), bytes.NewReader(tt.data), Options{RequireColour: true})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Process error = %v, want %v", err, tt.wantErr)
			}
			if _, err := Process(context.Background(), bytes.NewReader(tt.data), Options{}); err != nil {
				t.Fatalf("without RequireColour: %v", err)
			}
		})
	}
}

func flipByte(data []byte, i int) []byte {
	out := bytes.Clone(data)
	out[i] ^= 0x01
	return out
}
