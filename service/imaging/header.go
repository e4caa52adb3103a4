package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
)

// Errors of reading and decoding images; check them with errors.Is.
var (
	// ErrUnsupported means the bytes are neither a JPEG nor a PNG file.
	ErrUnsupported = errors.New("imaging: not a JPEG or PNG image")
	// ErrCorrupt means an image's structure is broken or its pixels do not decode.
	ErrCorrupt = errors.New("imaging: corrupt image")
	// ErrTooBig means an image's header declares more than Limits allow. It is decided before any
	// pixel memory is spent.
	ErrTooBig = errors.New("imaging: image too large to decode")
)

// Header is what an image file says about itself before its pixels are decoded.
type Header struct {
	Format        Format
	Width, Height int // as stored, before the EXIF orientation is applied
	Orientation   int // EXIF orientation 1–8; always 1 for PNG
	// BytesPerPixel is what one pixel costs while the standard decoder runs: the decoded pixel
	// buffer for the colour model and bit depth (gray 1, paletted 1, YCbCr up to 3, RGBA 4, CMYK 8
	// with the YCbCr pass it goes through, 16-bit gray 2, 16-bit colour or alpha 8), plus the
	// coefficients a progressive JPEG keeps (4 bytes per component) and the pass images of an
	// interlaced PNG (twice the buffer).
	BytesPerPixel int
}

// Pixels is Width × Height.
func (h Header) Pixels() int64 { return int64(h.Width) * int64(h.Height) }

// DecodeBytes is the memory the decode of this image takes: Pixels × BytesPerPixel.
func (h Header) DecodeBytes() int64 { return h.Pixels() * int64(h.BytesPerPixel) }

// Upright is the displayed size, the sides swapped for orientations 5–8.
func (h Header) Upright() image.Point { return OrientedSize(h.Width, h.Height, h.Orientation) }

// ReadHeader reads a JPEG or PNG header without decoding pixels. Errors: ErrUnsupported for other
// bytes, ErrCorrupt for a header that cannot be read or declares an empty image.
func ReadHeader(data []byte) (Header, error) {
	var (
		h   Header
		cfg image.Config
		err error
	)
	switch h.Format = Sniff(data); h.Format {
	case JPEG:
		cfg, err = jpeg.DecodeConfig(bytes.NewReader(data))
		if err == nil {
			f := readJPEGFrame(data)
			h.Orientation, h.BytesPerPixel = f.orientation, jpegBytesPerPixel(f)
		}
	case PNG:
		cfg, err = png.DecodeConfig(bytes.NewReader(data))
		if err == nil {
			h.Orientation, h.BytesPerPixel = 1, pngBytesPerPixel(data)
		}
	default:
		return Header{}, ErrUnsupported
	}
	if err != nil {
		return Header{}, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Header{}, fmt.Errorf("%w: %d×%d pixels", ErrCorrupt, cfg.Width, cfg.Height)
	}
	h.Width, h.Height = cfg.Width, cfg.Height
	return h, nil
}

// jpegBytesPerPixel prices a JPEG decode: gray 1, YCbCr 3 (4:4:4, the most a subsampling keeps),
// four components 8 (the decoder fills YCbCr and a black plane, then converts to CMYK), and a
// progressive frame's int32 coefficients on top, 4 bytes per component.
func jpegBytesPerPixel(f jpegFrame) int {
	n := 3
	switch f.components {
	case 1:
		n = 1
	case 4:
		n = 8
	}
	if f.progressive {
		n += 4 * max(f.components, 3)
	}
	return n
}

// PNG colour types from the IHDR chunk that decode to one byte per pixel.
const (
	pngGray     = 0
	pngPaletted = 3
)

// pngBytesPerPixel prices a PNG decode from its IHDR and, for gray and truecolour images, whether a
// tRNS chunk (which makes the decoder produce NRGBA) comes before the image data. The caller has
// checked the header with png.DecodeConfig.
func pngBytesPerPixel(data []byte) int {
	const ihdr = len(pngSignature) + 8 // IHDR's data: width, height, depth, colour type, …, interlace
	depth, colour, interlaced := data[ihdr+8], data[ihdr+9], data[ihdr+12] == 1
	n := 4
	switch {
	case colour == pngPaletted:
		n = 1
	case colour == pngGray && !hasTransparency(data):
		n = 1
		if depth == 16 {
			n = 2
		}
	case depth == 16 && colour != pngPaletted:
		n = 8
	}
	if interlaced {
		n *= 2
	}
	return n
}

// hasTransparency reports whether a tRNS chunk appears before the first IDAT chunk.
func hasTransparency(data []byte) bool {
	for pos := len(pngSignature); pos+8 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[pos:]))
		switch string(data[pos+4 : pos+8]) {
		case "tRNS":
			return true
		case "IDAT":
			return false
		}
		next := int64(pos) + 12 + n
		if next > int64(len(data)) {
			return false
		}
		pos = int(next)
	}
	return false
}

// Limits bounds the images a caller decodes. A zero field is no limit.
type Limits struct {
	MaxSide   int   // longest stored side in pixels
	MaxPixels int64 // width × height
	MaxBytes  int64 // DecodeBytes
}

// Check returns an error wrapping ErrTooBig when h declares more than l allows.
func (l Limits) Check(h Header) error {
	switch {
	case l.MaxSide > 0 && (h.Width > l.MaxSide || h.Height > l.MaxSide),
		l.MaxPixels > 0 && h.Pixels() > l.MaxPixels:
		return fmt.Errorf("%w: %d×%d pixels", ErrTooBig, h.Width, h.Height)
	case l.MaxBytes > 0 && h.DecodeBytes() > l.MaxBytes:
		return fmt.Errorf("%w: %d×%d pixels at %d bytes each", ErrTooBig, h.Width, h.Height, h.BytesPerPixel)
	}
	return nil
}

// Decode decodes the pixels of data, whose header ReadHeader returned as h, in their stored
// orientation. A decode that fails or yields another size than the header's is ErrCorrupt.
func Decode(data []byte, h Header) (image.Image, error) {
	decode := jpeg.Decode
	if h.Format == PNG {
		decode = png.Decode
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if b := img.Bounds(); b.Dx() != h.Width || b.Dy() != h.Height {
		return nil, fmt.Errorf("%w: decoded %v, header said %d×%d", ErrCorrupt, b.Size(), h.Width, h.Height)
	}
	return img, nil
}
