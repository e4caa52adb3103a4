package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/color/palette"
	"runtime"
	"strings"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

// side is the test images' side: large enough that the pixel buffer dwarfs a decoder's fixed
// allocations.
const side = 1024

// TestDecodeCostsWhatTheHeaderSays decodes images of every colour model and bit depth and checks
// that Header.DecodeBytes, read without decoding, covers the bytes the decode really allocates,
// and overstates them by at most the factor a priced-for-the-worst-case format allows (a 4:2:0
// JPEG is priced as 4:4:4).
func TestDecodeCostsWhatTheHeaderSays(t *testing.T) {
	rect := image.Rect(0, 0, side, side)
	translucent := func(img interface{ Set(x, y int, c color.Color) }, c color.Color) {
		img.Set(0, 0, c)
	}
	nrgba, nrgba64 := image.NewNRGBA(rect), image.NewNRGBA64(rect)
	translucent(nrgba, color.NRGBA{1, 2, 3, 4})
	translucent(nrgba64, color.NRGBA64{1, 2, 3, 4})
	tests := []struct {
		name          string
		data          []byte
		bytesPerPixel int
		overstate     float64
	}{
		{"PNG gray", imagingtest.EncodePNG(t, image.NewGray(rect)), 1, 1.1},
		{"PNG 16-bit gray", imagingtest.EncodePNG(t, image.NewGray16(rect)), 2, 1.1},
		{"PNG paletted", imagingtest.EncodePNG(t, image.NewPaletted(rect, palette.Plan9)), 1, 1.1},
		{"PNG RGB", imagingtest.EncodePNG(t, image.NewRGBA(rect)), 4, 1.1},
		{"PNG RGBA", imagingtest.EncodePNG(t, nrgba), 4, 1.1},
		{"PNG 16-bit RGB", imagingtest.EncodePNG(t, image.NewRGBA64(rect)), 8, 1.1},
		{"PNG 16-bit RGBA", imagingtest.EncodePNG(t, nrgba64), 8, 1.1},
		{"hostile PNG", imagingtest.HostilePNG(side, side), 8, 1.1},
		{"JPEG gray", imagingtest.EncodeJPEG(t, image.NewGray(rect), 75), 1, 1.1},
		{"JPEG 4:2:0", imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(side, side), 75), 3, 2.1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ReadHeader(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if h.Width != side || h.Height != side || h.BytesPerPixel != tt.bytesPerPixel {
				t.Fatalf("header %+v, want %d×%d at %d bytes a pixel", h, side, side, tt.bytesPerPixel)
			}
			allocated := allocatedBy(t, func() {
				if _, err := Decode(tt.data, h); err != nil {
					t.Fatal(err)
				}
			})
			if allocated > uint64(h.DecodeBytes())+256<<10 {
				t.Errorf("decode allocated %d bytes, priced at %d", allocated, h.DecodeBytes())
			}
			if float64(h.DecodeBytes()) > tt.overstate*float64(allocated) {
				t.Errorf("priced at %d bytes, more than %.1f× the %d allocated", h.DecodeBytes(), tt.overstate, allocated)
			}
		})
	}
}

// allocatedBy returns the bytes fn allocated on the heap.
func allocatedBy(t *testing.T, fn func()) uint64 {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestJPEGBytesPerPixel(t *testing.T) {
	tests := []struct {
		frame jpegFrame
		want  int
	}{
		{jpegFrame{components: 1}, 1},
		{jpegFrame{components: 3}, 3},
		{jpegFrame{components: 4}, 8},
		{jpegFrame{components: 1, progressive: true}, 1 + 12},
		{jpegFrame{components: 3, progressive: true}, 3 + 12},
		{jpegFrame{components: 4, progressive: true}, 8 + 16},
	}
	for _, tt := range tests {
		if got := jpegBytesPerPixel(tt.frame); got != tt.want {
			t.Errorf("%+v: %d bytes a pixel, want %d", tt.frame, got, tt.want)
		}
	}
}

func TestReadHeaderProgressiveAndOriented(t *testing.T) {
	baseline := imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(64, 32), 75)
	sof := bytes.Index(baseline, []byte{0xff, 0xc0})
	progressive := bytes.Clone(baseline)
	progressive[sof+1] = 0xc2
	h, err := ReadHeader(imagingtest.WithOrientation(progressive, 6))
	if err != nil {
		t.Fatal(err)
	}
	if h.BytesPerPixel != 15 || h.Orientation != 6 || h.Upright() != image.Pt(32, 64) {
		t.Fatalf("header %+v upright %v, want 15 bytes a pixel, orientation 6, 32×64", h, h.Upright())
	}
}

func TestReadHeaderErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"PDF", []byte("%PDF-1.7\n"), ErrUnsupported},
		{"text", []byte("hello"), ErrUnsupported},
		{"JPEG without a frame", []byte{0xff, 0xd8, 0xff, 0xd9}, ErrCorrupt},
		{"PNG cut in its header", []byte(pngSignature + "\x00\x00"), ErrCorrupt},
		{"PNG of zero width", imagingtest.HeaderOnlyPNG(0, 10), ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ReadHeader(tt.data); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLimitsCheck(t *testing.T) {
	hostile, err := ReadHeader(imagingtest.HostilePNG(6300, 1))
	if err != nil {
		t.Fatal(err)
	}
	hostile.Height = 6300 // a 6300×6300 header without building the file
	limits := Limits{MaxSide: 10000, MaxPixels: 40_000_000, MaxBytes: 160_000_000}
	tests := []struct {
		name   string
		h      Header
		limits Limits
		want   string
	}{
		{"16-bit 6300×6300 passes sides and pixels but not bytes", hostile, limits, "bytes each"},
		{"side too long", Header{Width: 10001, Height: 1, BytesPerPixel: 1}, limits, "pixels"},
		{"too many pixels", Header{Width: 8000, Height: 8000, BytesPerPixel: 1}, limits, "pixels"},
		{"within", Header{Width: 4000, Height: 3000, BytesPerPixel: 3}, limits, ""},
		{"no limits", hostile, Limits{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.limits.Check(tt.h)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrTooBig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrTooBig mentioning %q", err, tt.want)
			}
		})
	}
}

func TestDecodeRefusesAShortFile(t *testing.T) {
	data := imagingtest.HeaderOnlyPNG(200, 200)
	h, err := ReadHeader(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(data, h); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
}
