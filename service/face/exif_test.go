package face

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// tinyJPEG is a valid 8×8 JPEG without metadata.
func tinyJPEG(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestJPEGOrientation(t *testing.T) {
	plain := tinyJPEG(t)
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"no Exif", plain, 1},
		{"orientation 3", withOrientation(plain, 3), 3},
		{"orientation 6", withOrientation(plain, 6), 6},
		{"orientation 8", withOrientation(plain, 8), 8},
		{"out of range 9", withOrientation(plain, 9), 1},
		{"zero", withOrientation(plain, 0), 1},
		{"little-endian TIFF", littleEndianExif(plain, 5), 5},
		{"Exif after other APP segments", append(append([]byte{0xFF, 0xD8}, app0()...), withOrientation(plain, 7)[2:]...), 7},
		{"segment length past the end", withOrientation(plain, 6)[:20], 1},
		{"PNG bytes", []byte("\x89PNG\r\n\x1a\n"), 1},
		{"empty", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegOrientation(tt.data); got != tt.want {
				t.Fatalf("orientation %d, want %d", got, tt.want)
			}
		})
	}
}

// littleEndianExif inserts an "II" Exif segment with the orientation, as many phones write it.
func littleEndianExif(jpg []byte, o byte) []byte {
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, o, 0, 0, 0, 0, 0, 0, 0}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	n := len(payload) + 2
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte(n >> 8), byte(n)}
	return append(append(out, payload...), jpg[2:]...)
}

// app0 is a JFIF APP0 segment.
func app0() []byte {
	return []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
}

func TestOrient(t *testing.T) {
	// A 3×2 image with distinct pixels; displayed under orientation 6 (turned clockwise) the
	// stored bottom-left pixel becomes the top-left one.
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		src.Set(i%3, i/3, color.RGBA{uint8(i + 1), 0, 0, 255})
	}
	turned := orient(src, 6)
	if turned.Rect.Dx() != 2 || turned.Rect.Dy() != 3 {
		t.Fatalf("orientation 6 gave %v, want 2×3", turned.Rect)
	}
	if got := turned.RGBAAt(0, 0).R; got != 4 {
		t.Errorf("orientation 6 top-left = %d, want 4 (stored bottom-left)", got)
	}
	if got := turned.RGBAAt(1, 0).R; got != 1 {
		t.Errorf("orientation 6 top-right = %d, want 1 (stored top-left)", got)
	}
	for o := 1; o <= 8; o++ {
		stored := orient(src, inverseOrientation(o))
		if back := orient(stored, o); !bytes.Equal(back.Pix, src.Pix) || back.Rect != src.Rect {
			t.Errorf("orientation %d does not undo its inverse", o)
		}
	}
}

func FuzzJPEGOrientation(f *testing.F) {
	plain := tinyJPEG(f)
	f.Add(plain)
	f.Add(withOrientation(plain, 6))
	f.Add(littleEndianExif(plain, 8))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0xFF, 0xFF, 0xFF, 0xF0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d outside 1–8", o)
		}
	})
}

// withOrientation inserts a minimal APP1 Exif segment right after the SOI marker of a JPEG: a
// big-endian TIFF header and IFD0 holding only the Orientation tag.
func withOrientation(jpg []byte, orientation uint16) []byte {
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1}
	entry := make([]byte, 12)
	binary.BigEndian.PutUint16(entry[0:], tagOrientation)
	binary.BigEndian.PutUint16(entry[2:], typeShort)
	binary.BigEndian.PutUint32(entry[4:], 1)
	binary.BigEndian.PutUint16(entry[8:], orientation)
	tiff = append(append(tiff, entry...), 0, 0, 0, 0)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	out := append([]byte{0xFF, 0xD8}, seg...)
	out = append(out, payload...)
	return append(out, jpg[2:]...)
}

// inverseOrientation returns the orientation that undoes o: 6 and 8 undo each other, the rest
// undo themselves.
func inverseOrientation(o int) int {
	switch o {
	case 6:
		return 8
	case 8:
		return 6
	}
	return o
}
