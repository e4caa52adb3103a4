package face

import (
	"image"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

// gray480 is a flat grey photo of the smallest accepted size: it decodes fully and runs every stage.
func gray480() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, 480, 480))
	for i := range img.Pix {
		img.Pix[i] = 128
	}
	return img
}

// FuzzCheck feeds small inputs through the whole check: whatever the bytes, Check returns a
// consistent Result and no error.
func FuzzCheck(f *testing.F) {
	c := testChecker(f)
	full := encodeJPEG(f, gray480())
	f.Add(tinyJPEG(f))
	f.Add(full)
	f.Add(imagingtest.WithOrientation(full, 6))
	f.Add(full[:len(full)/2])
	f.Add(imagingtest.EncodePNG(f, gray480()))
	f.Add(imagingtest.EncodePNG(f, image.NewRGBA(image.Rect(0, 0, 3, 3))))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 64<<10 {
			return
		}
		res, err := c.Check(t.Context(), data)
		if err != nil {
			t.Fatal(err)
		}
		if res.Passed != (len(res.Reasons) == 0) {
			t.Fatalf("Passed=%v with reasons %v", res.Passed, res.Reasons)
		}
	})
}
