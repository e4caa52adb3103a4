package material

import (
	"context"
	"errors"
	"fmt"
	"image"

	"github.com/beian/beian/service/imaging"
)

// jpegQuality is the quality of the rare re-encoded JPEG (EXIF orientation applied).
const jpegQuality = 92

// turnBytesPerPixel is the memory turning a JPEG upright adds per pixel: an RGBA copy of the
// decoded image, the turned RGBA buffer, and the YCbCr decode of the re-encoded file.
const turnBytesPerPixel = 4 + 4 + 3

// processImage checks and cleans a JPEG or PNG file. Metadata is dropped losslessly unless a JPEG's
// EXIF orientation asks for the image to be turned, in which case the turned pixels are re-encoded.
func processImage(ctx context.Context, data []byte, opts Options) (Processed, error) {
	h, err := imaging.ReadHeader(data)
	if err != nil {
		return Processed{}, err
	}
	limits := imaging.Limits{MaxSide: opts.MaxSide, MaxPixels: int64(opts.MaxPixels), MaxBytes: opts.MaxDecodeBytes}
	if err := limits.Check(h); err != nil {
		return Processed{}, fmt.Errorf("%w: %v", ErrImageDimensions, err)
	}
	strip, media := imaging.StripPNG, MediaPNG
	if h.Format == imaging.JPEG {
		strip, media = imaging.StripJPEG, MediaJPEG
	}
	s, err := strip(data)
	if err != nil {
		return Processed{}, err
	}
	if h.Format == imaging.JPEG && h.Orientation == 1 {
		out, err := scanJPEG(ctx, s, h, opts)
		if !errors.Is(err, imaging.ErrNeedsDecode) {
			return out, err
		}
	}
	cost := h.DecodeBytes()
	if h.Orientation != 1 {
		cost += h.Pixels() * turnBytesPerPixel
	}
	var out Processed
	err = opts.Limiter.Do(ctx, cost, func() error {
		out, err = decodeAndFinish(s, h, media, opts)
		return err
	})
	if errors.Is(err, imaging.ErrTooBig) {
		return Processed{}, fmt.Errorf("%w: %v", ErrImageDimensions, err)
	}
	return out, err
}

// scanCost is what a scan holds of the limiter's memory budget: its tables and two chroma blocks,
// rounded up generously; the point of holding it is the limiter's bound on concurrent image work.
const scanCost = 64 << 10

// scanJPEG accepts an upright JPEG after reading all its entropy-coded data and judging its colour
// from the chroma coefficients (imaging.ScanJPEG), without reconstructing pixels. It returns
// imaging.ErrNeedsDecode for a file that scan does not follow or could not read, which a full
// decode then judges: so corrupt files get the decoder's verdict, and the rare ones the scan does
// not cover are not refused for it.
func scanJPEG(ctx context.Context, s imaging.Stripped, h imaging.Header, opts Options) (Processed, error) {
	// The image is grayscale while at most this many pixels are coloured (see isGrayscale); colour is
	// certain, and the scan stops counting, once it passes.
	grayUpTo := h.Pixels() * (1000 - grayPermille) / 1000
	var scan imaging.JPEGScan
	err := opts.Limiter.Do(ctx, scanCost, func() (err error) {
		scan, err = imaging.ScanJPEG(s.Data, neutralSpread, grayUpTo)
		return err
	})
	if err != nil {
		return Processed{}, err
	}
	if scan.Width != h.Width || scan.Height != h.Height {
		return Processed{}, fmt.Errorf("%w: scan saw %d×%d, header said %d×%d", imaging.ErrNeedsDecode, scan.Width, scan.Height, h.Width, h.Height)
	}
	if opts.RequireColour && (scan.Gray || scan.Colour <= grayUpTo) {
		return Processed{}, ErrNotColour
	}
	return Processed{Data: s.Data, MediaType: MediaJPEG, MetadataRemoved: s.Removed, Width: h.Width, Height: h.Height}, nil
}

// decodeAndFinish decodes the stripped file, turns it upright when its orientation asks for it, and
// applies the colour requirement.
func decodeAndFinish(s imaging.Stripped, h imaging.Header, media string, opts Options) (Processed, error) {
	img, err := imaging.Decode(s.Data, h)
	if err != nil {
		return Processed{}, err
	}
	out := Processed{Data: s.Data, MediaType: media, MetadataRemoved: s.Removed}
	if h.Orientation != 1 {
		if out.Data, err = imaging.EncodeJPEG(imaging.Orient(img, h.Orientation), jpegQuality, s.Carry...); err != nil {
			return Processed{}, err
		}
		out.Reencoded = true
		// Judge colour on the stored pixels, as processing the output again would.
		turned, err := imaging.ReadHeader(out.Data)
		if err != nil {
			return Processed{}, fmt.Errorf("read turned jpeg: %w", err)
		}
		if img, err = imaging.Decode(out.Data, turned); err != nil {
			return Processed{}, fmt.Errorf("decode turned jpeg: %w", err)
		}
	}
	return finishImage(out, img, opts)
}

// finishImage fills in the displayed size and applies the colour requirement to the decoded image.
func finishImage(p Processed, img image.Image, opts Options) (Processed, error) {
	if opts.RequireColour && isGrayscale(img) {
		return Processed{}, ErrNotColour
	}
	p.Width, p.Height = img.Bounds().Dx(), img.Bounds().Dy()
	return p, nil
}
