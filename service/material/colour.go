package material

import (
	"image"
	"image/color"
)

// Thresholds of the grayscale decision, tuned on synthetic scans (a white page with black text, a red
// seal and blue ink must count as colour; a gray page saved as RGB or JPEG must not).
const (
	maxColourSamples = 250_000 // pixels sampled at most, on a regular grid
	neutralSpread    = 24      // a pixel is neutral when its channels (0–255) differ by at most this
	grayPermille     = 995     // an image is grayscale when at least 99.5 % of samples are neutral
)

// isGrayscale reports whether img carries no colour: a gray colour model, or colour pixels that are almost
// all neutral (equal red, green and blue give or take compression noise). Its work is bounded by
// maxColourSamples whatever the image size.
func isGrayscale(img image.Image) bool {
	switch img.(type) {
	case *image.Gray, *image.Gray16:
		return true
	}
	b := img.Bounds()
	step := sampleStep(b.Dx(), b.Dy())
	at := rgbSampler(img)
	samples, neutral := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			samples++
			if spread(at(x, y)) <= neutralSpread {
				neutral++
			}
		}
	}
	return neutral*1000 >= samples*grayPermille
}

// sampleStep returns the smallest grid step that samples a w×h image at no more than maxColourSamples
// points.
func sampleStep(w, h int) int {
	step := 1
	for ((w+step-1)/step)*((h+step-1)/step) > maxColourSamples {
		step++
	}
	return step
}

// rgbSampler returns a function giving 8-bit red, green and blue at a point of img, reading the common
// decoded types directly rather than through color.Color.
func rgbSampler(img image.Image) func(x, y int) (r, g, b uint8) {
	switch m := img.(type) {
	case *image.YCbCr:
		return func(x, y int) (uint8, uint8, uint8) {
			c := m.YCbCrAt(x, y)
			return color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
		}
	case *image.RGBA:
		return func(x, y int) (uint8, uint8, uint8) {
			c := m.RGBAAt(x, y)
			return c.R, c.G, c.B
		}
	case *image.NRGBA:
		return func(x, y int) (uint8, uint8, uint8) {
			c := m.NRGBAAt(x, y)
			return c.R, c.G, c.B
		}
	}
	return func(x, y int) (uint8, uint8, uint8) {
		r, g, b, _ := img.At(x, y).RGBA()
		return uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)
	}
}

// spread is the largest difference between two of the channels.
func spread(r, g, b uint8) int {
	lo, hi := min(r, g, b), max(r, g, b)
	return int(hi) - int(lo)
}
