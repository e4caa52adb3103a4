package face

import (
	"image"
	"math"
)

// The head geometry is in face sizes (pigo box sides) from the box's centre, measured on the frontal
// portrait: ears 0.48 to either side, the crown of the hair 0.80 above, the chin 0.57 and the
// shoulders 0.63 below.
const (
	// headHalfWidth is half the width of the head-and-hair box kept out of the background sample.
	headHalfWidth = 0.55
	// headTop is how far the head box reaches above the face centre.
	headTop = 0.85
	// shoulderLine is where the background sample stops below the face centre: above the chin and
	// the shoulders, which spread wider than the head.
	shoulderLine = 0.45
	// lightLuma and neutralChroma define a "plain" background pixel: luma at least lightLuma (of 255)
	// and max(R,G,B)−min(R,G,B) at most neutralChroma. The portrait's white background reads luma
	// 240, chroma 4; darkened to 50 % it reads 120 and fails. 140 admits a white wall exposed about
	// a stop low; 40 (about 16 % saturation) admits off-white and pale walls in warm light but no
	// coloured one (the blue negative's background averages 94).
	lightLuma, neutralChroma = 140, 40
)

// bgStats describes the background sample: the parts of the photo above the shoulder line and
// outside the head box.
type bgStats struct {
	share  float64 // sampled pixels over all pixels of the work copy
	luma   float64 // mean luma
	std    float64 // standard deviation of luma
	chroma float64 // mean of max(R,G,B)−min(R,G,B)
	plain  float64 // share of sampled pixels that are light and neutral
}

// background samples the region around the head of face f on the work copy.
func background(work *image.RGBA, gray []uint8, f face) bgStats {
	w, h := work.Rect.Dx(), work.Rect.Dy()
	s := float64(f.size)
	bottom := min(h, int(float64(f.row)+shoulderLine*s))
	head := image.Rect(
		int(float64(f.col)-headHalfWidth*s), int(float64(f.row)-headTop*s),
		int(float64(f.col)+headHalfWidth*s), h)
	var n, plain int
	var sum, sumSq, chroma float64
	for y := range bottom {
		for x := range w {
			if image.Pt(x, y).In(head) {
				continue
			}
			l := float64(gray[y*w+x])
			p := work.Pix[y*work.Stride+4*x : y*work.Stride+4*x+3]
			c := float64(max(p[0], p[1], p[2]) - min(p[0], p[1], p[2]))
			n++
			sum += l
			sumSq += l * l
			chroma += c
			if l >= lightLuma && c <= neutralChroma {
				plain++
			}
		}
	}
	if n == 0 {
		return bgStats{}
	}
	fn := float64(n)
	m := sum / fn
	return bgStats{
		share:  fn / float64(w*h),
		luma:   m,
		std:    math.Sqrt(math.Max(0, sumSq/fn-m*m)),
		chroma: chroma / fn,
		plain:  float64(plain) / fn,
	}
}
