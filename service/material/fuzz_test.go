package material

import (
	"bytes"
	"context"
	"errors"
	"image"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

// fuzzOptions keeps decoded images small so the fuzzer spends its time on structure, not on allocation.
func fuzzOptions(colour bool) Options {
	return Options{MaxBytes: 1 << 20, MaxSide: 1024, MaxPixels: 1 << 20, RequireColour: colour}
}

func fuzzSeeds(f *testing.F) [][]byte {
	jpg := imagingtest.EncodeJPEG(f, imagingtest.PhotoImage(24, 16), 80)
	gray := imagingtest.EncodeJPEG(f, image.NewGray(image.Rect(0, 0, 8, 8)), 80)
	pngData := imagingtest.EncodePNG(f, imagingtest.PhotoImage(12, 9))
	return [][]byte{
		jpg,
		gray,
		imagingtest.WithSegments(jpg, imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(0, true)), imagingtest.Segment(imagingtest.COM, []byte("hi"))),
		imagingtest.WithSegments(jpg, imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(6, true)), imagingtest.Segment(imagingtest.APP2, []byte("ICC_PROFILE\x00\x01\x01x"))),
		imagingtest.WithSegments(gray, imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(5, false))),
		append(bytes.Clone(jpg), "trailer"...),
		pngData,
		imagingtest.WithChunks(pngData, imagingtest.Chunk("tEXt", []byte("k\x00v")), imagingtest.Chunk("eXIf", imagingtest.ExifAPP1(3, false)[6:])),
		imagingtest.HeaderOnlyPNG(5000, 5000),
		[]byte("%PDF-1.4\n%%EOF\n"),
		[]byte("plain text"),
	}
}

// FuzzProcess checks that Process never panics, fails only with its own errors, and is idempotent: what it
// accepts, it accepts again unchanged.
func FuzzProcess(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, false)
		f.Add(s, true)
	}
	sentinels := []error{ErrTooLarge, ErrUnsupportedType, ErrImageDimensions, ErrCorrupt, ErrNotColour}
	f.Fuzz(func(t *testing.T, data []byte, colour bool) {
		opts := fuzzOptions(colour)
		p, err := Process(context.Background(), bytes.NewReader(data), opts)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("Process error %v wraps no sentinel", err)
		}
		again, err := Process(context.Background(), bytes.NewReader(p.Data), opts)
		if err != nil {
			t.Fatalf("processing the output again: %v", err)
		}
		if !bytes.Equal(again.Data, p.Data) || again.MetadataRemoved || again.Reencoded {
			t.Fatalf("not idempotent: %d bytes became %d (removed=%v, reencoded=%v)",
				len(p.Data), len(again.Data), again.MetadataRemoved, again.Reencoded)
		}
		if again.Width != p.Width || again.Height != p.Height || again.MediaType != p.MediaType || again.SHA256 != p.SHA256 {
			t.Fatalf("second pass describes the data differently: %+v vs %+v", again, p)
		}
	})
}
