package material

import (
	"context"
	"errors"
	"testing"

	"github.com/beian/beian/service/imaging"
	"github.com/beian/beian/service/imaging/imagingtest"
)

// TestScanAndDecodeAgree holds the scan path of upright JPEGs (colour judged from the chroma
// coefficients) to the verdicts of the full decode it replaced, on pages with and without colour.
func TestScanAndDecodeAgree(t *testing.T) {
	doc := documentImage(white, true)
	files := map[string][]byte{
		"sealed document q85":        imagingtest.EncodeJPEG(t, doc, 85),
		"sealed document q40":        imagingtest.EncodeJPEG(t, doc, 40),
		"photo":                      imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(300, 200), 85),
		"grayscale file":             imagingtest.EncodeJPEG(t, toGray(doc), 85),
		"gray page in a colour file": imagingtest.EncodeJPEG(t, toGrayRGBA(doc), 75),
		"black and white on tan":     imagingtest.EncodeJPEG(t, documentImage(paperTan, false), 85),
		"unsealed white document":    imagingtest.EncodeJPEG(t, documentImage(white, false), 95),
	}
	opts := Options{RequireColour: true}.withDefaults()
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			h, err := imaging.ReadHeader(data)
			if err != nil {
				t.Fatal(err)
			}
			s, err := imaging.StripJPEG(data)
			if err != nil {
				t.Fatal(err)
			}
			scanned, scanErr := scanJPEG(context.Background(), s, h, opts)
			if errors.Is(scanErr, imaging.ErrNeedsDecode) {
				t.Fatalf("the standard encoder's output left to a full decode: %v", scanErr)
			}
			decoded, decodeErr := decodeAndFinish(s, h, MediaJPEG, opts)
			if !errors.Is(scanErr, decodeErr) && !errors.Is(decodeErr, scanErr) {
				t.Fatalf("scan says %v, decode says %v", scanErr, decodeErr)
			}
			if scanErr == nil && (scanned.Width != decoded.Width || scanned.Height != decoded.Height || string(scanned.Data) != string(decoded.Data)) {
				t.Fatalf("scan gave %d×%d (%d bytes), decode %d×%d (%d bytes)", scanned.Width, scanned.Height, len(scanned.Data),
					decoded.Width, decoded.Height, len(decoded.Data))
			}
		})
	}
}
