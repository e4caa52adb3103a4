package imaging

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
)

// EncodeJPEG encodes img as a JPEG of the given quality with the carried segments (ICC profiles
// from Stripped.Carry) placed right after SOI. The output has no other metadata.
func EncodeJPEG(img image.Image, quality int, carry ...[]byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	enc := buf.Bytes()
	n := len(enc)
	for _, seg := range carry {
		n += len(seg)
	}
	out := make([]byte, 0, n)
	out = append(out, enc[:2]...)
	for _, seg := range carry {
		out = append(out, seg...)
	}
	return append(out, enc[2:]...), nil
}
