package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"io"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

func TestStripJPEGStructure(t *testing.T) {
	base := imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(16, 16), 85)
	tests := []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"valid", base, nil},
		{"fill bytes before a marker", append([]byte{0xff, 0xd8, 0xff, 0xff}, base[2:]...), nil},
		{"segment length past the end", append(bytes.Clone(base[:2]), 0xff, 0xe1, 0x7f, 0xff, 0x00), ErrCorrupt},
		{"segment length below two", append(bytes.Clone(base[:2]), 0xff, 0xfe, 0x00, 0x01), ErrCorrupt},
		{"garbage between segments", imagingtest.WithSegments(base, []byte{0x12, 0x34}), ErrCorrupt},
		{"second SOI", imagingtest.WithSegments(base, []byte{0xff, 0xd8}), ErrCorrupt},
		{"no EOI", base[:len(base)-2], ErrCorrupt},
		{"only SOI", base[:2], ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := StripJPEG(tt.data); !errors.Is(err, tt.wantErr) {
				t.Errorf("StripJPEG error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestStripPNGStructure(t *testing.T) {
	base := imagingtest.EncodePNG(t, image.NewGray(image.Rect(0, 0, 4, 4)))
	afterIHDR := 8 + 12 + 13
	badCRC := imagingtest.Chunk("pHYs", make([]byte, 9))
	badCRC[10] ^= 0xff
	tests := []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"valid", base, nil},
		{"kept chunk with a broken crc", imagingtest.WithChunks(base, badCRC), ErrCorrupt},
		{"first chunk is not IHDR", append([]byte(pngSignature), base[afterIHDR:]...), ErrCorrupt},
		{"chunk type with a digit", imagingtest.WithChunks(base, imagingtest.Chunk("ab1d", nil)), ErrCorrupt},
		{"chunk length past the end", imagingtest.WithChunks(base, []byte{0x00, 0x10, 0x00, 0x00, 'a', 'b', 'c', 'd'})[:afterIHDR+20], ErrCorrupt},
		{"chunk length over 2^31-1", imagingtest.WithChunks(base, []byte{0x80, 0, 0, 0, 'a', 'b', 'c', 'd', 0, 0, 0, 0}), ErrCorrupt},
		{"no IEND", base[:len(base)-12], ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := StripPNG(tt.data); !errors.Is(err, tt.wantErr) {
				t.Errorf("StripPNG error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

// fuzzSeeds are JPEG and PNG files with metadata of every kind the strippers drop or keep.
func fuzzSeeds(f *testing.F) [][]byte {
	jpg := imagingtest.EncodeJPEG(f, imagingtest.PhotoImage(16, 16), 80)
	png := imagingtest.EncodePNG(f, imagingtest.PhotoImage(8, 8))
	return [][]byte{
		jpg,
		imagingtest.WithSegments(jpg, imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(6, true)),
			imagingtest.Segment(imagingtest.APP2, []byte("ICC_PROFILE\x00\x01\x01x")), imagingtest.Segment(imagingtest.COM, []byte("hi"))),
		png,
		imagingtest.WithChunks(png, imagingtest.Chunk("tEXt", []byte("k\x00v")), imagingtest.Chunk("eXIf", imagingtest.ExifAPP1(3, false)[6:])),
	}
}

// FuzzStripJPEG checks the JPEG segment walker on arbitrary bytes: no panic, no metadata segment
// left, and stripping twice changes nothing.
func FuzzStripJPEG(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := StripJPEG(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("StripJPEG error %v is not ErrCorrupt", err)
			}
			return
		}
		if _, err := walkJPEG(s.Data, func(p jpegPart) {
			if dropJPEGMarker(p.marker) {
				t.Fatalf("marker %#x left in the output", p.marker)
			}
		}); err != nil {
			t.Fatalf("output does not walk: %v", err)
		}
		again, err := StripJPEG(s.Data)
		if err != nil || !bytes.Equal(again.Data, s.Data) || again.Removed {
			t.Fatalf("stripping twice changed the output (err %v)", err)
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
		s, err := StripPNG(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("StripPNG error %v is not ErrCorrupt", err)
			}
			return
		}
		again, err := StripPNG(s.Data)
		if err != nil || !bytes.Equal(again.Data, s.Data) || again.Removed {
			t.Fatalf("stripping twice changed the output (err %v)", err)
		}
		types, err := PNGChunkTypes(s.Data)
		if err != nil {
			t.Fatalf("output does not walk: %v", err)
		}
		for _, typ := range types {
			if dropPNGChunk(typ) {
				t.Fatalf("chunk %s left in the output", typ)
			}
		}
	})
}

// BenchmarkJPEGMetadata compares removing EXIF losslessly (the segment walk StripJPEG does) with the
// alternative of decoding and re-encoding the pixels.
func BenchmarkJPEGMetadata(b *testing.B) {
	data := imagingtest.WithSegments(imagingtest.EncodeJPEG(b, imagingtest.PhotoImage(1920, 1080), 90),
		imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(1, true)))
	b.Run("lossless", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := StripJPEG(data); err != nil {
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
			if err := jpeg.Encode(io.Discard, img, &jpeg.Options{Quality: 92}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestStripJPEGKeepsACleanFileInPlace: with nothing to drop, the result is the input itself (no copy);
// with trailing bytes only, a prefix of it.
func TestStripJPEGKeepsACleanFileInPlace(t *testing.T) {
	clean := imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(16, 16), 85)
	for name, data := range map[string][]byte{"clean": clean, "with a trailer": append(bytes.Clone(clean), "trailer"...)} {
		s, err := StripJPEG(data)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(s.Data, clean) || &s.Data[0] != &data[0] || s.Removed != (len(data) > len(clean)) {
			t.Errorf("%s: %d bytes (shared: %v), removed %v", name, len(s.Data), &s.Data[0] == &data[0], s.Removed)
		}
	}
}
