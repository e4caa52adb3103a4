package config_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/config"
)

func TestFaceCascadeRequiredInProductionOnly(t *testing.T) {
	if _, err := config.Load(nil); err != nil {
		t.Fatalf("development without BEIAN_FACE_CASCADE refused: %v", err)
	}
	_, err := config.Load([]string{"BEIAN_ENV=production"})
	if err == nil || !strings.Contains(err.Error(), "BEIAN_FACE_CASCADE") {
		t.Fatalf("production without a face cascade: %v, want an error naming BEIAN_FACE_CASCADE", err)
	}
	_, err = config.Load([]string{"BEIAN_ENV=production", "BEIAN_FACE_CASCADE=/srv/facefinder"})
	if err != nil && strings.Contains(err.Error(), "BEIAN_FACE_CASCADE") {
		t.Fatalf("production with a face cascade path still names it: %v", err)
	}
}
