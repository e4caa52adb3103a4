package service_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestServiceImportsNoFramework keeps the domain free of transport, storage and token libraries
// (STYLE.md habit 1).
func TestServiceImportsNoFramework(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/beian/beian/service/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{"github.com/gin-gonic/", "gorm.io/", "github.com/hibiken/asynq", "github.com/golang-jwt/",
		"github.com/skip2/go-qrcode", "github.com/beian/beian/api", "github.com/beian/beian/repository",
		"github.com/beian/beian/jobs", "github.com/beian/beian/config"}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if strings.HasPrefix(dep, f) {
				t.Errorf("service depends on %s", dep)
			}
		}
	}
}
