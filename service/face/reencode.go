package face

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"

	"golang.org/x/image/draw"
)

// reencodeQuality is the JPEG quality of Reencode's output.
const reencodeQuality = 90

// Reencode decodes a JPEG or PNG under the same limits as Check, turns it upright according to its
// EXIF orientation and encodes it as a JPEG of quality 90. The output carries no metadata at all
// (no EXIF, so no GPS position or device data): it is what callers store. A photo Check would
// report as IMAGE_INVALID or IMAGE_TOO_SMALL is an error wrapping ErrInvalidImage.
func Reencode(photo []byte) ([]byte, error) {
	d, reason, _ := decodePhoto(photo)
	if reason != "" {
		return nil, fmt.Errorf("reencode photo: %s: %w", reason, ErrInvalidImage)
	}
	b := d.img.Bounds()
	var img image.Image = d.img
	if d.orientation != 1 {
		rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
		draw.Draw(rgba, rgba.Bounds(), d.img, b.Min, draw.Src)
		img = orient(rgba, d.orientation)
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: reencodeQuality}); err != nil {
		return nil, fmt.Errorf("reencode photo: %w", err)
	}
	return out.Bytes(), nil
}
