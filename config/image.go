package config

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Image bounds the decoding of uploaded images (materials and face photos), shared by every request
// of one process.
type Image struct {
	// Workers is how many images may be decoded at once; 0 means runtime.GOMAXPROCS(0).
	Workers int `env:"BEIAN_IMAGE_WORKERS"`
	// Memory is how many bytes the decoded pixels of all images in work may take together.
	Memory ByteSize `env:"BEIAN_IMAGE_MEMORY" envDefault:"1GiB"`
	// Wait is how long a request waits for a worker and memory before it is refused as busy.
	Wait time.Duration `env:"BEIAN_IMAGE_WAIT" envDefault:"3s"`
}

// withDefaults fills Workers from GOMAXPROCS when it is unset.
func (i Image) withDefaults() Image {
	if i.Workers == 0 {
		i.Workers = runtime.GOMAXPROCS(0)
	}
	return i
}

// problems names each setting out of range.
func (i Image) problems() []error {
	var errs []error
	if i.Workers < 0 {
		errs = append(errs, fmt.Errorf("BEIAN_IMAGE_WORKERS: must be positive"))
	}
	if i.Memory < 1<<20 {
		errs = append(errs, fmt.Errorf("BEIAN_IMAGE_MEMORY: must be at least 1MiB"))
	}
	if i.Wait < 0 {
		errs = append(errs, fmt.Errorf("BEIAN_IMAGE_WAIT: must not be negative"))
	}
	return errs
}

// ByteSize is a number of bytes, written as a whole number with an optional unit: B, KiB, MiB,
// GiB (powers of 1024) or KB, MB, GB (powers of 1000), e.g. 512MiB.
type ByteSize int64

// byteUnits maps each unit ByteSize accepts to its factor.
var byteUnits = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1},
}

// UnmarshalText parses a size such as 1GiB, 512MiB or 1048576.
func (b *ByteSize) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	factor := int64(1)
	for _, u := range byteUnits {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			s, factor = strings.TrimSpace(n), u.factor
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/factor {
		return fmt.Errorf("size %q: want a whole number with an optional unit such as MiB or GiB", text)
	}
	*b = ByteSize(n * factor)
	return nil
}
