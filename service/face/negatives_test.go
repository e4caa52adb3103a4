package face

import (
	"image"
	"image/color"
	"math/rand/v2"

	"golang.org/x/image/draw"
)

// The builders below derive failing photos from the passing portrait. faceBox is the portrait's
// face as Check reported it, in the portrait's pixels.

// blankImage is a white page of the portrait's size.
func blankImage(p *image.RGBA) *image.RGBA {
	img := image.NewRGBA(p.Rect)
	draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
	return img
}

// qrLikeImage draws a 29×29-module QR-style symbol (three finder squares, timing lines, random data
// modules) filling a white square page.
func qrLikeImage(side int) *image.RGBA {
	const modules, quiet = 29, 4
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	draw.Draw(img, img.Rect, image.White, image.Point{}, draw.Src)
	m := side / (modules + 2*quiet)
	rng := rand.New(rand.NewPCG(1, 2))
	dark := func(x, y int) bool {
		for _, f := range [][2]int{{0, 0}, {modules - 7, 0}, {0, modules - 7}} {
			dx, dy := x-f[0], y-f[1]
			if dx >= 0 && dx < 7 && dy >= 0 && dy < 7 {
				ring := min(dx, dy, 6-dx, 6-dy)
				return ring != 1
			}
		}
		if x == 6 || y == 6 {
			return (x+y)%2 == 0
		}
		return rng.IntN(2) == 0
	}
	for y := range modules {
		for x := range modules {
			if dark(x, y) {
				r := image.Rect(x*m, y*m, (x+1)*m, (y+1)*m).Add(image.Pt(quiet*m, quiet*m))
				draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
			}
		}
	}
	return img
}

// noiseImage is uniform random colour noise of the portrait's size.
func noiseImage(p *image.RGBA) *image.RGBA {
	img := image.NewRGBA(p.Rect)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	for i := 3; i < len(img.Pix); i += 4 {
		img.Pix[i] = 255
	}
	return img
}

// recolouredBackground fills everything outside the head (the face box widened for hair and
// ears, extended up to the crown and down to the bottom edge) with saturated blue.
func recolouredBackground(p *image.RGBA, faceBox image.Rectangle) *image.RGBA {
	img := clone(p)
	s := faceBox.Dx()
	head := image.Rect(faceBox.Min.X-s/8, faceBox.Min.Y-s/3, faceBox.Max.X+s/8, p.Rect.Max.Y)
	blue := image.NewUniform(color.RGBA{20, 60, 220, 255})
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, p.Rect.Dx(), head.Min.Y),
		image.Rect(0, head.Min.Y, head.Min.X, p.Rect.Dy()),
		image.Rect(head.Max.X, head.Min.Y, p.Rect.Dx(), p.Rect.Dy()),
	} {
		draw.Draw(img, r, blue, image.Point{}, draw.Src)
	}
	return img
}

// boxBlurred blurs the portrait with passes of a (2·radius+1)-wide box filter, horizontally then
// vertically; three passes approximate a Gaussian of σ ≈ radius.
func boxBlurred(p *image.RGBA, radius, passes int) *image.RGBA {
	img := clone(p)
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for range passes {
		blurLine(img.Pix, w, h, 4, img.Stride, radius)
		blurLine(img.Pix, h, w, img.Stride, 4, radius)
	}
	return img
}

// blurLine box-blurs n pixels along each of lines lines with a running sum; step moves along a
// line, next to the next line. The window is clipped at the ends.
func blurLine(pix []uint8, n, lines, step, next, radius int) {
	buf := make([]int, n)
	for l := range lines {
		base := l * next
		for c := range 3 {
			for i := range n {
				buf[i] = int(pix[base+i*step+c])
			}
			sum := 0
			for k := range min(radius, n-1) + 1 {
				sum += buf[k]
			}
			for i := range n {
				lo, hi := max(0, i-radius), min(n-1, i+radius)
				pix[base+i*step+c] = uint8(sum / (hi - lo + 1))
				if i+radius+1 < n {
					sum += buf[i+radius+1]
				}
				if i-radius >= 0 {
					sum -= buf[i-radius]
				}
			}
		}
	}
}

// scaledLight multiplies every colour channel by f (clamped), darkening for f < 1.
func scaledLight(p *image.RGBA, f float64) *image.RGBA {
	img := clone(p)
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = uint8(min(255, float64(img.Pix[i])*f))
		}
	}
	return img
}

// washedOut lifts every channel towards white, leaving share of its distance to 255.
func washedOut(p *image.RGBA, share float64) *image.RGBA {
	img := clone(p)
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = 255 - uint8(float64(255-img.Pix[i])*share)
		}
	}
	return img
}

// sideBySide puts two copies of the portrait next to each other.
func sideBySide(p *image.RGBA) *image.RGBA {
	w := p.Rect.Dx()
	img := image.NewRGBA(image.Rect(0, 0, 2*w, p.Rect.Dy()))
	draw.Draw(img, p.Rect, p, image.Point{}, draw.Src)
	draw.Draw(img, p.Rect.Add(image.Pt(w, 0)), p, image.Point{}, draw.Src)
	return img
}

// eyeBar paints a black bar as wide as the face box across the eyes and brows: from 32 % to 50 %
// of the box's height (pigo's boxes put the pupils at about 42 %). A taller bar that also hides the
// forehead and nose leaves nothing pigo recognises as a face: such a photo fails with NO_FACE.
func eyeBar(p *image.RGBA, faceBox image.Rectangle) *image.RGBA {
	img := clone(p)
	s := faceBox.Dy()
	bar := image.Rect(faceBox.Min.X, faceBox.Min.Y+s*32/100, faceBox.Max.X, faceBox.Min.Y+s*50/100)
	draw.Draw(img, bar, image.Black, image.Point{}, draw.Src)
	return img
}

// tooClose crops the portrait to the face box's width, as when the phone is held so near that
// the face spans the whole width: pigo then reports a box of about nine tenths of it.
func tooClose(p *image.RGBA, faceBox image.Rectangle) *image.RGBA {
	return cropped(p, image.Rect(faceBox.Min.X, 0, faceBox.Max.X, p.Rect.Dy()))
}

// shrunkOnWhite places the portrait scaled by f in the middle of a white page of its own size.
func shrunkOnWhite(p *image.RGBA, f float64) *image.RGBA {
	img := blankImage(p)
	w, h := int(float64(p.Rect.Dx())*f), int(float64(p.Rect.Dy())*f)
	at := image.Pt((p.Rect.Dx()-w)/2, p.Rect.Dy()-h)
	draw.CatmullRom.Scale(img, image.Rectangle{Min: at, Max: at.Add(image.Pt(w, h))}, p, p.Rect, draw.Src, nil)
	return img
}

// cropped returns the part of the portrait inside r as a new image with origin (0, 0).
func cropped(p *image.RGBA, r image.Rectangle) *image.RGBA {
	r = r.Intersect(p.Rect)
	img := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Draw(img, img.Rect, p, r.Min, draw.Src)
	return img
}

// clone copies an RGBA image.
func clone(p *image.RGBA) *image.RGBA {
	img := image.NewRGBA(p.Rect)
	copy(img.Pix, p.Pix)
	return img
}
