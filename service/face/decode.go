package face

import (
	"context"
	"errors"
	"image"

	"github.com/beian/beian/service/imaging"
	"golang.org/x/image/draw"
)

const (
	// maxSide rejects an image whose width or height exceeds it, read from the header before any
	// pixel is decoded: such a side means a panorama, a crafted header or a 100+ MP shot, none of
	// them a face photo.
	maxSide = 10000
	// maxPixels caps width×height: phones save 12 MP by default; a 48 MP or larger full-sensor shot
	// is refused.
	maxPixels = 40_000_000
	// maxDecodeBytes caps one photo's pixel memory at what 40 MP of RGBA take, so a 16-bit or CMYK
	// photo is held to fewer pixels.
	maxDecodeBytes = maxPixels * 4
	// minShortSide is the smallest short side accepted: the provider suggests at least 400×400 and the
	// face rules need a face of at least ~100 px (20 % of 480) to measure blur and the eye band.
	minShortSide = 480
	// workSide is the long side of the copy the rules run on. At 1024 px the smallest acceptable face
	// is still about 100 px wide, and detection costs a fraction of a full-resolution run.
	workSide = 1024
	// workBytes is the memory of the rules' copies at most: the RGBA work copy, its turned copy and
	// the grayscale plane.
	workBytes = workSide * workSide * (4 + 4 + 1)
)

// limits are the header checks every photo passes before its pixels are decoded.
var limits = imaging.Limits{MaxSide: maxSide, MaxPixels: maxPixels, MaxBytes: maxDecodeBytes}

// decoded is a photo that passed the size guards, still in its stored orientation.
type decoded struct {
	img         image.Image
	orientation int // EXIF orientation, 1–8
}

// readPhoto reads a photo's header and applies the size guards. On failure it returns the reason
// and, when the header was readable, the upright size.
func readPhoto(photo []byte) (imaging.Header, Reason, image.Point) {
	h, err := imaging.ReadHeader(photo)
	if err != nil {
		return imaging.Header{}, ReasonImageInvalid, image.Point{}
	}
	size := h.Upright()
	if limits.Check(h) != nil {
		return h, ReasonImageInvalid, size
	}
	if min(h.Width, h.Height) < minShortSide {
		return h, ReasonImageTooSmall, size
	}
	return h, "", size
}

// withDecoded decodes a photo whose header passed readPhoto under the Checker's limiter, extra
// bytes of work memory on top of the decode, and hands it to fn. A photo that does not decode is
// ReasonImageInvalid; so is one whose cost exceeds the limiter's whole budget. The error is the
// limiter's (busy, ctx ended) or fn's.
func (c *Checker) withDecoded(ctx context.Context, photo []byte, h imaging.Header, extra int64, fn func(decoded) error) (Reason, error) {
	var reason Reason
	err := c.limiter.Do(ctx, h.DecodeBytes()+extra, func() error {
		img, err := imaging.Decode(photo, h)
		if err != nil {
			reason = ReasonImageInvalid
			return nil
		}
		return fn(decoded{img: img, orientation: h.Orientation})
	})
	if errors.Is(err, imaging.ErrTooBig) {
		return ReasonImageInvalid, nil
	}
	return reason, err
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
	return imaging.Orient(small, d.orientation).(*image.RGBA), float64(b.Dx()) / float64(w)
}
