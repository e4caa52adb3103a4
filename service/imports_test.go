package service_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/beian/beian/"

// TestServiceImportsNoFramework keeps the domain free of transport, storage and token libraries,
// so the rules can be read and tested on their own.
func TestServiceImportsNoFramework(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", module+"service/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{"github.com/gin-gonic/", "gorm.io/", "github.com/hibiken/asynq", "github.com/golang-jwt/",
		"github.com/skip2/go-qrcode", module + "api", module + "repository", module + "jobs", module + "config", module + "app"}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("service depends on %s", dep)
			}
		}
	}
}

// layers are the bounded contexts from the top down: a context may import only those below it
// (and the leaf packages). Adding a context means adding it here, at its place.
var layers = []string{"review", "inspection", "transfer", "verification", "filing", "account", "notify", "kernel"}

// leaves are packages without domain state that any context may use; they import no context.
var leaves = []string{"catalog", "validate", "material", "face", "imaging", "clocktest"}

// TestContextDependenciesPointDown fails on an import that points up or sideways between the
// bounded contexts of service/, or from a leaf package into a context.
func TestContextDependenciesPointDown(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, module+"service/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		from := strings.TrimPrefix(fields[0], module+"service/")
		for _, imp := range fields[1:] {
			to, ok := strings.CutPrefix(imp, module+"service/")
			if !ok {
				continue
			}
			if !allowedImport(top(from), top(to)) {
				t.Errorf("service/%s imports service/%s: dependencies between contexts point down %v", from, to, layers)
			}
		}
	}
}

// top is the first path element: "face" for "face/testdata/x".
func top(p string) string { return strings.Split(p, "/")[0] }

func allowedImport(from, to string) bool {
	if from == to || slices.Contains(leaves, to) && slices.Contains(leaves, from) {
		return true
	}
	fi, ti := slices.Index(layers, from), slices.Index(layers, to)
	switch {
	case fi < 0 && ti < 0: // two leaves, or a new package: list it above
		return slices.Contains(leaves, from) && slices.Contains(leaves, to)
	case fi < 0: // a leaf importing a context
		return false
	case ti < 0:
		return slices.Contains(leaves, to)
	}
	return ti > fi
}
