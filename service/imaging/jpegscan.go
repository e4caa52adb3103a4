package imaging

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// ErrNeedsDecode means ScanJPEG met a JPEG it does not follow (progressive or arithmetic coding,
// 12-bit samples, CMYK or RGB components, chroma subsampled other than by whole luma blocks, several
// scans) or data it could not read; the file must be judged by a full Decode instead, which has the
// last word on whether it is corrupt.
var ErrNeedsDecode = errors.New("imaging: jpeg needs a full decode")

// JPEGScan is what ScanJPEG learned from a JPEG without reconstructing its pixels.
type JPEGScan struct {
	Width, Height int
	Gray          bool // a one-component (grayscale) file
	// Colour counts pixels whose chroma is further than the neutral spread from gray. Counting
	// stops once it passes the stopAt given to ScanJPEG; the entropy-coded data is still read to
	// its end.
	Colour int64
}

// ScanJPEG reads every block of a baseline JPEG's entropy-coded data, as a decoder must before it
// can reconstruct a pixel, and judges colour from the chroma coefficients alone: no inverse DCT
// for the luma, no colour conversion, no pixel buffer. A file it returns without error decodes
// with image/jpeg (the package's fuzz test holds it to that); any error means "decode it fully".
//
// A pixel counts as coloured when the spread of the red, green and blue its Cb and Cr give
// (before clamping to 0–255, which only narrows it) exceeds neutralSpread. Most blocks are settled
// from their coefficients' bounds; only blocks near the threshold get a chroma inverse DCT.
func ScanJPEG(data []byte, neutralSpread int, stopAt int64) (JPEGScan, error) {
	s := jpegScanner{data: data, spread: float64(neutralSpread), stopAt: stopAt}
	if err := s.run(); err != nil {
		return JPEGScan{}, fmt.Errorf("%w: %v", ErrNeedsDecode, err)
	}
	return JPEGScan{Width: s.width, Height: s.height, Gray: len(s.comps) == 1, Colour: s.colour}, nil
}

// scanComponent is one frame component and the tables its scan uses.
type scanComponent struct {
	id     byte
	h, v   int
	tq     int
	dc, ac *huffTable
	pred   int32
}

type jpegScanner struct {
	data          []byte
	spread        float64
	stopAt        int64
	width, height int
	comps         []scanComponent
	quant         [4]*[64]uint16
	dcTabs        [4]*huffTable
	acTabs        [4]*huffTable
	restart       int
	baseline      bool
	scanned       bool
	colour        int64
	bits          bitReader
	// coefficient blocks of the current MCU's Cb and Cr, in natural (not zig-zag) order
	cb, cr [64]int32
}

// run walks the segments from SOI to EOI (walkJPEG, as StripJPEG does), reading the tables and
// frame header and decoding the one scan's entropy-coded data when it comes. The first error
// stops the reading; the walk only finishes checking the structure.
func (s *jpegScanner) run() error {
	var err error
	_, walkErr := walkJPEG(s.data, func(p jpegPart) {
		if err == nil {
			err = s.part(p)
		}
	})
	switch {
	case walkErr != nil:
		return walkErr
	case err != nil:
		return err
	case !s.scanned:
		return errors.New("no scan")
	}
	return nil
}

// part handles one piece of the file.
func (s *jpegScanner) part(p jpegPart) error {
	switch m := p.marker; {
	case m == markerSOI || m == markerEOI || m >= markerRST0 && m <= markerRST7:
		return nil
	case m == markerData:
		if s.bits.data != nil || !s.scanned {
			return errors.New("entropy-coded data outside the one scan")
		}
		s.bits = bitReader{data: p.raw}
		return s.decode()
	case m == 0xc0 || m == 0xc1:
		return s.frame(m, p.payload)
	case isSOF(m):
		return fmt.Errorf("frame type %#x", m)
	case m == 0xc4:
		return s.huffman(p.payload)
	case m == 0xdb:
		return s.quantisation(p.payload)
	case m == 0xdd:
		if len(p.payload) != 2 {
			return errors.New("bad DRI")
		}
		s.restart = int(binary.BigEndian.Uint16(p.payload))
		return nil
	case m == 0xee: // APP14: Adobe's colour transform may say the components are RGB
		return errors.New("an Adobe APP14 segment")
	case m == markerSOS:
		return s.scan(p.payload)
	case m < 0xe0 && m != markerCOM: // DNL, DAC, or neither APPn nor COM: image/jpeg refuses it
		return fmt.Errorf("unknown marker %#x", m)
	}
	return nil
}

// frame reads an SOF0 or SOF1 header: 8-bit samples, one gray component or Y, Cb, Cr with the
// chroma at one block per MCU.
func (s *jpegScanner) frame(marker byte, p []byte) error {
	if s.comps != nil {
		return errors.New("second frame header")
	}
	if len(p) < 6 || p[0] != 8 {
		return errors.New("not an 8-bit frame")
	}
	s.baseline = marker == 0xc0
	s.height, s.width = int(binary.BigEndian.Uint16(p[1:])), int(binary.BigEndian.Uint16(p[3:]))
	nf := int(p[5])
	if s.width == 0 || s.height == 0 || (nf != 1 && nf != 3) || len(p) != 6+3*nf {
		return errors.New("unsupported frame")
	}
	s.comps = make([]scanComponent, nf)
	for i := range s.comps {
		c := p[6+3*i:]
		s.comps[i] = scanComponent{id: c[0], h: int(c[1] >> 4), v: int(c[1] & 15), tq: int(c[2])}
		if s.comps[i].tq > 3 {
			return errors.New("bad Tq")
		}
		for j := range i {
			if s.comps[j].id == c[0] {
				return errors.New("repeated component id")
			}
		}
	}
	if nf == 1 {
		s.comps[0].h, s.comps[0].v = 1, 1 // a lone component is never subsampled
		return nil
	}
	if string([]byte{s.comps[0].id, s.comps[1].id, s.comps[2].id}) == "RGB" {
		return errors.New("RGB components")
	}
	y := s.comps[0]
	if (y.h != 1 && y.h != 2 && y.h != 4) || (y.v != 1 && y.v != 2) {
		return errors.New("unsupported luma sampling")
	}
	for _, c := range s.comps[1:] {
		if c.h != 1 || c.v != 1 {
			return errors.New("unsupported chroma sampling")
		}
	}
	return nil
}

// quantisation reads a DQT segment; only the tables' presence and the chroma ones' values matter.
func (s *jpegScanner) quantisation(p []byte) error {
	for len(p) > 0 {
		pq, tq := p[0]>>4, int(p[0]&15)
		if pq > 1 || tq > 3 {
			return errors.New("bad DQT")
		}
		size := 64 << pq
		if len(p) < 1+size {
			return errors.New("short DQT")
		}
		var q [64]uint16
		for i := range q {
			if pq == 0 {
				q[unzig[i]] = uint16(p[1+i])
			} else {
				q[unzig[i]] = binary.BigEndian.Uint16(p[1+2*i:])
			}
		}
		s.quant[tq] = &q
		p = p[1+size:]
	}
	return nil
}

// huffman reads a DHT segment.
func (s *jpegScanner) huffman(p []byte) error {
	for len(p) > 0 {
		if len(p) < 17 {
			return errors.New("short DHT")
		}
		tc, th := p[0]>>4, int(p[0]&15)
		if tc > 1 || th > 3 || (s.baseline && th > 1) {
			return errors.New("bad DHT class or id")
		}
		t, n, err := newHuffTable(tc == 1, p[1:17], p[17:])
		if err != nil {
			return err
		}
		if tc == 0 {
			s.dcTabs[th] = t
		} else {
			s.acTabs[th] = t
		}
		p = p[17+n:]
	}
	return nil
}

// scan reads an SOS header that covers every component at once (interleaved, or the lone gray one)
// with a full spectral range; the entropy-coded data after it comes as the next part.
func (s *jpegScanner) scan(p []byte) error {
	if s.comps == nil || s.scanned || len(p) < 1 {
		return errors.New("scan without frame or after the first")
	}
	ns := int(p[0])
	if ns != len(s.comps) || len(p) != 4+2*ns {
		return errors.New("scan does not cover every component")
	}
	for i := range s.comps {
		c := &s.comps[i]
		sel, tabs := p[1+2*i], p[2+2*i]
		if sel != c.id || s.quant[c.tq] == nil {
			return errors.New("scan components out of order or without tables")
		}
		if td, ta := tabs>>4, tabs&15; td < 4 && ta < 4 && !(s.baseline && (td > 1 || ta > 1)) {
			c.dc, c.ac = s.dcTabs[td], s.acTabs[ta]
		}
		if c.dc == nil || c.ac == nil {
			return errors.New("missing Huffman table")
		}
	}
	if tail := p[1+2*ns:]; tail[0] != 0 || tail[1] != 63 || tail[2] != 0 {
		return errors.New("not a sequential scan")
	}
	s.scanned = true
	return nil
}

// decode reads every MCU of the scan, handling restart markers, and judges colour as it goes.
func (s *jpegScanner) decode() error {
	hmax, vmax := s.comps[0].h, s.comps[0].v
	mcusX, mcusY := (s.width+8*hmax-1)/(8*hmax), (s.height+8*vmax-1)/(8*vmax)
	total := mcusX * mcusY
	judge := len(s.comps) == 3
	nextRST := byte(markerRST0)
	for mcu := range total {
		if s.restart > 0 && mcu > 0 && mcu%s.restart == 0 {
			if err := s.bits.restart(nextRST); err != nil {
				return err
			}
			nextRST = markerRST0 + (nextRST-markerRST0+1)&7
			for i := range s.comps {
				s.comps[i].pred = 0
			}
		}
		for i := range s.comps {
			c := &s.comps[i]
			var coef *[64]int32
			switch {
			case i == 1 && judge:
				coef = &s.cb
			case i == 2 && judge:
				coef = &s.cr
			}
			for range c.h * c.v {
				if err := s.block(c, coef); err != nil {
					return fmt.Errorf("mcu %d: %w", mcu, err)
				}
			}
		}
		if s.bits.overrun() {
			return errors.New("entropy-coded data ends early")
		}
		if judge {
			s.judge(mcu%mcusX, mcu/mcusX, hmax, vmax)
			judge = s.colour <= s.stopAt
		}
	}
	return nil
}

// block decodes one 8×8 block of c. When coef is not nil it receives the block's dequantised
// coefficients in natural order; otherwise the values are skipped.
func (s *jpegScanner) block(c *scanComponent, coef *[64]int32) error {
	if coef == nil {
		return s.bits.skipBlock(c.dc, c.ac)
	}
	b := &s.bits
	b.fill()
	t, err := b.decode(c.dc)
	if err != nil {
		return err
	}
	if t > 16 {
		return errors.New("excessive DC category")
	}
	c.pred += b.receiveExtend(t)
	*coef = [64]int32{}
	coef[0] = c.pred
	for k := 1; k < 64; k++ {
		b.fill()
		rs, err := b.decode(c.ac)
		if err != nil {
			return err
		}
		r, size := int(rs>>4), rs&15
		if size == 0 {
			if r != 15 {
				if r != 0 {
					return errEOBRun
				}
				break // end of block
			}
			k += 15
			continue
		}
		k += r
		if k > 63 {
			break // image/jpeg stops the block here too
		}
		coef[unzig[k]] = b.receiveExtend(size)
	}
	return nil
}

// judge counts the coloured pixels of the chroma block pair at MCU (mx, my), each chroma sample
// standing for hmax×vmax pixels, clipped at the image's edges.
func (s *jpegScanner) judge(mx, my, hmax, vmax int) {
	qb, qr := s.quant[s.comps[1].tq], s.quant[s.comps[2].tq]
	var dcb, dcr float64 = float64(s.cb[0]) * float64(qb[0]) / 8, float64(s.cr[0]) * float64(qr[0]) / 8
	var devb, devr float64 // bounds on any sample's distance from the block mean
	for k := 1; k < 64; k++ {
		devb += math.Abs(float64(s.cb[k]) * float64(qb[k]))
		devr += math.Abs(float64(s.cr[k]) * float64(qr[k]))
	}
	devb, devr = devb/4, devr/4
	mean := chromaSpread(dcb, dcr)
	slack := max(1.402*devr+1.772*devb, 2.116*devr+0.344*devb, 2.116*devb+0.714*devr)
	x0, y0 := mx*8*hmax, my*8*vmax
	w, h := min(8*hmax, s.width-x0), min(8*vmax, s.height-y0)
	switch {
	case mean+slack <= s.spread:
		return // every sample neutral
	case mean-slack > s.spread:
		s.colour += int64(w) * int64(h) // every sample coloured
		return
	}
	var pb, pr [64]float64
	idct(&s.cb, qb, &pb)
	idct(&s.cr, qr, &pr)
	for y := range 8 {
		for x := range 8 {
			cw, ch := min(hmax, w-x*hmax), min(vmax, h-y*vmax)
			if cw > 0 && ch > 0 && chromaSpread(pb[8*y+x], pr[8*y+x]) > s.spread {
				s.colour += int64(cw) * int64(ch)
			}
		}
	}
}

// chromaSpread is the spread between the largest and smallest of red, green and blue for a pixel
// whose Cb and Cr lie b and r from neutral (JFIF's conversion; the luma cancels out).
func chromaSpread(b, r float64) float64 {
	red, green, blue := 1.402*r, -0.344136*b-0.714136*r, 1.772*b
	return max(red, green, blue) - min(red, green, blue)
}

// idctCos[x][u] is C(u)/2·cos((2x+1)uπ/16), the 1-D basis of the JPEG inverse DCT.
var idctCos = func() (t [8][8]float64) {
	for x := range 8 {
		for u := range 8 {
			c := 0.5
			if u == 0 {
				c = 0.5 / math.Sqrt2
			}
			t[x][u] = c * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16)
		}
	}
	return t
}()

// idct reconstructs the level-shifted samples of one block (offsets from 128) from its quantised
// coefficients in natural order.
func idct(coef *[64]int32, q *[64]uint16, out *[64]float64) {
	var rows [64]float64
	for v := range 8 {
		for x := range 8 {
			var sum float64
			for u := range 8 {
				if c := coef[8*v+u]; c != 0 {
					sum += idctCos[x][u] * float64(c) * float64(q[8*v+u])
				}
			}
			rows[8*v+x] = sum
		}
	}
	for y := range 8 {
		for x := range 8 {
			var sum float64
			for v := range 8 {
				sum += idctCos[y][v] * rows[8*v+x]
			}
			out[8*y+x] = sum
		}
	}
}

// unzig maps a zig-zag index to its natural-order position.
var unzig = [64]int{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

// errEOBRun is an AC symbol of zero size and a run of 1–14, which only progressive scans use (an
// end-of-band run). image/jpeg honours it in any scan; such a file is left to it.
var errEOBRun = errors.New("end-of-band run in a sequential scan")

// lutBits is how many leading bits the fast Huffman lookup covers; skipBits the same for the
// lookup of a code with its value bits.
const (
	lutBits   = 9
	skipBits  = 11
	skipValue = 1 << 15
	pairBits  = 12
)

// A pair entry holds its length in 4 bits (see fillPairs): this fails to compile if pairBits > 15.
const _ uint = 15 - pairBits

// huffTable is a canonical Huffman code: a lookup of the first lutBits bits for short codes, and
// per-length bounds for the rest.
type huffTable struct {
	lut [1 << lutBits]uint16 // (length << 8) | symbol; 0 when the code is longer than lutBits
	// skip serves blocks whose values are not needed: for the first skipBits bits, the code and its
	// value bits together, as skipValue (when there are value bits) | (advance << 8) | total length,
	// where advance is how far an AC symbol moves through the block (run + 1, 16 for ZRL, 64 for end
	// of block); 0 when they do not fit.
	skip [1 << skipBits]uint16
	// pair serves AC skipping two symbols at a time where both fit in pairBits bits (see fillPairs).
	pair    [1 << pairBits]uint16
	maxCode [17]int32 // largest code of each length, -1 when none
	valPtr  [17]int32 // index in vals of the first code of each length, minus that code
	vals    []byte
}

// newHuffTable builds a table from the 16 code-length counts and the symbols after them, returning
// how many symbol bytes it used. It refuses what image/jpeg refuses: no codes, more than 256, or
// counts that overflow the code space.
func newHuffTable(ac bool, counts, rest []byte) (*huffTable, int, error) {
	n := 0
	for _, c := range counts {
		n += int(c)
	}
	if n == 0 || n > 256 || len(rest) < n {
		return nil, 0, errors.New("bad Huffman table size")
	}
	t := &huffTable{vals: rest[:n]}
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		cnt := int32(counts[l-1])
		t.maxCode[l] = -1
		if cnt > 0 {
			t.valPtr[l] = k - code
			if code+cnt > 1<<l {
				return nil, 0, errors.New("the Huffman code space overflows")
			}
			for range cnt {
				if l <= lutBits {
					first := code << (lutBits - l)
					for i := range int32(1) << (lutBits - l) {
						t.lut[first+i] = uint16(l)<<8 | uint16(rest[k])
					}
				}
				code++
				k++
			}
			t.maxCode[l] = code - 1
		}
		code <<= 1
	}
	t.fillSkip(ac, counts)
	if ac {
		t.fillPairs()
	}
	return t, n, nil
}

// fillSkip builds the skip lookup from the same canonical code. A DC symbol is the number of value
// bits; one above 16 gets no entry, so the slow path refuses it as image/jpeg does.
func (t *huffTable) fillSkip(ac bool, counts []byte) {
	code, k := 0, 0
	for l := 1; l <= 16; l++ {
		for range int(counts[l-1]) {
			sym := t.vals[k]
			size, entry := int(sym&15), uint16(sym>>4+1)<<8|skipValue
			switch {
			case !ac:
				size, entry = int(sym), 0
			case size == 0 && sym>>4 == 15:
				entry = 16 << 8
			case size == 0 && sym != 0:
				size = skipBits // an end-of-band run (progressive only): left to the slow path
			case size == 0:
				entry = 64 << 8 // end of block
			}
			if total := l + size; total <= skipBits {
				first := code << (skipBits - l)
				for i := range 1 << (skipBits - l) {
					t.skip[first+i] = entry | uint16(total)
				}
			}
			code++
			k++
		}
		code <<= 1
	}
}

// bitReader reads entropy-coded bits, undoing byte stuffing. At a marker (or the end of the data)
// it feeds zero bits and counts them, so that overrun can tell whether real data ran out.
type bitReader struct {
	data   []byte
	pos    int
	acc    uint64 // the next n bits, left-aligned
	n      uint
	padded uint // how many of the n bits are padding after a marker
	marker bool
}

// fill tops the accumulator up to at least 57 bits (enough for a code and its value bits).
func (b *bitReader) fill() {
	if !b.marker && b.n <= 56 && b.pos+8 <= len(b.data) {
		// Fast path: take whole bytes at once when none of the next eight is 0xFF (no stuffing
		// and no marker to look at).
		w := binary.BigEndian.Uint64(b.data[b.pos:])
		if nw := ^w; (nw-0x0101010101010101)&^nw&0x8080808080808080 == 0 {
			k := (64 - b.n) / 8
			b.acc |= w >> (64 - 8*k) << (64 - 8*k - b.n)
			b.n += 8 * k
			b.pos += int(k)
			return
		}
	}
	for b.n <= 56 {
		var c byte
		switch {
		case b.marker:
			b.padded += 8
		case b.pos < len(b.data) && b.data[b.pos] != 0xff:
			c = b.data[b.pos]
			b.pos++
		case b.pos+1 < len(b.data) && b.data[b.pos+1] == 0:
			c = 0xff
			b.pos += 2
		default:
			b.marker = true
			b.padded += 8
		}
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

// fillPairs builds the pair lookup from the skip lookup: for each pairBits-bit window, one or two
// whole symbols (code and value bits) as total length | (advance-1) << 4 | maxK << 10 (4, 6 and 6
// bits: half the table 32-bit entries would make, and a length the compiler knows is below 16),
// where advance 64 means the block ends, and maxK is the largest position in the block the entry may be used
// at: past it a run would cross the block's end (image/jpeg then drops the value bits) or the
// first symbol would end the block, leaving the second to the next one. 0: no whole symbol fits.
func (t *huffTable) fillPairs() {
	const window = 1<<pairBits - 1
	one := func(w int) (bits, advance, maxK int, ok bool) {
		e := t.skip[w>>(pairBits-skipBits)]
		if e == 0 {
			return 0, 0, 0, false
		}
		bits, advance, maxK = int(e&0xff), int(e>>8&0x7f), 63
		if e&skipValue != 0 {
			maxK = 64 - advance
		}
		return bits, advance, maxK, true
	}
	for w := range 1 << pairBits {
		t1, a1, m1, ok := one(w)
		if !ok || t1 > pairBits {
			continue
		}
		bits, advance, maxK := t1, a1, m1
		if a1 < 64 && t1 < pairBits {
			if t2, a2, m2, ok := one(w << t1 & window); ok && t2 <= pairBits-t1 {
				bits, advance = t1+t2, min(a1+a2, 64)
				maxK = min(m1, 63-a1, m2-a1)
				if a2 == 64 {
					advance = 64
				}
			}
		}
		if maxK >= 1 {
			t.pair[w] = uint16(bits) | uint16(advance-1)<<4 | uint16(maxK)<<10
		}
	}
}

// skipBlock reads one block without keeping its values, holding the bits in locals and taking a
// code and its value bits in one lookup where they fit.
func (b *bitReader) skipBlock(dc, ac *huffTable) error {
	if b.n < 32 {
		b.fill()
	}
	if e := dc.skip[b.acc>>(64-skipBits)]; e != 0 {
		b.skip(uint8(e))
	} else {
		t, err := b.decode(dc)
		if err != nil {
			return err
		}
		if t > 16 {
			return errors.New("excessive DC category")
		}
		b.skip(t)
	}
	acc, n := b.acc, b.n
	for k := 1; k < 64; {
		if n < 32 {
			if w, ok := b.next4(); ok {
				acc |= uint64(w) << (32 - n)
				n += 32
			} else {
				b.acc, b.n = acc, n
				b.fill()
				acc, n = b.acc, b.n
			}
		}
		// At least 32 bits are ready: two entries of at most pairBits each. An entry that would
		// cross the block's end falls to the slow path, which reads exactly as image/jpeg does.
		if e := ac.pair[acc>>(64-pairBits)]; e != 0 && k <= int(e>>10) {
			l := uint(e & 15)
			acc <<= l // l < 16: the compiler needs no check for shifts of 64 and more
			n -= l
			if k += int(e>>4&63) + 1; k >= 64 {
				break
			}
			if e := ac.pair[acc>>(64-pairBits)]; e != 0 && k <= int(e>>10) {
				l := uint(e & 15)
				acc <<= l
				n -= l
				k += int(e>>4&63) + 1
				continue
			}
		}
		b.acc, b.n = acc, n
		if b.n < 32 {
			b.fill()
		}
		rs, err := b.decode(ac)
		if err != nil {
			return err
		}
		r, size := int(rs>>4), rs&15
		switch {
		case size != 0:
			if k += r; k > 63 {
				k = 64 // the run passes the block's end: image/jpeg ends the block without the value
				break
			}
			b.skip(size)
			k++
		case r == 15:
			k += 16
		case r != 0:
			return errEOBRun
		default:
			k = 64
		}
		acc, n = b.acc, b.n
	}
	b.acc, b.n = acc, n
	return nil
}

// next4 takes the next four bytes of data when none of them is 0xFF (so none is stuffed or starts
// a marker), which is the common case; ok is false, and nothing is taken, otherwise.
func (b *bitReader) next4() (w uint32, ok bool) {
	if b.marker || b.pos+4 > len(b.data) {
		return 0, false
	}
	w = binary.BigEndian.Uint32(b.data[b.pos:])
	if nw := ^w; (nw-0x01010101)&^nw&0x80808080 != 0 {
		return 0, false
	}
	b.pos += 4
	return w, true
}

// overrun reports whether bits past a marker have been consumed as data.
func (b *bitReader) overrun() bool { return b.n < b.padded }

func (b *bitReader) skip(k uint8) {
	b.acc <<= k
	b.n -= uint(k)
}

// decode reads one symbol; the accumulator must have been filled.
func (b *bitReader) decode(t *huffTable) (uint8, error) {
	if e := t.lut[b.acc>>(64-lutBits)]; e != 0 {
		b.skip(uint8(e >> 8))
		return uint8(e), nil
	}
	for l := lutBits + 1; l <= 16; l++ {
		code := int32(b.acc >> (64 - l))
		if code <= t.maxCode[l] {
			b.skip(uint8(l))
			return t.vals[t.valPtr[l]+code], nil
		}
	}
	return 0, errors.New("bad Huffman code")
}

// receiveExtend reads a t-bit value and sign-extends it as JPEG's EXTEND procedure does.
func (b *bitReader) receiveExtend(t uint8) int32 {
	if t == 0 {
		return 0
	}
	v := int32(b.acc >> (64 - t))
	b.skip(t)
	if v < 1<<(t-1) {
		v += -1<<t + 1
	}
	return v
}

// restart expects the restart marker want where the data of an interval ends, and starts the next
// interval after it. The reader need not have met the marker yet: its last refill may have taken
// the interval's last bytes and no more, leaving pos at the marker.
func (b *bitReader) restart(want byte) error {
	if b.overrun() || !b.marker && b.pos < len(b.data) && b.data[b.pos] != 0xff {
		return errors.New("restart interval ends early or late")
	}
	if b.n-b.padded >= 8 {
		return errors.New("data left before a restart marker")
	}
	p := b.pos
	for p < len(b.data) && b.data[p] == 0xff {
		p++
	}
	if p == b.pos || p >= len(b.data) || b.data[p] != want {
		return fmt.Errorf("restart marker %#x missing", want)
	}
	*b = bitReader{data: b.data, pos: p + 1}
	return nil
}
