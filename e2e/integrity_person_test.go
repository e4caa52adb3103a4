package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/face/facetest"
)

// verifyPerson runs one person's whole authenticity verification over HTTP: QR code, scan, a
// passing face photo, confirmation.
func (e *filingEnv) verifyPerson(t *testing.T, token string, orderID int64, person map[string]any) {
	t.Helper()
	session, _ := e.verifyScan(t, token, orderID, person)
	if res := e.client.Send(e.faceUpload(t, session, facetest.Portrait(t, 1080))); res.Status != http.StatusOK {
		t.Fatalf("photo of %v: %d %s", person, res.Status, res.Body)
	}
	if res := e.client.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, session); res.Status != http.StatusOK {
		t.Fatalf("confirm %v: %d %s", person, res.Status, res.Body)
	}
}

// verifiedOrder is a complete new_filing order on the production wiring, both persons verified
// through the real flow, still in draft.
func (e *filingEnv) verifiedOrder(t *testing.T, token string) int64 {
	t.Helper()
	o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
	e.patch(t, token, o.ID, gdEnterprisePatch())
	for _, kind := range []string{"subject_certificate", "principal_id", "service_principal_id:1", "commitment_letter"} {
		if res := e.upload(t, token, o.ID, kind, colourScan(t)); res.Status != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", kind, res.Status, res.Body)
		}
	}
	e.verifyPerson(t, token, o.ID, map[string]any{"role": "subject_principal"})
	e.verifyPerson(t, token, o.ID, map[string]any{"role": "service_principal", "service_id": 1})
	if r := e.requirements(t, token, o.ID); !r.Complete {
		t.Fatalf("order not complete after both verifications: %v", r.keys())
	}
	return o.ID
}

type reviewConfirmation struct {
	Role             string `json:"role"`
	ServiceID        int64  `json:"service_id"`
	MaskedName       string `json:"masked_name"`
	IdentityVerified bool   `json:"identity_verified"`
	MatchesOrder     bool   `json:"matches_order"`
}

// reviewConfirmations is the reviewer's view of the order's confirmed verifications.
func (e *filingEnv) reviewConfirmations(t *testing.T, id int64) []reviewConfirmation {
	t.Helper()
	res := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/review/orders/%d", id), nil, e.reviewerToken(t, "13900139070"))
	var view struct {
		Confirmed []reviewConfirmation `json:"confirmed_verifications"`
	}
	res.JSON(t, &view)
	if res.Status != http.StatusOK {
		t.Fatalf("review view: %d %s", res.Status, res.Body)
	}
	return view.Confirmed
}

// TestVerifiedPersonIsTheFiledPerson: verify A; swap in B as subject principal and the
// requirements ask for B's verification (VERIFIED_PERSON_CHANGED) and submit is 409; put A back and
// submit is 200. The reviewer sees whom each confirmation verified, masked.
func TestVerifiedPersonIsTheFiledPerson(t *testing.T) {
	t.Parallel()
	e := &filingEnv{testEnv: newTestEnv(t)}
	token := e.login(t, "13800138700").AccessToken
	id := e.verifiedOrder(t, token)
	submit := fmt.Sprintf("/api/v1/orders/%d/submit", id)

	personA := gdEnterprisePatch()["subject"].(map[string]any)["principal"]
	personB := person("赵六", residentID("440106", "19851111", "357"), "13800138102", "zhao@example.com")
	renamedA := person("张三", legalRepID, "13800138100", "zhang@example.com")
	changed := "verification subject_principal VERIFIED_PERSON_CHANGED"
	for _, swap := range []struct {
		name string
		who  any
	}{{"another person", personB}, {"same document under another name", renamedA}} {
		e.patch(t, token, id, map[string]any{"subject": map[string]any{"principal": swap.who}})
		if got := e.requirements(t, token, id).keys(); !slices.Contains(got, changed) {
			t.Fatalf("%s: requirements %v, want %s", swap.name, got, changed)
		}
		res := e.client.Do(http.MethodPost, submit, nil, token)
		if res.Status != http.StatusConflict || res.ErrorCode() != "REQUIREMENTS_UNMET" {
			t.Fatalf("%s: submit %d %s, want 409 REQUIREMENTS_UNMET", swap.name, res.Status, res.Body)
		}
	}
	e.patch(t, token, id, map[string]any{"subject": map[string]any{"principal": personA}})
	if r := e.requirements(t, token, id); !r.Complete {
		t.Fatalf("A back: requirements %v", r.keys())
	}
	e.submit(t, token, id)

	got := e.reviewConfirmations(t, id)
	if len(got) != 2 || got[0].Role != "subject_principal" || got[0].MaskedName != "张**" || !got[0].MatchesOrder ||
		got[1].ServiceID != 1 || got[1].MaskedName != "李*" || !got[1].MatchesOrder || got[0].IdentityVerified {
		t.Fatalf("reviewer's confirmations: %+v", got)
	}
}

// TestNewQRRacesSubmit: a QR code requested for a confirmed person while the order is submitted.
// Whatever the interleaving, the earlier confirmation stands, the submission goes through, and the
// QR request either came first (201) or finds the order submitted (409 ORDER_NOT_EDITABLE); it
// never lands on the submitted order.
func TestNewQRRacesSubmit(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := &filingEnv{testEnv: newTestEnv(t)}
	token := e.login(t, "13800138710").AccessToken
	id := e.verifiedOrder(t, token)
	outcomes := map[string]int{}
	tokens := func() int {
		return e.count(t, "SELECT COUNT(*) FROM verification_tokens k JOIN verifications v ON v.id = k.verification_id WHERE v.order_id = ?", id)
	}
	for round := range 6 {
		before := tokens()
		var wg sync.WaitGroup
		var qr, sub int
		var qrCode, subBody string
		wg.Go(func() {
			res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", id),
				map[string]any{"role": "subject_principal"}, token)
			qr, qrCode = res.Status, res.ErrorCode()
		})
		wg.Go(func() {
			res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/submit", id), nil, token)
			sub, subBody = res.Status, string(res.Body)
		})
		wg.Wait()
		if sub != http.StatusOK {
			t.Fatalf("round %d: submit %d %s", round, sub, subBody)
		}
		issued := tokens() - before
		switch {
		case qr == http.StatusCreated && issued == 1:
			outcomes["qr first"]++
		case qr == http.StatusConflict && qrCode == "ORDER_NOT_EDITABLE" && issued == 0:
			outcomes["submit first"]++
		default:
			t.Fatalf("round %d: QR request %d %s with %d tokens issued", round, qr, qrCode, issued)
		}
		for _, c := range e.reviewConfirmations(t, id) {
			if !c.MatchesOrder {
				t.Fatalf("round %d: confirmation lost or changed: %+v", round, c)
			}
		}
		res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/withdraw", id), nil, token)
		if res.Status != http.StatusOK {
			t.Fatalf("round %d: withdraw %d %s", round, res.Status, res.Body)
		}
	}
	t.Logf("outcomes: %v", outcomes)
}
