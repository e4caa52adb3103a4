package material

import (
	"bytes"
	"image/jpeg"
	"io"
	"testing"
)

// benchJPEG is a 1920×1080 (2.07 MP) colour JPEG carrying an Exif APP1 segment with GPS tags.
func benchJPEG(b *testing.B) []byte {
	b.Helper()
	return withSegments(encodeJPEGBytes(b, photoImage(1920, 1080), 90), jpegSegment(markerAPP1, exifAPP1(1, true)))
}

// BenchmarkJPEGMetadata compares removing EXIF losslessly (the segment walk Process uses) with the
// alternative of decoding and re-encoding the pixels.
func BenchmarkJPEGMetadata(b *testing.B) {
	data := benchJPEG(b)
	b.Run("lossless", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := stripJPEG(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reencode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			img, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			if err := jpeg.Encode(io.Discard, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkProcess measures Process end to end, which also fully decodes images to validate them.
func BenchmarkProcess(b *testing.B) {
	tests := []struct {
		name string
		data []byte
		opts Options
	}{
		{"jpeg 2MP", benchJPEG(b), Options{}},
		{"jpeg 2MP colour required", benchJPEG(b), Options{RequireColour: true}},
		{"png declaring 50000x50000", headerOnlyPNG(50000, 50000), Options{}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				Process(bytes.NewReader(tt.data), tt.opts)
			}
		})
	}
}
