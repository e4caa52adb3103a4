package material

import (
	"bytes"
	"errors"
	"image"
	"testing"
)

// fuzzOptions keeps decoded images small so the fuzzer spends its time on structure, not on allocation.
func fuzzOptions(colour bool) Options {
	return Options{MaxBytes: 1 << 20, MaxSide: 1024, MaxPixels: 1 << 20, RequireColour: colour}
}

func fuzzSeeds(f *testing.F) [][]byte {
	jpg := encodeJPEGBytes(f, photoImage(24, 16), 80)
	gray := encodeJPEGBytes(f, image.NewGray(image.Rect(0, 0, 8, 8)), 80)
	pngData := encodePNGBytes(f, photoImage(12, 9))
	return [][]byte{
		jpg,
		gray,
		withSegments(jpg, jpegSegment(markerAPP1, exifAPP1(0, true)), jpegSegment(markerCOM, []byte("hi"))),
		withSegments(jpg, jpegSegment(markerAPP1, exifAPP1(6, true)), jpegSegment(markerAPP2, []byte("ICC_PROFILE\x00\x01\x01x"))),
		withSegments(gray, jpegSegment(markerAPP1, exifAPP1(5, false))),
		append(bytes.Clone(jpg), "trailer"...),
		pngData,
		withChunks(pngData, pngChunkBytes("tEXt", []byte("k\x00v")), pngChunkBytes("eXIf", exifAPP1(3, false)[6:])),
		headerOnlyPNG(5000, 5000),
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
		p, err := Process(bytes.NewReader(data), opts)
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("Process error %v wraps no sentinel", err)
		}
		again, err := Process(bytes.NewReader(p.Data), opts)
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

// FuzzStripJPEG checks the JPEG segment walker and the EXIF orientation reader on arbitrary bytes: no
// panic, an orientation within 1–8, no metadata segment left, and stripping twice changes nothing.
func FuzzStripJPEG(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := stripJPEG(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("stripJPEG error %v is not ErrCorrupt", err)
			}
			return
		}
		if s.orientation < 1 || s.orientation > 8 {
			t.Fatalf("orientation %d", s.orientation)
		}
		if _, err := walkJPEG(s.data, func(p jpegPart) {
			if dropJPEGMarker(p.marker) {
				t.Fatalf("marker %#x left in the output", p.marker)
			}
		}); err != nil {
			t.Fatalf("output does not walk: %v", err)
		}
		again, err := stripJPEG(s.data)
		if err != nil || !bytes.Equal(again.data, s.data) || again.removed || again.orientation != 1 {
			t.Fatalf("stripping twice changed the output (err %v)", err)
		}
	})
}

// FuzzExifOrientation checks the EXIF reader on arbitrary TIFF bytes.
func FuzzExifOrientation(f *testing.F) {
	f.Add(exifAPP1(6, true)[len(exifHeader):])
	f.Add(exifAPP1(8, false)[len(exifHeader):])
	f.Add([]byte("MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x03\x00\x00"))
	f.Fuzz(func(t *testing.T, tiff []byte) {
		if o := exifOrientation(tiff); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

// FuzzStripPNG checks the PNG chunk walker: no panic, no metadata chunk left, stripping twice changes
// nothing.
func FuzzStripPNG(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := stripPNG(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("stripPNG error %v is not ErrCorrupt", err)
			}
			return
		}
		again, err := stripPNG(s.data)
		if err != nil || !bytes.Equal(again.data, s.data) || again.removed {
			t.Fatalf("stripping twice changed the output (err %v)", err)
		}
		if _, err := walkPNG(s.data, func(c pngChunk) error {
			if dropPNGChunk(c.typ) {
				t.Fatalf("chunk %s left in the output", c.typ)
			}
			return nil
		}); err != nil {
			t.Fatalf("output does not walk: %v", err)
		}
	})
}
