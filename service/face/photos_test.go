package face

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/draw"
)

const (
	// faceAPIPackage holds six MIT-licensed group photos in package/demo/.
	faceAPIPackage = "@vladmandic/face-api@1.7.15"
	// faceAPITarball is the file npm pack writes for faceAPIPackage.
	faceAPITarball = "vladmandic-face-api-1.7.15.tgz"
	// cacheDir keeps fetched photos between runs; it is git-ignored.
	cacheDir = "testdata/cache"
	// positiveWidth is the phone-like width the frontal test portrait is upscaled to.
	positiveWidth = 1080
)

// groupSamples names the face-api demo photos: three to five people each, indoor backgrounds.
func groupSamples() []string {
	return []string{"sample1.jpg", "sample2.jpg", "sample3.jpg", "sample4.jpg", "sample5.jpg", "sample6.jpg"}
}

// testChecker returns a Checker with the real face cascade and default options.
func testChecker(t testing.TB) *Checker {
	t.Helper()
	data, err := LoadCascade(filepath.Join(pigoDir(t), cascadeFile))
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewChecker(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// frontalPortrait returns pigo's sample portrait (one man, white background, 320×400) upscaled to a
// phone photo's width.
func frontalPortrait(t testing.TB) *image.RGBA {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(pigoDir(t), "testdata", "sample.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return resize(src, positiveWidth)
}

// resize scales img to the given width, keeping its aspect ratio.
func resize(img image.Image, width int) *image.RGBA {
	b := img.Bounds()
	h := b.Dy() * width / b.Dx()
	dst := image.NewRGBA(image.Rect(0, 0, width, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// groupPhoto returns one face-api demo photo, fetching the npm package into cacheDir when the
// cache lacks it. A missing npm or a failed fetch fails the test: these photos are required.
func groupPhoto(t testing.TB, name string) []byte {
	t.Helper()
	path := filepath.Join(cacheDir, name)
	if data, err := os.ReadFile(path); err == nil {
		return data
	}
	if err := fetchGroupPhotos(); err != nil {
		t.Fatalf("fetch the group test photos (needs npm and the npm registry): %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// fetchGroupPhotos runs npm pack into cacheDir and extracts the demo photos next to the tarball.
func fetchGroupPhotos() error {
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return err
	}
	tarball := filepath.Join(cacheDir, faceAPITarball)
	if _, err := os.Stat(tarball); err != nil {
		if _, err := exec.LookPath("npm"); err != nil {
			return fmt.Errorf("npm not found: %w", err)
		}
		cmd := exec.Command("npm", "pack", faceAPIPackage, "--pack-destination", cacheDir)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("npm pack %s: %w\n%s", faceAPIPackage, err, out)
		}
	}
	return extractDemoPhotos(tarball)
}

// extractDemoPhotos copies package/demo/sampleN.jpg out of the npm tarball into cacheDir, writing
// each through a temporary file so an interrupted run leaves no half photo.
func extractDemoPhotos(tarball string) error {
	f, err := os.Open(tarball)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", tarball, err)
	}
	tr := tar.NewReader(gz)
	found := 0
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", tarball, err)
		}
		name := strings.TrimPrefix(hdr.Name, "package/demo/")
		if name == hdr.Name || !slices.Contains(groupSamples(), name) {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(tr, 16<<20))
		if err != nil {
			return err
		}
		tmp := filepath.Join(cacheDir, name+".tmp")
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			return err
		}
		if err := os.Rename(tmp, filepath.Join(cacheDir, name)); err != nil {
			return err
		}
		found++
	}
	if found != len(groupSamples()) {
		return fmt.Errorf("%s: found %d of %d demo photos", tarball, found, len(groupSamples()))
	}
	return nil
}

// encodeJPEG encodes img as a quality-92 JPEG, like a phone camera.
func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodePNG encodes img as a PNG, favouring speed over size (the race detector slows deflate a lot).
func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
