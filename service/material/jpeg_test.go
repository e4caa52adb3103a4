package material

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"testing"

	"github.com/beian/beian/service/imaging"
	"github.com/beian/beian/service/imaging/imagingtest"
)

func TestProcessStripsJPEGMetadata(t *testing.T) {
	base := imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(120, 80), 85)
	jfif := imagingtest.Segment(0xe0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))
	exif := imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(0, true))
	xmp := imagingtest.Segment(imagingtest.APP1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))
	icc := imagingtest.Segment(imagingtest.APP2, []byte("ICC_PROFILE\x00\x01\x01fake profile"))
	adobe := imagingtest.Segment(0xee, []byte("Adobe\x00\x64\x00\x00\x00\x00\x01"))
	iptc := imagingtest.Segment(imagingtest.APP13, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x00"))
	ducky := imagingtest.Segment(imagingtest.APP12, []byte("Ducky\x00\x01"))
	comment := imagingtest.Segment(imagingtest.COM, []byte("shot at home"))
	tests := []struct {
		name string
		in   []byte
		want []byte
	}{
		{"exif with gps", imagingtest.WithSegments(base, exif), base},
		{"jfif kept, exif dropped", imagingtest.WithSegments(base, jfif, exif), imagingtest.WithSegments(base, jfif)},
		{"every kind of metadata", imagingtest.WithSegments(base, jfif, exif, xmp, icc, iptc, ducky, comment, adobe), imagingtest.WithSegments(base, jfif, icc, adobe)},
		{"bytes after EOI", append(imagingtest.WithSegments(base, exif), imagingtest.WithSegments(base, exif)...), base},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Process(context.Background(), bytes.NewReader(tt.in), Options{})
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
			if slices.Contains(markers(t, p.Data), imagingtest.APP1) {
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
	icc := imagingtest.Segment(imagingtest.APP2, []byte("ICC_PROFILE\x00\x01\x01fake profile"))
	for orientation := 1; orientation <= 8; orientation++ {
		stored := storedAs(uprightImage(), orientation)
		in := imagingtest.WithSegments(imagingtest.EncodeJPEG(t, stored, 95), imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(orientation, true)), icc)
		p, err := Process(context.Background(), bytes.NewReader(in), Options{RequireColour: true})
		if err != nil {
			t.Fatalf("orientation %d: Process: %v", orientation, err)
		}
		if p.Width != 40 || p.Height != 80 || p.Reencoded != (orientation != 1) {
			t.Errorf("orientation %d: %d×%d reencoded=%v, want 40×80 reencoded=%v", orientation, p.Width, p.Height, p.Reencoded, orientation != 1)
		}
		ms := markers(t, p.Data)
		if slices.Contains(ms, imagingtest.APP1) || !slices.Contains(ms, imagingtest.APP2) {
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
// the inverse of imaging.Orient.
func storedAs(upright *image.RGBA, orientation int) image.Image {
	return imaging.Orient(upright, imagingtest.InverseOrientation(orientation))
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
