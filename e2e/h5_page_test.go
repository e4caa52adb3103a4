package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/service/verification"
)

// TestVerificationPageDoesNotConsumeTheCode opens the page twice (a chat app's link preview, a
// second tab) and still scans the code once; then the page tells a used, a replaced, an expired
// and an unknown code apart, always with the strict security headers.
func TestVerificationPageDoesNotConsumeTheCode(t *testing.T) {
	t.Parallel()
	e := &filingEnv{testEnv: newTestEnv(t)}
	token := e.login(t, "13800138420").AccessToken
	q := e.issueQR(t, token)
	path := strings.TrimPrefix(q.QRURL, e.app.Config.PublicURL)
	raw := strings.TrimPrefix(path, "/v/")

	page := func(p string, wantStatus int, wantText string) {
		t.Helper()
		res := e.client.Do(http.MethodGet, p, nil, "")
		if res.Status != wantStatus || !strings.Contains(string(res.Body), wantText) {
			t.Fatalf("GET %s: %d, want %d with %q\n%s", p, res.Status, wantStatus, wantText, res.Body)
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Fatalf("CSP %q", csp)
		}
		if res.Header.Get("Referrer-Policy") != "no-referrer" || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("headers: %v", res.Header)
		}
	}
	page(path, http.StatusOK, "张**")
	page(path, http.StatusOK, "人脸信息处理单独同意")
	if res := e.client.Do(http.MethodPost, "/api/v1/verification-scans", map[string]string{"token": raw}, ""); res.Status != http.StatusOK {
		t.Fatalf("scan after two page views: %d %s", res.Status, res.Body)
	}
	page(path, http.StatusGone, "二维码已被使用")

	replaced := raw
	q = e.reissueQR(t, token, q)
	page("/v/"+replaced, http.StatusGone, "二维码已更新")
	e.clock.Advance(verification.VerificationQRTTL + time.Second)
	page(strings.TrimPrefix(q.QRURL, e.app.Config.PublicURL), http.StatusGone, "二维码已过期")
	page("/v/not-a-code", http.StatusNotFound, "二维码无效")
}

// reissueQR asks again for the same person's QR code, which replaces the earlier one.
func (e *filingEnv) reissueQR(t *testing.T, token string, q issuedQR) issuedQR {
	t.Helper()
	v := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d", q.VerificationID), nil, token)
	var got struct {
		OrderID int64 `json:"order_id"`
	}
	v.JSON(t, &got)
	var next issuedQR
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", got.OrderID), map[string]any{"role": "subject_principal"}, token)
	res.JSON(t, &next)
	if res.Status != http.StatusCreated {
		t.Fatalf("reissue: %d %s", res.Status, res.Body)
	}
	return next
}
