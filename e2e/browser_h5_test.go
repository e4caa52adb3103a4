package e2e

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
	"github.com/skip2/go-qrcode"
)

type issuedQR struct {
	VerificationID int64  `json:"verification_id"`
	QRURL          string `json:"qr_url"`
}

// issueQR asks for the subject principal's QR code of a filled new_filing order.
func (e *filingEnv) issueQR(t *testing.T, token string) issuedQR {
	t.Helper()
	o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
	e.patch(t, token, o.ID, gdEnterprisePatch())
	var q issuedQR
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", o.ID), map[string]any{"role": "subject_principal"}, token)
	res.JSON(t, &q)
	if res.Status != http.StatusCreated {
		t.Fatalf("verification QR: %d %s", res.Status, res.Body)
	}
	return q
}

// assertQRImageEncodes checks that the served QR image is the QR code of url: no QR decoder is
// available to the tests, so the image is compared pixel by pixel with url encoded by the same
// library at the same size and error correction.
func (e *filingEnv) assertQRImageEncodes(t *testing.T, token string, id int64, url string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/verifications/%d/qr.png?size=256", e.client.Base(), id), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res := e.client.Send(req)
	if res.Status != http.StatusOK {
		t.Fatalf("qr.png: %d %s", res.Status, res.Body)
	}
	served, err := png.Decode(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("qr.png is not a PNG: %v", err)
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	if !sameImage(served, q.Image(256)) {
		t.Fatalf("the served QR image does not encode %s", url)
	}
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 {
				return false
			}
		}
	}
	return true
}

// TestBrowserVerificationPage runs the responsible person's whole verification in Chromium at a
// phone's viewport: the URL of the served QR code, consent and start, a photo the checker refuses
// (its reasons and the tries left are shown), a good one, and "use this photo".
func TestBrowserVerificationPage(t *testing.T) {
	e := &filingEnv{testEnv: newTestEnv(t)}
	token := e.login(t, "13800138410").AccessToken
	q := e.issueQR(t, token)
	if !strings.HasPrefix(q.QRURL, e.app.Config.PublicURL+"/v/") {
		t.Fatalf("qr_url %q is not on %s/v/", q.QRURL, e.app.Config.PublicURL)
	}
	e.assertQRImageEncodes(t, token, q.VerificationID, q.QRURL)

	dir := t.TempDir()
	blank, portrait := filepath.Join(dir, "blank.jpg"), filepath.Join(dir, "portrait.jpg")
	if err := os.WriteFile(blank, whitePhoto(t), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(portrait, portraitPhoto(t), 0o600); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, 390, 844)
	b.do(t, "open the QR code's URL", chromedp.Emulate(device.IPhone12Pro), chromedp.Navigate(q.QRURL),
		chromedp.WaitVisible(chromedp.CSS("#start")))
	if got := b.text(t, "#start dl"); !strings.Contains(got, "张**") || !strings.Contains(got, "首次备案") {
		t.Fatalf("what is verified: %q", got)
	}
	b.docScreenshot(t, "h5-start")
	if got := e.verificationStatus(t, token, q.VerificationID); got != "pending" {
		t.Fatalf("opening the page changed the verification to %s", got)
	}

	b.do(t, "consent and start", chromedp.Click(chromedp.CSS("#consent")), chromedp.Click(chromedp.CSS("#begin")),
		chromedp.WaitVisible(chromedp.CSS("#capture")))
	if got := e.verificationStatus(t, token, q.VerificationID); got != "scanned" {
		t.Fatalf("after start the verification is %s", got)
	}

	b.do(t, "a blank photo", chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{blank}),
		chromedp.WaitVisible(chromedp.CSS("#reasons")))
	if got := b.text(t, "#reasons"); !strings.Contains(got, "未检测到人脸") {
		t.Fatalf("reasons shown for a blank photo: %q", got)
	}
	if got := b.text(t, "#attempts"); !strings.Contains(got, "还可以上传 4 次") {
		t.Fatalf("tries left: %q", got)
	}
	b.docScreenshot(t, "h5-retry")

	b.do(t, "a portrait", chromedp.SetUploadFiles(chromedp.CSS("#photo"), []string{portrait}),
		chromedp.WaitVisible(chromedp.CSS("#use")))
	b.do(t, "use this photo", chromedp.Click(chromedp.CSS("#use")), chromedp.WaitVisible(chromedp.CSS("#done")))
	if got := e.verificationStatus(t, token, q.VerificationID); got != "confirmed" {
		t.Fatalf("after confirming the verification is %s", got)
	}

	b.do(t, "open the used code again", chromedp.Navigate(q.QRURL), chromedp.WaitVisible(chromedp.CSS("#notice")))
	if got := b.text(t, "#notice"); !strings.Contains(got, "二维码已被使用") {
		t.Fatalf("a used code's page: %q", got)
	}
}

func (e *filingEnv) verificationStatus(t *testing.T, token string, id int64) string {
	t.Helper()
	var v struct {
		Status string `json:"status"`
	}
	res := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d", id), nil, token)
	res.JSON(t, &v)
	if res.Status != http.StatusOK {
		t.Fatalf("verification %d: %d %s", id, res.Status, res.Body)
	}
	return v.Status
}
