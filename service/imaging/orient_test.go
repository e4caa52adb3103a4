package imaging

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

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
		got := Orient(src, tt.orientation).(*image.Gray)
		if got.Rect.Dx() != tt.w || got.Rect.Dy() != tt.h || !bytes.Equal(got.Pix, tt.want) {
			t.Errorf("orientation %d: %v %v, want %d×%d %v", tt.orientation, got.Rect, got.Pix, tt.w, tt.h, tt.want)
		}
		if size := OrientedSize(3, 2, tt.orientation); size != got.Rect.Size() {
			t.Errorf("orientation %d: OrientedSize %v, turned image %v", tt.orientation, size, got.Rect.Size())
		}
	}
}

func TestOrientUndoesItsInverse(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	for i := range 6 {
		src.Set(i%3, i/3, color.RGBA{uint8(i + 1), 0, 0, 255})
	}
	for o := 1; o <= 8; o++ {
		stored := Orient(src, imagingtest.InverseOrientation(o))
		back, ok := Orient(stored, o).(*image.RGBA)
		if !ok || !bytes.Equal(back.Pix, src.Pix) || back.Rect != src.Rect {
			t.Errorf("orientation %d does not undo its inverse", o)
		}
	}
	yc := image.NewYCbCr(image.Rect(0, 0, 4, 2), image.YCbCrSubsampleRatio420)
	if turned, ok := Orient(yc, 6).(*image.RGBA); !ok || turned.Rect.Size() != image.Pt(2, 4) {
		t.Errorf("YCbCr under orientation 6: %T, want a 2×4 RGBA", Orient(yc, 6))
	}
}
