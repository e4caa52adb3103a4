package api_test

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"github.com/beian/beian/service/face/facetest"
	"github.com/beian/beian/service/verification"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

func TestRefreshRevokesTheOldQRAndItsSession(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	first := e.issue(t)
	session := e.scan(t, first)
	second := e.issue(t)
	if second.VerificationID != first.VerificationID || second.QRURL == first.QRURL {
		t.Fatalf("refresh gave %+v after %+v", second, first)
	}
	token := strings.TrimPrefix(first.QRURL, "beian://verify?token=")
	res := e.client.Do(http.MethodPost, "/api/v1/verification-scans", map[string]string{"token": token}, "")
	if res.Status != http.StatusGone || res.ErrorCode() != "QR_REVOKED" {
		t.Fatalf("old QR: %d %s", res.Status, res.Body)
	}
	res = e.client.Send(e.faceRequest(t, session, facetest.Portrait(t, 1080), "true"))
	if res.Status != http.StatusGone || res.ErrorCode() != "QR_REVOKED" {
		t.Fatalf("old session after refresh: %d %s", res.Status, res.Body)
	}
	res = e.client.Do(http.MethodPost, "/api/v1/verification-scans", map[string]string{"token": "nope"}, "")
	if res.Status != http.StatusNotFound || res.ErrorCode() != "QR_NOT_FOUND" {
		t.Fatalf("unknown QR: %d %s", res.Status, res.Body)
	}
	e.clock.Advance(verification.VerificationQRTTL)
	e.relogin(t)
	if v := e.view(t, second.VerificationID); v.Status != "expired" {
		t.Fatalf("30 minutes after the refresh: %+v", v)
	}
	res = e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d/qr.png", second.VerificationID), nil, e.owner)
	if res.Status != http.StatusGone || res.ErrorCode() != "QR_EXPIRED" {
		t.Fatalf("QR image 30 minutes on: %d %s", res.Status, res.Body)
	}
}

// TestQRImageDecodesToTheURL reads the served PNG with a real QR decoder.
func TestQRImageDecodesToTheURL(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	q := e.issue(t)
	tests := []struct {
		query string
		side  int
	}{{"", 256}, {"?size=512", 512}, {"?size=10", 128}, {"?size=100000", 1024}}
	for _, tt := range tests {
		res := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d/qr.png%s", q.VerificationID, tt.query), nil, e.owner)
		if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "image/png" || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("qr.png%s: %d %v", tt.query, res.Status, res.Header)
		}
		img, err := png.Decode(bytes.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != tt.side || b.Dy() != tt.side {
			t.Fatalf("qr.png%s is %v, want %d px square", tt.query, b, tt.side)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		// The served code is a clean rendering, which PURE_BARCODE tells the decoder; without it the
		// detector misreads a few codes in a thousand.
		got, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
		if err != nil {
			t.Fatalf("decode qr.png%s: %v", tt.query, err)
		}
		if got.GetText() != q.QRURL {
			t.Fatalf("qr.png%s decodes to %q, want %q", tt.query, got.GetText(), q.QRURL)
		}
	}
	if res := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d/qr.png?size=big", q.VerificationID), nil, e.owner); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("size=big: %d", res.Status)
	}
	e.scan(t, q)
	res := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d/qr.png", q.VerificationID), nil, e.owner)
	if res.Status != http.StatusGone || res.ErrorCode() != "QR_USED" {
		t.Fatalf("qr.png after the scan: %d %s", res.Status, res.Body)
	}
}
