package e2e

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/filing"
)

// approveThroughBureau takes an order under first review to approved over the reviewer API.
func (e *filingEnv) approveThroughBureau(t *testing.T, rv, applicant string, id int64) {
	t.Helper()
	e.claimAndDecide(t, rv, id, map[string]any{"outcome": "approve"})
	e.mustReview(t, rv, id, "bureau-submission", nil)
	for person, phone := range map[string]string{"subject_principal": subjectPrincipalPhone, "service_principal": servicePrincipalPhone} {
		if s, code := e.verifySMS(t, applicant, id, person, e.inboxCode(t, phone)); s != http.StatusOK {
			t.Fatalf("sms check %s: %d %s", person, s, code)
		}
	}
	e.mustReview(t, rv, id, "bureau-result", map[string]any{"approved": true})
}

// TestReviewRejectWithReasonsThenResubmitIsApproved: a rejection with two catalogue reasons reaches
// the applicant with their titles and guidance; the applicant fixes the order, resubmits, and the
// order is approved.
func TestReviewRejectWithReasonsThenResubmitIsApproved(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138061").AccessToken
	id := e.completeOrder(t, tk)
	const svc = 1 // the one website completeOrder files
	e.submit(t, tk, id)
	rv := e.reviewerToken(t, "13900139002")
	e.mustReview(t, rv, id, "claim", nil)
	reasons := []string{"SUBJECT_NAME_MISMATCH", "SUBJECT_ADDRESS_MISMATCH"}
	e.mustReview(t, rv, id, "decision", map[string]any{"outcome": "reject", "reasons": reasons, "comment": "请核对营业执照",
		"field_comments": []map[string]string{{"field": "subject.name", "message": "与执照不一致"},
			{"field": fmt.Sprintf("services.%d.domains", svc), "message": "域名证书持有者与主体不一致"}}})

	var events orderEventsBody
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d/events", id), nil, tk).JSON(t, &events)
	last := events.Items[len(events.Items)-1]
	wantComments := []fieldComment{{"subject.name", "与执照不一致"}, {fmt.Sprintf("services.%d.domains", svc), "域名证书持有者与主体不一致"}}
	if last.Event != "reject" || !slices.Equal(last.Reasons, reasons) || len(last.ReasonDetails) != 2 ||
		last.Comment != "请核对营业执照" || !slices.Equal(last.FieldComments, wantComments) {
		t.Fatalf("applicant's last event: %+v", last)
	}
	// The requirement list carries the comments while the order waits for the applicant.
	if r := e.requirements(t, tk, id); !slices.Equal(r.Comments, wantComments) {
		t.Fatalf("requirements comments: %+v", r.Comments)
	}
	for i, code := range reasons {
		want, _ := catalog.ReasonByCode(code)
		got := last.ReasonDetails[i]
		if got.Code != code || got.Title != want.Title || got.Guidance != want.Guidance || got.Guidance == "" {
			t.Fatalf("reason %s as the applicant sees it: %+v", code, got)
		}
	}
	e.patch(t, tk, id, map[string]any{"subject": map[string]any{"name": "广州市示例科技股份有限公司"}})
	e.submit(t, tk, id)
	if r := e.requirements(t, tk, id); len(r.Comments) != 0 {
		t.Fatalf("comments after resubmission: %+v", r.Comments)
	}
	e.approveThroughBureau(t, rv, tk, id)
	if ev := lastEvent(t, e, id); ev.Event != filing.EventBureauApprove || ev.To != filing.StatusApproved {
		t.Fatalf("after resubmission: %+v", ev)
	}
}

// TestReviewDecisionRefusesBadInput: bad decisions are 4xx with a code, never recorded.
func TestReviewDecisionRefusesBadInput(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138062").AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	rv := e.reviewerToken(t, "13900139003")
	e.mustReview(t, rv, id, "claim", nil)
	tests := []struct {
		name string
		body any
		want int
	}{
		{"reject without reasons", map[string]any{"outcome": "reject"}, http.StatusUnprocessableEntity},
		{"unknown reason", map[string]any{"outcome": "reject", "reasons": []string{"NO_SUCH_REASON"}}, http.StatusUnprocessableEntity},
		{"reason of another scope", map[string]any{"outcome": "reject", "reasons": []string{"SMS_TIMEOUT"}}, http.StatusUnprocessableEntity},
		{"unknown outcome", map[string]any{"outcome": "maybe"}, http.StatusUnprocessableEntity},
		{"empty field comment", map[string]any{"outcome": "request_changes", "field_comments": []map[string]string{{"field": "subject.name", "message": " "}}}, http.StatusUnprocessableEntity},
		{"unknown field", map[string]any{"outcome": "request_changes", "field_comments": []map[string]string{{"field": "subject.colour", "message": "?"}}}, http.StatusUnprocessableEntity},
		{"another order's service", map[string]any{"outcome": "request_changes", "field_comments": []map[string]string{{"field": "services.99.name", "message": "?"}}}, http.StatusUnprocessableEntity},
		{"field comments as a map", map[string]any{"outcome": "request_changes", "field_comments": map[string]string{"subject.name": "x"}}, http.StatusBadRequest},
		{"not json", "approve", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, code := e.reviewPost(t, rv, id, "decision", tt.body); s != tt.want || code == "" {
				t.Fatalf("%d %s, want %d", s, code, tt.want)
			}
		})
	}
	if ev := lastEvent(t, e, id); ev.Event != filing.EventSubmit {
		t.Fatalf("a refused decision was recorded: %+v", ev)
	}
	for _, q := range []string{"status=nope", "limit=0", "limit=101", "cursor=bm9wZQ", "cursor=!!", "waiting_since=yesterday", "province=4", "type=x"} {
		if res := e.client.Do(http.MethodGet, "/api/v1/review/orders?"+q, nil, rv); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("queue ?%s: %d %s", q, res.Status, res.Body)
		}
	}
	if res := e.client.Do(http.MethodGet, "/api/v1/review/orders", nil, tk); res.Status != http.StatusForbidden {
		t.Errorf("applicant reads the queue: %d", res.Status)
	}
	if s, _ := e.reviewPost(t, rv, id+1000, "claim", nil); s != http.StatusNotFound {
		t.Errorf("claim of a missing order: %d", s)
	}
}
