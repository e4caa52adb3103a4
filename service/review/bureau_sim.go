package review

import (
	"context"
	"errors"
	"fmt"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"time"
)

// BureauGateway is the provincial bureau's (管局) filing system as this backend sees it: the
// provider polls it for the verdict on each order under bureau review. Real operations without an
// integration leave it nil and record verdicts by hand (POST …/bureau-result).
type BureauGateway interface {
	// Verdict asks for the bureau's result on an order in bureau_reviewing; decided is false while
	// the bureau is still reviewing it.
	Verdict(ctx context.Context, o filing.Order) (res BureauResult, decided bool, err error)
}

// SimulatedBureau is a development stand-in for the bureau: it decides every order Delay after the
// order entered bureau review, approving it, or rejecting it with BUREAU_REJECTED_OTHER when
// Reject is set. It keeps no state: the order's UpdatedAt is when it entered bureau_reviewing.
type SimulatedBureau struct {
	Delay  time.Duration
	Reject bool
	Now    kernel.Clock
}

// Verdict decides once the delay has passed.
func (b SimulatedBureau) Verdict(_ context.Context, o filing.Order) (BureauResult, bool, error) {
	if o.Status != filing.StatusBureauReviewing || b.Now().Before(o.UpdatedAt.Add(b.Delay)) {
		return BureauResult{}, false, nil
	}
	if b.Reject {
		return BureauResult{Reasons: []string{"BUREAU_REJECTED_OTHER"}, Comment: "模拟管局：审核未通过"}, true, nil
	}
	return BureauResult{Approved: true, Comment: "模拟管局：审核通过"}, true, nil
}

// pollPage is how many orders under bureau review PollBureau reads per query.
const pollPage = 100

// PollBureau asks the gateway about every order in bureau_reviewing and records each verdict the
// bureau has given (actor system), approvals with their numbers in one transaction. An order
// someone recorded meanwhile is skipped; an order whose verdict cannot be recorded is reported in
// the joined error and the others still go ahead. It reports how many verdicts it recorded; without
// a gateway it does nothing. Safe to run concurrently and repeatedly: each verdict is recorded once.
func (r *Reviews) PollBureau(ctx context.Context) (int, error) {
	if r.bureau == nil {
		return 0, nil
	}
	recorded := 0
	var errs []error
	var after *QueueKey
	for {
		items, err := r.store.Queue(ctx, QueueFilter{Status: filing.StatusBureauReviewing}, after, pollPage)
		if err != nil {
			return recorded, fmt.Errorf("poll the bureau: %w", err)
		}
		for _, it := range items {
			ok, err := r.pollOne(ctx, it.ID)
			if err != nil {
				errs = append(errs, &kernel.RowError{Kind: "order", ID: it.ID, Err: fmt.Errorf("bureau verdict: %w", err)})
			}
			if ok {
				recorded++
			}
		}
		if len(items) < pollPage {
			return recorded, errors.Join(errs...)
		}
		last := items[len(items)-1]
		after = &QueueKey{Since: last.Since, ID: last.ID}
	}
}

// pollOne records the bureau's verdict on one order if it has one.
func (r *Reviews) pollOne(ctx context.Context, id int64) (bool, error) {
	o, err := r.orders.Order(ctx, id)
	if err != nil {
		return false, err
	}
	res, decided, err := r.bureau.Verdict(ctx, o)
	if err != nil || !decided {
		return false, err
	}
	_, err = r.RecordBureauResult(ctx, filing.Actor{Kind: filing.ActorSystem}, id, res)
	if err != nil {
		if now, lerr := r.orders.Order(ctx, id); lerr == nil && now.Status != filing.StatusBureauReviewing {
			return false, nil // recorded by someone else meanwhile
		}
		return false, err
	}
	return true, nil
}
