package material

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/service/imaging"
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

// BenchmarkHostilePNGs runs 20 concurrent Process calls on small PNGs declaring big 16-bit images,
// as TestHostilePNGsKeepTheHeapBounded uploads them: ten of 4000×4000 (128 MB of pixels, decoded)
// and ten of 6300×6300 (318 MB, refused from the header), with one limiter of 256 MiB and with
// none. It reports peak-MiB, the highest heap in use during one batch above the heap before it,
// under the garbage collector's default settings (no memory limit).
func BenchmarkHostilePNGs(b *testing.B) {
	decodable, refused := imagingtest.HostilePNG(4000, 4000), imagingtest.HostilePNG(6300, 6300)
	batch := func(b *testing.B, lim *imaging.Limiter) {
		var wg sync.WaitGroup
		for i := range 20 {
			data := decodable
			if i%2 == 1 {
				data = refused
			}
			wg.Go(func() {
				_, err := Process(context.Background(), bytes.NewReader(data), Options{Limiter: lim})
				if (err != nil) != (i%2 == 1) {
					b.Errorf("upload %d: %v", i, err)
				}
			})
		}
		wg.Wait()
	}
	for _, tt := range []struct {
		name    string
		limiter *imaging.Limiter
	}{
		{"limiter-256MiB", imaging.NewLimiter(4, 256<<20, 5*time.Minute)},
		{"unlimited", nil},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				peak = max(peak, imagingtest.PeakHeap(func() { batch(b, tt.limiter) }))
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
		})
	}
}
