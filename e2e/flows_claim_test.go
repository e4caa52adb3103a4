package e2e

import (
	"net/http"
	"testing"

	"github.com/beian/beian/service/filing"
)

// TestClaimGoesThroughReviewToTheFiledRecords: a claim (认领备案) of a record filed before this
// system is reviewed like a first filing and, once approved, is the account's filed subject.
func TestClaimGoesThroughReviewToTheFiledRecords(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138700").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "claim"})
	patch := gdEnterprisePatch()
	patch["subject"].(map[string]any)["filing_number"] = "粤ICP备16020626号"
	e.patch(t, tk, o.ID, patch)
	for _, kind := range []string{"subject_certificate", "principal_id", "service_principal_id:1", "commitment_letter"} {
		e.upload(t, tk, o.ID, kind, colourScan(t))
	}
	e.verified.confirm(o.ID, filing.PersonRef{Role: filing.RoleSubjectPrincipal},
		filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 1})
	if r := e.requirements(t, tk, o.ID); !r.Complete {
		t.Fatalf("claim not complete: %v", r.keys())
	}
	e.submit(t, tk, o.ID)
	if got := e.orderStatus(t, tk, o.ID); got != "pending_review" {
		t.Fatalf("claim after submit: %s, want first review", got)
	}
	e.approveAndFile(t, o.ID)
	var sub struct {
		Subject struct {
			FilingNumber string `json:"filing_number"`
		} `json:"subject"`
	}
	res := e.client.Do(http.MethodGet, "/api/v1/subject", nil, tk)
	res.JSON(t, &sub)
	if res.Status != http.StatusOK || sub.Subject.FilingNumber != "粤ICP备16020626号" {
		t.Fatalf("GET /subject after the claim: %d %s", res.Status, res.Body)
	}
}
