package material

import (
	"bytes"
	"context"
	"image/png"
	"slices"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

func TestProcessStripsPNGMetadata(t *testing.T) {
	base := imagingtest.EncodePNG(t, imagingtest.PhotoImage(50, 40))
	text := imagingtest.Chunk("tEXt", []byte("Author\x00Zhang San"))
	ztxt := imagingtest.Chunk("zTXt", []byte("Comment\x00\x00x\x9c\x03\x00\x00\x00\x00\x01"))
	itxt := imagingtest.Chunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta/>"))
	exif := imagingtest.Chunk("eXIf", imagingtest.ExifAPP1(6, true)[len(imagingtest.ExifHeader):])
	when := imagingtest.Chunk("tIME", []byte{0x07, 0xea, 11, 23, 16, 30, 0})
	phys := imagingtest.Chunk("pHYs", []byte{0, 0, 0x0e, 0xc4, 0, 0, 0x0e, 0xc4, 1})
	badText := append(bytes.Clone(text[:len(text)-1]), text[len(text)-1]^0xff)
	tests := []struct {
		name    string
		in      []byte
		want    []byte
		removed bool
	}{
		{"no metadata", base, base, false},
		{"text and exif", imagingtest.WithChunks(base, text, exif), base, true},
		{"every metadata chunk, pHYs kept", imagingtest.WithChunks(base, text, ztxt, phys, itxt, exif, when), imagingtest.WithChunks(base, phys), true},
		{"dropped chunk with a broken crc", imagingtest.WithChunks(base, badText), base, true},
		{"bytes after IEND", append(bytes.Clone(base), text...), base, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Process(context.Background(), bytes.NewReader(tt.in), Options{})
			if err != nil {
				t.Fatalf("Process: %v", err)
			}
			if !bytes.Equal(p.Data, tt.want) {
				t.Fatalf("output chunks %v, want %v", chunkTypes(t, p.Data), chunkTypes(t, tt.want))
			}
			if p.MetadataRemoved != tt.removed || p.Reencoded {
				t.Errorf("MetadataRemoved = %v, Reencoded = %v; want %v, false", p.MetadataRemoved, p.Reencoded, tt.removed)
			}
			types := chunkTypes(t, p.Data)
			for _, dropped := range []string{"tEXt", "zTXt", "iTXt", "eXIf", "tIME"} {
				if slices.Contains(types, dropped) {
					t.Errorf("output still has a %s chunk", dropped)
				}
			}
			if _, err := png.Decode(bytes.NewReader(p.Data)); err != nil {
				t.Errorf("output does not decode: %v", err)
			}
		})
	}
}
