package face

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// pigoDir returns the pigo module's directory as the go command resolves it for this module.
func pigoDir(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", pigoModule).Output()
	if err != nil {
		t.Fatalf("locate %s with go list: %v", pigoModule, err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		t.Fatalf("go list gave no directory for %s", pigoModule)
	}
	return dir
}

func TestLoadCascade(t *testing.T) {
	facefinder := filepath.Join(pigoDir(t), cascadeFile)
	data, err := os.ReadFile(facefinder)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	puploc := filepath.Join(pigoDir(t), "cascade", "puploc")
	tests := []struct {
		name    string
		path    string
		wantErr error
	}{
		{"pigo's facefinder", facefinder, nil},
		{"truncated copy", write("truncated", data[:len(data)/2]), ErrBadCascade},
		{"one byte short", write("short", data[:len(data)-1]), ErrBadCascade},
		{"header only", write("header", data[:16]), ErrBadCascade},
		{"shorter than the header", write("tiny", data[:10]), ErrBadCascade},
		{"a trailing byte", write("long", append(append([]byte{}, data...), 0)), ErrBadCascade},
		{"pupil cascade instead", puploc, ErrBadCascade},
		{"missing file", filepath.Join(dir, "absent"), os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadCascade(tt.path)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err == nil && len(got) != len(data) {
				t.Fatalf("read %d bytes, want %d", len(got), len(data))
			}
		})
	}
}

func TestModuleFilePath(t *testing.T) {
	dir := pigoDir(t)
	version := dir[strings.LastIndex(dir, "@")+1:]
	cache := strings.TrimSuffix(dir, filepath.FromSlash("/github.com/esimov/pigo@"+version))
	if cache == dir {
		t.Skipf("pigo is not in a module cache here (%s): replaced or vendored", dir)
	}
	info := func(deps ...*debug.Module) *debug.BuildInfo { return &debug.BuildInfo{Deps: deps} }
	pigoDep := &debug.Module{Path: pigoModule, Version: version}
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	want := filepath.Join(dir, filepath.FromSlash(cascadeFile))
	tests := []struct {
		name    string
		info    *debug.BuildInfo
		env     map[string]string
		wantErr bool
	}{
		{"GOMODCACHE", info(pigoDep), map[string]string{"GOMODCACHE": cache}, false},
		{"GOMODCACHE wins over GOPATH", info(pigoDep), map[string]string{"GOMODCACHE": cache, "GOPATH": "/nowhere"}, false},
		{"replaced by a local directory", info(&debug.Module{Path: pigoModule, Version: "v0.0.0",
			Replace: &debug.Module{Path: dir}}), nil, false},
		{"replaced by a relative directory", info(&debug.Module{Path: pigoModule,
			Replace: &debug.Module{Path: "../pigo"}}), nil, true},
		{"not a dependency", info(&debug.Module{Path: "golang.org/x/image", Version: "v0.47.0"}), map[string]string{"GOMODCACHE": cache}, true},
		{"version not in the cache", info(&debug.Module{Path: pigoModule, Version: "v0.0.1"}), map[string]string{"GOMODCACHE": cache}, true},
		{"no cache variables", info(pigoDep), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := moduleFilePath(tt.info, env(tt.env), cascadeFile)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && got != want {
				t.Fatalf("path %s, want %s", got, want)
			}
		})
	}
}

func TestModuleCache(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"GOMODCACHE", map[string]string{"GOMODCACHE": "/c", "GOPATH": "/g", "HOME": "/h"}, "/c"},
		{"first GOPATH entry", map[string]string{"GOPATH": "/g1" + string(filepath.ListSeparator) + "/g2", "HOME": "/h"}, "/g1/pkg/mod"},
		{"HOME", map[string]string{"HOME": "/h"}, "/h/go/pkg/mod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := moduleCache(func(k string) string { return tt.env[k] })
			if err != nil || got != filepath.FromSlash(tt.want) {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestEscapeModule(t *testing.T) {
	if got := escapeModule("github.com/BurntSushi/toml"); got != "github.com/!burnt!sushi/toml" {
		t.Fatalf("got %s", got)
	}
}
