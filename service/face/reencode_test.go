package face

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"testing"

	"github.com/beian/beian/service/imaging"
	"github.com/beian/beian/service/imaging/imagingtest"
)

func TestReencode(t *testing.T) {
	portrait := frontalPortrait(t)
	group := testPhoto(t, "sample1.jpg")
	if !bytes.Contains(group, []byte("Exif\x00\x00")) {
		t.Fatal("sample1.jpg was expected to carry Exif (with GPS) to strip")
	}
	tests := []struct {
		name     string
		photo    []byte
		wantSize image.Point
	}{
		{"camera JPEG with Exif and GPS", group, image.Pt(1920, 1280)},
		{"stored sideways with orientation 6", imagingtest.WithOrientation(encodeJPEG(t, imaging.Orient(portrait, imagingtest.InverseOrientation(6))), 6), image.Pt(1080, 1350)},
		{"PNG", imagingtest.EncodePNG(t, portrait), image.Pt(1080, 1350)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := testChecker(t).Reencode(t.Context(), tt.photo)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if got := image.Pt(cfg.Width, cfg.Height); got != tt.wantSize {
				t.Errorf("size %v, want %v", got, tt.wantSize)
			}
			markers, err := imaging.JPEGMarkers(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range markers {
				if m >= 0xE1 && m <= 0xEF {
					t.Errorf("output carries APP%d metadata", m-0xE0)
				}
			}
		})
	}
}

func TestReencodeKeepsTheFaceUpright(t *testing.T) {
	photo := imagingtest.WithOrientation(encodeJPEG(t, imaging.Orient(frontalPortrait(t), imagingtest.InverseOrientation(6))), 6)
	out, err := testChecker(t).Reencode(t.Context(), photo)
	if err != nil {
		t.Fatal(err)
	}
	res, err := testChecker(t).Check(t.Context(), out)
	if err != nil || !res.Passed {
		t.Fatalf("re-encoded photo: %+v, %v; want a pass", res, err)
	}
}

func TestReencodeRejects(t *testing.T) {
	tests := []struct {
		name  string
		photo []byte
	}{
		{"text", []byte("not an image")},
		{"too small", tinyJPEG(t)},
		{"truncated", encodeJPEG(t, gray480())[:300]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := testChecker(t).Reencode(t.Context(), tt.photo); !errors.Is(err, ErrInvalidImage) {
				t.Fatalf("err = %v, want ErrInvalidImage", err)
			}
		})
	}
}
