package config_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/config"
)

func TestFaceCascadeOptionalEverywhere(t *testing.T) {
	for _, env := range []string{config.EnvDevelopment, config.EnvProduction} {
		_, err := config.Load([]string{"BEIAN_ENV=" + env})
		if err != nil && strings.Contains(err.Error(), "BEIAN_FACE_CASCADE") {
			t.Errorf("%s without BEIAN_FACE_CASCADE: %v; the built-in cascade needs no path", env, err)
		}
	}
	c, err := config.Load([]string{"BEIAN_FACE_CASCADE=/srv/facefinder"})
	if err != nil || c.FaceCascade != "/srv/facefinder" {
		t.Fatalf("override: %q, %v", c.FaceCascade, err)
	}
}
