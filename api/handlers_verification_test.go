package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/api/apitest"
	"github.com/beian/beian/service/face/facetest"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/verification"
)

type issuedQR struct {
	VerificationID int64  `json:"verification_id"`
	QRURL          string `json:"qr_url"`
}

type verificationView struct {
	Status       string `json:"status"`
	Attempts     int    `json:"attempts"`
	AttemptsLeft int    `json:"attempts_left"`
	Reasons      []struct {
		Code string `json:"code"`
	} `json:"reasons"`
	IdentityVerified bool `json:"identity_verified"`
}

type faceView struct {
	Status       string `json:"status"`
	Passed       bool   `json:"passed"`
	AttemptsLeft int    `json:"attempts_left"`
	Reasons      []struct {
		Code string `json:"code"`
	} `json:"reasons"`
	IdentityVerified bool `json:"identity_verified"`
}

func (e *verifyEnv) issue(t *testing.T) issuedQR {
	t.Helper()
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", testOrderID),
		map[string]any{"role": "subject_principal"}, e.owner)
	if res.Status != http.StatusCreated {
		t.Fatalf("create verification: %d %s", res.Status, res.Body)
	}
	var q issuedQR
	res.JSON(t, &q)
	return q
}

// scan posts the QR's token and returns the session token.
func (e *verifyEnv) scan(t *testing.T, q issuedQR) string {
	t.Helper()
	token := strings.TrimPrefix(q.QRURL, "beian://verify?token=")
	res := e.client.Do(http.MethodPost, "/api/v1/verification-scans", map[string]string{"token": token}, "")
	var out struct {
		SessionToken string `json:"session_token"`
		PersonName   string `json:"person_name"`
		OrderType    string `json:"order_type"`
	}
	res.JSON(t, &out)
	if res.Status != http.StatusOK || out.PersonName != "张**" || out.OrderType != "new_filing" {
		t.Fatalf("scan: %d %s", res.Status, res.Body)
	}
	return out.SessionToken
}

func (e *verifyEnv) view(t *testing.T, id int64) verificationView {
	t.Helper()
	res := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d", id), nil, e.owner)
	if res.Status != http.StatusOK {
		t.Fatalf("get verification: %d %s", res.Status, res.Body)
	}
	var v verificationView
	res.JSON(t, &v)
	return v
}

func (e *verifyEnv) confirmed(t *testing.T) []filing.PersonRef {
	t.Helper()
	got, err := e.repo.Confirmations(context.Background(), testOrderID)
	if err != nil {
		t.Fatal(err)
	}
	var refs []filing.PersonRef
	for _, c := range got {
		refs = append(refs, c.Person)
	}
	return refs
}

// storedFiles lists the files under the photo store's directory.
func (e *verifyEnv) storedFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(e.filesDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestFacePassThenConfirm(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	q := e.issue(t)
	if v := e.view(t, q.VerificationID); v.Status != "pending" {
		t.Fatalf("new verification: %+v", v)
	}
	session := e.scan(t, q)
	if v := e.view(t, q.VerificationID); v.Status != "scanned" {
		t.Fatalf("after scan: %+v", v)
	}
	res := e.client.Send(e.faceRequest(t, session, facetest.Portrait(t, 1080), "true"))
	var out faceView
	res.JSON(t, &out)
	if res.Status != http.StatusOK || !out.Passed || out.Status != "passed" || out.AttemptsLeft != 4 || out.IdentityVerified {
		t.Fatalf("face: %d %s", res.Status, res.Body)
	}
	if got := e.confirmed(t); len(got) != 0 {
		t.Fatalf("a passed, unconfirmed verification counts: %v", got)
	}
	res = e.client.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, session)
	if res.Status != http.StatusOK {
		t.Fatalf("confirm: %d %s", res.Status, res.Body)
	}
	if v := e.view(t, q.VerificationID); v.Status != "confirmed" {
		t.Fatalf("after confirm: %+v", v)
	}
	if got := e.confirmed(t); !slices.Equal(got, []filing.PersonRef{{Role: filing.RoleSubjectPrincipal}}) {
		t.Fatalf("confirmed persons = %v", got)
	}
	files := e.storedFiles(t)
	if len(files) != 1 {
		t.Fatalf("stored files %v, want the one confirmed photo", files)
	}
	if again := e.client.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, session); again.Status != http.StatusOK {
		t.Fatalf("confirm again: %d %s", again.Status, again.Body)
	}
	res = e.client.Send(e.faceRequest(t, session, facetest.Portrait(t, 1080), "true"))
	if res.Status != http.StatusConflict || res.ErrorCode() != "VERIFICATION_ALREADY_CONFIRMED" {
		t.Fatalf("photo after confirmation: %d %s", res.Status, res.Body)
	}
}

func TestFailedPhotosUntilAttemptsRunOut(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	q := e.issue(t)
	session := e.scan(t, q)
	blank := facetest.Blank(t, 1080, 1350)
	for left := verification.FaceAttemptsPerSession - 1; left >= 0; left-- {
		res := e.client.Send(e.faceRequest(t, session, blank, "true"))
		var out faceView
		res.JSON(t, &out)
		if res.Status != http.StatusOK || out.Passed || out.Status != "failed" || out.AttemptsLeft != left ||
			len(out.Reasons) != 1 || out.Reasons[0].Code != "NO_FACE" {
			t.Fatalf("blank photo with %d attempts left: %d %s", left, res.Status, res.Body)
		}
	}
	v := e.view(t, q.VerificationID)
	if v.Status != "failed" || v.Attempts != verification.FaceAttemptsPerSession || v.AttemptsLeft != 0 ||
		len(v.Reasons) != 1 || v.Reasons[0].Code != "NO_FACE" {
		t.Fatalf("after five failures: %+v", v)
	}
	res := e.client.Send(e.faceRequest(t, session, facetest.Portrait(t, 1080), "true"))
	if res.Status != http.StatusTooManyRequests || res.ErrorCode() != "FACE_ATTEMPTS_EXHAUSTED" {
		t.Fatalf("sixth photo: %d %s", res.Status, res.Body)
	}
	if got := e.confirmed(t); len(got) != 0 {
		t.Fatalf("a failed verification counts: %v", got)
	}
	if files := e.storedFiles(t); len(files) != 0 {
		t.Fatalf("failed photos were stored: %v", files)
	}
}

func TestConfirmBeforePassIsRefused(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	session := e.scan(t, e.issue(t))
	res := e.client.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, session)
	if res.Status != http.StatusConflict || res.ErrorCode() != "VERIFICATION_NOT_PASSED" {
		t.Fatalf("confirm before any photo: %d %s", res.Status, res.Body)
	}
	e.client.Send(e.faceRequest(t, session, facetest.Blank(t, 1080, 1350), "true"))
	res = e.client.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, session)
	if res.Status != http.StatusConflict || res.ErrorCode() != "VERIFICATION_NOT_PASSED" {
		t.Fatalf("confirm after a failed photo: %d %s", res.Status, res.Body)
	}
}

func TestFaceUploadRefusals(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	q := e.issue(t)
	session := e.scan(t, q)
	photo := facetest.Portrait(t, 1080)
	oversize := append(bytes.Clone(photo), make([]byte, 9<<20-len(photo)+1)...)
	tests := []struct {
		name    string
		photo   []byte
		consent string
		status  int
		code    string
	}{
		{"no consent", photo, "", http.StatusUnprocessableEntity, "CONSENT_REQUIRED"},
		{"consent refused", photo, "false", http.StatusUnprocessableEntity, "CONSENT_REQUIRED"},
		{"one byte over 9 MiB", oversize, "true", http.StatusRequestEntityTooLarge, "PHOTO_TOO_LARGE"},
		{"no photo", nil, "true", http.StatusUnprocessableEntity, "VALIDATION_FAILED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.client.Send(e.faceRequest(t, session, tt.photo, tt.consent))
			if res.Status != tt.status || res.ErrorCode() != tt.code {
				t.Fatalf("%d %s, want %d %s", res.Status, res.Body, tt.status, tt.code)
			}
		})
	}
	if v := e.view(t, q.VerificationID); v.Status != "scanned" || v.Attempts != 0 {
		t.Fatalf("refused uploads changed the verification: %+v", v)
	}
	if files := e.storedFiles(t); len(files) != 0 {
		t.Fatalf("refused uploads stored files: %v", files)
	}
}

func TestTokensOfTheWrongAudienceAreRefused(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	q := e.issue(t)
	session := e.scan(t, q)
	tests := []struct {
		name string
		res  apitest.Response
	}{
		{"access token as session token", e.client.Send(e.faceRequest(t, e.owner, facetest.Portrait(t, 1080), "true"))},
		{"access token to confirm", e.client.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, e.owner)},
		{"session token as access token", e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/verifications/%d", q.VerificationID), nil, session)},
		{"session token for a new QR", e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", testOrderID),
			map[string]any{"role": "subject_principal"}, session)},
		{"no token", e.client.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, "")},
	}
	for _, tt := range tests {
		if tt.res.Status != http.StatusUnauthorized {
			t.Errorf("%s: %d %s, want 401", tt.name, tt.res.Status, tt.res.Body)
		}
	}
}

func TestOnlyTheOwnerSeesTheVerification(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	q := e.issue(t)
	for _, path := range []string{fmt.Sprintf("/api/v1/verifications/%d", q.VerificationID),
		fmt.Sprintf("/api/v1/verifications/%d/qr.png", q.VerificationID)} {
		if res := e.client.Do(http.MethodGet, path, nil, e.other); res.Status != http.StatusNotFound {
			t.Errorf("GET %s by another account: %d %s", path, res.Status, res.Body)
		}
	}
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", testOrderID),
		map[string]any{"role": "subject_principal"}, e.other)
	if res.Status != http.StatusNotFound {
		t.Errorf("QR for another account's order: %d %s", res.Status, res.Body)
	}
	res = e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", testOrderID),
		map[string]any{"role": "service_principal"}, e.owner)
	if res.Status != http.StatusUnprocessableEntity {
		t.Errorf("service principal without service_id: %d %s", res.Status, res.Body)
	}
}
