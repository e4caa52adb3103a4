package material

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
)

// jpegQuality is the quality of the rare re-encoded JPEG (EXIF orientation applied).
const jpegQuality = 92

// processJPEG checks and cleans a JPEG file. Metadata segments are dropped losslessly unless the EXIF
// orientation asks for the image to be turned, in which case the turned pixels are re-encoded.
func processJPEG(data []byte, opts Options) (Processed, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Processed{}, fmt.Errorf("%w: jpeg header: %v", ErrCorrupt, err)
	}
	if err := checkDimensions(cfg, opts); err != nil {
		return Processed{}, err
	}
	s, err := stripJPEG(data)
	if err != nil {
		return Processed{}, err
	}
	img, err := jpeg.Decode(bytes.NewReader(s.data))
	if err != nil {
		return Processed{}, fmt.Errorf("%w: jpeg: %v", ErrCorrupt, err)
	}
	out := Processed{Data: s.data, MediaType: MediaJPEG, MetadataRemoved: s.removed}
	if s.orientation != 1 {
		img = orient(img, s.orientation)
		if out.Data, err = encodeJPEG(img, s.carry); err != nil {
			return Processed{}, err
		}
		out.Reencoded = true
		// Judge colour on the stored pixels, as processing the output again would.
		if img, err = jpeg.Decode(bytes.NewReader(out.Data)); err != nil {
			return Processed{}, fmt.Errorf("decode turned jpeg: %w", err)
		}
	}
	return finishImage(out, img, opts)
}

// processPNG checks a PNG file and drops its metadata chunks losslessly.
func processPNG(data []byte, opts Options) (Processed, error) {
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Processed{}, fmt.Errorf("%w: png header: %v", ErrCorrupt, err)
	}
	if err := checkDimensions(cfg, opts); err != nil {
		return Processed{}, err
	}
	s, err := stripPNG(data)
	if err != nil {
		return Processed{}, err
	}
	img, err := png.Decode(bytes.NewReader(s.data))
	if err != nil {
		return Processed{}, fmt.Errorf("%w: png: %v", ErrCorrupt, err)
	}
	out := Processed{Data: s.data, MediaType: MediaPNG, MetadataRemoved: s.removed}
	return finishImage(out, img, opts)
}

// checkDimensions refuses an image whose header declares sides or a pixel count beyond the limits, before
// any memory is spent on its pixels.
func checkDimensions(cfg image.Config, opts Options) error {
	w, h := cfg.Width, cfg.Height
	if w <= 0 || h <= 0 {
		return fmt.Errorf("%w: %d×%d pixels", ErrCorrupt, w, h)
	}
	if w > opts.MaxSide || h > opts.MaxSide || int64(w)*int64(h) > int64(opts.MaxPixels) {
		return fmt.Errorf("%w: %d×%d pixels", ErrImageDimensions, w, h)
	}
	return nil
}

// finishImage fills in the displayed size and applies the colour requirement to the decoded image.
func finishImage(p Processed, img image.Image, opts Options) (Processed, error) {
	if opts.RequireColour && isGrayscale(img) {
		return Processed{}, ErrNotColour
	}
	p.Width, p.Height = img.Bounds().Dx(), img.Bounds().Dy()
	return p, nil
}

// encodeJPEG encodes img at jpegQuality and places the carried segments (ICC profile) after SOI.
func encodeJPEG(img image.Image, carry [][]byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, fmt.Errorf("encode turned jpeg: %w", err)
	}
	enc := buf.Bytes()
	out := make([]byte, 0, len(enc)+carriedLen(carry))
	out = append(out, enc[:2]...)
	for _, seg := range carry {
		out = append(out, seg...)
	}
	return append(out, enc[2:]...), nil
}

func carriedLen(carry [][]byte) int {
	n := 0
	for _, seg := range carry {
		n += len(seg)
	}
	return n
}
