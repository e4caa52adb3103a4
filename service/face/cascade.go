package face

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

const (
	// maxCascadeBytes bounds what LoadCascade reads; the embedded facefinder is 239,632 bytes.
	maxCascadeBytes = 16 << 20
	// maxTreeDepth bounds the header's tree depth so the size arithmetic cannot overflow; facefinder's is 6.
	maxTreeDepth = 16
)

// facefinder is pigo v1.4.6's frontal face cascade (cascade/facefinder), MIT-licensed; the licence
// is in cascade/LICENSE.
//
//go:embed cascade/facefinder
var facefinder []byte

// ErrBadCascade reports cascade bytes whose length does not match their own header: a truncated
// file, or a file that is not a pigo face cascade. pigo's Unpack would panic on them.
var ErrBadCascade = errors.New("face: bad cascade")

// DefaultCascade returns a copy of the face cascade built into the binary.
func DefaultCascade() []byte {
	return append([]byte(nil), facefinder...)
}

// LoadCascade reads and validates a pigo face cascade at path, an override of the built-in one.
// An empty path returns DefaultCascade. The returned bytes are ready for Options.Cascade.
func LoadCascade(path string) ([]byte, error) {
	if path == "" {
		return DefaultCascade(), nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("load cascade: %w", err)
	}
	if st.Size() > maxCascadeBytes {
		return nil, fmt.Errorf("load cascade %s: %d bytes: %w", path, st.Size(), ErrBadCascade)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load cascade: %w", err)
	}
	if err := validateCascade(data); err != nil {
		return nil, fmt.Errorf("load cascade %s: %w", path, err)
	}
	return data, nil
}

// validateCascade checks that data is exactly as long as its header says: 8 skipped bytes, tree
// depth d and tree count n (little-endian uint32), then per tree 4·2^d−4 code bytes, 2^d float32
// leaf predictions and one float32 threshold — 16 + n·8·2^d bytes in all.
func validateCascade(data []byte) error {
	if len(data) < 16 {
		return fmt.Errorf("%d bytes, shorter than the 16-byte header: %w", len(data), ErrBadCascade)
	}
	depth := binary.LittleEndian.Uint32(data[8:])
	trees := binary.LittleEndian.Uint32(data[12:])
	if depth == 0 || depth > maxTreeDepth || trees == 0 {
		return fmt.Errorf("header says depth %d, %d trees: %w", depth, trees, ErrBadCascade)
	}
	want := 16 + uint64(trees)*8<<depth
	if uint64(len(data)) != want {
		return fmt.Errorf("%d bytes, header needs %d: %w", len(data), want, ErrBadCascade)
	}
	return nil
}
