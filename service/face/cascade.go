package face

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode"
)

const (
	// pigoModule is the module whose directory holds the face cascade. It is a build dependency, so
	// its exact version is in the binary's build information and its files are in the module cache.
	pigoModule = "github.com/esimov/pigo"
	// cascadeFile is the face cascade's path inside pigoModule.
	cascadeFile = "cascade/facefinder"
	// maxCascadeBytes bounds what LoadCascade reads; the real facefinder is 239,632 bytes.
	maxCascadeBytes = 16 << 20
	// maxTreeDepth bounds the header's tree depth so the size arithmetic cannot overflow; facefinder's is 6.
	maxTreeDepth = 16
)

// ErrBadCascade reports cascade bytes whose length does not match their own header: a truncated
// file, or a file that is not a pigo face cascade. pigo's Unpack would panic on them.
var ErrBadCascade = errors.New("face: bad cascade")

// LoadCascade reads and validates the pigo face cascade at path. An empty path means
// DefaultCascadePath. The returned bytes are ready for NewChecker.
func LoadCascade(path string) ([]byte, error) {
	if path == "" {
		p, err := DefaultCascadePath()
		if err != nil {
			return nil, err
		}
		path = p
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

// DefaultCascadePath returns the path of pigo's cascade/facefinder in the Go module cache, for the
// pigo version this binary was built with (from its build information). The cache is $GOMODCACHE,
// else the first $GOPATH entry's pkg/mod, else $HOME/go/pkg/mod. It fails when the binary carries
// no dependency information (test binaries do not) or the file is not there; production then sets
// the path explicitly.
func DefaultCascadePath() (string, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", errors.New("face cascade path: binary has no build information")
	}
	return moduleFilePath(info, os.Getenv, cascadeFile)
}

// moduleFilePath locates file inside pigoModule's directory in the module cache.
func moduleFilePath(info *debug.BuildInfo, getenv func(string) string, file string) (string, error) {
	var dep *debug.Module
	for _, d := range info.Deps {
		if d.Path == pigoModule {
			dep = d
		}
	}
	if dep == nil {
		return "", fmt.Errorf("face cascade path: %s is not in the build information", pigoModule)
	}
	if dep.Replace != nil {
		dep = dep.Replace
	}
	var dir string
	if dep.Version == "" {
		if !filepath.IsAbs(dep.Path) {
			return "", fmt.Errorf("face cascade path: %s is replaced by relative directory %q", pigoModule, dep.Path)
		}
		dir = dep.Path
	} else {
		cache, err := moduleCache(getenv)
		if err != nil {
			return "", err
		}
		dir = filepath.Join(cache, filepath.FromSlash(escapeModule(dep.Path))+"@"+escapeModule(dep.Version))
	}
	path := filepath.Join(dir, filepath.FromSlash(file))
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("face cascade path: %w", err)
	}
	return path, nil
}

// moduleCache returns the module cache directory the way the go command chooses it.
func moduleCache(getenv func(string) string) (string, error) {
	if c := getenv("GOMODCACHE"); c != "" {
		return c, nil
	}
	if gp := filepath.SplitList(getenv("GOPATH")); len(gp) > 0 && gp[0] != "" {
		return filepath.Join(gp[0], "pkg", "mod"), nil
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, "go", "pkg", "mod"), nil
	}
	return "", errors.New("face cascade path: neither GOMODCACHE, GOPATH nor HOME is set")
}

// escapeModule applies the module cache's case encoding: each upper-case letter becomes '!'
// followed by its lower-case form.
func escapeModule(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteByte('!')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
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
