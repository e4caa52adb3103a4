package face

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
)

const (
	// maxSide rejects an image whose width or height exceeds it, read from the header before any
	// pixel is decoded: such a side means a panorama, a crafted header or a 100+ MP shot, none of
	// them a face photo.
	maxSide = 10000
	// maxPixels caps width×height so a decoded image stays under 160 MB even as NRGBA. Phones save
	// 12 MP by default; a 48 MP or larger full-sensor shot is refused.
	maxPixels = 40_000_000
	// minShortSide is the smallest short side accepted: the provider suggests at least 400×400 and the
	// face rules need a face of at least ~100 px (20 % of 480) to measure blur and the eye band.
	minShortSide = 480
	// workSide is the long side of the copy the rules run on. At 1024 px the smallest acceptable face
	// is still about 100 px wide, and detection costs a fraction of a full-resolution run.
	workSide = 1024
)

// Formats recognised by their first bytes.
const (
	formatUnknown = iota
	formatJPEG
	formatPNG
)

// sniff recognises JPEG and PNG by their signatures; everything else is formatUnknown.
func sniff(b []byte) int {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return formatJPEG
	case len(b) >= 8 && string(b[:8]) == "\x89PNG\r\n\x1a\n":
		return formatPNG
	}
	return formatUnknown
}

// decoded is a photo that passed the size guards, still in its stored orientation.
type decoded struct {
	img         image.Image
	orientation int // EXIF orientation, 1–8
}

// decodePhoto decodes a JPEG or PNG within the size limits. It reads the header first and refuses
// oversized images before allocating their pixels. On failure it returns the reason and, when the
// header was readable, the upright size.
func decodePhoto(photo []byte) (decoded, Reason, image.Point) {
	format := sniff(photo)
	decodeConfig, decode := jpeg.DecodeConfig, jpeg.Decode
	switch format {
	case formatPNG:
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case formatUnknown:
		return decoded{}, ReasonImageInvalid, image.Point{}
	}
	cfg, err := decodeConfig(bytes.NewReader(photo))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return decoded{}, ReasonImageInvalid, image.Point{}
	}
	orientation := 1
	if format == formatJPEG {
		orientation = jpegOrientation(photo)
	}
	size := orientedSize(cfg.Width, cfg.Height, orientation)
	if cfg.Width > maxSide || cfg.Height > maxSide || cfg.Width*cfg.Height > maxPixels {
		return decoded{}, ReasonImageInvalid, size
	}
	if min(cfg.Width, cfg.Height) < minShortSide {
		return decoded{}, ReasonImageTooSmall, size
	}
	img, err := decode(bytes.NewReader(photo))
	if err != nil || img.Bounds().Dx() != cfg.Width || img.Bounds().Dy() != cfg.Height {
		return decoded{}, ReasonImageInvalid, size
	}
	return decoded{img: img, orientation: orientation}, "", size
}

// workCopy returns the upright copy the rules run on, downscaled so its long side is at most
// workSide, and the factor that maps its coordinates back to the upright full-size photo.
func workCopy(d decoded) (*image.RGBA, float64) {
	b := d.img.Bounds()
	scale := min(1, float64(workSide)/float64(max(b.Dx(), b.Dy())))
	w := max(1, int(float64(b.Dx())*scale+0.5))
	h := max(1, int(float64(b.Dy())*scale+0.5))
	small := image.NewRGBA(image.Rect(0, 0, w, h))
	if scale == 1 {
		draw.Draw(small, small.Bounds(), d.img, b.Min, draw.Src)
	} else {
		draw.ApproxBiLinear.Scale(small, small.Bounds(), d.img, b, draw.Src, nil)
	}
	return orient(small, d.orientation), float64(b.Dx()) / float64(w)
}
