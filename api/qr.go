package api

import (
	"bytes"
	"fmt"
	"image/png"
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

// qrRenderer draws QR codes as PNGs with the fastest zlib level. A QR image is a 1-bit paletted
// picture of a few large squares, so BestSpeed costs little size against the BestCompression
// qrcode.Encode uses, and saves much of its time. The encoder's buffers are pooled and recent
// images cached. Safe for concurrent use.
type qrRenderer struct {
	enc   *png.Encoder
	cache *qrCache
}

func newQRRenderer() qrRenderer {
	return qrRenderer{enc: &png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngBuffers{}},
		cache: newQRCache(qrCacheEntries)}
}

// pngBuffers is a png.EncoderBufferPool on a sync.Pool.
type pngBuffers struct{ pool sync.Pool }

func (p *pngBuffers) Get() *png.EncoderBuffer {
	b, _ := p.pool.Get().(*png.EncoderBuffer)
	return b
}

func (p *pngBuffers) Put(b *png.EncoderBuffer) { p.pool.Put(b) }

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
	var buf bytes.Buffer
	buf.Grow(4 << 10)
	if err := r.enc.Encode(&buf, q.Image(size)); err != nil {
		return nil, fmt.Errorf("qr png: %w", err)
	}
	r.cache.put(content, size, buf.Bytes())
	return buf.Bytes(), nil
}
