package imaging

import "encoding/binary"

// exifHeader starts the payload of a JPEG APP1 segment that carries EXIF; a TIFF structure follows it.
const exifHeader = "Exif\x00\x00"

const (
	tiffTagOrientation = 0x0112
	tiffTypeShort      = 3
	tiffEntrySize      = 12
)

// exifOrientation returns the Orientation tag of IFD0 in a TIFF structure (the EXIF body), a value from 1
// to 8, or 1 when the structure is malformed or has no valid Orientation tag. It reads only the TIFF
// header and IFD0's entries, each bounds-checked against tiff, so its work is bounded by len(tiff).
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(tiff[2:]) != 42 {
		return 1
	}
	ifd := uint64(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > uint64(len(tiff)) {
		return 1
	}
	count := int(order.Uint16(tiff[ifd:]))
	entries := tiff[ifd+2:]
	count = min(count, len(entries)/tiffEntrySize)
	for i := range count {
		e := entries[i*tiffEntrySize : (i+1)*tiffEntrySize]
		if order.Uint16(e) != tiffTagOrientation {
			continue
		}
		if order.Uint16(e[2:]) != tiffTypeShort || order.Uint32(e[4:]) != 1 {
			return 1
		}
		if v := int(order.Uint16(e[8:])); v >= 1 && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}

// jpegFrame is what ReadHeader learns from a JPEG's segments before the first scan.
type jpegFrame struct {
	orientation int  // from the first Exif APP1 segment; 1 when absent or unreadable
	progressive bool // an SOF2 frame: the decoder keeps every coefficient until the end
	components  int  // from the frame header; 0 when no frame header was found
}

// maxHeaderSegments bounds the marker walk before the first scan; real files have about ten.
const maxHeaderSegments = 256

// readJPEGFrame walks the segments of a JPEG up to its first scan and returns its EXIF orientation
// and frame type. It never reads outside data and stops quietly at a structure it cannot follow.
func readJPEGFrame(data []byte) jpegFrame {
	f := jpegFrame{orientation: 1}
	exifSeen := false
	pos := 2
	for range maxHeaderSegments {
		for pos+1 < len(data) && data[pos] == 0xff && data[pos+1] == 0xff {
			pos++ // fill bytes before a marker
		}
		if pos+4 > len(data) || data[pos] != 0xff {
			return f
		}
		marker := data[pos+1]
		if marker == markerSOS || marker == markerEOI {
			return f
		}
		if marker == 0x01 || (marker >= markerRST0 && marker <= markerRST7) {
			pos += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[pos+2:]))
		end := pos + 2 + n
		if n < 2 || end > len(data) {
			return f
		}
		payload := data[pos+4 : end]
		switch {
		case marker == markerAPP1 && !exifSeen && hasPrefix(payload, exifHeader):
			exifSeen = true
			f.orientation = exifOrientation(payload[len(exifHeader):])
		case isSOF(marker) && len(payload) >= 6:
			f.progressive = marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce
			f.components = int(payload[5])
		}
		pos = end
	}
	return f
}

// isSOF reports whether marker starts a frame header (SOF0–SOF15 but DHT, JPG and DAC).
func isSOF(marker byte) bool {
	return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc
}
