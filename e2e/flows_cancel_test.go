package e2e

import (
	"context"
	"net/http"
	"testing"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/filing"
)

// cancelAndFile opens a cancellation of typ on the applicant's filed records, completes it
// (agreements, faked verifications), submits it and drives it to the bureau's approval.
func (e *filingEnv) cancelAndFile(t *testing.T, token, typ string, serviceIDs []int64) {
	t.Helper()
	body := map[string]any{"type": typ}
	if serviceIDs != nil {
		body["service_ids"] = serviceIDs
	}
	o := e.createOrder(t, token, body)
	e.patch(t, token, o.ID, map[string]any{"agreements": []string{filing.AgreeCancelIrreversible, filing.AgreeShellSubject}})
	e.verified.confirm(o.ID, filing.PersonRef{Role: filing.RoleSubjectPrincipal},
		filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 1})
	if r := e.requirements(t, token, o.ID); !r.Complete {
		t.Fatalf("%s not complete: %v", typ, r.keys())
	}
	e.submit(t, token, o.ID)
	orders := repository.NewOrderRepo(e.app.DB, e.cipher(t))
	steps := []filing.OrderEventName{filing.EventApprove, filing.EventHandToBureau}
	if typ != string(filing.OrderCancelAccess) {
		steps = append(steps, filing.EventSMSVerified)
	}
	var got filing.Order
	for _, ev := range append(steps, filing.EventBureauApprove) {
		kind := filing.ActorReviewer
		if ev == filing.EventSMSVerified || ev == filing.EventBureauApprove {
			kind = filing.ActorSystem
		}
		var err error
		if got, err = orders.Update(context.Background(), o.ID, func(o *filing.Order) error {
			return o.Transition(ev, filing.Actor{Kind: kind}, e.clock.Now())
		}); err != nil {
			t.Fatalf("%s %s: %v", typ, ev, err)
		}
	}
	if err := repository.NewFilingRepo(e.app.DB, e.cipher(t)).ApplyApproved(context.Background(), got); err != nil {
		t.Fatalf("apply %s: %v", typ, err)
	}
}

// TestCancellationsEndWithTheRecordsInTheirStates: cancel service
// leaves a shell subject, cancel subject cancels it and its services, cancel access removes this
// provider's access to the named services.
func TestCancellationsEndWithTheRecordsInTheirStates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ         string
		names       bool
		subjectLive bool
	}{
		{"cancel_service", true, true},
		{"cancel_subject", false, false},
		{"cancel_access", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.typ, func(t *testing.T) {
			t.Parallel()
			e := newFilingEnv(t)
			tk := e.filedAccount(t, "13800138500")
			subjectID, serviceID := e.filedIDs(t, tk)
			var ids []int64
			if tc.names {
				ids = []int64{serviceID}
			}
			e.cancelAndFile(t, tk, tc.typ, ids)
			filings := repository.NewFilingRepo(e.app.DB, e.cipher(t))
			svc, err := filings.FiledService(context.Background(), serviceID)
			if err != nil || svc.Status != filing.RecordCancelled {
				t.Errorf("service after %s: %s %v", tc.typ, svc.Status, err)
			}
			want := http.StatusNotFound
			if tc.subjectLive {
				want = http.StatusOK
			}
			if got := e.status(t, tk, "/api/v1/subject"); got != want {
				t.Errorf("GET /subject after %s: %d, want %d", tc.typ, got, want)
			}
			if live, _ := filings.LiveServices(context.Background(), subjectID); len(live) != 0 {
				t.Errorf("live services after %s: %d", tc.typ, len(live))
			}
		})
	}
}
