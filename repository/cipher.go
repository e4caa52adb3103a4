package repository

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// Cipher encrypts personal data at rest (AES-256-GCM, random nonce, the column name as additional
// data so a value cannot be moved to another column) and computes blind indexes (HMAC-SHA256 with
// a key derived from the same secret) for uniqueness checks and lookups on encrypted values.
type Cipher struct {
	aead     cipher.AEAD
	indexKey []byte
}

const cipherVersion = 1

// NewCipher builds a Cipher from a 32-byte key.
func NewCipher(key []byte) (*Cipher, error) {
	if len(key) != 32 {
		return nil, errors.New("data key must be 32 bytes")
	}
	encKey := derive(key, "beian/encrypt/v1")
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Cipher{aead: aead, indexKey: derive(key, "beian/blind-index/v1")}, nil
}

func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// DeriveKey derives an independent 32-byte key for another purpose (e.g. hashing SMS codes) from
// the data key, so one configured secret serves several uses without reuse.
func (c *Cipher) DeriveKey(label string) []byte { return derive(c.indexKey, "beian/derived/"+label) }

// Seal encrypts plain for the named column.
func (c *Cipher) Seal(column string, plain []byte) []byte {
	nonce := make([]byte, c.aead.NonceSize(), c.aead.NonceSize()+len(plain)+c.aead.Overhead()+1)
	_, _ = rand.Read(nonce) // crypto/rand.Read never returns an error since Go 1.24
	out := append([]byte{cipherVersion}, nonce...)
	return c.aead.Seal(out, nonce, plain, []byte(column))
}

// Open decrypts a value sealed for the named column.
func (c *Cipher) Open(column string, sealed []byte) ([]byte, error) {
	ns := c.aead.NonceSize()
	if len(sealed) < 1+ns || sealed[0] != cipherVersion {
		return nil, errors.New("sealed value: unknown format")
	}
	plain, err := c.aead.Open(nil, sealed[1:1+ns], sealed[1+ns:], []byte(column))
	if err != nil {
		return nil, fmt.Errorf("sealed value for %s: %w", column, err)
	}
	return plain, nil
}

// Index is the blind index of value in a namespace (e.g. "cert_number"): equal inputs give equal
// indexes, and the index reveals nothing without the key.
func (c *Cipher) Index(namespace, value string) string {
	m := hmac.New(sha256.New, c.indexKey)
	m.Write([]byte(namespace))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}
