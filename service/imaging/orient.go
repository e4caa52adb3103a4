package imaging

import (
	"image"
	"image/draw"
)

// OrientedSize returns the displayed size of a stored w×h image under EXIF orientation o:
// orientations 5–8 swap the sides.
func OrientedSize(w, h, o int) image.Point {
	if o >= 5 && o <= 8 {
		return image.Pt(h, w)
	}
	return image.Pt(w, h)
}

// Orient returns img turned upright according to an EXIF orientation value (2–8; 1 returns img). Gray,
// CMYK and RGBA images keep their type; others (YCbCr, NRGBA…) are converted to RGBA first. A pixel
// buffer starts at its bounds' minimum point, so transform reads each from Pix[0].
func Orient(img image.Image, orientation int) image.Image {
	if orientation < 2 || orientation > 8 {
		return img
	}
	switch m := img.(type) {
	case *image.Gray:
		pix, stride, r := transform(m.Pix, m.Stride, 1, m.Rect, orientation)
		return &image.Gray{Pix: pix, Stride: stride, Rect: r}
	case *image.CMYK:
		pix, stride, r := transform(m.Pix, m.Stride, 4, m.Rect, orientation)
		return &image.CMYK{Pix: pix, Stride: stride, Rect: r}
	case *image.RGBA:
		pix, stride, r := transform(m.Pix, m.Stride, 4, m.Rect, orientation)
		return &image.RGBA{Pix: pix, Stride: stride, Rect: r}
	}
	rgba := image.NewRGBA(image.Rect(0, 0, img.Bounds().Dx(), img.Bounds().Dy()))
	draw.Draw(rgba, rgba.Rect, img, img.Bounds().Min, draw.Src)
	return Orient(rgba, orientation)
}

// transform copies a w×h buffer of bpp-byte pixels into a new buffer turned by an EXIF orientation and
// returns the new buffer, its stride and its bounds (sides swapped for orientations 5–8).
func transform(pix []byte, stride, bpp int, bounds image.Rectangle, orientation int) ([]byte, int, image.Rectangle) {
	w, h := bounds.Dx(), bounds.Dy()
	dw, dh := w, h
	if orientation >= 5 {
		dw, dh = h, w
	}
	dst := make([]byte, dw*dh*bpp)
	for dy := range dh {
		row := dst[dy*dw*bpp : (dy+1)*dw*bpp]
		for dx := range dw {
			sx, sy := sourcePixel(orientation, dx, dy, w, h)
			copy(row[dx*bpp:(dx+1)*bpp], pix[sy*stride+sx*bpp:])
		}
	}
	return dst, dw * bpp, image.Rect(0, 0, dw, dh)
}

// sourcePixel maps a pixel of the upright image to the stored pixel it shows. EXIF orientations: 2 mirror
// horizontally, 3 rotate 180°, 4 mirror vertically, 5 transpose, 6 rotate 90° clockwise, 7 transverse,
// 8 rotate 90° counter-clockwise; w and h are the stored image's sides.
func sourcePixel(orientation, dx, dy, w, h int) (sx, sy int) {
	switch orientation {
	case 2:
		return w - 1 - dx, dy
	case 3:
		return w - 1 - dx, h - 1 - dy
	case 4:
		return dx, h - 1 - dy
	case 5:
		return dy, dx
	case 6:
		return dy, h - 1 - dx
	case 7:
		return w - 1 - dy, h - 1 - dx
	case 8:
		return w - 1 - dy, dx
	}
	return dx, dy
}
