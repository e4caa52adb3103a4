package material

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
