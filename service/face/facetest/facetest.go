// Package facetest gives other packages' tests the photos the face checker is tested with.
package facetest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"golang.org/x/image/draw"
)

// Portrait returns the face package's test portrait (pigo's frontal sample, one face on white,
// see ../testdata/README.md) upscaled to width pixels, as a quality-92 JPEG like a phone's. At
// 1080 px it passes the check.
func Portrait(t testing.TB, width int) []byte {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("facetest: no caller information to find testdata")
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "testdata", "portrait.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, width, b.Dy()*width/b.Dx()))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return encode(t, dst)
}

// Blank returns a plain white w×h JPEG: readable, but without a face.
func Blank(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	return encode(t, img)
}

func encode(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
