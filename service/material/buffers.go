package material

import "sync"

// Buffers lends Process the memory it reads uploads into, so that a busy server reuses a few
// buffers instead of allocating, zeroing and collecting megabytes per upload. A nil *Buffers
// allocates afresh for every upload. Buffers is safe for concurrent use.
type Buffers struct{ pool sync.Pool }

// NewBuffers returns an empty Buffers.
func NewBuffers() *Buffers { return &Buffers{} }

// get lends a buffer (nil from a nil Buffers).
func (b *Buffers) get() *[]byte {
	if b == nil {
		return nil
	}
	if buf, ok := b.pool.Get().(*[]byte); ok {
		return buf
	}
	return new([]byte)
}

// put takes a lent buffer back; a nil one is ignored.
func (b *Buffers) put(buf *[]byte) {
	if b == nil || buf == nil {
		return
	}
	*buf = (*buf)[:0]
	b.pool.Put(buf)
}

// Release hands the memory that p.Data may share back to the Options.Buffers Process was given;
// p.Data must not be used afterwards (Release sets it to nil). Without Buffers it only clears
// p.Data. Calling it again does nothing.
func (p *Processed) Release() {
	p.lent.put(p.buf)
	p.Data, p.buf, p.lent = nil, nil, nil
}
