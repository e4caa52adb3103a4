package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/face/facetest"
	"github.com/beian/beian/service/verification"
)

// TestConcurrentScansOverHTTP: of twenty apps posting one token at once, one gets the session and
// the others 410 QR_USED (the 200×200 race runs at the store level in the repository tests).
func TestConcurrentScansOverHTTP(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newVerifyEnv(t)
	token := strings.TrimPrefix(e.issue(t).QRURL, "beian://verify?token=")
	statuses := make([]string, 20)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Go(func() {
			res := e.client.Do(http.MethodPost, "/api/v1/verification-scans", map[string]string{"token": token}, "")
			statuses[i] = fmt.Sprint(res.Status, res.ErrorCode())
		})
	}
	wg.Wait()
	won, used := 0, 0
	for _, s := range statuses {
		switch s {
		case "200":
			won++
		case "410QR_USED":
			used++
		default:
			t.Errorf("scan answered %s", s)
		}
	}
	if won != 1 || used != len(statuses)-1 {
		t.Fatalf("%d scans won, %d QR_USED; want 1 and %d", won, used, len(statuses)-1)
	}
}

func TestScansAreRateLimitedPerIP(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	// 30 a minute, refilled one every 2 s: a slow machine may see a few more pass before the 429.
	for i := range 100 {
		res := e.client.Do(http.MethodPost, "/api/v1/verification-scans", map[string]string{"token": fmt.Sprint("guess-", i)}, "")
		if res.Status == http.StatusTooManyRequests {
			if i < 30 || res.ErrorCode() != "RATE_LIMITED" || res.Header.Get("Retry-After") == "" {
				t.Fatalf("guess %d: %d %s Retry-After %q, want RATE_LIMITED after 30", i+1, res.Status, res.Body, res.Header.Get("Retry-After"))
			}
			return
		}
		if res.Status != http.StatusNotFound || res.ErrorCode() != "QR_NOT_FOUND" {
			t.Fatalf("guess %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	t.Fatal("100 guesses from one IP, none limited")
}

func TestNoQRForAnOrderThatCannotChange(t *testing.T) {
	t.Parallel()
	e := newVerifyEnv(t)
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", submittedOrderID),
		map[string]any{"role": "subject_principal"}, e.owner)
	if res.Status != http.StatusConflict || res.ErrorCode() != "ORDER_NOT_EDITABLE" {
		t.Fatalf("QR for a submitted order: %d %s", res.Status, res.Body)
	}
}

// matchOnce is a FaceVerifier that refuses the first photo and matches the rest.
type matchOnce struct {
	mu    sync.Mutex
	calls int
	names []string
}

func (m *matchOnce) VerifyFace(_ context.Context, photo []byte, person verification.VerificationParty) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls++
	m.names = append(m.names, person.PersonName)
	return m.calls > 1 && len(photo) > 0, nil
}

func TestAFaceVerifierDecidesIdentity(t *testing.T) {
	t.Parallel()
	verifier := &matchOnce{}
	e := newVerifyEnvWith(t, verifier)
	session := e.scan(t, e.issue(t))
	tests := []struct {
		passed   bool
		identity bool
		reason   string
	}{{false, false, verification.FaceReasonIdentityMismatch}, {true, true, ""}}
	for i, tt := range tests {
		res := e.client.Send(e.faceRequest(t, session, facetest.Portrait(t, 1080), "true"))
		var out faceView
		res.JSON(t, &out)
		reason := ""
		if len(out.Reasons) > 0 {
			reason = out.Reasons[0].Code
		}
		if res.Status != http.StatusOK || out.Passed != tt.passed || out.IdentityVerified != tt.identity || reason != tt.reason {
			t.Fatalf("photo %d: %d %s", i+1, res.Status, res.Body)
		}
	}
	if len(verifier.names) != 2 || verifier.names[0] != "张三丰" {
		t.Fatalf("the verifier saw %v, want the person's name twice", verifier.names)
	}
}
