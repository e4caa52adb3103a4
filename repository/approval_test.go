package repository_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/review"
)

// bureauOrder inserts a new_filing of one Guangdong enterprise and one website, waiting for the bureau.
func bureauOrder(t *testing.T, f filingFixture, account int64, cert string) int64 {
	t.Helper()
	now := kernel.SystemClock()
	o, err := f.orders.CreateOrder(context.Background(), filing.Order{AccountID: account, Type: filing.OrderNewFiling,
		Status: filing.StatusBureauReviewing, Proposal: filing.Proposal{Subject: companySubject(cert),
			Services: []filing.ServiceInfo{site(1, "example.cn")}, NextServiceID: 2}, CreatedAt: now, UpdatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func approvals(f filingFixture, now kernel.Clock) *review.Reviews {
	return review.NewReviews(review.ReviewsConfig{Orders: f.orders, Approvals: repository.NewApprovalRepo(f.orders, f.filings), Now: now})
}

var bureauActor = filing.Actor{Kind: filing.ActorSystem}

// TestConcurrentApprovalsIssueConsecutiveNumbers approves 100 orders of one province at once: the
// subjects get 100 distinct numbers, 1 to 100 of the approval year, and each website -1.
func TestConcurrentApprovalsIssueConsecutiveNumbers(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	const n = 100
	f := newFilingFixture(t, n)
	ids := make([]int64, n)
	for i := range n {
		ids[i] = bureauOrder(t, f, f.users[i], fmt.Sprintf("91440101MA5CJQ%04d", i))
	}
	year := time.Now().UTC().Year()
	reviews := approvals(f, kernel.SystemClock)
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Go(func() {
			if _, err := reviews.RecordBureauResult(context.Background(), bureauActor, id, review.BureauResult{Approved: true}); err != nil {
				t.Errorf("approve %d: %v", id, err)
			}
		})
	}
	wg.Wait()
	prefix := fmt.Sprintf("粤ICP备%d", year)
	var seqs []int
	for _, account := range f.users {
		s, err := f.filings.SubjectOf(context.Background(), account)
		if err != nil {
			t.Fatal(err)
		}
		num := s.Info.FilingNumber
		seq, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(num, prefix), "号"))
		if err != nil || len(num) != len(prefix)+6+len("号") {
			t.Fatalf("subject number %q", num)
		}
		svcs, err := f.filings.LiveServices(context.Background(), s.ID)
		if err != nil || len(svcs) != 1 || svcs[0].Info.FilingNumber != num+"-1" {
			t.Fatalf("services of %s: %+v (%v)", num, svcs, err)
		}
		seqs = append(seqs, seq)
	}
	slices.Sort(seqs)
	for i, s := range seqs {
		if s != i+1 {
			t.Fatalf("subject sequence numbers are not 1..%d: %v", n, seqs)
		}
	}
}

// TestFailedApprovalWritesNothing: an approval whose filed records cannot be written (a live
// subject already holds the certificate) leaves the order, its events, the outbox and the number
// sequence as they were; the next approval takes number 1.
func TestFailedApprovalWritesNothing(t *testing.T) {
	t.Parallel()
	f := newFilingFixture(t, 3)
	ctx := context.Background()
	first := bureauOrder(t, f, f.users[0], "91440101MA5CJQ0001")
	clash := bureauOrder(t, f, f.users[1], "91440101MA5CJQ0001")
	reviews := approvals(f, kernel.SystemClock)
	if _, err := reviews.RecordBureauResult(ctx, bureauActor, first, review.BureauResult{Approved: true}); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, f, "outbox") + countRows(t, f, "order_events")
	_, err := reviews.RecordBureauResult(ctx, bureauActor, clash, review.BureauResult{Approved: true})
	if !errors.Is(err, kernel.ErrConflict) {
		t.Fatalf("approval clashing on the certificate: %v, want ErrConflict", err)
	}
	o, _ := f.orders.Order(ctx, clash)
	if o.Status != filing.StatusBureauReviewing || o.Version != 1 || countRows(t, f, "outbox")+countRows(t, f, "order_events") != before {
		t.Fatalf("the failed approval left traces: status %s version %d", o.Status, o.Version)
	}
	third := bureauOrder(t, f, f.users[2], "91440101MA5CJQ0003")
	if _, err := reviews.RecordBureauResult(ctx, bureauActor, third, review.BureauResult{Approved: true}); err != nil {
		t.Fatal(err)
	}
	s, _ := f.filings.SubjectOf(ctx, f.users[2])
	if want := fmt.Sprintf("粤ICP备%d000002号", time.Now().UTC().Year()); s.Info.FilingNumber != want {
		t.Fatalf("number after a failed approval %q, want %q (no gap)", s.Info.FilingNumber, want)
	}
}

func countRows(t *testing.T, f filingFixture, table string) int64 {
	t.Helper()
	var n int64
	if err := f.db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
