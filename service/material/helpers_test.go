package material

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"testing"

	"github.com/beian/beian/service/imaging"
)

var (
	white    = color.RGBA{255, 255, 255, 255}
	ink      = color.RGBA{25, 25, 25, 255}
	sealRed  = color.RGBA{210, 35, 40, 255}
	blueInk  = color.RGBA{30, 50, 160, 255}
	paperTan = color.RGBA{250, 245, 234, 255}
)

// documentImage draws an A4 page at 100 dpi: a paper background, black text lines and, when seal is set,
// a red company seal (ring, star, a band of characters) and a line of blue handwriting.
func documentImage(paper color.RGBA, seal bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 827, 1169))
	fill(img, img.Rect, paper)
	for y := 120; y < 1000; y += 36 {
		for x := 90; x < 740; x += 14 {
			fill(img, image.Rect(x, y, x+10, y+14), ink)
		}
	}
	if seal {
		drawSeal(img, image.Pt(600, 1040), 79)
		for x := 120; x < 420; x += 9 {
			fill(img, image.Rect(x, 1080, x+7, 1100), blueInk)
		}
	}
	return img
}

// drawSeal draws a 4 cm company seal: a 1 mm ring of radius r, a star and characters along the ring.
func drawSeal(img *image.RGBA, c image.Point, r int) {
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			d := math.Hypot(float64(x), float64(y))
			angle := math.Atan2(float64(y), float64(x))*180/math.Pi + 180
			ring := d <= float64(r) && d > float64(r-4)
			char := d > float64(r-27) && d < float64(r-10) && angle < 250 && int(angle)%18 < 14 && (x+y)/3%2 == 0
			star := d < 15 && (x+y+40)%3 != 0
			if ring || char || star {
				img.SetRGBA(c.X+x, c.Y+y, sealRed)
			}
		}
	}
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// toGray returns img with its colour removed, kept in the colour model of img.
func toGrayRGBA(img *image.RGBA) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	for i := 0; i < len(img.Pix); i += 4 {
		y := color.GrayModel.Convert(color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255}).(color.Gray).Y
		out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = y, y, y, 255
	}
	return out
}

// markers lists the marker of every segment of a JPEG, entropy-coded data left out.
func markers(t testing.TB, jpg []byte) []byte {
	t.Helper()
	ms, err := imaging.JPEGMarkers(jpg)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// chunkTypes lists the chunk types of a PNG.
func chunkTypes(t testing.TB, p []byte) []string {
	t.Helper()
	types, err := imaging.PNGChunkTypes(p)
	if err != nil {
		t.Fatal(err)
	}
	return types
}

// toGray converts img to an 8-bit gray image.
func toGray(img image.Image) *image.Gray {
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}
