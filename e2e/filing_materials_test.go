package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// grayScan is a grayscale PNG of a document, as a black-and-white copy would be.
func grayScan(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 480, 320))
	for i := range img.Pix {
		img.Pix[i] = uint8(200 + i%50)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hugePNGHeader is a tiny PNG that declares 50000×50000 pixels: a decompression bomb's header.
func hugePNGHeader() []byte {
	chunk := func(typ string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(out, typ...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, 50000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 50000)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	return append(out, chunk("IEND", nil)...)
}

// jpegWithGPS is a colour JPEG carrying an EXIF APP1 segment with a GPS IFD (latitude ref "N").
func jpegWithGPS(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 400, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 400; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 160, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	tiff := []byte{'M', 'M', 0, 42, 0, 0, 0, 8,
		0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0, // IFD0: GPS IFD pointer → 26
		0, 1, 0, 1, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0, 0, 0, 0, 0} // GPS IFD: GPSLatitudeRef "N"
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := append([]byte{0xFF, 0xE1}, binary.BigEndian.AppendUint16(nil, uint16(len(payload)+2))...)
	seg = append(seg, payload...)
	jpg := buf.Bytes()
	return append(append(append([]byte{}, jpg[:2]...), seg...), jpg[2:]...)
}

func storedFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// TestMaterialUploadChecks: size limit while streaming, decompression-bomb header,
// grayscale certificate scan, and EXIF GPS removal; plus the other refusals.
func TestMaterialUploadChecks(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138070").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	e.patch(t, tk, o.ID, gdEnterprisePatch())

	tests := []struct {
		name, kind string
		data       []byte
		status     int
		code       string
	}{
		{"9 MiB + 1 byte", "commitment_letter", bytes.Repeat([]byte{0xFF}, 9<<20+1), http.StatusRequestEntityTooLarge, "MATERIAL_TOO_LARGE"},
		{"50000×50000 PNG", "commitment_letter", hugePNGHeader(), http.StatusUnprocessableEntity, "MATERIAL_IMAGE_TOO_LARGE"},
		{"grayscale licence", "subject_certificate", grayScan(t), http.StatusUnprocessableEntity, "MATERIAL_NOT_COLOUR"},
		{"text file", "commitment_letter", []byte("not an image"), http.StatusUnprocessableEntity, "MATERIAL_UNSUPPORTED_TYPE"},
		{"truncated PNG", "commitment_letter", colourScan(t)[:200], http.StatusUnprocessableEntity, "MATERIAL_CORRUPT"},
		{"unknown kind", "selfie", colourScan(t), http.StatusUnprocessableEntity, "VALIDATION_FAILED"},
		{"unknown service", "service_principal_id:7", colourScan(t), http.StatusUnprocessableEntity, "VALIDATION_FAILED"},
	}
	for _, tt := range tests {
		res := e.upload(t, tk, o.ID, tt.kind, tt.data)
		if res.Status != tt.status || res.ErrorCode() != tt.code {
			t.Errorf("%s: %d %s, want %d %s", tt.name, res.Status, res.Body, tt.status, tt.code)
		}
	}
	var list struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d/materials", o.ID), nil, tk).JSON(t, &list)
	if len(list.Items) != 0 || storedFiles(t, e.app.Config.FilesDir) != 0 {
		t.Fatalf("refused uploads left %d records and %d files", len(list.Items), storedFiles(t, e.app.Config.FilesDir))
	}

	// A grayscale letter is accepted: only certificate and ID scans must be in colour.
	if res := e.upload(t, tk, o.ID, "commitment_letter", grayScan(t)); res.Status != http.StatusCreated {
		t.Fatalf("grayscale letter: %d %s", res.Status, res.Body)
	}

}

// TestMaterialJPEGStoredWithoutGPS: the stored JPEG has lost its EXIF
// (GPS) segment, decodes, matches its recorded SHA-256, and sits encrypted on disk.
func TestMaterialJPEGStoredWithoutGPS(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138073").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	e.patch(t, tk, o.ID, gdEnterprisePatch())
	gps := jpegWithGPS(t)
	if !bytes.Contains(gps, []byte("Exif\x00\x00")) {
		t.Fatal("test JPEG lacks its EXIF segment")
	}
	res := e.upload(t, tk, o.ID, "subject_certificate", gps)
	var m struct {
		ID     int64  `json:"id"`
		SHA256 string `json:"sha256"`
	}
	res.JSON(t, &m)
	if res.Status != http.StatusCreated {
		t.Fatalf("JPEG with GPS: %d %s", res.Status, res.Body)
	}
	content := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/materials/%d/content", m.ID), nil, tk)
	sum := sha256.Sum256(content.Body)
	if content.Status != http.StatusOK || content.Header.Get("Content-Type") != "image/jpeg" ||
		bytes.Contains(content.Body, []byte("Exif\x00\x00")) || hex.EncodeToString(sum[:]) != m.SHA256 {
		t.Fatalf("stored JPEG: %d %s, %d bytes, EXIF kept %v", content.Status, content.Header.Get("Content-Type"),
			len(content.Body), bytes.Contains(content.Body, []byte("Exif")))
	}
	if _, err := jpeg.Decode(bytes.NewReader(content.Body)); err != nil {
		t.Fatalf("stored JPEG does not decode: %v", err)
	}
	for _, f := range []string{"Exif", "\xff\xd8\xff"} {
		if raw := readAllFiles(t, e.app.Config.FilesDir); bytes.Contains(raw, []byte(f)) {
			t.Fatalf("files at rest contain %q: they are not encrypted", f)
		}
	}
}

func readAllFiles(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			all = append(all, b...)
		}
		return nil
	})
	return all
}

func TestMaterialsChangeOnlyWhileEditable(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138071").AccessToken
	id := e.completeOrder(t, tk)
	var list struct {
		Items []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"items"`
	}
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d/materials", id), nil, tk).JSON(t, &list)
	if len(list.Items) != 4 {
		t.Fatalf("materials: %+v", list.Items)
	}
	del := fmt.Sprintf("/api/v1/orders/%d/materials/%d", id, list.Items[0].ID)
	if res := e.client.Do(http.MethodDelete, del, nil, tk); res.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}
	if r := e.requirements(t, tk, id); r.Complete || r.Items[0].Key != list.Items[0].Kind {
		t.Fatalf("after deleting %s: %v", list.Items[0].Kind, r.keys())
	}
	e.upload(t, tk, id, list.Items[0].Kind, colourScan(t))
	e.submit(t, tk, id)
	if res := e.upload(t, tk, id, "commitment_letter", colourScan(t)); res.Status != http.StatusConflict || res.ErrorCode() != "ORDER_NOT_EDITABLE" {
		t.Fatalf("upload to a submitted order: %d %s", res.Status, res.Body)
	}
	del = fmt.Sprintf("/api/v1/orders/%d/materials/%d", id, list.Items[1].ID)
	if res := e.client.Do(http.MethodDelete, del, nil, tk); res.Status != http.StatusConflict {
		t.Fatalf("delete from a submitted order: %d %s", res.Status, res.Body)
	}
}

func TestBrokenMultipartIsBadInput(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138072").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	bodies := map[string]string{
		"truncated file part": "--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncommitment_letter\r\n" +
			"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\x89PNG\r\n\x1a\nabc",
		"no file part":     "--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncommitment_letter\r\n--b--\r\n",
		"file before kind": "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nx\r\n--b--\r\n",
	}
	for name, body := range bodies {
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/orders/%d/materials", e.client.Base(), o.ID), strings.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		req.Header.Set("Authorization", "Bearer "+tk)
		if res := e.client.Send(req); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", name, res.Status, res.Body)
		}
	}
	// A part the handler skips, longer than the route's whole-body cap, ahead of the file: the cap
	// stops the read (through the 64 KiB body buffer) and the answer is the too-large one.
	junk := "--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncommitment_letter\r\n" +
		"--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n" + strings.Repeat("x", 10<<20) + "\r\n" +
		"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\nx\r\n--b--\r\n"
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/orders/%d/materials", e.client.Base(), o.ID), strings.NewReader(junk))
	req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
	req.Header.Set("Authorization", "Bearer "+tk)
	if res := e.client.Send(req); res.Status != http.StatusRequestEntityTooLarge || res.ErrorCode() != "MATERIAL_TOO_LARGE" {
		t.Errorf("a 10 MiB field ahead of the file: %d %s, want 413 MATERIAL_TOO_LARGE", res.Status, res.Body)
	}
}
