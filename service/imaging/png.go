package imaging

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

var errPNGStructure = errors.New("broken png chunk structure")

// pngChunk is one chunk of a PNG file.
type pngChunk struct {
	typ  string // four ASCII letters, e.g. "IHDR"
	raw  []byte // the whole chunk as stored: length, type, data and CRC
	data []byte // the chunk's data
	crc  uint32 // the CRC stored after the data
}

// walkPNG hands every chunk of the PNG in data to visit, in file order, from IHDR up to and including IEND,
// and returns the offset just past IEND. It fails when the signature is missing, the first chunk is not
// IHDR, a chunk runs past the end or has a type that is not four ASCII letters, or IEND never comes.
// Visit may stop the walk by returning an error.
func walkPNG(data []byte, visit func(pngChunk) error) (end int, err error) {
	if !hasPrefix(data, pngSignature) {
		return 0, errPNGStructure
	}
	pos := len(pngSignature)
	for {
		if len(data)-pos < 12 {
			return 0, fmt.Errorf("%w: truncated chunk at offset %d", errPNGStructure, pos)
		}
		n := binary.BigEndian.Uint32(data[pos:])
		if n > 1<<31-1 || uint64(len(data)-pos-12) < uint64(n) {
			return 0, fmt.Errorf("%w: chunk length %d at offset %d", errPNGStructure, n, pos)
		}
		c := pngChunk{
			typ:  string(data[pos+4 : pos+8]),
			raw:  data[pos : pos+12+int(n)],
			data: data[pos+8 : pos+8+int(n)],
			crc:  binary.BigEndian.Uint32(data[pos+8+int(n):]),
		}
		if !validChunkType(c.typ) || (pos == len(pngSignature)) != (c.typ == "IHDR") {
			return 0, fmt.Errorf("%w: chunk %q at offset %d", errPNGStructure, c.typ, pos)
		}
		if err := visit(c); err != nil {
			return 0, err
		}
		pos += len(c.raw)
		if c.typ == "IEND" {
			return pos, nil
		}
	}
}

func validChunkType(typ string) bool {
	for _, b := range []byte(typ) {
		if (b < 'A' || b > 'Z') && (b < 'a' || b > 'z') {
			return false
		}
	}
	return true
}

// dropPNGChunk reports whether StripPNG drops chunks of this type: EXIF (eXIf), text (tEXt, zTXt, iTXt)
// and the modification time (tIME).
func dropPNGChunk(typ string) bool {
	switch typ {
	case "eXIf", "tEXt", "zTXt", "iTXt", "tIME":
		return true
	}
	return false
}

// StripPNG drops metadata chunks from a PNG and copies every other chunk byte for byte; CRCs cover one
// chunk each, so none needs recomputing. A kept chunk whose CRC does not match, or a structure walkPNG
// cannot follow, is ErrCorrupt. Bytes after IEND are dropped.
func StripPNG(data []byte) (Stripped, error) {
	var s Stripped
	out := make([]byte, 0, len(data))
	out = append(out, pngSignature...)
	end, err := walkPNG(data, func(c pngChunk) error {
		if dropPNGChunk(c.typ) {
			s.Removed = true
			return nil
		}
		if crc32.ChecksumIEEE(c.raw[4:8+len(c.data)]) != c.crc {
			return fmt.Errorf("%w: bad crc in chunk %q", errPNGStructure, c.typ)
		}
		out = append(out, c.raw...)
		return nil
	})
	return s.finish(out, end, len(data), err)
}

// PNGChunkTypes lists the chunk types of a PNG in file order. It fails like StripPNG on a structure
// it cannot walk (CRCs are not checked).
func PNGChunkTypes(data []byte) ([]string, error) {
	var types []string
	_, err := walkPNG(data, func(c pngChunk) error {
		types = append(types, c.typ)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return types, nil
}
