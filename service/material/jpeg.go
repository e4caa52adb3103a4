package material

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// JPEG markers the segment walker and stripJPEG treat specially.
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

// strippedJPEG is a JPEG file without its metadata segments.
type strippedJPEG struct {
	data        []byte   // the file to keep
	removed     bool     // some segment or trailing bytes were dropped
	orientation int      // EXIF orientation (1–8) read from the first Exif APP1 segment; 1 when absent
	carry       [][]byte // ICC profile segments, for a re-encoded file to keep
}

// dropJPEGMarker reports whether stripJPEG drops segments with this marker: APP1 (Exif, XMP), APP12,
// APP13 (Photoshop, IPTC) and COM. Everything else, including APP0 (JFIF), APP2 (ICC profile) and
// APP14 (Adobe colour transform), is kept.
func dropJPEGMarker(marker byte) bool {
	return marker == markerAPP1 || marker == markerAPP12 || marker == markerAPP13 || marker == markerCOM
}

// stripJPEG drops metadata segments from a JPEG without touching its image data: every other segment and
// all entropy-coded data are copied byte for byte. Bytes after the first EOI (for example a second image
// appended by a phone, with its own EXIF) are dropped as well. A file whose segment structure cannot be
// walked is ErrCorrupt.
func stripJPEG(data []byte) (strippedJPEG, error) {
	s := strippedJPEG{orientation: 1}
	out := make([]byte, 0, len(data))
	exifSeen := false
	end, err := walkJPEG(data, func(p jpegPart) {
		switch {
		case dropJPEGMarker(p.marker):
			s.removed = true
			if p.marker == markerAPP1 && !exifSeen && hasPrefix(p.payload, exifHeader) {
				exifSeen = true
				s.orientation = exifOrientation(p.payload[len(exifHeader):])
			}
			return
		case p.marker == markerAPP2 && hasPrefix(p.payload, "ICC_PROFILE\x00"):
			s.carry = append(s.carry, p.raw)
		}
		out = append(out, p.raw...)
	})
	if err != nil {
		return strippedJPEG{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if end < len(data) {
		s.removed = true
	}
	s.data = out
	return s, nil
}
