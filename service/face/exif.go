package face

import "encoding/binary"

const (
	// maxJPEGSegments bounds the marker walk before the image data; real files have about ten
	// segments before the first scan.
	maxJPEGSegments = 64
	// maxIFDEntries bounds the IFD0 walk; cameras write a few dozen entries.
	maxIFDEntries = 512
	// tagOrientation is the TIFF tag of the EXIF orientation.
	tagOrientation = 0x0112
	// typeShort is the TIFF SHORT field type, the type of the orientation tag.
	typeShort = 3
)

// jpegOrientation returns the EXIF orientation (1–8) recorded in a JPEG's APP1 Exif segment, or 1
// (upright) when there is none or it cannot be read. It reads only the segments before the first
// scan and never indexes outside b.
func jpegOrientation(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return 1
	}
	pos := 2
	for range maxJPEGSegments {
		for pos < len(b) && b[pos] == 0xFF && pos+1 < len(b) && b[pos+1] == 0xFF {
			pos++ // fill bytes before a marker
		}
		if pos+4 > len(b) || b[pos] != 0xFF {
			return 1
		}
		marker := b[pos+1]
		if marker == 0xDA || marker == 0xD9 {
			return 1 // start of scan or end of image: no Exif before the pixels
		}
		if marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
			pos += 2 // markers without a length
			continue
		}
		n := int(binary.BigEndian.Uint16(b[pos+2:]))
		end := pos + 2 + n
		if n < 2 || end > len(b) {
			return 1
		}
		seg := b[pos+4 : end]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			if o := tiffOrientation(seg[6:]); o != 0 {
				return o
			}
		}
		pos = end
	}
	return 1
}

// tiffOrientation reads the orientation tag from IFD0 of a TIFF structure, or 0 when it is absent,
// malformed or outside 1–8.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var order binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 0
	}
	if order.Uint16(t[2:]) != 42 {
		return 0
	}
	ifd := uint64(order.Uint32(t[4:]))
	if ifd+2 > uint64(len(t)) {
		return 0
	}
	count := min(int(order.Uint16(t[ifd:])), maxIFDEntries)
	for i := range count {
		e := int(ifd) + 2 + 12*i
		if e+12 > len(t) {
			return 0
		}
		if order.Uint16(t[e:]) != tagOrientation {
			continue
		}
		if order.Uint16(t[e+2:]) != typeShort || order.Uint32(t[e+4:]) != 1 {
			return 0
		}
		if v := int(order.Uint16(t[e+8:])); v >= 1 && v <= 8 {
			return v
		}
		return 0
	}
	return 0
}
