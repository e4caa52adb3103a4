package face

import (
	"bytes"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
	"golang.org/x/image/draw"
)

// positiveWidth is the phone-like width the frontal test portrait is upscaled to.
const positiveWidth = 1080

// testChecker returns a Checker with the built-in face cascade and default options.
func testChecker(t testing.TB) *Checker {
	t.Helper()
	c, err := NewChecker(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// frontalPortrait returns testdata/portrait.jpg (pigo's sample portrait: one man, white
// background, 320×400) upscaled to a phone photo's width.
func frontalPortrait(t testing.TB) *image.RGBA {
	t.Helper()
	src, err := jpeg.Decode(bytes.NewReader(testPhoto(t, "portrait.jpg")))
	if err != nil {
		t.Fatal(err)
	}
	return resize(src, positiveWidth)
}

// resize scales img to the given width, keeping its aspect ratio.
func resize(img image.Image, width int) *image.RGBA {
	b := img.Bounds()
	h := b.Dy() * width / b.Dx()
	dst := image.NewRGBA(image.Rect(0, 0, width, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// testPhoto reads a photo from testdata/ (see testdata/README.md for where each comes from).
func testPhoto(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// encodeJPEG encodes img as a quality-92 JPEG, like a phone camera.
func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	return imagingtest.EncodeJPEG(t, img, 92)
}

// tinyJPEG is a valid 8×8 JPEG without metadata.
func tinyJPEG(t testing.TB) []byte {
	t.Helper()
	return imagingtest.EncodeJPEG(t, image.NewGray(image.Rect(0, 0, 8, 8)), 75)
}
