// Package face checks a responsible person's face photo offline before it is accepted for an ICP
// filing: a readable JPEG or PNG of reasonable size, exactly one upright face of a usable size, a
// plain light background, correct exposure, sharpness and an uncovered eye region.
//
// Face detection is pigo's pixel-intensity-comparison cascade; pigo's facefinder cascade is built
// into the package (cascade/, with pigo's licence), and Options.Cascade may override it.
package face

import (
	"context"
	"errors"
	"fmt"
	"image"

	"github.com/beian/beian/service/imaging"
	pigo "github.com/esimov/pigo/core"
)

// Options tunes a Checker. The zero value gives the provider's defaults.
type Options struct {
	// Cascade is a pigo face cascade to use instead of the built-in one (see LoadCascade); nil
	// means the built-in one.
	Cascade []byte
	// MinFaceShare and MaxFaceShare bound the face box's side as a share of the photo's short side;
	// zero means 0.20 and 0.85.
	MinFaceShare, MaxFaceShare float64
	// Limiter, when set, runs each decode under the process-wide bound on concurrent decodes and
	// their memory.
	Limiter *imaging.Limiter
}

// Box is an axis-aligned rectangle in pixels of the upright photo; (X, Y) is its top-left corner.
type Box struct {
	X, Y, Width, Height int
}

// Result is the verdict on one photo. Passed is true exactly when Reasons is empty. Width and Height
// are the upright photo's size when its header could be read. Face and Score describe the single
// face found, in upright full-size coordinates; they are zero when there is not exactly one face.
type Result struct {
	Passed        bool
	Reasons       []Reason
	Width, Height int
	Face          Box
	Score         float32 // pigo's summed cascade score of the face: higher is more certain
}

// Checker judges face photos. It holds only read-only data and is safe for concurrent use.
type Checker struct {
	cascade            *pigo.Pigo
	minShare, maxShare float64
	limiter            *imaging.Limiter
}

// ErrInvalidImage is returned by Reencode for data Check would fail with IMAGE_INVALID or
// IMAGE_TOO_SMALL.
var ErrInvalidImage = errors.New("face: invalid image")

// NewChecker builds a Checker from options. It fails with ErrBadCascade when Options.Cascade's
// length does not match its header, and on options out of range.
func NewChecker(opts Options) (*Checker, error) {
	cascade := opts.Cascade
	if cascade == nil {
		cascade = facefinder
	}
	if err := validateCascade(cascade); err != nil {
		return nil, fmt.Errorf("new face checker: %w", err)
	}
	c := &Checker{minShare: defaultMinFaceShare, maxShare: defaultMaxFaceShare, limiter: opts.Limiter}
	if opts.MinFaceShare != 0 {
		c.minShare = opts.MinFaceShare
	}
	if opts.MaxFaceShare != 0 {
		c.maxShare = opts.MaxFaceShare
	}
	if c.minShare <= 0 || c.minShare >= c.maxShare || c.maxShare > 1 {
		return nil, fmt.Errorf("new face checker: face share bounds %v–%v out of range", c.minShare, c.maxShare)
	}
	p, err := pigo.NewPigo().Unpack(cascade)
	if err != nil {
		return nil, fmt.Errorf("new face checker: %w", err)
	}
	c.cascade = p
	return c, nil
}

// Check judges one photo (JPEG or PNG bytes). A photo that is unreadable, too large or too small is
// a failed Result with IMAGE_INVALID or IMAGE_TOO_SMALL, not an error; every rule that applies runs,
// so a Result may carry several reasons, but the face rules run only when exactly one face was
// found. The error is non-nil only when ctx ends first or the limiter stayed busy for its whole
// wait (an *imaging.BusyError).
func (c *Checker) Check(ctx context.Context, photo []byte) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("check photo: %w", err)
	}
	h, reason, size := readPhoto(photo)
	if reason != "" {
		return Result{Reasons: []Reason{reason}, Width: size.X, Height: size.Y}, nil
	}
	var res Result
	reason, err := c.withDecoded(ctx, photo, h, workBytes, func(d decoded) (err error) {
		res, err = c.checkDecoded(ctx, d, size)
		return err
	})
	if err != nil {
		return Result{}, fmt.Errorf("check photo: %w", err)
	}
	if reason != "" {
		return Result{Reasons: []Reason{reason}, Width: size.X, Height: size.Y}, nil
	}
	return res, nil
}

// checkDecoded runs the rules on a decoded photo whose upright size is size.
func (c *Checker) checkDecoded(ctx context.Context, d decoded, size image.Point) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	work, scale := workCopy(d)
	gray := luma(work)
	faces := c.detect(gray, work.Rect.Dx(), work.Rect.Dy())
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	res := Result{Width: size.X, Height: size.Y}
	switch len(faces) {
	case 0:
		res.Reasons = []Reason{ReasonNoFace}
		return res, nil
	case 1:
	default:
		res.Reasons = []Reason{ReasonMultipleFaces}
		return res, nil
	}
	f := faces[0]
	res.Face = fullSizeBox(f.rect().Intersect(work.Rect), scale, size)
	res.Score = f.q
	res.Reasons = c.judge(measure(work, gray, f))
	res.Passed = len(res.Reasons) == 0
	return res, nil
}

// fullSizeBox maps a work-copy rectangle to the upright full-size photo of the given size.
func fullSizeBox(r image.Rectangle, scale float64, size image.Point) Box {
	x0, y0 := int(float64(r.Min.X)*scale), int(float64(r.Min.Y)*scale)
	x1, y1 := min(size.X, int(float64(r.Max.X)*scale+0.5)), min(size.Y, int(float64(r.Max.Y)*scale+0.5))
	return Box{X: x0, Y: y0, Width: x1 - x0, Height: y1 - y0}
}
