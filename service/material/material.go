// Package material inspects and cleans the files applicants upload for their filing orders: certificate
// scans, ID card photos and signed letters.
//
// Process reads an upload under a size limit, recognises its type from its bytes, refuses images that are
// too large to decode safely, corrupt or (when asked) not in colour, and removes metadata such as EXIF GPS
// positions before the bytes are stored. Reading, pricing, decoding and stripping are package imaging's;
// decodes run under the shared imaging.Limiter when Options carries one.
package material

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/beian/beian/service/imaging"
)

// Defaults used by Process when an Options field is zero or negative.
const (
	DefaultMaxBytes  = 9 * 1024 * 1024 // 9 MiB
	DefaultMaxSide   = 10000           // pixels, either side
	DefaultMaxPixels = 40_000_000      // width × height
	// DefaultMaxDecodeBytes bounds the pixel memory of one decode: 40 megapixels at 4 bytes, so a
	// 16-bit or CMYK image is held to fewer pixels.
	DefaultMaxDecodeBytes = 160_000_000
)

// Media types Process recognises and reports in Processed.MediaType.
const (
	MediaJPEG = "image/jpeg"
	MediaPNG  = "image/png"
	MediaPDF  = "application/pdf"
)

// Errors returned by Process, possibly wrapped with detail; check them with errors.Is.
var (
	// ErrTooLarge means the upload, or the cleaned file, is longer than Options.MaxBytes.
	ErrTooLarge = imaging.ErrFileTooLarge
	// ErrUnsupportedType means the bytes are not a JPEG, PNG or PDF file.
	ErrUnsupportedType = errors.New("material: unsupported file type")
	// ErrImageDimensions means an image declares a side longer than Options.MaxSide, more pixels than
	// Options.MaxPixels, or a decode costing more than Options.MaxDecodeBytes (or the whole limiter
	// budget). It is decided from the header, before any pixel is decoded.
	ErrImageDimensions = errors.New("material: image dimensions too large")
	// ErrCorrupt means an image's structure is broken or its pixels do not decode.
	ErrCorrupt = imaging.ErrCorrupt
	// ErrNotColour means Options.RequireColour was set and the image is grayscale.
	ErrNotColour = errors.New("material: image is not in colour")
)

// Options bounds what Process accepts. The zero value means the defaults, colour not required.
type Options struct {
	MaxBytes      int64 // longest upload accepted, and longest file stored; DefaultMaxBytes when ≤ 0
	RequireColour bool  // refuse grayscale images with ErrNotColour (certificate scans must be colour)
	MaxSide       int   // longest image side in pixels; DefaultMaxSide when ≤ 0
	MaxPixels     int   // most pixels (width × height) in an image; DefaultMaxPixels when ≤ 0
	// MaxDecodeBytes bounds one image's pixel memory (imaging.Header.DecodeBytes);
	// DefaultMaxDecodeBytes when ≤ 0.
	MaxDecodeBytes int64
	// Limiter, when set, runs each decode under the process-wide bound on concurrent decodes and
	// their memory; its *imaging.BusyError comes back from Process unchanged.
	Limiter *imaging.Limiter
	// Buffers, when set, lends the buffer the upload is read into; Processed.Data may then share
	// it until Processed.Release hands it back.
	Buffers *Buffers
}

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxSide <= 0 {
		o.MaxSide = DefaultMaxSide
	}
	if o.MaxPixels <= 0 {
		o.MaxPixels = DefaultMaxPixels
	}
	if o.MaxDecodeBytes <= 0 {
		o.MaxDecodeBytes = DefaultMaxDecodeBytes
	}
	return o
}

// Processed is an accepted upload, ready to store.
type Processed struct {
	Data            []byte // the bytes to store; never longer than Options.MaxBytes
	MediaType       string // MediaJPEG, MediaPNG or MediaPDF, sniffed from the bytes
	Width, Height   int    // pixels as displayed (after any EXIF orientation); 0 for a PDF
	SHA256          string // lowercase hex SHA-256 of Data
	Size            int64  // len(Data)
	MetadataRemoved bool   // some metadata (EXIF, XMP, text chunks, trailing bytes…) was dropped from the upload
	// Reencoded is true when Data holds re-encoded pixels rather than the uploaded image data. It happens
	// only for a JPEG whose EXIF orientation is not 1: the pixels are turned upright and encoded again at
	// JPEG quality 92, since dropping the orientation tag alone would show the image turned.
	Reencoded bool

	buf  *[]byte  // the read buffer Data may share, lent by lent until Release
	lent *Buffers // where buf goes back
}

// Process reads one upload from r and returns what to store, or an error wrapping one of the package's
// sentinel errors, an *imaging.BusyError, ctx's error or the reader's own error.
//
// It reads at most opts.MaxBytes+1 bytes and returns ErrTooLarge as soon as that many have arrived. The type
// comes from the leading bytes only (file names and client content types are not consulted):
//   - JPEG and PNG are checked against the limits from their headers (sides, pixels, and pixel memory at
//     the real bytes per pixel), stripped of metadata losslessly (see imaging.StripJPEG and
//     imaging.StripPNG for what is kept), and read in full under opts.Limiter, so truncated or corrupt
//     files are refused with ErrCorrupt, with colour checked when opts.RequireColour is set. An upright
//     baseline JPEG is read by imaging.ScanJPEG: every block's entropy-coded data, colour judged from
//     the chroma coefficients, no pixels reconstructed. Anything else, and any file the scan cannot
//     read, is decoded fully, and that decode has the last word.
//   - PDF is stored as it was uploaded: its metadata (document information, XMP) is not handled, nor is its
//     content validated beyond the "%PDF-" signature.
//
// Process is idempotent: processing Data again yields the same Data. With opts.Buffers, the
// caller calls Release once it is done with Data.
func Process(ctx context.Context, r io.Reader, opts Options) (Processed, error) {
	opts = opts.withDefaults()
	buf := opts.Buffers.get()
	p, err := process(ctx, r, opts, buf)
	if err != nil {
		opts.Buffers.put(buf)
		return Processed{}, err
	}
	p.buf, p.lent = buf, opts.Buffers
	return p, nil
}

// process is Process reading into *buf when buf is not nil, and keeping there the storage it read
// into.
func process(ctx context.Context, r io.Reader, opts Options, buf *[]byte) (Processed, error) {
	var into []byte
	if buf != nil {
		into = *buf
	}
	data, err := imaging.ReadLimitedInto(into, r, opts.MaxBytes)
	if err != nil {
		return Processed{}, err
	}
	if buf != nil {
		*buf = data
	}
	var p Processed
	switch imaging.Sniff(data) {
	case imaging.JPEG, imaging.PNG:
		p, err = processImage(ctx, data, opts)
	case imaging.PDF:
		p = Processed{Data: data, MediaType: MediaPDF}
	default:
		return Processed{}, ErrUnsupportedType
	}
	if err != nil {
		return Processed{}, err
	}
	if int64(len(p.Data)) > opts.MaxBytes {
		return Processed{}, fmt.Errorf("%w: %d bytes after cleaning", ErrTooLarge, len(p.Data))
	}
	sum := sha256.Sum256(p.Data)
	p.SHA256 = hex.EncodeToString(sum[:])
	p.Size = int64(len(p.Data))
	return p, nil
}
