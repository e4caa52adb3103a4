package face

import (
	"image"
	"math"
	"sort"

	pigo "github.com/esimov/pigo/core"
)

const (
	// minDetectShare is the smallest face searched for, as a share of the work copy's short side. It
	// is well under defaultMinFaceShare so that a second, smaller person in the frame is still seen
	// and reported as MULTIPLE_FACES: the group photos' faces measure 12–23 % of their short side.
	minDetectShare = 0.06
	// minDetectSide is the floor of the smallest face searched for, in work-copy pixels, for work
	// copies with an extreme aspect ratio; pigo's own examples start at 20.
	minDetectSide = 24
	// shiftFactor and scaleFactor are pigo's window step (share of the window) and the growth
	// between window sizes: pigo's documented defaults.
	shiftFactor = 0.1
	scaleFactor = 1.1
	// clusterIoU is the overlap above which pigo's ClusterDetections joins raw detections (pigo's default).
	clusterIoU = 0.2
	// minFaceQuality is the lowest summed cascade score of a cluster counted as a face. Measured: the
	// frontal portrait scores 340, the 17 group-photo faces pigo finds 12.5–192; the strongest false
	// positives (the portrait's eyes taken for tiny faces, textures in the group photos) 7.3. The
	// five it misses (heads tilted about 25°, a profile) give no cluster above 3.
	minFaceQuality = 10
	// mergeIoU merges two kept clusters that overlap this much, on top of the centre-inside test.
	mergeIoU = 0.3
)

// face is one detected face in work-copy coordinates: a square of side size centred on (col, row).
type face struct {
	row, col, size int
	q              float32
}

// rect returns the face's square, not clipped to the image.
func (f face) rect() image.Rectangle {
	x0, y0 := f.col-f.size/2, f.row-f.size/2
	return image.Rect(x0, y0, x0+f.size, y0+f.size)
}

// detect runs the face cascade over the grayscale work copy and returns the faces it believes in,
// strongest first, with the nested or overlapping boxes pigo leaves on one face merged.
func (c *Checker) detect(gray []uint8, w, h int) []face {
	short := min(w, h)
	params := pigo.CascadeParams{
		MinSize:     max(minDetectSide, int(minDetectShare*float64(short))),
		MaxSize:     short,
		ShiftFactor: shiftFactor,
		ScaleFactor: scaleFactor,
		ImageParams: pigo.ImageParams{Pixels: gray, Rows: h, Cols: w, Dim: w},
	}
	if params.MinSize > params.MaxSize {
		return nil
	}
	dets := c.cascade.ClusterDetections(c.cascade.RunCascade(params, 0), clusterIoU)
	var faces []face
	for _, d := range dets {
		if d.Q >= minFaceQuality {
			faces = append(faces, face{row: d.Row, col: d.Col, size: d.Scale, q: d.Q})
		}
	}
	return mergeFaces(faces)
}

// mergeFaces keeps the strongest of every group of boxes on one face: a box whose centre lies inside
// a stronger kept box, or that contains the stronger box's centre, or that overlaps it by more than
// mergeIoU, is dropped.
func mergeFaces(faces []face) []face {
	sort.Slice(faces, func(i, j int) bool { return faces[i].q > faces[j].q })
	var kept []face
	for _, f := range faces {
		dup := false
		for _, k := range kept {
			if sameFace(f, k) {
				dup = true
				break
			}
		}
		if !dup {
			kept = append(kept, f)
		}
	}
	return kept
}

// sameFace reports whether two boxes sit on the same face.
func sameFace(a, b face) bool {
	ra, rb := a.rect(), b.rect()
	if image.Pt(a.col, a.row).In(rb) || image.Pt(b.col, b.row).In(ra) {
		return true
	}
	inter := ra.Intersect(rb)
	if inter.Empty() {
		return false
	}
	ia := float64(inter.Dx() * inter.Dy())
	union := float64(a.size*a.size+b.size*b.size) - ia
	return ia/math.Max(union, 1) > mergeIoU
}

// luma returns the BT.601 luma of every pixel of an RGBA image with origin (0, 0), row by row —
// the grayscale pigo expects.
func luma(img *image.RGBA) []uint8 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := make([]uint8, w*h)
	for y := range h {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := range w {
			r, g, b := uint32(row[4*x]), uint32(row[4*x+1]), uint32(row[4*x+2])
			out[y*w+x] = uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 16)
		}
	}
	return out
}
