package face

import (
	"image"
	"math"
	"sort"

	"golang.org/x/image/draw"
)

const (
	// faceNorm is the side, in pixels, the face box is resampled to before blur and eye-band
	// measurements, so that both are judged relative to the face and not to the camera's resolution.
	faceNorm = 128
	// eyeBandTop and eyeBandBottom bound the eye band as shares of the face box's height, and
	// eyeBandInset trims its sides. On the portrait's pigo box the brows sit at 0.35 of the height,
	// the pupils at 0.42, the lower lids at 0.46, the eyes' outer corners 0.21 in from the sides.
	eyeBandTop, eyeBandBottom, eyeBandInset = 0.28, 0.52, 0.12
	// innerInset trims the face box's sides, top and bottom before the brightness and structure
	// means, leaving the skin, eyes, nose and mouth without hair or background.
	innerInset = 0.15
	// midGrey is the luma sharpness is normalised to: a multiplicative exposure change scales the
	// Laplacian with the luma, so without it a dim but sharp face would read as blurred.
	midGrey = 128
)

// metrics are the measurements the face rules judge, taken on the work copy for one face.
type metrics struct {
	share     float64 // face box side over the short side of the photo
	faceLuma  float64 // mean luma (0–255) of the inner face
	sharpness float64 // variance of the Laplacian of the normalised inner face, as if its mean luma were midGrey
	eyeRatio  float64 // median row |Laplacian| of the eye band over that of the inner face
	bg        bgStats
}

// measure takes every face-dependent measurement of f on the work copy.
func measure(work *image.RGBA, gray []uint8, f face) metrics {
	w, h := work.Rect.Dx(), work.Rect.Dy()
	norm := normalisedFace(work, f)
	lap := laplacian(norm, faceNorm)
	inner := insetRect(faceNorm, faceNorm, innerInset, innerInset, innerInset, innerInset)
	band := insetRect(faceNorm, faceNorm, eyeBandInset, eyeBandTop, eyeBandInset, 1-eyeBandBottom)
	faceLuma := mean(norm, faceNorm, inner)
	exposure := midGrey / math.Max(faceLuma, 1)
	return metrics{
		share:     float64(f.size) / float64(min(w, h)),
		faceLuma:  faceLuma,
		sharpness: variance(lap, faceNorm, inner) * exposure * exposure,
		eyeRatio:  medianRowEnergy(lap, faceNorm, band) / math.Max(medianRowEnergy(lap, faceNorm, inner), 1e-6),
		bg:        background(work, gray, f),
	}
}

// normalisedFace resamples the face box (clipped to the work copy) to faceNorm×faceNorm luma values.
func normalisedFace(work *image.RGBA, f face) []float64 {
	dst := image.NewRGBA(image.Rect(0, 0, faceNorm, faceNorm))
	draw.BiLinear.Scale(dst, dst.Bounds(), work, f.rect().Intersect(work.Rect), draw.Src, nil)
	out := make([]float64, faceNorm*faceNorm)
	for i := range out {
		p := dst.Pix[4*i : 4*i+3]
		out[i] = 0.299*float64(p[0]) + 0.587*float64(p[1]) + 0.114*float64(p[2])
	}
	return out
}

// laplacian returns the 4-neighbour Laplacian of a w-wide square image; the border is zero.
func laplacian(p []float64, w int) []float64 {
	h := len(p) / w
	out := make([]float64, len(p))
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			i := y*w + x
			out[i] = 4*p[i] - p[i-1] - p[i+1] - p[i-w] - p[i+w]
		}
	}
	return out
}

// insetRect returns the w×h rectangle with the given shares cut from its left, top, right and bottom.
func insetRect(w, h int, left, top, right, bottom float64) image.Rectangle {
	return image.Rect(int(left*float64(w)), int(top*float64(h)),
		int((1-right)*float64(w)), int((1-bottom)*float64(h)))
}

// mean returns the mean of p (w wide) over r.
func mean(p []float64, w int, r image.Rectangle) float64 {
	var s float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			s += p[y*w+x]
		}
	}
	return s / math.Max(float64(r.Dx()*r.Dy()), 1)
}

// meanAbs returns the mean absolute value of p (w wide) over r.
func meanAbs(p []float64, w int, r image.Rectangle) float64 {
	var s float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			s += math.Abs(p[y*w+x])
		}
	}
	return s / math.Max(float64(r.Dx()*r.Dy()), 1)
}

// variance returns the variance of p (w wide) over r.
func variance(p []float64, w int, r image.Rectangle) float64 {
	m := mean(p, w, r)
	var s float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			d := p[y*w+x] - m
			s += d * d
		}
	}
	return s / math.Max(float64(r.Dx()*r.Dy()), 1)
}

// medianRowEnergy returns the median over the rows of r of the mean absolute value of p (w wide)
// along the row. Unlike the mean over r it ignores the few strong rows at the edges of a solid
// bar: what it measures is whether most rows carry structure.
func medianRowEnergy(p []float64, w int, r image.Rectangle) float64 {
	if r.Empty() {
		return 0
	}
	rows := make([]float64, 0, r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		rows = append(rows, meanAbs(p, w, image.Rect(r.Min.X, y, r.Max.X, y+1)))
	}
	sort.Float64s(rows)
	return rows[len(rows)/2]
}
