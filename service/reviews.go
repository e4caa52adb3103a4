package service

import (
	"context"
	"fmt"
	"time"
)

// DeadlineScheduler arranges for an order's deadline to be enforced at its time. It is a
// promptness aid: the periodic sweep enforces deadlines even if a scheduled run is lost.
type DeadlineScheduler interface {
	ScheduleSMSDeadline(ctx context.Context, orderID int64, at time.Time) error
}

// Reviews is the provider staff's side of an order: decisions and the hand-over to the bureau.
type Reviews struct {
	orders    OrderStore
	users     UserStore
	smsKey    []byte
	deadlines DeadlineScheduler
	now       Clock
}

// NewReviews wires the reviewer use case; smsKey is SMSChecks.Key().
func NewReviews(orders OrderStore, users UserStore, smsKey []byte, deadlines DeadlineScheduler, now Clock) *Reviews {
	return &Reviews{orders: orders, users: users, smsKey: smsKey, deadlines: deadlines, now: now}
}

// HandToBureau passes an approved order to the bureau. Orders that need the MIIT SMS check start it
// (codes to the principals, 24-hour deadline); cancel access goes straight to bureau review.
func (r *Reviews) HandToBureau(ctx context.Context, reviewerID, orderID int64) (Order, error) {
	o, err := r.orders.Update(ctx, orderID, func(o *Order) error {
		now := r.now()
		if err := o.Transition(EventHandToBureau, Actor{Kind: ActorReviewer, ID: reviewerID}, now); err != nil {
			return err
		}
		if o.Status != StatusSMSVerifying {
			return nil
		}
		return o.StartSMSCheck(r.smsKey, "", now)
	})
	if err != nil {
		return Order{}, fmt.Errorf("hand order %d to the bureau: %w", orderID, err)
	}
	if o.DeadlineAt != nil {
		_ = r.deadlines.ScheduleSMSDeadline(ctx, o.ID, *o.DeadlineAt) // the sweep covers a failure here
	}
	return o, nil
}

// Decide records a reviewer's first-review decision: approve, reject (at least one reason code),
// or request changes.
func (r *Reviews) Decide(ctx context.Context, reviewerID, orderID int64, event OrderEventName, reasons []string, comment string) (Order, error) {
	if event != EventApprove && event != EventReject && event != EventRequestChanges {
		return Order{}, FieldErrors{"outcome": "INVALID_OUTCOME"}
	}
	if event == EventReject && len(reasons) == 0 {
		return Order{}, FieldErrors{"reasons": "REASON_REQUIRED"}
	}
	return r.orders.Update(ctx, orderID, func(o *Order) error {
		return o.TransitionWith(event, Actor{Kind: ActorReviewer, ID: reviewerID}, r.now(), reasons, comment)
	})
}
