package api

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/skip2/go-qrcode"
)

func TestQRCacheEvictsTheLeastRecentlyUsed(t *testing.T) {
	c := newQRCache(2)
	c.put("a", 256, []byte("A"))
	c.put("b", 256, []byte("B"))
	if _, ok := c.get("a", 256); !ok { // a is now the most recent
		t.Fatal("a missing")
	}
	c.put("c", 256, []byte("C"))
	tests := []struct {
		content string
		size    int
		want    bool
	}{{"a", 256, true}, {"b", 256, false}, {"c", 256, true}, {"a", 512, false}}
	for _, tt := range tests {
		if _, ok := c.get(tt.content, tt.size); ok != tt.want {
			t.Errorf("get(%q, %d) cached = %v, want %v", tt.content, tt.size, ok, tt.want)
		}
	}
}

func TestRenderMatchesTheBareEncoderPixels(t *testing.T) {
	const url = "beian://verify?token=Qx7mV2pL9sK4tR8wY1zA3cE5gH6jN0bD2fU4iO6kM8q"
	ours, err := newQRRenderer().render(url, 256)
	if err != nil {
		t.Fatal(err)
	}
	bare, err := qrcode.Encode(url, qrcode.Medium, 256)
	if err != nil {
		t.Fatal(err)
	}
	a, err := png.Decode(bytes.NewReader(ours))
	if err != nil {
		t.Fatal(err)
	}
	b, err := png.Decode(bytes.NewReader(bare))
	if err != nil {
		t.Fatal(err)
	}
	for y := range 256 {
		for x := range 256 {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				t.Fatalf("pixel (%d,%d) differs from qrcode.Encode's", x, y)
			}
		}
	}
	t.Logf("PNG bytes: BestSpeed %d, qrcode.Encode (BestCompression) %d", len(ours), len(bare))
}
