package face

import (
	"testing"

	"github.com/beian/beian/service/imaging"
	"github.com/beian/beian/service/imaging/imagingtest"
	pigo "github.com/esimov/pigo/core"
)

// benchSizes are the photo widths benchmarked: 819 px makes a 819×1024 photo, already the rules'
// working size, and 1280 px a 1280×1600 one (2.05 megapixels, a typical phone upload).
var benchSizes = []struct {
	name  string
	width int
}{
	{"1MP", 819},
	{"2MP", 1280},
}

// BenchmarkFaceCheck compares, on the same JPEG, the full check with pigo run bare the way its
// README integrates it. Both decode the photo and bring it to the same working resolution (long
// side at most 1024 px, the copy the rules see); the bare run then does pigo's own grayscale
// conversion and the cascade with the README's parameters (faces of 20–1000 px, shift 0.1, scale
// 1.1) and clustering at IoU 0.2, where the check runs its own detection and every photo rule. The
// check reports peak-B: the highest heap in use during one more Check, above the heap before it.
func BenchmarkFaceCheck(b *testing.B) {
	c := testChecker(b)
	for _, size := range benchSizes {
		photo := encodeJPEG(b, resize(frontalPortrait(b), size.width))
		b.Run(size.name+"/check", func(b *testing.B) {
			ctx := b.Context()
			b.ReportAllocs()
			for b.Loop() {
				res, err := c.Check(ctx, photo)
				if err != nil || !res.Passed {
					b.Fatalf("%+v, %v", res, err)
				}
			}
			b.StopTimer()
			peak := imagingtest.PeakHeap(func() {
				if _, err := c.Check(ctx, photo); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(float64(peak), "peak-B")
		})
		b.Run(size.name+"/pigo-bare", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if n := barePigo(b, c, photo); n == 0 {
					b.Fatal("no detection")
				}
			}
		})
	}
}

// barePigo decodes photo, brings it to the check's working copy and runs pigo as its README does,
// returning the number of detections.
func barePigo(b *testing.B, c *Checker, photo []byte) int {
	h, err := imaging.ReadHeader(photo)
	if err != nil {
		b.Fatal(err)
	}
	img, err := imaging.Decode(photo, h)
	if err != nil {
		b.Fatal(err)
	}
	work, _ := workCopy(decoded{img: img, orientation: h.Orientation})
	px := pigo.RgbToGrayscale(pigo.ImgToNRGBA(work))
	params := pigo.CascadeParams{
		MinSize: 20, MaxSize: 1000, ShiftFactor: 0.1, ScaleFactor: 1.1,
		ImageParams: pigo.ImageParams{Pixels: px, Rows: work.Rect.Dy(), Cols: work.Rect.Dx(), Dim: work.Rect.Dx()},
	}
	return len(c.cascade.ClusterDetections(c.cascade.RunCascade(params, 0), 0.2))
}
