package imaging

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

// scanSpread is the neutral spread the material package judges colour with.
const scanSpread = 24

// chromaColour counts, in a decoded image, the pixels whose chroma spread exceeds scanSpread: the
// figure ScanJPEG reaches without reconstructing pixels (up to the inverse DCT's rounding).
func chromaColour(t testing.TB, img image.Image) int64 {
	t.Helper()
	m, ok := img.(*image.YCbCr)
	if !ok {
		t.Fatalf("decoded %T, want *image.YCbCr", img)
	}
	var n int64
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			o := m.COffset(x, y)
			if chromaSpread(float64(m.Cb[o])-128, float64(m.Cr[o])-128) > scanSpread {
				n++
			}
		}
	}
	return n
}

// sceneImage is a w×h page: white paper, gray text-like stripes, a red disc and a strip of blue
// strokes one or two pixels wide, with some noise; colour sits in a small share of the pixels.
func sceneImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{245, 245, 242, 255}
			if (y/6)%3 == 0 && (x/3)%4 != 0 {
				v := uint8(40 + (x*y)%30)
				c = color.RGBA{v, v, v, 255}
			}
			if dx, dy := x-w*3/4, y-h/3; dx*dx+dy*dy < (h/6)*(h/6) && (dx*dx+dy*dy)%7 < 3 {
				c = color.RGBA{210, 30, 40, 255}
			}
			if y > h*3/4 && y < h*3/4+12 && (x+y/3)%9 < 2 {
				c = color.RGBA{20, 40, 190, 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// testJPEGs are files ScanJPEG must read: the standard encoder's 4:2:0 colour and gray output at
// several sizes and qualities, and the cjpeg files in testdata (4:4:4, 4:2:2, restart intervals).
func testJPEGs(t testing.TB) map[string][]byte {
	files := map[string][]byte{}
	for _, q := range []int{50, 92} {
		for _, size := range []image.Point{{1, 1}, {17, 9}, {64, 48}, {333, 201}} {
			name := func(kind string) string { return kind + "-" + size.String() + "-q" + string(rune('0'+q/10)) }
			files[name("photo")] = imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(size.X, size.Y), q)
			files[name("scene")] = imagingtest.EncodeJPEG(t, sceneImage(size.X, size.Y), q)
			g := image.NewGray(image.Rect(0, 0, size.X, size.Y))
			toGray(g, sceneImage(size.X, size.Y))
			files[name("gray")] = imagingtest.EncodeJPEG(t, g, q)
			files[name("gray-as-colour")] = imagingtest.EncodeJPEG(t, grayAsYCbCr(g), q)
		}
	}
	paths, _ := filepath.Glob("testdata/*.jpg")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	return files
}

func toGray(dst *image.Gray, src image.Image) {
	b := dst.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			dst.Set(x, y, src.At(x, y))
		}
	}
}

func grayAsYCbCr(g *image.Gray) *image.YCbCr {
	b := g.Bounds()
	m := image.NewYCbCr(b, image.YCbCrSubsampleRatio444)
	copy(m.Y, g.Pix)
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = 128, 128
	}
	return m
}

// needsDecode are the testdata files ScanJPEG leaves to a full decode: progressive and
// arithmetic coding (which image/jpeg cannot read either), and RGB components.
var needsDecode = map[string]bool{"cjpeg-progressive.jpg": true, "cjpeg-arithmetic.jpg": true, "cjpeg-rgb.jpg": true}

// TestScanJPEGCountsColourAsTheDecodedChromaDoes compares ScanJPEG's count of coloured pixels with
// the count over image/jpeg's decoded chroma, which may differ only where the two inverse DCTs
// round a sample near the threshold differently.
func TestScanJPEGCountsColourAsTheDecodedChromaDoes(t *testing.T) {
	for name, data := range testJPEGs(t) {
		t.Run(name, func(t *testing.T) {
			got, err := ScanJPEG(data, scanSpread, 1<<62)
			if needsDecode[name] {
				if !errors.Is(err, ErrNeedsDecode) {
					t.Fatalf("err = %v, want ErrNeedsDecode", err)
				}
				return
			}
			img, derr := jpeg.Decode(bytes.NewReader(data))
			if derr != nil {
				t.Fatal(derr)
			}
			if err != nil {
				t.Fatalf("ScanJPEG: %v", err)
			}
			b := img.Bounds()
			if got.Width != b.Dx() || got.Height != b.Dy() {
				t.Fatalf("size %d×%d, decoded %v", got.Width, got.Height, b.Size())
			}
			_, gray := img.(*image.Gray)
			if got.Gray != gray {
				t.Fatalf("Gray = %v, decoded %T", got.Gray, img)
			}
			if gray {
				if got.Colour != 0 {
					t.Fatalf("gray file with %d coloured pixels", got.Colour)
				}
				return
			}
			want := chromaColour(t, img)
			pixels := int64(b.Dx() * b.Dy())
			if diff, tol := got.Colour-want, max(8, pixels/50); diff > tol || -diff > tol {
				t.Errorf("coloured pixels %d, decoded chroma says %d of %d", got.Colour, want, pixels)
			}
		})
	}
}

// TestScanJPEGStopsCountingPastStopAt: once the count passes stopAt, it stops growing but the whole
// entropy-coded data is still read (a break near the end is still caught).
func TestScanJPEGStopsCountingPastStopAt(t *testing.T) {
	data := imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(320, 240), 90)
	got, err := ScanJPEG(data, scanSpread, 100)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := ScanJPEG(data, scanSpread, 1<<62)
	if got.Colour <= 100 || got.Colour >= full.Colour {
		t.Fatalf("stopped at %d (full count %d), want just past 100", got.Colour, full.Colour)
	}
	broken := bytes.Clone(data)
	sos := bytes.Index(broken, []byte{0xff, 0xda})
	copy(broken[len(broken)-40:], bytes.Repeat([]byte{0xff, 0xd5}, 19)) // stray restart markers near the end
	if sos < 0 {
		t.Fatal("no SOS")
	}
	if _, err := ScanJPEG(broken, scanSpread, 100); !errors.Is(err, ErrNeedsDecode) {
		t.Fatalf("damage near the end: %v, want ErrNeedsDecode", err)
	}
}

// TestScanJPEGRefusesWhatItDoesNotFollow: every damaged or unusual file ends in ErrNeedsDecode.
func TestScanJPEGRefusesWhatItDoesNotFollow(t *testing.T) {
	good := imagingtest.EncodeJPEG(t, imagingtest.PhotoImage(64, 48), 80)
	sos := bytes.Index(good, []byte{0xff, 0xda})
	tests := map[string][]byte{
		"truncated":              append(bytes.Clone(good[:len(good)-200]), 0xff, 0xd9),
		"no EOI":                 good[:len(good)-2],
		"not a jpeg":             []byte("GIF89a"),
		"one-byte DRI":           append([]byte("\xff\xd8\xff\xdd\x00\x03\x01"), good[2:]...),
		"scan data cut to a few": append(bytes.Clone(good[:sos+20]), 0xff, 0xd9),
		"garbage scan":           append(append(bytes.Clone(good[:sos+14]), bytes.Repeat([]byte{0xff, 0x00}, 400)...), 0xff, 0xd9),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := ScanJPEG(data, scanSpread, 0); !errors.Is(err, ErrNeedsDecode) {
				t.Fatalf("err = %v, want ErrNeedsDecode", err)
			}
		})
	}
}

// FuzzScanJPEG holds ScanJPEG to its promise: a file it reads without error decodes with
// image/jpeg, at the same size.
func FuzzScanJPEG(f *testing.F) {
	for _, data := range testJPEGs(f) {
		if len(data) < 4096 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
		if err != nil || cfg.Width*cfg.Height > 1<<20 {
			return
		}
		got, err := ScanJPEG(data, scanSpread, 1<<62)
		if err != nil {
			return
		}
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("ScanJPEG read the file, image/jpeg refuses it: %v", err)
		}
		if b := img.Bounds(); b.Dx() != got.Width || b.Dy() != got.Height {
			t.Fatalf("ScanJPEG saw %d×%d, decoded %v", got.Width, got.Height, b.Size())
		}
	})
}

// BenchmarkScanJPEG compares ScanJPEG with image/jpeg's Decode, and Decode plus Encode (what a
// re-encoding upload path would spend), on two 2 MP colour photos: a busy one, and scripts/load's
// upload photo, whose colour is certain early so that most of its blocks are only skipped.
func BenchmarkScanJPEG(b *testing.B) {
	photos := []struct {
		name string
		data []byte
	}{
		{"photo", imagingtest.EncodeJPEG(b, imagingtest.PhotoImage(1920, 1080), 92)},
		{"load-photo", imagingtest.GradientPhoto(b, 1920, 1080)},
	}
	for _, p := range photos {
		data := p.data
		b.Run(p.name+"/scan", func(b *testing.B) {
			for b.Loop() {
				if _, err := ScanJPEG(data, scanSpread, 1<<62); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(p.name+"/scan-stop-early", func(b *testing.B) {
			for b.Loop() {
				if _, err := ScanJPEG(data, scanSpread, 1920*1080/200); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(p.name+"/decode", func(b *testing.B) {
			for b.Loop() {
				if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(p.name+"/decode+encode", func(b *testing.B) {
			for b.Loop() {
				img, err := jpeg.Decode(bytes.NewReader(data))
				if err != nil {
					b.Fatal(err)
				}
				if err := jpeg.Encode(&bytes.Buffer{}, img, &jpeg.Options{Quality: 92}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRestartWhereTheDataEnds: a restart marker is accepted where an interval's data ends, whether
// the reader has already met it or its last refill stopped just before it; data left unread, more
// than a byte of bits left, or another marker are refused.
func TestRestartWhereTheDataEnds(t *testing.T) {
	data := []byte{0x12, 0x34, 0xff, markerRST0, 0x56}
	tests := []struct {
		name   string
		reader bitReader
		ok     bool
	}{
		{"marker met", bitReader{data: data, pos: 2, n: 10, padded: 8, marker: true}, true},
		{"refill stopped before the marker", bitReader{data: data, pos: 2, n: 5}, true},
		{"a byte of bits left", bitReader{data: data, pos: 2, n: 8}, false},
		{"a byte left unread", bitReader{data: data, pos: 1, n: 5}, false},
		{"bits past the marker used", bitReader{data: data, pos: 2, n: 2, padded: 8, marker: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.reader
			if err := b.restart(markerRST0); (err == nil) != tt.ok {
				t.Fatalf("restart: %v, want ok %v", err, tt.ok)
			}
			if tt.ok && b.pos != 4 {
				t.Fatalf("next interval starts at %d, want 4", b.pos)
			}
		})
	}
	b := bitReader{data: data, pos: 2, n: 5}
	if err := b.restart(markerRST0 + 1); err == nil {
		t.Fatal("restart accepted the wrong marker")
	}
}
