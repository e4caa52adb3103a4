package api

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strconv"
	"sync"

	"github.com/skip2/go-qrcode"
)

// QR image sizes in pixels: the size query parameter is clamped to [qrMinSize, qrMaxSize].
const (
	qrMinSize     = 128
	qrMaxSize     = 1024
	qrDefaultSize = 256
)

// qrRenderer draws QR codes as PNGs. A QR image is a few large black and white squares, so it is
// written straight from the code's module bitmap as a 1-bit grayscale PNG at zlib's fastest level:
// no image.Image to fill pixel by pixel and no general PNG encoder, and BestSpeed costs little size
// against the BestCompression qrcode.Encode uses. Recent images are cached. Safe for concurrent
// use.
type qrRenderer struct {
	cache *qrCache
}

func newQRRenderer() qrRenderer {
	return qrRenderer{cache: newQRCache(qrCacheEntries)}
}

// zlibWriters reuses zlib writers (their deflate state is most of an encode's allocation).
var zlibWriters = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

// qrPNG writes bitmap (the modules, quiet zone included, true for dark) as a size×size 1-bit
// grayscale PNG, each pixel taking the module nearest to it as qrcode's Image does.
func qrPNG(bitmap [][]bool, size int) ([]byte, error) {
	modules := len(bitmap)
	size = max(size, modules)
	perPixel := float64(modules) / float64(size)
	column := make([]int, size)
	for x := range column {
		column[x] = int(float64(x) * perPixel)
	}
	stride := 1 + (size+7)/8 // filter byte (none), then the row's bits, 1 = white
	raw := make([]byte, stride*size)
	prev := -1
	for y := range size {
		row := raw[y*stride : (y+1)*stride]
		m := int(float64(y) * perPixel)
		if m == prev {
			copy(row, raw[(y-1)*stride:y*stride])
			continue
		}
		prev = m
		for x, mx := range column {
			if !bitmap[m][mx] {
				row[1+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	var idat bytes.Buffer
	zw := zlibWriters.Get().(*zlib.Writer)
	defer zlibWriters.Put(zw)
	zw.Reset(&idat)
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	out := make([]byte, 0, 8+25+12+idat.Len()+12)
	out = append(out, "\x89PNG\r\n\x1a\n"...)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(size))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(size))
	ihdr[8] = 1 // bit depth; colour type 0 (grayscale), deflate, no filter method, no interlace
	out = pngChunk(out, "IHDR", ihdr[:])
	out = pngChunk(out, "IDAT", idat.Bytes())
	return pngChunk(out, "IEND", nil), nil
}

// pngChunk appends one PNG chunk: length, type, data and the CRC of type and data.
func pngChunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

// qrSize parses the size parameter: empty means the default; anything else must be an integer
// and is clamped to the allowed range.
func qrSize(raw string) (int, bool) {
	if raw == "" {
		return qrDefaultSize, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, false
	}
	return min(max(n, qrMinSize), qrMaxSize), true
}

// render draws content as a QR code (medium error correction, as qrcode.Encode) of size×size
// pixels and encodes it as a PNG, or returns the cached PNG of an earlier call. The result must
// not be modified.
func (r qrRenderer) render(content string, size int) ([]byte, error) {
	if img, ok := r.cache.get(content, size); ok {
		return img, nil
	}
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	img, err := qrPNG(q.Bitmap(), size)
	if err != nil {
		return nil, fmt.Errorf("qr png: %w", err)
	}
	r.cache.put(content, size, img)
	return img, nil
}
