package face

import (
	"context"
	"fmt"

	"github.com/beian/beian/service/imaging"
)

// reencodeQuality is the JPEG quality of Reencode's output.
const reencodeQuality = 90

// Reencode decodes a JPEG or PNG under the same limits as Check (and the same limiter), turns it
// upright according to its EXIF orientation and encodes it as a JPEG of quality 90. The output
// carries no metadata at all (no EXIF, so no GPS position or device data): it is what callers
// store. A photo Check would report as IMAGE_INVALID or IMAGE_TOO_SMALL is an error wrapping
// ErrInvalidImage; the limiter's *imaging.BusyError and ctx's error come back as they are.
func (c *Checker) Reencode(ctx context.Context, photo []byte) ([]byte, error) {
	h, reason, _ := readPhoto(photo)
	if reason != "" {
		return nil, fmt.Errorf("reencode photo: %s: %w", reason, ErrInvalidImage)
	}
	var extra int64
	if h.Orientation != 1 {
		extra = h.Pixels() * (4 + 4) // an RGBA copy and its turned copy
	}
	var out []byte
	reason, err := c.withDecoded(ctx, photo, h, extra, func(d decoded) (err error) {
		out, err = imaging.EncodeJPEG(imaging.Orient(d.img, d.orientation), reencodeQuality)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reencode photo: %w", err)
	}
	if reason != "" {
		return nil, fmt.Errorf("reencode photo: %s: %w", reason, ErrInvalidImage)
	}
	return out, nil
}
