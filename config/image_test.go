package config_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/config"
)

func TestImageDefaults(t *testing.T) {
	c, err := config.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := config.Image{Workers: runtime.GOMAXPROCS(0), Memory: 1 << 30, Wait: 3 * time.Second}
	if c.Image != want {
		t.Fatalf("image settings %+v, want %+v", c.Image, want)
	}
}

func TestImageSettings(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		want    config.Image
		wantErr string
	}{
		{"MiB and seconds", []string{"BEIAN_IMAGE_WORKERS=3", "BEIAN_IMAGE_MEMORY=512MiB", "BEIAN_IMAGE_WAIT=500ms"},
			config.Image{Workers: 3, Memory: 512 << 20, Wait: 500 * time.Millisecond}, ""},
		{"plain bytes", []string{"BEIAN_IMAGE_WORKERS=1", "BEIAN_IMAGE_MEMORY=268435456"},
			config.Image{Workers: 1, Memory: 256 << 20, Wait: 3 * time.Second}, ""},
		{"decimal unit", []string{"BEIAN_IMAGE_WORKERS=2", "BEIAN_IMAGE_MEMORY=2GB"},
			config.Image{Workers: 2, Memory: 2e9, Wait: 3 * time.Second}, ""},
		{"unknown unit", []string{"BEIAN_IMAGE_MEMORY=5 lots"}, config.Image{}, "Memory"},
		{"too little memory", []string{"BEIAN_IMAGE_MEMORY=1KiB"}, config.Image{}, "BEIAN_IMAGE_MEMORY"},
		{"negative workers", []string{"BEIAN_IMAGE_WORKERS=-1"}, config.Image{}, "BEIAN_IMAGE_WORKERS"},
		{"negative wait", []string{"BEIAN_IMAGE_WAIT=-1s"}, config.Image{}, "BEIAN_IMAGE_WAIT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := config.Load(tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil || c.Image != tt.want {
				t.Fatalf("got %+v, %v; want %+v", c.Image, err, tt.want)
			}
		})
	}
}
