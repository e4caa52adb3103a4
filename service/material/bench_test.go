package material

import (
	"bytes"
	"context"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

// benchJPEG is a 1920×1080 (2.07 MP) colour JPEG carrying an Exif APP1 segment with GPS tags.
func benchJPEG(b *testing.B) []byte {
	b.Helper()
	return imagingtest.WithSegments(imagingtest.EncodeJPEG(b, imagingtest.PhotoImage(1920, 1080), 90), imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(1, true)))
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
		{"png declaring 50000x50000", imagingtest.HeaderOnlyPNG(50000, 50000), Options{}},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				Process(context.Background(), bytes.NewReader(tt.data), tt.opts)
			}
		})
	}
}
