package blob

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
)

// sealVersion is the first byte of every sealed object: version 1 is AES-256-GCM with a 12-byte random
// nonce, laid out as version ‖ nonce ‖ ciphertext ‖ 16-byte tag, with version ‖ object key as additional
// data.
const sealVersion byte = 1

const (
	sealKeySize   = 32
	sealNonceSize = 12
	sealTagSize   = 16
)

var (
	// ErrTampered means a sealed object failed authentication: its bytes were changed, truncated, or
	// belong to another key (two objects swapped), or the store holds them under a different master key.
	ErrTampered = errors.New("blob: sealed object failed authentication")
	// ErrUnknownVersion means a stored object starts with a format version this code cannot open.
	ErrUnknownVersion = errors.New("blob: unknown sealed format version")
)

// Sealed is a Store that encrypts objects before handing them to another Store and authenticates them
// when reading back. The object key is bound as additional data, so an object moved or copied to another
// key does not open. Sealed is safe for concurrent use when the wrapped Store is. One master key may seal
// up to about 2^32 objects (the random-nonce limit of GCM) before it must be rotated.
type Sealed struct {
	inner Store
	aead  cipher.AEAD
	// outs keeps the buffers objects are sealed into for reuse when inner is a Local, which is done
	// with the data it stores once Put returns; nil for other stores (an HTTP client may still be
	// reading a request body after a failed call has returned).
	outs *sync.Pool
}

// NewSealed returns a Sealed storing into inner under a 32-byte AES-256 master key. The key bytes are not
// retained.
func NewSealed(inner Store, key []byte) (*Sealed, error) {
	if len(key) != sealKeySize {
		return nil, fmt.Errorf("blob: sealing key is %d bytes, want %d", len(key), sealKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("blob: sealing key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("blob: sealing key: %w", err)
	}
	s := &Sealed{inner: inner, aead: aead}
	if _, ok := inner.(*Local); ok {
		s.outs = &sync.Pool{}
	}
	return s, nil
}

// Put encrypts data with a fresh random nonce and stores the result under key in the wrapped Store.
func (s *Sealed) Put(ctx context.Context, key string, data []byte) error {
	buf := s.buffer(1 + sealNonceSize + len(data) + sealTagSize)
	out := (*buf)[:1+sealNonceSize]
	out[0] = sealVersion
	nonce := out[1:]
	if _, err := rand.Read(nonce); err != nil {
		return fmt.Errorf("seal %s: %w", key, err)
	}
	out = s.aead.Seal(out, nonce, data, additionalData(key))
	err := s.inner.Put(ctx, key, out)
	if s.outs != nil {
		*buf = out
		s.outs.Put(buf)
	}
	return err
}

// buffer returns a buffer of at least size bytes' capacity, from outs when it has one.
func (s *Sealed) buffer(size int) *[]byte {
	if s.outs != nil {
		if buf, ok := s.outs.Get().(*[]byte); ok && cap(*buf) >= size {
			return buf
		}
	}
	buf := make([]byte, 0, size)
	return &buf
}

// Get reads the object under key from the wrapped Store and decrypts it. It returns the wrapped Store's
// error (ErrNotFound for a missing key), ErrUnknownVersion, or ErrTampered when the object does not
// authenticate under this key.
func (s *Sealed) Get(ctx context.Context, key string) ([]byte, error) {
	sealed, err := s.inner.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < 1+sealNonceSize+sealTagSize {
		return nil, fmt.Errorf("open %s: %w: %d bytes", key, ErrTampered, len(sealed))
	}
	if sealed[0] != sealVersion {
		return nil, fmt.Errorf("open %s: %w: %d", key, ErrUnknownVersion, sealed[0])
	}
	nonce, body := sealed[1:1+sealNonceSize], sealed[1+sealNonceSize:]
	data, err := s.aead.Open(nil, nonce, body, additionalData(key))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", key, ErrTampered)
	}
	return data, nil
}

// Delete removes the object under key from the wrapped Store.
func (s *Sealed) Delete(ctx context.Context, key string) error {
	return s.inner.Delete(ctx, key)
}

// additionalData binds an object to its format version and its key.
func additionalData(key string) []byte {
	return append([]byte{sealVersion}, key...)
}
