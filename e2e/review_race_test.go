package e2e

import (
	"net/http"
	"sync"
	"testing"

	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/review"
)

// decisionEvents counts the first-review decisions recorded on an order.
func decisionEvents(t *testing.T, e *filingEnv, id int64) int {
	t.Helper()
	n := 0
	for _, ev := range e.events(t, id) {
		if ev.Event == filing.EventApprove || ev.Event == filing.EventReject || ev.Event == filing.EventRequestChanges {
			n++
		}
	}
	return n
}

// TestReviewTwoReviewersDecideAtOnce: the claim holder and another reviewer post decisions on one
// order at the same moment; exactly one decision is recorded and the other request is 409.
func TestReviewTwoReviewersDecideAtOnce(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newFilingEnv(t)
	tk := e.login(t, "13800138063").AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	holder, other := e.reviewerToken(t, "13900139004"), e.reviewerToken(t, "13900139005")
	e.mustReview(t, holder, id, "claim", nil)
	if s, code := e.reviewPost(t, other, id, "claim", nil); s != http.StatusConflict || code != "REVIEW_CLAIMED_BY_OTHER" {
		t.Fatalf("second reviewer's claim: %d %s", s, code)
	}
	statuses := make([]int, 2)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, body := range []map[string]any{{"outcome": "approve"}, {"outcome": "reject", "reasons": []string{"SUBJECT_NAME_MISMATCH"}}} {
		token := []string{holder, other}[i]
		wg.Go(func() {
			<-start
			statuses[i], _ = e.reviewPost(t, token, id, "decision", body)
		})
	}
	close(start)
	wg.Wait()
	if statuses[0] != http.StatusOK || statuses[1] != http.StatusConflict || decisionEvents(t, e, id) != 1 {
		t.Fatalf("statuses %v, %d decisions recorded; want [200 409] and 1", statuses, decisionEvents(t, e, id))
	}
}

// TestReviewRacingDecisionsRecordOne: twenty decisions by the claim holder race on one order (two
// tabs, a double click); the version-guarded update lets exactly one through, the rest are 409.
func TestReviewRacingDecisionsRecordOne(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newFilingEnv(t)
	tk := e.login(t, "13800138064").AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	rv := e.reviewerToken(t, "13900139006")
	e.mustReview(t, rv, id, "claim", nil)
	outcomes := []map[string]any{{"outcome": "approve"}, {"outcome": "request_changes", "comment": "补充材料"},
		{"outcome": "reject", "reasons": []string{"SUBJECT_NAME_MISMATCH"}}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	counts := map[int]int{}
	start := make(chan struct{})
	for i := range 20 {
		wg.Go(func() {
			<-start
			s, code := e.reviewPost(t, rv, id, "decision", outcomes[i%len(outcomes)])
			mu.Lock()
			defer mu.Unlock()
			counts[s]++
			if s == http.StatusConflict && code != "CONFLICT" && code != "TRANSITION_NOT_ALLOWED" {
				t.Errorf("losing decision answered %s", code)
			}
		})
	}
	close(start)
	wg.Wait()
	if counts[http.StatusOK] != 1 || counts[http.StatusConflict] != 19 || decisionEvents(t, e, id) != 1 {
		t.Fatalf("statuses %v, %d decisions recorded; want one 200, nineteen 409 and 1", counts, decisionEvents(t, e, id))
	}
}

// TestReviewRacingClaimsHaveOneWinner: ten reviewers claim one order at once; one holds it.
func TestReviewRacingClaimsHaveOneWinner(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newFilingEnv(t)
	tk := e.login(t, "13800138065").AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	var tokens []string
	for i := range 10 {
		tokens = append(tokens, e.reviewerToken(t, "1390013910"+string(rune('0'+i))))
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	won := 0
	for _, token := range tokens {
		wg.Go(func() {
			s, code := e.reviewPost(t, token, id, "claim", nil)
			mu.Lock()
			defer mu.Unlock()
			if s == http.StatusOK {
				won++
			} else if s != http.StatusConflict || code != "REVIEW_CLAIMED_BY_OTHER" {
				t.Errorf("losing claim: %d %s", s, code)
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d reviewers hold the claim, want 1", won)
	}
}

// TestReviewClaimExpires: after ClaimTTL another reviewer may claim, and the first one's decision is
// refused.
func TestReviewClaimExpires(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138066").AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	first := e.reviewerToken(t, "13900139020")
	e.mustReview(t, first, id, "claim", nil)
	e.clock.Advance(review.ClaimTTL)
	first, second := e.reviewerToken(t, "13900139020"), e.reviewerToken(t, "13900139021") // access tokens expired too
	e.mustReview(t, second, id, "claim", nil)
	if s, code := e.reviewPost(t, first, id, "decision", map[string]any{"outcome": "approve"}); s != http.StatusConflict || code != "REVIEW_CLAIM_REQUIRED" {
		t.Fatalf("decision after the claim expired: %d %s", s, code)
	}
	e.mustReview(t, second, id, "decision", map[string]any{"outcome": "approve"})
}
