// Package blob stores the bytes of uploaded files by key: Local keeps them in a directory tree, S3 in a
// bucket of any S3-compatible service (so that several API replicas share them), and Sealed encrypts them
// at rest on top of either. Open picks Local or S3 from a URL.
package blob

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// MaxKeyLen is the longest key accepted.
const MaxKeyLen = 200

var (
	// ErrNotFound means no object is stored under the key.
	ErrNotFound = errors.New("blob: not found")
	// ErrBadKey means a key is empty, longer than MaxKeyLen, uses characters other than a-z, 0-9, '/',
	// '_', '.' and '-', contains "..", starts or ends with '/', or has an empty or "." path segment.
	ErrBadKey = errors.New("blob: bad key")
)

// Store keeps objects by key. Local, S3 and Sealed implement it; Sealed takes one to wrap.
type Store interface {
	// Put stores data under key, replacing any object already there.
	Put(ctx context.Context, key string, data []byte) error
	// Get returns the object under key, or an error wrapping ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Delete removes the object under key; a missing object is not an error.
	Delete(ctx context.Context, key string) error
}

// ValidateKey returns nil for a key Local and S3 accept and an error wrapping ErrBadKey otherwise. Keys are
// '/'-separated paths such as "orders/0042/licence.jpg", so that objects can be sharded into directories.
func ValidateKey(key string) error {
	if key == "" || len(key) > MaxKeyLen {
		return fmt.Errorf("%w: length %d", ErrBadKey, len(key))
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '/' && c != '_' && c != '.' && c != '-' {
			return fmt.Errorf("%w: %q has character %q", ErrBadKey, key, c)
		}
	}
	if strings.Contains(key, "..") {
		return fmt.Errorf("%w: %q contains \"..\"", ErrBadKey, key)
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." {
			return fmt.Errorf("%w: %q has an empty or \".\" segment", ErrBadKey, key)
		}
	}
	return nil
}
