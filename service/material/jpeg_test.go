package material

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"testing"
)

func TestProcessStripsJPEGMetadata(t *testing.T) {
	base := encodeJPEGBytes(t, photoImage(120, 80), 85)
	jfif := jpegSegment(0xe0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
	exif := jpegSegment(markerAPP1, exifAPP1(0, true))
	xmp := jpegSegment(markerAPP1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))
	icc := jpegSegment(markerAPP2, []byte("ICC_PROFILE\x00\x01\x01fake profile"))
	adobe := jpegSegment(0xee, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01"))
	iptc := jpegSegment(markerAPP13, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x00"))
	ducky := jpegSegment(markerAPP12, []byte("Ducky\x00\x01"))
	comment := jpegSegment(markerCOM, []byte("shot at home"))
	tests := []struct {
		name string
		in   []byte
		want []byte
	}{
		{"exif with gps", withSegments(base, exif), base},
		{"jfif kept, exif dropped", withSegments(base, jfif, exif), withSegments(base, jfif)},
		{"every kind of metadata", withSegments(base, jfif, exif, xmp, icc, iptc, ducky, comment, adobe), withSegments(base, jfif, icc, adobe)},
		{"bytes after EOI", append(withSegments(base, exif), withSegments(base, exif)...), base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Process(bytes.NewReader(tt.in), Options{})
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			if !bytes.Equal(p.Data, tt.want) {
				t.Fatalf("output %d bytes, markers % x; want %d bytes, markers % x",
					len(p.Data), markers(t, p.Data), len(tt.want), markers(t, tt.want))
			}
			if !p.MetadataRemoved || p.Reencoded {
				t.Errorf("MetadataRemoved = %v, Reencoded = %v; want true, false", p.MetadataRemoved, p.Reencoded)
			}
			if slices.Contains(markers(t, p.Data), markerAPP1) {
				t.Error("output still has an APP1 segment")
			}
			assertSamePixels(t, tt.in, p.Data)
		})
	}
}

func assertSamePixels(t *testing.T, a, b []byte) {
	t.Helper()
	imgA, errA := jpeg.Decode(bytes.NewReader(a))
	imgB, errB := jpeg.Decode(bytes.NewReader(b))
	if errA != nil || errB != nil {
		t.Fatalf("decode: %v, %v", errA, errB)
	}
	ya, yb := imgA.(*image.YCbCr), imgB.(*image.YCbCr)
	if !bytes.Equal(ya.Y, yb.Y) || !bytes.Equal(ya.Cb, yb.Cb) || !bytes.Equal(ya.Cr, yb.Cr) {
		t.Error("decoded pixels differ")
	}
}

// uprightImage is 40×80: a red top half over a blue bottom half, with a green top-left corner.
func uprightImage() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 40, 80))
	fill(img, image.Rect(0, 0, 40, 40), color.RGBA{220, 20, 20, 255})
	fill(img, image.Rect(0, 40, 40, 80), color.RGBA{20, 20, 220, 255})
	fill(img, image.Rect(0, 0, 16, 16), color.RGBA{20, 200, 20, 255})
	return img
}

func TestProcessAppliesOrientation(t *testing.T) {
	icc := jpegSegment(markerAPP2, []byte("ICC_PROFILE\x00\x01\x01fake profile"))
	for orientation := 1; orientation <= 8; orientation++ {
		stored := storedAs(uprightImage(), orientation)
		in := withSegments(encodeJPEGBytes(t, stored, 95), jpegSegment(markerAPP1, exifAPP1(orientation, true)), icc)
		p, err := Process(bytes.NewReader(in), Options{RequireColour: true})
		if err != nil {
			t.Fatalf("orientation %d: Process: %v", orientation, err)
		}
		if p.Width != 40 || p.Height != 80 || p.Reencoded != (orientation != 1) {
			t.Errorf("orientation %d: %d×%d reencoded=%v, want 40×80 reencoded=%v", orientation, p.Width, p.Height, p.Reencoded, orientation != 1)
		}
		ms := markers(t, p.Data)
		if slices.Contains(ms, markerAPP1) || !slices.Contains(ms, markerAPP2) {
			t.Errorf("orientation %d: markers % x, want no APP1 and the ICC APP2 kept", orientation, ms)
		}
		img, err := jpeg.Decode(bytes.NewReader(p.Data))
		if err != nil {
			t.Fatalf("orientation %d: decode output: %v", orientation, err)
		}
		for _, probe := range []struct {
			pt   image.Point
			want string
		}{{image.Pt(4, 4), "green"}, {image.Pt(30, 20), "red"}, {image.Pt(20, 70), "blue"}} {
			if got := dominant(img.At(probe.pt.X, probe.pt.Y)); got != probe.want {
				t.Errorf("orientation %d: pixel %v is %s, want %s", orientation, probe.pt, got, probe.want)
			}
		}
	}
}

// storedAs returns the image a camera stores for an upright picture when it records the orientation:
// the inverse of orient.
func storedAs(upright *image.RGBA, orientation int) *image.RGBA {
	inverse := map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6}[orientation]
	return orient(upright, inverse).(*image.RGBA)
}

func dominant(c color.Color) string {
	r, g, b, _ := c.RGBA()
	switch {
	case r > 2*g && r > 2*b:
		return "red"
	case g > 2*r && g > 2*b:
		return "green"
	case b > 2*r && b > 2*g:
		return "blue"
	}
	return "mixed"
}

func TestOrient(t *testing.T) {
	src := &image.Gray{Pix: []byte{1, 2, 3, 4, 5, 6}, Stride: 3, Rect: image.Rect(0, 0, 3, 2)}
	tests := []struct {
		orientation int
		w, h        int
		want        []byte
	}{
		{1, 3, 2, []byte{1, 2, 3, 4, 5, 6}},
		{2, 3, 2, []byte{3, 2, 1, 6, 5, 4}},
		{3, 3, 2, []byte{6, 5, 4, 3, 2, 1}},
		{4, 3, 2, []byte{4, 5, 6, 1, 2, 3}},
		{5, 2, 3, []byte{1, 4, 2, 5, 3, 6}},
		{6, 2, 3, []byte{4, 1, 5, 2, 6, 3}},
		{7, 2, 3, []byte{6, 3, 5, 2, 4, 1}},
		{8, 2, 3, []byte{3, 6, 2, 5, 1, 4}},
	}
	for _, tt := range tests {
		got := orient(src, tt.orientation).(*image.Gray)
		if got.Rect.Dx() != tt.w || got.Rect.Dy() != tt.h || !bytes.Equal(got.Pix, tt.want) {
			t.Errorf("orientation %d: %v %v, want %d×%d %v", tt.orientation, got.Rect, got.Pix, tt.w, tt.h, tt.want)
		}
	}
}

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
		{"little endian 6", exifAPP1(6, true)[len(exifHeader):], 6},
		{"little endian 8 without gps", exifAPP1(8, false)[len(exifHeader):], 8},
		{"gps only", exifAPP1(0, true)[len(exifHeader):], 1},
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

func TestStripJPEGStructure(t *testing.T) {
	base := encodeJPEGBytes(t, photoImage(16, 16), 85)
	tests := []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"valid", base, nil},
		{"fill bytes before a marker", append([]byte{0xff, 0xd8, 0xff, 0xff}, base[2:]...), nil},
		{"segment length past the end", append(bytes.Clone(base[:2]), 0xff, 0xe1, 0x7f, 0xff, 0x00), ErrCorrupt},
		{"segment length below two", append(bytes.Clone(base[:2]), 0xff, 0xfe, 0x00, 0x01), ErrCorrupt},
		{"garbage between segments", withSegments(base, []byte{0x12, 0x34}), ErrCorrupt},
		{"second SOI", withSegments(base, []byte{0xff, 0xd8}), ErrCorrupt},
		{"no EOI", base[:len(base)-2], ErrCorrupt},
		{"only SOI", base[:2], ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := stripJPEG(tt.data); !errors.Is(err, tt.wantErr) {
				t.Errorf("stripJPEG error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
