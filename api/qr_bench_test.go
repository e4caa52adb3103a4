package api_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

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
// it cycles through more QR codes (one per order) than the cache keeps, all at 256 px, so every
// request draws and encodes its image as the first request for a new code does.
func BenchmarkQRImageEndpointUncached(b *testing.B) {
	e := newVerifyEnv(b)
	reqs := e.qrRequests(b, api.QRCacheEntries+1)
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

// qrRequests issues n QR codes (for n orders) and returns a GET qr.png request for each.
func (e *verifyEnv) qrRequests(b *testing.B, n int) []*http.Request {
	b.Helper()
	var reqs []*http.Request
	for k := range n {
		e.seedDraft(int64(benchOrderIDs + k))
		res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", benchOrderIDs+k),
			map[string]any{"role": "subject_principal"}, e.owner)
		var q issuedQR
		res.JSON(b, &q)
		req := httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d/qr.png", q.VerificationID), nil)
		req.Header.Set("Authorization", "Bearer "+e.owner)
		reqs = append(reqs, req)
	}
	return reqs
}

// BenchmarkQRImageEndpointVsBare interleaves one endpoint request and one bare qrcode.Encode per
// iteration, so that load on a shared machine weighs on both alike, and reports each one's
// ns/op and their ratio (endpoint/bare: below 1 means the endpoint is faster).
func BenchmarkQRImageEndpointVsBare(b *testing.B) {
	e := newVerifyEnv(b)
	all := e.qrRequests(b, api.QRCacheEntries+1)
	url := "beian://verify?token=Qx7mV2pL9sK4tR8wY1zA3cE5gH6jN0bD2fU4iO6kM8q" // same length as the served ones
	for _, mode := range []struct {
		name string
		reqs []*http.Request // requested in turn: one code hits the cache, more than its bound miss it
	}{{"cached", all[:1]}, {"uncached", all}} {
		b.Run(mode.name, func(b *testing.B) {
			var endpoint, bare time.Duration
			i := 0
			for b.Loop() {
				w := httptest.NewRecorder()
				start := time.Now()
				e.handler.ServeHTTP(w, mode.reqs[i%len(mode.reqs)])
				endpoint += time.Since(start)
				start = time.Now()
				if _, err := qrcode.Encode(url, qrcode.Medium, 256); err != nil {
					b.Fatal(err)
				}
				bare += time.Since(start)
				i++
				if w.Code != http.StatusOK {
					b.Fatalf("qr.png: %d %s", w.Code, w.Body)
				}
			}
			b.ReportMetric(float64(endpoint.Nanoseconds())/float64(i), "endpoint-ns/op")
			b.ReportMetric(float64(bare.Nanoseconds())/float64(i), "bare-ns/op")
			b.ReportMetric(float64(endpoint)/float64(bare), "endpoint/bare")
		})
	}
}
