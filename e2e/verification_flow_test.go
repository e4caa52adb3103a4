package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/service/face/facetest"
)

// TestVerificationClosesTheOrderRequirement runs the whole flow on the production wiring (orders
// read confirmed persons from the verifications table): a new_filing order needs its subject
// principal and website principal verified; a passed but unconfirmed photo and a failed one leave
// the requirements open, a confirmed one closes its own.
func TestVerificationClosesTheOrderRequirement(t *testing.T) {
	t.Parallel()
	e := &filingEnv{testEnv: newTestEnv(t)}
	token := e.login(t, "13800138300").AccessToken
	o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
	e.patch(t, token, o.ID, gdEnterprisePatch())
	subject, website := "verification subject_principal MISSING", "verification service_principal:1 MISSING"
	if got := e.requirements(t, token, o.ID).keys(); !slices.Contains(got, subject) || !slices.Contains(got, website) {
		t.Fatalf("requirements before any verification: %v", got)
	}

	subjectSession, summary := e.verifyScan(t, token, o.ID, map[string]any{"role": "subject_principal"})
	if summary.PersonName != "张**" || summary.OrderType != "new_filing" {
		t.Fatalf("scan summary: %+v", summary)
	}
	if res := e.client.Send(e.faceUpload(t, subjectSession, facetest.Portrait(t, 1080))); res.Status != http.StatusOK {
		t.Fatalf("subject principal's photo: %d %s", res.Status, res.Body)
	}
	if got := e.requirements(t, token, o.ID).keys(); !slices.Contains(got, subject) {
		t.Fatalf("a passed, unconfirmed verification closed the requirement: %v", got)
	}
	if res := e.client.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, subjectSession); res.Status != http.StatusOK {
		t.Fatalf("confirm: %d %s", res.Status, res.Body)
	}

	websiteSession, summary := e.verifyScan(t, token, o.ID, map[string]any{"role": "service_principal", "service_id": 1})
	if summary.PersonName != "李*" || summary.ServiceName != "示例科技官网" {
		t.Fatalf("website principal's scan summary: %+v", summary)
	}
	res := e.client.Send(e.faceUpload(t, websiteSession, facetest.Blank(t, 1080, 1350)))
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"NO_FACE"`) {
		t.Fatalf("a blank photo: %d %s", res.Status, res.Body)
	}
	got := e.requirements(t, token, o.ID).keys()
	if slices.Contains(got, subject) || !slices.Contains(got, website) {
		t.Fatalf("after confirming the subject principal and failing the website's: %v", got)
	}
	if res := e.client.Send(e.faceUpload(t, websiteSession, facetest.Portrait(t, 1080))); res.Status != http.StatusOK {
		t.Fatalf("website principal's second photo: %d %s", res.Status, res.Body)
	}
	if res := e.client.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, websiteSession); res.Status != http.StatusOK {
		t.Fatalf("confirm the website principal: %d %s", res.Status, res.Body)
	}
	if got := e.requirements(t, token, o.ID).keys(); slices.Contains(got, subject) || slices.Contains(got, website) {
		t.Fatalf("both confirmed, still required: %v", got)
	}
}

type scanSummary struct {
	SessionToken string `json:"session_token"`
	OrderType    string `json:"order_type"`
	ServiceName  string `json:"service_name"`
	PersonName   string `json:"person_name"`
}

// verifyScan asks for the person's QR code and scans it, as the app would.
func (e *filingEnv) verifyScan(t *testing.T, token string, orderID int64, person map[string]any) (string, scanSummary) {
	t.Helper()
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", orderID), person, token)
	var q struct {
		QRURL string `json:"qr_url"`
	}
	res.JSON(t, &q)
	raw, ok := strings.CutPrefix(q.QRURL, e.app.Config.VerifyPageURL())
	if res.Status != http.StatusCreated || !ok {
		t.Fatalf("verification QR for %v: %d %s", person, res.Status, res.Body)
	}
	res = e.client.Do(http.MethodPost, "/api/v1/verification-scans", map[string]string{"token": raw}, "")
	var s scanSummary
	res.JSON(t, &s)
	if res.Status != http.StatusOK {
		t.Fatalf("scan: %d %s", res.Status, res.Body)
	}
	return s.SessionToken, s
}

func (e *filingEnv) faceUpload(t *testing.T, session string, photo []byte) *http.Request {
	t.Helper()
	return e.client.MultipartRequest("/api/v1/verification-sessions/face", [][2]string{{"consent", "true"}},
		"photo", "face.jpg", photo, session)
}
