package imaging

import (
	"encoding/binary"
	"image"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

func TestExifOrientation(t *testing.T) {
	be := func(entries ...[]byte) []byte {
		tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
		tiff = binary.BigEndian.AppendUint16(tiff, uint16(len(entries)))
		for _, e := range entries {
			tiff = append(tiff, e...)
		}
		return tiff
	}
	tests := []struct {
		name string
		tiff []byte
		want int
	}{
		{"little endian 6", imagingtest.ExifAPP1(6, true)[len(exifHeader):], 6},
		{"little endian 8 without gps", imagingtest.ExifAPP1(8, false)[len(exifHeader):], 8},
		{"gps only", imagingtest.ExifAPP1(0, true)[len(exifHeader):], 1},
		{"big endian 3", be([]byte{0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 3, 0, 0}), 3},
		{"out of range value", be([]byte{0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 9, 0, 0}), 1},
		{"wrong type", be([]byte{0x01, 0x12, 0, 4, 0, 0, 0, 1, 0, 0, 0, 6}), 1},
		{"entry cut short", be([]byte{0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6})[:20], 1},
		{"count beyond the data", append(be(), 0xff), 1},
		{"ifd offset beyond the data", []byte("II\x2a\x00\xff\xff\xff\xff"), 1},
		{"bad byte order", []byte("XX\x00\x2a\x00\x00\x00\x08\x00\x00"), 1},
		{"empty", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exifOrientation(tt.tiff); got != tt.want {
				t.Errorf("exifOrientation = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestJPEGFrameOrientation(t *testing.T) {
	plain := imagingtest.EncodeJPEG(t, image.NewGray(image.Rect(0, 0, 8, 8)), 75)
	app0 := imagingtest.Segment(imagingtest.APP0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
	bigEndian6 := append([]byte(exifHeader), "MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00"...)
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"no Exif", plain, 1},
		{"orientation 3", imagingtest.WithOrientation(plain, 3), 3},
		{"orientation 8", imagingtest.WithOrientation(plain, 8), 8},
		{"out of range 9", imagingtest.WithOrientation(plain, 9), 1},
		{"no orientation tag", imagingtest.WithOrientation(plain, 0), 1},
		{"big-endian TIFF", imagingtest.WithSegments(plain, imagingtest.Segment(imagingtest.APP1, bigEndian6)), 6},
		{"Exif after other APP segments", imagingtest.WithSegments(plain, app0, imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(7, true))), 7},
		{"only the first Exif counts", imagingtest.WithSegments(plain, imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(5, false)),
			imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(7, false))), 5},
		{"segment length past the end", imagingtest.WithOrientation(plain, 6)[:20], 1},
		{"PNG bytes", []byte(pngSignature), 1},
		{"empty", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readJPEGFrame(tt.data).orientation; got != tt.want {
				t.Fatalf("orientation %d, want %d", got, tt.want)
			}
		})
	}
}

// FuzzExifOrientation checks the EXIF reader on arbitrary TIFF bytes.
func FuzzExifOrientation(f *testing.F) {
	f.Add(imagingtest.ExifAPP1(6, true)[len(exifHeader):])
	f.Add(imagingtest.ExifAPP1(8, false)[len(exifHeader):])
	f.Add([]byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x03\x00\x00"))
	f.Fuzz(func(t *testing.T, tiff []byte) {
		if o := exifOrientation(tiff); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

// FuzzReadJPEGFrame checks the header walk on arbitrary bytes: no panic, an orientation in 1–8.
func FuzzReadJPEGFrame(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0xFF, 0xFF, 0xFF, 0xF0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := readJPEGFrame(data).orientation; o < 1 || o > 8 {
			t.Fatalf("orientation %d outside 1–8", o)
		}
	})
}
