package review

import (
	"context"
	"errors"
	"fmt"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"time"
)

// DueOrders finds orders whose current status has timed out.
type DueOrders interface {
	// OrdersDue lists ids of orders in status whose deadline is at or before now, oldest first.
	OrdersDue(ctx context.Context, status filing.OrderStatus, now time.Time, limit int) ([]int64, error)
}

// SMSChecks is the emulated MIIT SMS check (短信核验) use case: principals enter the codes sent to
// them; the deadline and the wrong-code bound return the order.
type SMSChecks struct {
	orders  filing.OrderStore
	due     DueOrders
	limiter kernel.Limiter
	key     []byte
	now     kernel.Clock
}

// NewSMSChecks wires the SMS check; key keys the HMAC its codes are stored under.
func NewSMSChecks(orders filing.OrderStore, due DueOrders, limiter kernel.Limiter, key []byte, now kernel.Clock) *SMSChecks {
	return &SMSChecks{orders: orders, due: due, limiter: limiter, key: key, now: now}
}

// Key is the HMAC key for code hashes; use cases that start a check (hand-over to the bureau,
// transfer submission) pass it to Order.StartSMSCheck.
func (s *SMSChecks) Key() []byte { return s.key }

// Verify checks the code person received for the applicant's order. Wrong tries are recorded even
// though the call fails; the error then says why (ErrSMSCheckWrongCode, ErrSMSCheckFailed, …).
func (s *SMSChecks) Verify(ctx context.Context, accountID, orderID int64, person, code string) (filing.Order, error) {
	if err := s.own(ctx, accountID, orderID); err != nil {
		return filing.Order{}, err
	}
	var outcome error
	o, err := s.orders.Update(ctx, orderID, func(o *filing.Order) error {
		outcome = o.VerifySMSCode(person, code, s.key, s.now())
		if errors.Is(outcome, filing.ErrSMSCheckNotFound) || errors.Is(outcome, filing.ErrSMSAlreadyChecked) {
			return outcome // nothing changed
		}
		return nil
	})
	if err != nil {
		return filing.Order{}, err
	}
	return o, outcome
}

// Resend sends person a new code (at most one per minute per person and order).
func (s *SMSChecks) Resend(ctx context.Context, accountID, orderID int64, person string) error {
	if err := s.own(ctx, accountID, orderID); err != nil {
		return err
	}
	wait, ok, err := s.limiter.Allow(ctx, fmt.Sprintf("smscheck:%d:%s", orderID, person), kernel.Limit{Count: 1, Per: account.CodeResendAfter})
	if err != nil {
		return fmt.Errorf("rate limit: %w", err)
	}
	if !ok {
		return &kernel.RateLimitError{Limit: "sms_resend", RetryAfter: wait}
	}
	_, err = s.orders.Update(ctx, orderID, func(o *filing.Order) error { return o.ResendSMSCode(person, s.key, s.now()) })
	return err
}

// Expire returns the order if its SMS check is past its deadline; running it again, or on an order
// that moved on, does nothing.
func (s *SMSChecks) Expire(ctx context.Context, orderID int64) (bool, error) {
	expired := false
	_, err := s.orders.Update(ctx, orderID, func(o *filing.Order) error {
		if expired = o.ExpireSMSCheck(s.now()); !expired {
			return filing.ErrNothingToDo
		}
		return nil
	})
	if errors.Is(err, filing.ErrNothingToDo) {
		return false, nil
	}
	return expired, err
}

// ExpireDue returns every order whose SMS check deadline has passed (the periodic sweep that backs
// up the per-order deadline task) and reports how many it returned. An order that cannot be
// returned does not stop the others: its failure comes back as a kernel.RowError among the joined
// errors.
func (s *SMSChecks) ExpireDue(ctx context.Context) (int, error) {
	ids, err := s.due.OrdersDue(ctx, filing.StatusSMSVerifying, s.now(), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, id := range ids {
		ok, err := s.Expire(ctx, id)
		if err != nil && !errors.Is(err, kernel.ErrConflict) {
			errs = append(errs, &kernel.RowError{Kind: "order", ID: id, Err: err})
		}
		if ok {
			n++
		}
	}
	return n, errors.Join(errs...)
}

func (s *SMSChecks) own(ctx context.Context, accountID, orderID int64) error {
	o, err := s.orders.Order(ctx, orderID)
	if err != nil {
		return err
	}
	if o.AccountID != accountID {
		return fmt.Errorf("order %d: %w", orderID, kernel.ErrNotFound)
	}
	return nil
}
