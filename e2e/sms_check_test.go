package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/review"
)

const (
	subjectPrincipalPhone = "13800138100" // gdEnterprisePatch's principals
	servicePrincipalPhone = "13800138101"
)

// orderAtBureau takes a complete new_filing through submission, first review and the hand-over to
// the bureau, which starts the SMS check. It returns the applicant's token and the order id.
func orderAtBureau(t *testing.T, e *filingEnv) (string, int64) {
	t.Helper()
	token := e.login(t, "13800138050").AccessToken
	id := e.completeOrder(t, token)
	e.submit(t, token, id)
	ctx := context.Background()
	if _, err := e.app.Reviews.Claim(ctx, 1, id); err != nil {
		t.Fatalf("claim: %v", err)
	}
	if _, err := e.app.Reviews.Decide(ctx, 1, id, review.Decision{Outcome: "approve"}); err != nil {
		t.Fatalf("approve: %v", err)
	}
	o, err := e.app.Reviews.HandToBureau(ctx, 1, id)
	if err != nil || o.Status != filing.StatusSMSVerifying {
		t.Fatalf("hand to bureau: %v, status %s", err, o.Status)
	}
	return token, id
}

func (e *filingEnv) verifySMS(t *testing.T, token string, id int64, person, code string) (int, string) {
	t.Helper()
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/sms-checks/%s/verify", id, person),
		map[string]string{"code": code}, token)
	return res.Status, res.ErrorCode()
}

func (e *filingEnv) events(t *testing.T, id int64) []filing.OrderEvent {
	t.Helper()
	o, err := repository.NewOrderRepo(e.app.DB, e.cipher(t)).OrderEvents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func lastEvent(t *testing.T, e *filingEnv, id int64) filing.OrderEvent {
	t.Helper()
	ev := e.events(t, id)
	return ev[len(ev)-1]
}

func TestSMSCheckBothPrincipalsVerifiedMovesToBureauReview(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	token, id := orderAtBureau(t, e)
	if s, code := e.verifySMS(t, token, id, "subject_principal", e.inboxCode(t, subjectPrincipalPhone)); s != http.StatusOK {
		t.Fatalf("subject principal: %d %s", s, code)
	}
	if ev := lastEvent(t, e, id); ev.To != filing.StatusSMSVerifying {
		t.Fatalf("one of two codes moved the order to %s", ev.To)
	}
	if s, code := e.verifySMS(t, token, id, "service_principal", e.inboxCode(t, servicePrincipalPhone)); s != http.StatusOK {
		t.Fatalf("service principal: %d %s", s, code)
	}
	if ev := lastEvent(t, e, id); ev.Event != filing.EventSMSVerified || ev.To != filing.StatusBureauReviewing {
		t.Fatalf("after both codes: %+v", ev)
	}
}

func TestSMSCheckTimesOutAfter24Hours(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	_, id := orderAtBureau(t, e)
	e.clock.Advance(filing.SMSCheckWindow - time.Minute)
	if n, err := e.app.SMSChecks.ExpireDue(context.Background()); err != nil || n != 0 {
		t.Fatalf("before the deadline the sweep returned %d orders (%v)", n, err)
	}
	e.clock.Advance(time.Minute)
	if n, err := e.app.SMSChecks.ExpireDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("after the deadline the sweep returned %d orders (%v), want 1", n, err)
	}
	if n, _ := e.app.SMSChecks.ExpireDue(context.Background()); n != 0 {
		t.Fatalf("a second sweep returned %d more", n)
	}
	ev := lastEvent(t, e, id)
	if ev.Event != filing.EventSMSTimeout || ev.To != filing.StatusReturned || !slices.Equal(ev.Reasons, []string{"SMS_TIMEOUT"}) {
		t.Fatalf("last event %+v", ev)
	}
	e.waitForSMS(t, "13800138050", "已被退回")
}

func TestSMSCheckSixthWrongCodeReturnsTheOrder(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	token, id := orderAtBureau(t, e)
	right := e.inboxCode(t, subjectPrincipalPhone)
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	for i := 1; i <= filing.SMSCheckMaxWrong; i++ {
		if s, code := e.verifySMS(t, token, id, "subject_principal", wrong); s != http.StatusUnprocessableEntity || code != "SMS_CHECK_CODE_WRONG" {
			t.Fatalf("wrong code %d: %d %s", i, s, code)
		}
	}
	if s, code := e.verifySMS(t, token, id, "subject_principal", wrong); s != http.StatusTooManyRequests || code != "SMS_CHECK_FAILED" {
		t.Fatalf("6th wrong code: %d %s", s, code)
	}
	ev := lastEvent(t, e, id)
	if ev.Event != filing.EventSMSFailed || ev.To != filing.StatusReturned || !slices.Equal(ev.Reasons, []string{"SMS_TOO_MANY_ATTEMPTS"}) {
		t.Fatalf("last event %+v", ev)
	}
	if s, code := e.verifySMS(t, token, id, "subject_principal", right); s != http.StatusConflict || code != "SMS_CHECK_CLOSED" {
		t.Fatalf("right code after the return: %d %s", s, code)
	}
}

func TestSMSCheckRacingVerificationsMoveTheOrderOnce(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newFilingEnv(t)
	token, id := orderAtBureau(t, e)
	if s, code := e.verifySMS(t, token, id, "subject_principal", e.inboxCode(t, subjectPrincipalPhone)); s != http.StatusOK {
		t.Fatalf("subject principal: %d %s", s, code)
	}
	last := e.inboxCode(t, servicePrincipalPhone)
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range 20 {
		wg.Go(func() {
			s, code := e.verifySMS(t, token, id, "service_principal", last)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case s == http.StatusOK:
				ok++
			case s == http.StatusConflict && (code == "CONFLICT" || code == "SMS_CHECK_ALREADY_VERIFIED" || code == "SMS_CHECK_CLOSED"):
			default:
				t.Errorf("unexpected %d %s", s, code)
			}
		})
	}
	wg.Wait()
	verified := 0
	for _, ev := range e.events(t, id) {
		if ev.Event == filing.EventSMSVerified {
			verified++
		}
	}
	if ok != 1 || verified != 1 {
		t.Fatalf("%d requests succeeded and %d sms_verified events were written, want 1 and 1", ok, verified)
	}
}

func TestSMSDeadlineTaskReturnsTheOrder(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	_, id := orderAtBureau(t, e)
	e.clock.Advance(filing.SMSCheckWindow)
	// The task scheduled at hand-over fires 24 real hours later; schedule one for now instead.
	if err := jobs.NewDeadlineScheduler(e.app.Queue).ScheduleSMSDeadline(context.Background(), id, time.Now()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for lastEvent(t, e, id).To != filing.StatusReturned {
		if time.Now().After(deadline) {
			t.Fatalf("the deadline task did not return the order: %+v", lastEvent(t, e, id))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitForSMS waits (bounded) for an SMS to phone containing text.
func (e *testEnv) waitForSMS(t *testing.T, phone, text string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var inbox struct {
			Messages []struct {
				Text string `json:"text"`
			} `json:"messages"`
		}
		e.client.Do(http.MethodGet, "/api/v1/dev/sms?phone="+phone, nil, "").JSON(t, &inbox)
		for _, m := range inbox.Messages {
			if strings.Contains(m.Text, text) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no SMS to %s containing %q", phone, text)
}
