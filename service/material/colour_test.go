package material

import (
	"image"
	"image/color"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

func TestIsGrayscale(t *testing.T) {
	doc := documentImage(white, true)
	tests := []struct {
		name string
		img  image.Image
		want bool
	}{
		{"gray model", toGray(doc), true},
		{"16-bit gray model", image.NewGray16(image.Rect(0, 0, 10, 10)), true},
		{"gray values in rgba", toGrayRGBA(doc), true},
		{"black text on tinted paper", documentImage(paperTan, false), true},
		{"white page, black text, red seal, blue ink", doc, false},
		{"the same page in ycbcr", toYCbCr(doc), false},
		{"photo", imagingtest.PhotoImage(200, 150), false},
		{"solid red nrgba", solidNRGBA(color.NRGBA{200, 30, 30, 255}), false},
		{"paletted gray", &image.Paletted{Pix: make([]byte, 100), Stride: 10, Rect: image.Rect(0, 0, 10, 10), Palette: color.Palette{color.Gray{128}}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isGrayscale(tt.img); got != tt.want {
				t.Errorf("isGrayscale = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSampleStepBoundsWork(t *testing.T) {
	tests := []struct{ w, h int }{{1, 1}, {500, 500}, {501, 500}, {10000, 4000}, {10000, 1}, {6325, 6324}}
	for _, tt := range tests {
		step := sampleStep(tt.w, tt.h)
		samples := ((tt.w + step - 1) / step) * ((tt.h + step - 1) / step)
		if samples > maxColourSamples || (step > 1 && ((tt.w+step-2)/(step-1))*((tt.h+step-2)/(step-1)) <= maxColourSamples) {
			t.Errorf("%d×%d: step %d gives %d samples, want the smallest step within %d", tt.w, tt.h, step, samples, maxColourSamples)
		}
	}
}

func toYCbCr(img *image.RGBA) *image.YCbCr {
	b := img.Bounds()
	out := image.NewYCbCr(b, image.YCbCrSubsampleRatio444)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := img.RGBAAt(x, y)
			yy, cb, cr := color.RGBToYCbCr(c.R, c.G, c.B)
			out.Y[out.YOffset(x, y)], out.Cb[out.COffset(x, y)], out.Cr[out.COffset(x, y)] = yy, cb, cr
		}
	}
	return out
}

func solidNRGBA(c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 20, 20))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}
