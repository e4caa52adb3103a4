package material

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"slices"
	"testing"
)

func TestProcessStripsPNGMetadata(t *testing.T) {
	base := encodePNGBytes(t, photoImage(50, 40))
	text := pngChunkBytes("tEXt", []byte("Author\x00Zhang San"))
	ztxt := pngChunkBytes("zTXt", []byte("Comment\x00\x00x\x9c\x03\x00\x00\x00\x00\x01"))
	itxt := pngChunkBytes("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00<x:xmpmeta/>"))
	exif := pngChunkBytes("eXIf", exifAPP1(6, true)[len(exifHeader):])
	when := pngChunkBytes("tIME", []byte{0x07, 0xea, 11, 23, 16, 30, 0})
	phys := pngChunkBytes("pHYs", []byte{0, 0, 0x0e, 0xc4, 0, 0, 0x0e, 0xc4, 1})
	badText := append(bytes.Clone(text[:len(text)-1]), text[len(text)-1]^0xff)
	tests := []struct {
		name    string
		in      []byte
		want    []byte
		removed bool
	}{
		{"no metadata", base, base, false},
		{"text and exif", withChunks(base, text, exif), base, true},
		{"every metadata chunk, pHYs kept", withChunks(base, text, ztxt, phys, itxt, exif, when), withChunks(base, phys), true},
		{"dropped chunk with a broken crc", withChunks(base, badText), base, true},
		{"bytes after IEND", append(bytes.Clone(base), text...), base, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Process(bytes.NewReader(tt.in), Options{})
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

func TestStripPNGStructure(t *testing.T) {
	base := encodePNGBytes(t, image.NewGray(image.Rect(0, 0, 4, 4)))
	afterIHDR := 8 + 12 + 13
	tests := []struct {
		name    string
		data    []byte
		wantErr error
	}{
		{"valid", base, nil},
		{"kept chunk with a broken crc", withChunks(base, flipByte(pngChunkBytes("pHYs", make([]byte, 9)), 10)), ErrCorrupt},
		{"first chunk is not IHDR", append([]byte(pngSignature), base[afterIHDR:]...), ErrCorrupt},
		{"chunk type with a digit", withChunks(base, pngChunkBytes("ab1d", nil)), ErrCorrupt},
		{"chunk length past the end", withChunks(base, []byte{0x00, 0x10, 0x00, 0x00, 'a', 'b', 'c', 'd'})[:afterIHDR+20], ErrCorrupt},
		{"chunk length over 2^31-1", withChunks(base, []byte{0x80, 0, 0, 0, 'a', 'b', 'c', 'd', 0, 0, 0, 0}), ErrCorrupt},
		{"no IEND", base[:len(base)-12], ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := stripPNG(tt.data); !errors.Is(err, tt.wantErr) {
				t.Errorf("stripPNG error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}
