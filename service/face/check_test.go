package face

import (
	"context"
	"errors"
	"image"
	"slices"
	"sync"
	"testing"

	"github.com/beian/beian/service/imaging"
	"github.com/beian/beian/service/imaging/imagingtest"
)

// faceRect converts a Result's face box to a rectangle.
func faceRect(b Box) image.Rectangle {
	return image.Rect(b.X, b.Y, b.X+b.Width, b.Y+b.Height)
}

func TestCheck(t *testing.T) {
	c := testChecker(t)
	portrait := frontalPortrait(t)
	base, err := c.Check(t.Context(), encodeJPEG(t, portrait))
	if err != nil || !base.Passed {
		t.Fatalf("frontal portrait: %+v, %v; every row below is derived from it", base, err)
	}
	fb := faceRect(base.Face)
	rotated := imaging.Orient(portrait, imagingtest.InverseOrientation(6))

	tests := []struct {
		name  string
		photo []byte
		want  []Reason // nil: the photo passes
	}{
		{"frontal portrait", encodeJPEG(t, portrait), nil},
		{"frontal portrait as PNG", imagingtest.EncodePNG(t, portrait), nil},
		{"stored sideways with EXIF orientation 6", imagingtest.WithOrientation(encodeJPEG(t, rotated), 6), nil},
		{"blank white page", encodeJPEG(t, blankImage(portrait)), []Reason{ReasonNoFace}},
		{"QR-like pattern", imagingtest.EncodePNG(t, qrLikeImage(positiveWidth)), []Reason{ReasonNoFace}},
		{"colour noise", encodeJPEG(t, noiseImage(portrait)), []Reason{ReasonNoFace}},
		{"background recoloured blue", encodeJPEG(t, recolouredBackground(portrait, fb)), []Reason{ReasonBackgroundNotWhite}},
		{"box blurred", encodeJPEG(t, boxBlurred(portrait, 10, 3)), []Reason{ReasonBlurred}},
		// Underexposure greys the white wall too, so the background rule fails with the face.
		{"darkened to 30 %", encodeJPEG(t, scaledLight(portrait, 0.3)), []Reason{ReasonBackgroundNotWhite, ReasonTooDark}},
		{"washed out", encodeJPEG(t, washedOut(portrait, 0.2)), []Reason{ReasonTooBright}},
		{"two copies side by side", encodeJPEG(t, sideBySide(portrait)), []Reason{ReasonMultipleFaces}},
		{"black bar over the eyes", encodeJPEG(t, eyeBar(portrait, fb)), []Reason{ReasonFaceOccluded}},
		{"far from the camera", encodeJPEG(t, shrunkOnWhite(portrait, 0.2)), []Reason{ReasonFaceTooSmall}},
		// So close that no background is left beside the head: the background cannot be confirmed.
		{"too close to the camera", encodeJPEG(t, tooClose(portrait, fb)), []Reason{ReasonFaceTooLarge, ReasonBackgroundNotWhite}},
		{"below 480 px", encodeJPEG(t, resize(portrait, 400)), []Reason{ReasonImageTooSmall}},
		{"GIF signature", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), []Reason{ReasonImageInvalid}},
		{"truncated JPEG", encodeJPEG(t, portrait)[:5000], []Reason{ReasonImageInvalid}},
		{"side over 10000 px", imagingtest.EncodePNG(t, image.NewGray(image.Rect(0, 0, 10001, 1))), []Reason{ReasonImageInvalid}},
		{"empty", nil, []Reason{ReasonImageInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Check(t.Context(), tt.photo)
			if err != nil {
				t.Fatal(err)
			}
			assertReasons(t, res, tt.want)
		})
	}
}

// TestCheckGroupPhotos runs the face-api demo photos in testdata/: real people in real rooms, never a pass.
func TestCheckGroupPhotos(t *testing.T) {
	c := testChecker(t)
	tests := []struct {
		name string
		want []Reason
	}{
		// pigo's upright cascade misses the two tilted heads (about 25°), so one face is left; the
		// dark room behind it fails the background rule.
		{"sample1.jpg", []Reason{ReasonBackgroundNotWhite}},
		{"sample2.jpg", []Reason{ReasonMultipleFaces}},
		{"sample3.jpg", []Reason{ReasonMultipleFaces}},
		{"sample4.jpg", []Reason{ReasonMultipleFaces}},
		{"sample5.jpg", []Reason{ReasonMultipleFaces}},
		{"sample6.jpg", []Reason{ReasonMultipleFaces}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.Check(t.Context(), testPhoto(t, tt.name))
			if err != nil {
				t.Fatal(err)
			}
			assertReasons(t, res, tt.want)
		})
	}
}

// assertReasons checks a Result against the exact reasons expected (nil: a pass) and the
// invariants every Result keeps.
func assertReasons(t *testing.T, res Result, want []Reason) {
	t.Helper()
	if res.Passed != (len(res.Reasons) == 0) {
		t.Fatalf("Passed=%v with reasons %v", res.Passed, res.Reasons)
	}
	if !slices.Equal(res.Reasons, want) {
		t.Fatalf("reasons %v, want %v (result %+v)", res.Reasons, want, res)
	}
	for _, r := range res.Reasons {
		if r.Message() == Reason("").Message() {
			t.Errorf("%s has no message of its own", r)
		}
	}
}

func TestCheckOrientation(t *testing.T) {
	c := testChecker(t)
	portrait := frontalPortrait(t)
	upright, err := c.Check(t.Context(), encodeJPEG(t, portrait))
	if err != nil {
		t.Fatal(err)
	}
	photo := imagingtest.WithOrientation(encodeJPEG(t, imaging.Orient(portrait, imagingtest.InverseOrientation(6))), 6)
	if h, err := imaging.ReadHeader(photo); err != nil || h.Orientation != 6 {
		t.Fatalf("header %+v, %v; want orientation 6", h, err)
	}
	res, err := c.Check(t.Context(), photo)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed || res.Width != upright.Width || res.Height != upright.Height {
		t.Fatalf("rotated photo: %+v, want a pass at %d×%d", res, upright.Width, upright.Height)
	}
	if d := faceRect(res.Face).Intersect(faceRect(upright.Face)); d.Dx()*d.Dy() < upright.Face.Width*upright.Face.Height*8/10 {
		t.Errorf("face %+v does not match the upright photo's %+v", res.Face, upright.Face)
	}

	h, reason, size := readPhoto(photo)
	if reason != "" {
		t.Fatal(reason)
	}
	img, err := imaging.Decode(photo, h)
	if err != nil {
		t.Fatal(err)
	}
	ignored, err := c.checkDecoded(t.Context(), decoded{img: img, orientation: 1}, size)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ignored.Reasons, []Reason{ReasonNoFace}) {
		t.Errorf("with the orientation ignored: %v, want NO_FACE", ignored.Reasons)
	}
}

// TestCheckConcurrent shares one Checker between goroutines; run with -race.
func TestCheckConcurrent(t *testing.T) {
	c := testChecker(t)
	photo := encodeJPEG(t, resize(frontalPortrait(t), minShortSide))
	const workers = 4
	results := make([]Result, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() { results[i], errs[i] = c.Check(t.Context(), photo) })
	}
	wg.Wait()
	for i := range workers {
		if errs[i] != nil || !results[i].Passed || results[i].Face != results[0].Face {
			t.Errorf("worker %d: %+v, %v; want the same pass as worker 0 (%+v)", i, results[i], errs[i], results[0])
		}
	}
}

func TestCheckCancelled(t *testing.T) {
	c := testChecker(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Check(ctx, encodeJPEG(t, frontalPortrait(t)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestNewCheckerOptions(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr bool
	}{
		{"defaults", Options{}, false},
		{"custom bounds", Options{MinFaceShare: 0.3, MaxFaceShare: 0.7}, false},
		{"min above default max", Options{MinFaceShare: 0.9}, true},
		{"max above one", Options{MaxFaceShare: 1.5}, true},
		{"negative min", Options{MinFaceShare: -0.1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewChecker(tt.opts)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestNewCheckerRejectsTruncatedCascade(t *testing.T) {
	data := DefaultCascade()
	for _, n := range []int{0, 15, 16, 1000, len(data) - 4} {
		if _, err := NewChecker(Options{Cascade: data[:n]}); !errors.Is(err, ErrBadCascade) {
			t.Errorf("%d bytes: err = %v, want ErrBadCascade", n, err)
		}
	}
}

func TestReasonMessages(t *testing.T) {
	reasons := []Reason{
		ReasonImageInvalid, ReasonImageTooSmall, ReasonNoFace, ReasonMultipleFaces, ReasonFaceTooSmall,
		ReasonFaceTooLarge, ReasonBackgroundNotWhite, ReasonTooDark, ReasonTooBright, ReasonBlurred,
		ReasonFaceOccluded,
	}
	seen := map[string]Reason{}
	for _, r := range reasons {
		m := r.Message()
		if prev, dup := seen[m]; dup || m == "" {
			t.Errorf("%s: message %q empty or shared with %s", r, m, prev)
		}
		seen[m] = r
	}
	if Reason("SOMETHING_NEW").Message() == "" {
		t.Error("unknown reason has an empty message")
	}
}
