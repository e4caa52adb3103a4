package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/beian/beian/service/filing"
)

// TestReviewWholeRoadIssuesFilingNumbers walks a Guangdong enterprise with one website and one App
// from login to approved over HTTP: submit, claim, first-review approval, hand-over to the bureau,
// both SMS codes from the dev inbox, the bureau's approval; then the filed records carry the numbers
// and the applicant's SMS names them.
func TestReviewWholeRoadIssuesFilingNumbers(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	const applicantPhone = "13800138060"
	tk := e.login(t, applicantPhone).AccessToken
	o := submitWebsiteAndApp(t, e, tk)

	rv := e.reviewerToken(t, "13900139001")
	var queue struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/review/orders?province=44&type=new_filing", nil, rv).JSON(t, &queue)
	if len(queue.Items) != 1 || queue.Items[0].ID != o.ID {
		t.Fatalf("queue: %+v", queue)
	}
	view := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/review/orders/%d", o.ID), nil, rv)
	for _, secret := range []string{legalRepID, webManagerID, "13800138100", "张三丰"} {
		if view.Status != http.StatusOK || bytes.Contains(view.Body, []byte(secret)) {
			t.Fatalf("reviewer view %d shows %q unmasked or failed: %s", view.Status, secret, view.Body)
		}
	}
	if s, code := e.reviewPost(t, rv, o.ID, "decision", map[string]any{"outcome": "approve"}); s != http.StatusConflict || code != "REVIEW_CLAIM_REQUIRED" {
		t.Fatalf("decision without a claim: %d %s", s, code)
	}
	e.claimAndDecide(t, rv, o.ID, map[string]any{"outcome": "approve", "comment": "资料齐全"})
	e.mustReview(t, rv, o.ID, "bureau-submission", nil)
	for person, phone := range map[string]string{"subject_principal": subjectPrincipalPhone, "service_principal": servicePrincipalPhone} {
		if s, code := e.verifySMS(t, tk, o.ID, person, e.inboxCode(t, phone)); s != http.StatusOK {
			t.Fatalf("sms check %s: %d %s", person, s, code)
		}
	}
	if ev := lastEvent(t, e, o.ID); ev.To != filing.StatusBureauReviewing {
		t.Fatalf("after both codes: %+v", ev)
	}
	e.mustReview(t, rv, o.ID, "bureau-result", map[string]any{"approved": true, "comment": "管局审核通过"})

	subject := fmt.Sprintf("粤ICP备%d000001号", e.clock.Now().UTC().Year())
	if got := filedNumbers(t, e, tk); !slices.Equal(got, []string{subject, subject + "-1", subject + "-2A"}) {
		t.Fatalf("filed numbers %v; want %s, -1, -2A", got, subject)
	}
	var got orderBody
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", o.ID), nil, tk).JSON(t, &got)
	if got.Status != string(filing.StatusApproved) {
		t.Fatalf("order status %s", got.Status)
	}
	e.waitForSMS(t, applicantPhone, subject+"-2A")
}

// submitWebsiteAndApp files a complete new_filing of gdEnterprisePatch's enterprise with its
// website and an App, materials uploaded and verifications confirmed, and submits it.
func submitWebsiteAndApp(t *testing.T, e *filingEnv, tk string) orderBody {
	t.Helper()
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	e.patch(t, tk, o.ID, gdEnterprisePatch())
	e.patch(t, tk, o.ID, map[string]any{"services": []any{map[string]any{"id": 1}, appService()}})
	for _, kind := range []string{"subject_certificate", "principal_id", "service_principal_id:1", "service_principal_id:2", "commitment_letter"} {
		if res := e.upload(t, tk, o.ID, kind, colourScan(t)); res.Status != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", kind, res.Status, res.Body)
		}
	}
	e.verified.confirm(o.ID, filing.PersonRef{Role: filing.RoleSubjectPrincipal},
		filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 1}, filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 2})
	if r := e.requirements(t, tk, o.ID); !r.Complete {
		t.Fatalf("order not complete: %v", r.keys())
	}
	e.submit(t, tk, o.ID)
	return o
}

// filedNumbers lists the filing numbers of the account's subject and its live services, in order.
func filedNumbers(t *testing.T, e *filingEnv, tk string) []string {
	t.Helper()
	var filed struct {
		Subject struct {
			FilingNumber string `json:"filing_number"`
		} `json:"subject"`
	}
	e.client.Do(http.MethodGet, "/api/v1/subject", nil, tk).JSON(t, &filed)
	var services struct {
		Items []struct {
			Service struct {
				FilingNumber string `json:"filing_number"`
			} `json:"service"`
		} `json:"items"`
	}
	e.client.Do(http.MethodGet, "/api/v1/services", nil, tk).JSON(t, &services)
	out := []string{filed.Subject.FilingNumber}
	for _, s := range services.Items {
		out = append(out, s.Service.FilingNumber)
	}
	return out
}
