package material

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"testing"
)

var (
	white    = color.RGBA{255, 255, 255, 255}
	ink      = color.RGBA{25, 25, 25, 255}
	sealRed  = color.RGBA{210, 35, 40, 255}
	blueInk  = color.RGBA{30, 50, 160, 255}
	paperTan = color.RGBA{250, 245, 234, 255}
)

// documentImage draws an A4 page at 100 dpi: a paper background, black text lines and, when seal is set,
// a red company seal (ring, star, a band of characters) and a line of blue handwriting.
func documentImage(paper color.RGBA, seal bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 827, 1169))
	fill(img, img.Rect, paper)
	for y := 120; y < 1000; y += 36 {
		for x := 90; x < 740; x += 14 {
			fill(img, image.Rect(x, y, x+10, y+14), ink)
		}
	}
	if seal {
		drawSeal(img, image.Pt(600, 1040), 79)
		for x := 120; x < 420; x += 9 {
			fill(img, image.Rect(x, 1080, x+7, 1100), blueInk)
		}
	}
	return img
}

// drawSeal draws a 4 cm company seal: a 1 mm ring of radius r, a star and characters along the ring.
func drawSeal(img *image.RGBA, c image.Point, r int) {
	for y := -r; y <= r; y++ {
		for x := -r; x <= r; x++ {
			d := math.Hypot(float64(x), float64(y))
			angle := math.Atan2(float64(y), float64(x))*180/math.Pi + 180
			ring := d <= float64(r) && d > float64(r-4)
			char := d > float64(r-27) && d < float64(r-10) && angle < 250 && int(angle)%18 < 14 && (x+y)/3%2 == 0
			star := d < 15 && (x+y+40)%3 != 0
			if ring || char || star {
				img.SetRGBA(c.X+x, c.Y+y, sealRed)
			}
		}
	}
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

// toGray returns img with its colour removed, kept in the colour model of img.
func toGrayRGBA(img *image.RGBA) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	for i := 0; i < len(img.Pix); i += 4 {
		y := color.GrayModel.Convert(color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255}).(color.Gray).Y
		out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = y, y, y, 255
	}
	return out
}

// photoImage draws a colourful w×h picture with smooth gradients and texture, like a camera photo.
func photoImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			t := uint8((x*7 + y*13) % 23)
			img.SetRGBA(x, y, color.RGBA{uint8(x*255/w) + t, uint8(y*255/h) + t, uint8((x+y)*255/(w+h)) ^ t, 255})
		}
	}
	return img
}

func encodeJPEGBytes(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNGBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// jpegSegment builds a length-prefixed JPEG marker segment.
func jpegSegment(marker byte, payload []byte) []byte {
	seg := []byte{0xff, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// withSegments inserts segments into a JPEG right after SOI.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// exifAPP1 builds an APP1 Exif payload in little-endian TIFF: IFD0 with an Orientation tag (when
// orientation > 0) and a GPSInfo pointer to a GPS IFD holding latitude and longitude (when gps is set).
func exifAPP1(orientation int, gps bool) []byte {
	type entry struct {
		tag, typ uint16
		count    uint32
		value    uint32
	}
	var ifd0 []entry
	if orientation > 0 {
		ifd0 = append(ifd0, entry{0x0112, 3, 1, uint32(orientation)})
	}
	ifd0Size := uint32(2 + 12*(len(ifd0)+btoi(gps)) + 4)
	gpsAt := 8 + ifd0Size
	if gps {
		ifd0 = append(ifd0, entry{0x8825, 4, 1, gpsAt})
	}
	gpsData := gpsAt + 2 + 12*4 + 4
	gpsIFD := []entry{
		{0x0001, 2, 2, uint32('N')},
		{0x0002, 5, 3, gpsData},
		{0x0003, 2, 2, uint32('E')},
		{0x0004, 5, 3, gpsData + 24},
	}
	le := binary.LittleEndian
	tiff := []byte("II*\x00\x08\x00\x00\x00")
	writeIFD := func(entries []entry) {
		tiff = le.AppendUint16(tiff, uint16(len(entries)))
		for _, e := range entries {
			tiff = le.AppendUint16(tiff, e.tag)
			tiff = le.AppendUint16(tiff, e.typ)
			tiff = le.AppendUint32(tiff, e.count)
			tiff = le.AppendUint32(tiff, e.value)
		}
		tiff = le.AppendUint32(tiff, 0)
	}
	writeIFD(ifd0)
	if gps {
		writeIFD(gpsIFD)
		for _, v := range []uint32{39, 1, 54, 1, 2700, 100, 116, 1, 23, 1, 2900, 100} {
			tiff = le.AppendUint32(tiff, v)
		}
	}
	return append([]byte(exifHeader), tiff...)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// pngChunkBytes builds a PNG chunk with a correct CRC.
func pngChunkBytes(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(append(c, typ...), data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// withChunks inserts chunks into a PNG right after IHDR.
func withChunks(p []byte, chunks ...[]byte) []byte {
	const afterIHDR = 8 + 12 + 13
	out := append([]byte{}, p[:afterIHDR]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[afterIHDR:]...)
}

// headerOnlyPNG builds a gray PNG whose IHDR declares w×h pixels but whose IDAT holds a single tiny row.
func headerOnlyPNG(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 16))
	zw.Close()
	out := []byte(pngSignature)
	out = append(out, pngChunkBytes("IHDR", ihdr)...)
	out = append(out, pngChunkBytes("IDAT", z.Bytes())...)
	return append(out, pngChunkBytes("IEND", nil)...)
}

// markers lists the marker of every segment of a JPEG, entropy-coded data left out.
func markers(t testing.TB, jpg []byte) []byte {
	t.Helper()
	var ms []byte
	if _, err := walkJPEG(jpg, func(p jpegPart) {
		if p.marker != markerData {
			ms = append(ms, p.marker)
		}
	}); err != nil {
		t.Fatalf("walk jpeg: %v", err)
	}
	return ms
}

// chunkTypes lists the chunk types of a PNG.
func chunkTypes(t testing.TB, p []byte) []string {
	t.Helper()
	var types []string
	if _, err := walkPNG(p, func(c pngChunk) error {
		types = append(types, c.typ)
		return nil
	}); err != nil {
		t.Fatalf("walk png: %v", err)
	}
	return types
}

// toGray converts img to an 8-bit gray image.
func toGray(img image.Image) *image.Gray {
	g := image.NewGray(img.Bounds())
	draw.Draw(g, g.Rect, img, img.Bounds().Min, draw.Src)
	return g
}
