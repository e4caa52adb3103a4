package e2e

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beian/beian/service/face/facetest"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
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

// scanQR fetches the verification's served QR image and decodes it, as a phone camera would.
func (e *filingEnv) scanQR(t *testing.T, token string, id int64) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/verifications/%d/qr.png", e.client.Base(), id), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res := e.client.Send(req)
	if res.Status != http.StatusOK {
		t.Fatalf("qr.png: %d %s", res.Status, res.Body)
	}
	img, err := png.Decode(bytes.NewReader(res.Body))
	if err != nil {
		t.Fatalf("qr.png is not a PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	got, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode qr.png: %v", err)
	}
	return got.GetText()
}

// TestBrowserVerificationPage runs the responsible person's whole verification in Chromium at a
// phone's viewport: the URL decoded from the served QR image, consent and start, a photo the checker refuses
// (its reasons and the tries left are shown), a good one, and "use this photo".
func TestBrowserVerificationPage(t *testing.T) {
	e := &filingEnv{testEnv: newTestEnv(t)}
	token := e.login(t, "13800138410").AccessToken
	q := e.issueQR(t, token)
	scanned := e.scanQR(t, token, q.VerificationID)
	if scanned != q.QRURL || !strings.HasPrefix(scanned, e.app.Config.PublicURL+"/v/") {
		t.Fatalf("the QR image encodes %q; qr_url is %q, the public URL %s", scanned, q.QRURL, e.app.Config.PublicURL)
	}

	dir := t.TempDir()
	blank, portrait := filepath.Join(dir, "blank.jpg"), filepath.Join(dir, "portrait.jpg")
	if err := os.WriteFile(blank, facetest.Blank(t, 1080, 1350), 0o600); err != nil {
		t.Fatal(err)
	}
	// A phone camera's full resolution: the page must shrink it to 1280 px before uploading.
	if err := os.WriteFile(portrait, facetest.Portrait(t, 3000), 0o600); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, 390, 844)
	b.do(t, "open the QR code's URL", chromedp.Emulate(device.IPhone12Pro), chromedp.Navigate(scanned),
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
	longSide, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](
		"Math.max(document.getElementById('preview').naturalWidth, document.getElementById('preview').naturalHeight)"))
	if err != nil || longSide != 1280 {
		t.Fatalf("the uploaded photo's long side is %d px (%v), want it shrunk to 1280", longSide, err)
	}
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
