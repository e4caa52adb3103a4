package face

import (
	"bytes"
	"image"
	"runtime"
	"sync"
	"testing"
	"time"

	pigo "github.com/esimov/pigo/core"
)

// benchWidth makes the benchmark photo 1280×1600: 2.05 megapixels, a typical phone upload.
const benchWidth = 1280

// benchPhoto is the frontal portrait upscaled to about 2 MP and encoded as a camera JPEG.
func benchPhoto(b *testing.B) []byte {
	return encodeJPEG(b, resize(frontalPortrait(b), benchWidth))
}

// BenchmarkCheck2MP is the full check of a 2 MP JPEG. After the timed loop it reports peak-B: the
// highest heap in use during one more Check, above the heap before it.
func BenchmarkCheck2MP(b *testing.B) {
	c := testChecker(b)
	photo := benchPhoto(b)
	ctx := b.Context()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res, err := c.Check(ctx, photo)
		if err != nil || !res.Passed {
			b.Fatalf("%+v, %v", res, err)
		}
	}
	b.StopTimer()
	peak := peakHeap(func() {
		if _, err := c.Check(ctx, photo); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(float64(peak), "peak-B")
}

// BenchmarkPigoBare2MP is pigo as its README integrates it, on the same photo: decode, pigo's own
// NRGBA and grayscale conversion, the cascade over the full resolution with the README's parameters
// (faces of 20–1000 px, shift 0.1, scale 1.1) and clustering at IoU 0.2. It is the baseline
// BenchmarkCheck2MP is compared with.
func BenchmarkPigoBare2MP(b *testing.B) {
	c := testChecker(b)
	photo := benchPhoto(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		src, _, err := image.Decode(bytes.NewReader(photo))
		if err != nil {
			b.Fatal(err)
		}
		px := pigo.RgbToGrayscale(pigo.ImgToNRGBA(src))
		bounds := src.Bounds()
		params := pigo.CascadeParams{
			MinSize: 20, MaxSize: 1000, ShiftFactor: 0.1, ScaleFactor: 1.1,
			ImageParams: pigo.ImageParams{Pixels: px, Rows: bounds.Dy(), Cols: bounds.Dx(), Dim: bounds.Dx()},
		}
		if dets := c.cascade.ClusterDetections(c.cascade.RunCascade(params, 0), 0.2); len(dets) == 0 {
			b.Fatal("no detection")
		}
	}
}

// peakHeap runs fn once and returns the largest HeapAlloc seen while it ran, minus HeapAlloc
// before it, sampling every 100 µs. The garbage collector runs as usual, so this is the heap the
// process really holds, not the sum of allocations (B/op).
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapAlloc)
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak - base
}
