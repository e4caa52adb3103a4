package face

import "image"

// orientedSize returns the displayed size of a stored w×h image under EXIF orientation o:
// orientations 5–8 swap the sides.
func orientedSize(w, h, o int) image.Point {
	if o >= 5 && o <= 8 {
		return image.Pt(h, w)
	}
	return image.Pt(w, h)
}

// orient returns src as displayed under EXIF orientation o (1 returns src itself). src must have
// its origin at (0, 0). Displayed pixel (x, y) comes from stored pixel (sx, sy) =
// (ax·x + bx·y + cx, ay·x + by·y + cy), with coefficients from the orientation's definition
// (e.g. 6: stored row 0 is the right edge, stored column 0 the top edge).
func orient(src *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return src
	}
	w, h := src.Rect.Dx(), src.Rect.Dy()
	var ax, bx, cx, ay, by, cy int
	switch o {
	case 2: // mirrored horizontally
		ax, cx, by = -1, w-1, 1
	case 3: // rotated 180°
		ax, cx, by, cy = -1, w-1, -1, h-1
	case 4: // mirrored vertically
		ax, by, cy = 1, -1, h-1
	case 5: // transposed
		bx, ay = 1, 1
	case 6: // stored rotated 90° counter-clockwise: turn clockwise
		bx, ay, cy = 1, -1, h-1
	case 7: // transversed
		bx, cx, ay, cy = -1, w-1, -1, h-1
	case 8: // stored rotated 90° clockwise: turn counter-clockwise
		bx, cx, ay = -1, w-1, 1
	}
	size := orientedSize(w, h, o)
	dst := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
	stepX := 4*ax + src.Stride*ay // source offset change per displayed column
	for y := range size.Y {
		si := 4*(bx*y+cx) + src.Stride*(by*y+cy)
		di := y * dst.Stride
		for range size.X {
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
			si += stepX
			di += 4
		}
	}
	return dst
}
