package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// TestBeijingNewYearFilingNumber: the bureau's approval at 00:30 on 1 January Beijing time (16:30
// UTC on 31 December) numbers the subject with the new year.
func TestBeijingNewYearFilingNumber(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	now := e.clock.Now()
	eve := time.Date(now.Year(), 12, 31, 16, 27, 0, 0, time.UTC)
	if !eve.After(now) {
		eve = eve.AddDate(1, 0, 0)
	}
	e.clock.Advance(eve.Sub(now))
	token, id := orderAtBureau(t, e)
	for person, phone := range map[string]string{"subject_principal": subjectPrincipalPhone, "service_principal": servicePrincipalPhone} {
		if s, code := e.verifySMS(t, token, id, person, e.inboxCode(t, phone)); s != http.StatusOK {
			t.Fatalf("sms check %s: %d %s", person, s, code)
		}
	}
	e.clock.Advance(3 * time.Minute)
	if at := e.clock.Now(); at.Month() != time.December || at.Day() != 31 || at.Hour() != 16 {
		t.Fatalf("the approval runs at %v, want 16:30 UTC on 31 December", at)
	}
	if n, err := e.app.Reviews.PollBureau(context.Background()); err != nil || n != 1 {
		t.Fatalf("poll: %d (%v), want 1", n, err)
	}
	e.waitForSMS(t, "13800138050", fmt.Sprintf("粤ICP备%d000001号", eve.Year()+1))
}
