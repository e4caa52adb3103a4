package filing

import (
	"context"
	"errors"
	"fmt"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"time"
)

// Stale-order rules: an order waiting on the applicant gets reminders after 7,
// 15 and 30 idle days and expires after 45; its data is kept and it can be reactivated.
var staleReminderDays = [...]int{7, 15, 30}

// StaleExpiryDays is how long an order may wait on the applicant before it expires.
const StaleExpiryDays = 45

// IdleOrders finds orders nobody touched for a while.
type IdleOrders interface {
	// IdleOrders lists ids above afterID, ascending, of orders in one of statuses last updated at
	// or before `before`.
	IdleOrders(ctx context.Context, statuses []OrderStatus, before time.Time, afterID int64, limit int) ([]int64, error)
}

// StaleOrders reminds applicants of idle orders and expires abandoned ones.
type StaleOrders struct {
	orders OrderStore
	idle   IdleOrders
	now    kernel.Clock
}

// NewStaleOrders wires the stale-order sweep.
func NewStaleOrders(orders OrderStore, idle IdleOrders, now kernel.Clock) *StaleOrders {
	return &StaleOrders{orders: orders, idle: idle, now: now}
}

// Sweep sends every reminder that is due (each at most once per idle period) and expires orders
// idle for StaleExpiryDays. It reports how many reminders and expiries it made. An order that fails
// does not stop the others: its failure comes back as a kernel.RowError among the joined errors.
func (s *StaleOrders) Sweep(ctx context.Context) (reminded, expired int, err error) {
	// Idle days are Beijing calendar days, so the first reminder can fall due a little under
	// that many 24-hour periods after the last change.
	first := time.Duration(staleReminderDays[0]-1) * 24 * time.Hour
	var errs []error
	for after := int64(0); ; {
		ids, err := s.idle.IdleOrders(ctx, EditableStatuses(), s.now().Add(-first), after, 500)
		if err != nil || len(ids) == 0 {
			return reminded, expired, errors.Join(append(errs, err)...)
		}
		after = ids[len(ids)-1]
		r, e, rowErrs := s.sweep(ctx, ids)
		reminded, expired = reminded+r, expired+e
		errs = append(errs, rowErrs...)
	}
}

// sweep handles one page of idle orders; an order that fails is returned as a kernel.RowError and
// the others go on.
func (s *StaleOrders) sweep(ctx context.Context, ids []int64) (reminded, expired int, errs []error) {
	for _, id := range ids {
		var outcome OrderEventName
		_, err := s.orders.Update(ctx, id, func(o *Order) error {
			outcome = o.remindOrExpire(s.now())
			if outcome == "" {
				return ErrNothingToDo
			}
			return nil
		})
		switch {
		case errors.Is(err, ErrNothingToDo) || errors.Is(err, kernel.ErrConflict):
		case err != nil:
			errs = append(errs, &kernel.RowError{Kind: "order", ID: id, Err: err})
		case outcome == EventExpire:
			expired++
		default:
			reminded++
		}
	}
	return reminded, expired, errs
}

const eventReminded OrderEventName = "reminded" // not a transition: a reminder went out

// remindOrExpire applies what is due for an idle order at now: expiry, the next reminder, or
// nothing (""). Reminders count only since the order last changed, so editing restarts them.
func (o *Order) remindOrExpire(now time.Time) OrderEventName {
	idleDays := kernel.BeijingDaysBetween(o.UpdatedAt, now)
	if idleDays >= StaleExpiryDays {
		if o.Transition(EventExpire, Actor{Kind: ActorSystem}, now) != nil {
			return ""
		}
		return EventExpire
	}
	sent := o.Reminders
	if o.RemindedAt == nil || !o.RemindedAt.After(o.UpdatedAt) {
		sent = 0
	}
	due := 0
	for _, d := range staleReminderDays {
		if idleDays >= d {
			due++
		}
	}
	if due <= sent {
		return ""
	}
	t := now
	o.Reminders, o.RemindedAt = due, &t
	o.Notify(notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateOrderStaleReminder, Recipient: notify.AccountRecipient(o.AccountID),
		Params: map[string]string{"order_id": fmt.Sprint(o.ID), "days": fmt.Sprint(idleDays)}, CreatedAt: now})
	return eventReminded
}

// Reactivate brings an expired order back to draft, with its data. It is refused (ErrConflict)
// while the account has another order in flight.
func (u *Orders) Reactivate(ctx context.Context, accountID, id int64) (Order, error) {
	return u.applicantEvent(ctx, accountID, id, EventReactivate)
}
