package imaging

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// JPEG markers the segment walkers and StripJPEG treat specially.
const (
	markerSOI   = 0xd8
	markerEOI   = 0xd9
	markerSOS   = 0xda
	markerRST0  = 0xd0
	markerRST7  = 0xd7
	markerAPP1  = 0xe1 // Exif, XMP
	markerAPP2  = 0xe2 // ICC profile, MPF
	markerAPP12 = 0xec // Ducky, PictureInfo
	markerAPP13 = 0xed // Photoshop IRB, IPTC
	markerCOM   = 0xfe // comment
	markerData  = 0x00 // not a marker: the walker's label for entropy-coded data
)

var errJPEGStructure = errors.New("broken jpeg segment structure")

// jpegPart is one piece of a JPEG file as the walker meets it.
type jpegPart struct {
	marker  byte   // the segment's marker, or markerData for entropy-coded data after SOS
	raw     []byte // the piece as it appears in the file, including fill bytes before a marker
	payload []byte // a length-prefixed segment's contents after the length field
}

// walkJPEG hands every piece of the JPEG in data to visit, in file order, from SOI up to and including
// the first EOI, and returns the offset just past that EOI. Concatenating every raw piece gives
// data[:end]. It reads no byte outside data and fails on a structure it cannot follow: no SOI, a
// segment running past the end, bytes other than 0xFF where a marker must start, or no EOI.
func walkJPEG(data []byte, visit func(jpegPart)) (end int, err error) {
	if !hasPrefix(data, "\xff\xd8") {
		return 0, errJPEGStructure
	}
	visit(jpegPart{marker: markerSOI, raw: data[:2]})
	pos := 2
	for {
		start := pos
		for pos < len(data) && data[pos] == 0xff {
			pos++
		}
		if pos == start || pos == len(data) {
			return 0, fmt.Errorf("%w: no marker at offset %d", errJPEGStructure, start)
		}
		marker := data[pos]
		pos++
		switch {
		case marker == markerEOI:
			visit(jpegPart{marker: marker, raw: data[start:pos]})
			return pos, nil
		case marker == markerSOI || marker == markerData:
			return 0, fmt.Errorf("%w: marker %#x at offset %d", errJPEGStructure, marker, pos-1)
		case marker >= markerRST0 && marker <= markerRST7:
			visit(jpegPart{marker: marker, raw: data[start:pos]})
			continue
		}
		if len(data)-pos < 2 {
			return 0, fmt.Errorf("%w: truncated segment length", errJPEGStructure)
		}
		n := int(binary.BigEndian.Uint16(data[pos:]))
		if n < 2 || len(data)-pos < n {
			return 0, fmt.Errorf("%w: segment %#x length %d at offset %d", errJPEGStructure, marker, n, pos)
		}
		visit(jpegPart{marker: marker, raw: data[start : pos+n], payload: data[pos+2 : pos+n]})
		pos += n
		if marker == markerSOS {
			scanEnd, err := entropyEnd(data, pos)
			if err != nil {
				return 0, err
			}
			visit(jpegPart{marker: markerData, raw: data[pos:scanEnd]})
			pos = scanEnd
		}
	}
}

// entropyEnd returns the offset of the 0xFF that starts the first marker at or after pos, skipping the
// byte-stuffed 0xFF 0x00 pairs and RST markers that belong to entropy-coded data.
func entropyEnd(data []byte, pos int) (int, error) {
	for {
		i := bytes.IndexByte(data[pos:], 0xff)
		if i < 0 {
			return 0, fmt.Errorf("%w: scan data runs to the end of the file", errJPEGStructure)
		}
		ff := pos + i
		next := ff + 1
		for next < len(data) && data[next] == 0xff {
			next++
		}
		if next == len(data) {
			return 0, fmt.Errorf("%w: scan data runs to the end of the file", errJPEGStructure)
		}
		if m := data[next]; m != 0x00 && (m < markerRST0 || m > markerRST7) {
			return ff, nil
		}
		pos = next + 1
	}
}

// Stripped is an image file without its metadata.
type Stripped struct {
	Data    []byte   // the file to keep
	Removed bool     // some segment, chunk or trailing bytes were dropped
	Carry   [][]byte // JPEG ICC profile segments, for a re-encoded file to keep
}

// finish completes a strip that copied out and walked the file up to end of its n bytes: a walk
// error becomes ErrCorrupt, and bytes after the image's end count as removed metadata.
func (s Stripped) finish(out []byte, end, n int, err error) (Stripped, error) {
	if err != nil {
		return Stripped{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if end < n {
		s.Removed = true
	}
	s.Data = out
	return s, nil
}

// dropJPEGMarker reports whether StripJPEG drops segments with this marker: APP1 (Exif, XMP), APP12,
// APP13 (Photoshop, IPTC) and COM. Everything else, including APP0 (JFIF), APP2 (ICC profile) and
// APP14 (Adobe colour transform), is kept.
func dropJPEGMarker(marker byte) bool {
	return marker == markerAPP1 || marker == markerAPP12 || marker == markerAPP13 || marker == markerCOM
}

// StripJPEG drops metadata segments from a JPEG without touching its image data: every other segment and
// all entropy-coded data are copied byte for byte. Bytes after the first EOI (for example a second image
// appended by a phone, with its own EXIF) are dropped as well. A file whose segment structure cannot be
// walked is ErrCorrupt. When nothing is dropped before the image's end, Data is a prefix of data itself,
// not a copy.
func StripJPEG(data []byte) (Stripped, error) {
	var s Stripped
	var out []byte // nil while every piece so far is kept, which is then data[:kept]
	kept := 0
	end, err := walkJPEG(data, func(p jpegPart) {
		switch {
		case dropJPEGMarker(p.marker):
			s.Removed = true
			if out == nil {
				out = append(make([]byte, 0, len(data)), data[:kept]...)
			}
			return
		case p.marker == markerAPP2 && hasPrefix(p.payload, "ICC_PROFILE\x00"):
			s.Carry = append(s.Carry, p.raw)
		}
		if out == nil {
			kept += len(p.raw)
		} else {
			out = append(out, p.raw...)
		}
	})
	if out == nil {
		out = data[:kept:kept]
	}
	return s.finish(out, end, len(data), err)
}

// JPEGMarkers lists the marker of every segment of a JPEG in file order, entropy-coded data left
// out. It fails like StripJPEG on a structure it cannot walk.
func JPEGMarkers(data []byte) ([]byte, error) {
	var ms []byte
	_, err := walkJPEG(data, func(p jpegPart) {
		if p.marker != markerData {
			ms = append(ms, p.marker)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return ms, nil
}
