package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/beian/beian/api"
	"github.com/skip2/go-qrcode"
)

// BenchmarkQRImageEndpoint serves GET /verifications/{id}/qr.png through the gin router (access
// token check, database reads, token decryption, then the cached image after the first request)
// at the default size, as a page fetching its QR image again does. Compare with
// BenchmarkQRBareEncode in the same run.
func BenchmarkQRImageEndpoint(b *testing.B) {
	e := newVerifyEnv(b)
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", testOrderID),
		map[string]any{"role": "subject_principal"}, e.owner)
	var q issuedQR
	res.JSON(b, &q)
	req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d/qr.png", q.VerificationID), nil)
	req.Header.Set("Authorization", "Bearer "+e.owner)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("qr.png: %d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkQRBareEncode is the reference: skip2/go-qrcode's one-call encoder on the same kind of
// URL (the QR base URL and a 43-character token) at 256 px.
func BenchmarkQRBareEncode(b *testing.B) {
	url := "beian://verify?token=" + "Qx7mV2pL9sK4tR8wY1zA3cE5gH6jN0bD2fU4iO6kM8q"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := qrcode.Encode(url, qrcode.Medium, 256); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQRImageEndpointUncached is BenchmarkQRImageEndpoint with the image cache defeated:
// each request asks for a size the cache has just evicted (256 to 256+QRCacheEntries px, so the
// images are on average a little larger than the reference's 256 px).
func BenchmarkQRImageEndpointUncached(b *testing.B) {
	e := newVerifyEnv(b)
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", testOrderID),
		map[string]any{"role": "subject_principal"}, e.owner)
	var q issuedQR
	res.JSON(b, &q)
	var reqs []*http.Request
	for size := 256; size <= 256+api.QRCacheEntries; size++ {
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d/qr.png?size=%d", q.VerificationID, size), nil)
		req.Header.Set("Authorization", "Bearer "+e.owner)
		reqs = append(reqs, req)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, reqs[i%len(reqs)])
		i++
		if w.Code != http.StatusOK {
			b.Fatalf("qr.png: %d %s", w.Code, w.Body)
		}
	}
}
