package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/beian/beian/jobs"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/hibiken/asynq"
)

// TestReviewSimulatedBureauDecidesAfterItsDelay: in development the simulated bureau approves an
// order two minutes after it reached bureau review, when the poll runs; a second poll records nothing.
func TestReviewSimulatedBureauDecidesAfterItsDelay(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	token, id := orderAtBureau(t, e)
	for person, phone := range map[string]string{"subject_principal": subjectPrincipalPhone, "service_principal": servicePrincipalPhone} {
		if s, code := e.verifySMS(t, token, id, person, e.inboxCode(t, phone)); s != http.StatusOK {
			t.Fatalf("sms check %s: %d %s", person, s, code)
		}
	}
	ctx := context.Background()
	e.clock.Advance(2*time.Minute - time.Second)
	if n, err := e.app.Reviews.PollBureau(ctx); err != nil || n != 0 {
		t.Fatalf("poll before the delay: %d (%v)", n, err)
	}
	e.clock.Advance(time.Second)
	if n, err := e.app.Reviews.PollBureau(ctx); err != nil || n != 1 {
		t.Fatalf("poll after the delay: %d (%v), want 1", n, err)
	}
	if n, err := e.app.Reviews.PollBureau(ctx); err != nil || n != 0 {
		t.Fatalf("second poll: %d (%v)", n, err)
	}
	ev := lastEvent(t, e, id)
	if ev.Event != filing.EventBureauApprove || ev.Actor.Kind != filing.ActorSystem {
		t.Fatalf("last event %+v", ev)
	}
	e.waitForSMS(t, "13800138050", fmt.Sprintf("粤ICP备%d000001号", kernel.BeijingYear(e.clock.Now())))
}

// TestReviewBureauRejectionRecordedByHand: a reviewer records the bureau's rejection with a reason;
// the applicant sees the reason with its guidance, and the order is editable again.
func TestReviewBureauRejectionRecordedByHand(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	token, id := orderAtBureau(t, e)
	for person, phone := range map[string]string{"subject_principal": subjectPrincipalPhone, "service_principal": servicePrincipalPhone} {
		if s, code := e.verifySMS(t, token, id, person, e.inboxCode(t, phone)); s != http.StatusOK {
			t.Fatalf("sms check %s: %d %s", person, s, code)
		}
	}
	rv := e.reviewerToken(t, "13900139030")
	if s, code := e.reviewPost(t, rv, id, "bureau-result", map[string]any{"approved": false, "reasons": []string{"NOPE"}}); s != http.StatusUnprocessableEntity {
		t.Fatalf("unknown reason: %d %s", s, code)
	}
	if s, code := e.reviewPost(t, rv, id, "bureau-result", map[string]any{"comment": "?"}); s != http.StatusUnprocessableEntity {
		t.Fatalf("no verdict: %d %s", s, code)
	}
	e.mustReview(t, rv, id, "bureau-result", map[string]any{"approved": false, "comment": "网站名称不符合要求"})
	var events orderEventsBody
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d/events", id), nil, token).JSON(t, &events)
	last := events.Items[len(events.Items)-1]
	if last.Event != "bureau_reject" || len(last.ReasonDetails) != 1 || last.ReasonDetails[0].Code != "BUREAU_REJECTED_OTHER" ||
		last.ReasonDetails[0].Guidance == "" {
		t.Fatalf("applicant's last event: %+v", last)
	}
	var o orderBody
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", id), nil, token).JSON(t, &o)
	if o.Status != string(filing.StatusBureauRejected) {
		t.Fatalf("status %s", o.Status)
	}
	if s, _ := e.reviewPost(t, rv, id, "bureau-result", map[string]any{"approved": true}); s != http.StatusConflict {
		t.Fatalf("a second verdict: %d, want 409", s)
	}
}

// TestReviewBureauPollTaskRecordsTheVerdict: the bureau:poll task, as the scheduler enqueues it,
// records the simulated bureau's approval once the delay has passed.
func TestReviewBureauPollTaskRecordsTheVerdict(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	token, id := orderAtBureau(t, e)
	for person, phone := range map[string]string{"subject_principal": subjectPrincipalPhone, "service_principal": servicePrincipalPhone} {
		if s, code := e.verifySMS(t, token, id, person, e.inboxCode(t, phone)); s != http.StatusOK {
			t.Fatalf("sms check %s: %d %s", person, s, code)
		}
	}
	e.clock.Advance(2 * time.Minute)
	if _, err := e.app.Queue.Enqueue(asynq.NewTask(jobs.TypeBureauPoll, nil)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for lastEvent(t, e, id).To != filing.StatusApproved {
		if time.Now().After(deadline) {
			t.Fatalf("the poll task did not record the verdict: %+v", lastEvent(t, e, id))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
