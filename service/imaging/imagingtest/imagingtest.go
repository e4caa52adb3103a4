// Package imagingtest builds image files for tests: JPEG segments and EXIF payloads, PNG chunks, a
// PNG that only declares a size, and a small PNG whose decode takes a lot of memory.
package imagingtest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// JPEG markers tests insert and look for.
const (
	APP0  = 0xe0 // JFIF
	APP1  = 0xe1 // Exif, XMP
	APP2  = 0xe2 // ICC profile
	APP12 = 0xec // Ducky
	APP13 = 0xed // Photoshop, IPTC
	APP14 = 0xee // Adobe
	COM   = 0xfe // comment
)

// ExifHeader starts an APP1 payload that carries EXIF.
const ExifHeader = "Exif\x00\x00"

// PNGSignature starts every PNG file.
const PNGSignature = "\x89PNG\r\n\x1a\n"

// Segment builds a length-prefixed JPEG marker segment.
func Segment(marker byte, payload []byte) []byte {
	seg := []byte{0xff, marker, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// WithSegments inserts segments into a JPEG right after SOI.
func WithSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// WithOrientation inserts an Exif APP1 segment holding only the orientation tag right after SOI;
// orientation 0 leaves the tag out.
func WithOrientation(jpg []byte, orientation int) []byte {
	return WithSegments(jpg, Segment(APP1, ExifAPP1(orientation, false)))
}

// InverseOrientation returns the EXIF orientation that undoes o: 6 and 8 undo each other, the rest
// undo themselves.
func InverseOrientation(o int) int {
	switch o {
	case 6:
		return 8
	case 8:
		return 6
	}
	return o
}

// ExifAPP1 builds an APP1 Exif payload in little-endian TIFF: IFD0 with an Orientation tag (when
// orientation > 0) and a GPSInfo pointer to a GPS IFD holding latitude and longitude (when gps is set).
func ExifAPP1(orientation int, gps bool) []byte {
	type entry struct {
		tag, typ uint16
		count    uint32
		value    uint32
	}
	var ifd0 []entry
	if orientation > 0 {
		ifd0 = append(ifd0, entry{0x0112, 3, 1, uint32(orientation)})
	}
	ifd0Size := uint32(2 + 12*len(ifd0) + 4)
	if gps {
		ifd0Size += 12
	}
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
	return append([]byte(ExifHeader), tiff...)
}

// Chunk builds a PNG chunk with a correct CRC.
func Chunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(append(c, typ...), data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// WithChunks inserts chunks into a PNG right after IHDR.
func WithChunks(p []byte, chunks ...[]byte) []byte {
	const afterIHDR = 8 + 12 + 13
	out := append([]byte{}, p[:afterIHDR]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, p[afterIHDR:]...)
}

// pngFile assembles a PNG from its IHDR fields and the zlib stream of its rows.
func pngFile(w, h uint32, depth, colour byte, idat []byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, colour, 0, 0, 0)
	out := []byte(PNGSignature)
	out = append(out, Chunk("IHDR", ihdr)...)
	out = append(out, Chunk("IDAT", idat)...)
	return append(out, Chunk("IEND", nil)...)
}

// HeaderOnlyPNG builds a gray PNG whose IHDR declares w×h pixels but whose IDAT holds a single tiny row.
func HeaderOnlyPNG(w, h uint32) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 16))
	zw.Close()
	return pngFile(w, h, 8, 0, z.Bytes())
}

// HostilePNG builds a complete, valid w×h PNG at 16 bits per channel with alpha (8 bytes a pixel
// once decoded) whose pixels are all zero, so it compresses to about a thousandth of its decoded
// size: a small upload that asks for a lot of memory. Rows are streamed into the compressor, so
// building it never holds the pixels.
func HostilePNG(w, h int) []byte {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	row := make([]byte, 1+8*w) // filter byte 0, then zero pixels
	for range h {
		zw.Write(row)
	}
	zw.Close()
	return pngFile(uint32(w), uint32(h), 16, 6, z.Bytes())
}

// PhotoImage draws a colourful w×h picture with smooth gradients and texture, like a camera photo.
func PhotoImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			t := uint8((x*7 + y*13) % 23)
			img.SetRGBA(x, y, color.RGBA{uint8(x*255/w) + t, uint8(y*255/h) + t, uint8((x+y)*255/(w+h)) ^ t, 255})
		}
	}
	return img
}

// GradientPhoto is scripts/load's upload photo: GradientImage encoded as a JPEG of quality 90.
func GradientPhoto(t testing.TB, w, h int) []byte {
	t.Helper()
	return EncodeJPEG(t, GradientImage(w, h), 90)
}

// GradientImage is a w×h colour image (4:2:0) with smooth gradients and some texture in the
// luma, so that its JPEG's entropy-coded data is of a realistic size.
func GradientImage(w, h int) *image.YCbCr {
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	for y := range h {
		for x := range w {
			img.Y[img.YOffset(x, y)] = uint8((x*255/w + (x*y)%29) & 0xff)
		}
	}
	for y := range (h + 1) / 2 {
		for x := range (w + 1) / 2 {
			o := img.COffset(2*x, 2*y)
			img.Cb[o], img.Cr[o] = uint8(64+x*128/w), uint8(200-y*128/h)
		}
	}
	return img
}

// EncodeJPEG encodes img at the given quality.
func EncodeJPEG(t testing.TB, img image.Image, quality int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// EncodePNG encodes img as a PNG, favouring speed over size (the race detector slows deflate a lot).
func EncodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
