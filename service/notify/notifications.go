package notify

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/service/kernel"
)

// Channel is how a notification travels.
type Channel string

// Channels.
const (
	ChannelSMS   Channel = "sms"
	ChannelEmail Channel = "email"
)

// NotificationStatus is where an outbox row is on its way out.
type NotificationStatus string

// Notification statuses: pending (written), enqueued (handed to the queue), sending (a worker holds
// the lease), sent, failed (permanently).
const (
	NotificationPending  NotificationStatus = "pending"
	NotificationEnqueued NotificationStatus = "enqueued"
	NotificationSending  NotificationStatus = "sending"
	NotificationSent     NotificationStatus = "sent"
	NotificationFailed   NotificationStatus = "failed"
)

// NotificationRef names an outbox row and the channel (and so the task type) that delivers it.
// Since, when known, is when the row was written or last re-queued: a queue task that failed
// before then belongs to an earlier round of the row. The relay also learns whether the row was
// already handed to the queue (Queued) and, when known, the task that holds it (TaskID).
type NotificationRef struct {
	ID      int64
	Channel Channel
	Since   time.Time
	Queued  bool
	TaskID  string
}

// EnqueuedTask is one queue task and the outbox rows it delivers.
type EnqueuedTask struct {
	TaskID string
	IDs    []int64
}

// InboxMessage is one SMS as the development inbox shows it.
type InboxMessage struct {
	Phone  string
	Text   string
	Code   string
	SentAt time.Time
}

// Notification is an outbox row: written in the transaction of the change that causes it, delivered
// later by a worker. Recipient and Params are personal data and are encrypted at rest.
type Notification struct {
	ID        int64
	Channel   Channel
	Template  string
	Recipient string
	Params    map[string]string
	Status    NotificationStatus
	Attempts  int
	CreatedAt time.Time
	UpdatedAt time.Time
	SentAt    *time.Time
	LastError string
}

// OutboxStore moves outbox rows through their statuses with conditional updates.
type OutboxStore interface {
	// ClaimNotification takes the lease on a row that is pending, enqueued, or sending with an
	// expired lease. A sent or failed row, or one leased by another worker, is ErrAlreadyDelivered.
	ClaimNotification(ctx context.Context, id int64, now, leaseUntil time.Time) (Notification, error)
	// FinishNotification records the outcome of a claimed row: sent, failed, or back to enqueued.
	FinishNotification(ctx context.Context, id int64, status NotificationStatus, now time.Time, lastErr string) error
	// StaleNotifications claims for one relay the rows it must (re)enqueue: pending or enqueued since
	// before olderThan, or sending with an expired lease; concurrent callers get disjoint batches.
	StaleNotifications(ctx context.Context, olderThan, now time.Time, limit int) ([]NotificationRef, error)
	// MarkEnqueued records that the rows of tasks are in the queue, each with its task.
	MarkEnqueued(ctx context.Context, tasks []EnqueuedTask, now time.Time) error
	// OldestUnsent is the creation time of the oldest row not yet sent or failed; false if none.
	OldestUnsent(ctx context.Context) (time.Time, bool, error)
	// GiveUpNotifications marks failed, and returns, up to limit rows still waiting to be sent
	// (pending, enqueued, or sending with an expired lease) that were tried maxAttempts times or
	// created before createdBefore. Their last error is kept, or reason recorded when there is none.
	GiveUpNotifications(ctx context.Context, maxAttempts int, createdBefore, now time.Time, reason string, limit int) ([]int64, error)
	// FailNotification marks one pending or enqueued row failed with lastErr; it reports whether
	// the row was in such a state.
	FailNotification(ctx context.Context, id int64, now time.Time, lastErr string) (bool, error)
	// RequeueNotification puts a failed row back to pending with no attempts counted and its age
	// counted from now. A row that
	// is not failed is kernel.ErrConflict, a missing one kernel.ErrNotFound.
	RequeueNotification(ctx context.Context, id int64, now time.Time) (Notification, error)
	// ListNotifications lists rows newest first as the filter says.
	ListNotifications(ctx context.Context, f OutboxFilter) ([]Notification, error)
	// CountNotifications counts the rows in each status except sent.
	CountNotifications(ctx context.Context) (map[NotificationStatus]int, error)
}

// AccountPhones resolves an AccountRecipient address to the account's current phone number.
type AccountPhones interface {
	// AccountPhone is the phone of account id, or kernel.ErrNotFound when the account is gone.
	AccountPhone(ctx context.Context, id int64) (string, error)
}

// Notifications delivers outbox rows through the SMS and e-mail senders, at most once per row.
type Notifications struct {
	store  OutboxStore
	phones AccountPhones
	sms    SMSSender
	email  EmailSender
	lease  time.Duration
	now    kernel.Clock
	tpls   map[string]messageTemplate
	limits Limits
}

// Limits bound how long a notification is retried before it is marked failed.
type Limits struct {
	MaxAttempts int           // sends tried
	MaxAge      time.Duration // since the row was written
}

// DefaultLimits are the limits NewNotifications starts with.
var DefaultLimits = Limits{MaxAttempts: 10, MaxAge: 24 * time.Hour}

// NewNotifications wires delivery. phones resolves AccountRecipient addresses to phone numbers;
// lease bounds how long a worker may hold a row while sending.
func NewNotifications(store OutboxStore, phones AccountPhones, sms SMSSender, email EmailSender, lease time.Duration, now kernel.Clock) *Notifications {
	return &Notifications{store: store, phones: phones, sms: sms, email: email, lease: lease, now: now, tpls: templateSet(),
		limits: DefaultLimits}
}

// SetLimits replaces the retry limits; a zero field keeps its default.
func (n *Notifications) SetLimits(l Limits) {
	if l.MaxAttempts > 0 {
		n.limits.MaxAttempts = l.MaxAttempts
	}
	if l.MaxAge > 0 {
		n.limits.MaxAge = l.MaxAge
	}
}

// Deliver sends notification id unless it was already sent or is being sent. A send that fails
// releases the row for a retry; a permanent failure (ErrPermanent), or a failure once the row has
// used up its attempts or its age (Limits), marks it failed and returns an error wrapping
// ErrPermanent.
func (n *Notifications) Deliver(ctx context.Context, id int64) error {
	return n.DeliverAll(ctx, []int64{id})
}

// deliverParallelism bounds the sends of one DeliverAll in flight at once, so that a worker running
// several tasks of many rows does not open hundreds of connections to a provider.
const deliverParallelism = 16

// DeliverAll delivers the notifications ids as Deliver does each of them, in three steps: every
// row is claimed at once, the claimed rows are sent (up to deliverParallelism at a time), and every
// outcome is recorded at once. The store combines concurrent claims, and concurrent outcomes, into
// shared transactions, so a queue task carrying many rows costs about one claim and one outcome
// in all. With several rows the error joins the errors of the rows that can still go out, so that
// the task is retried for them; when every failed row failed for good (or is gone) it joins those
// and wraps ErrPermanent.
func (n *Notifications) DeliverAll(ctx context.Context, ids []int64) error {
	now := n.now()
	notes := make([]Notification, len(ids))
	errs := make([]error, len(ids))
	claimed := make([]bool, len(ids))
	statuses := make([]NotificationStatus, len(ids))
	kernel.Each(len(ids), len(ids), func(i int) {
		notes[i], errs[i] = n.store.ClaimNotification(ctx, ids[i], now, now.Add(n.lease))
		switch {
		case errors.Is(errs[i], ErrAlreadyDelivered):
			errs[i] = nil
		case errs[i] != nil:
			errs[i] = fmt.Errorf("claim notification %d: %w", ids[i], errs[i])
		default:
			claimed[i] = true
		}
	})
	kernel.Each(len(ids), deliverParallelism, func(i int) {
		if claimed[i] {
			statuses[i], errs[i] = n.outcome(notes[i], n.send(ctx, notes[i]), now)
		}
	})
	kernel.Each(len(ids), len(ids), func(i int) {
		if !claimed[i] {
			return
		}
		msg := ""
		if errs[i] != nil {
			msg = errs[i].Error()
			errs[i] = fmt.Errorf("send notification %d: %w", ids[i], errs[i])
		}
		if err := n.recordOutcome(ctx, ids[i], statuses[i], msg); err != nil {
			errs[i] = errors.Join(errs[i], fmt.Errorf("record notification %d: %w", ids[i], err))
		}
	})
	if len(ids) == 1 {
		return errs[0]
	}
	var retry []error
	for _, err := range errs {
		if err != nil && !errors.Is(err, ErrPermanent) && !errors.Is(err, kernel.ErrNotFound) {
			retry = append(retry, err)
		}
	}
	if len(retry) > 0 {
		// Only the rows that can still go out: a row that failed for good (its error is on the row)
		// must not make the whole task look permanent.
		return errors.Join(retry...)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	return nil
}

// outcome is the status a claimed row gets after a send that returned sendErr: sent; failed for a
// permanent error or once the row has used up its attempts or its age; otherwise back to enqueued
// for a retry. err is sendErr, saying so when the row was given up.
func (n *Notifications) outcome(note Notification, sendErr error, now time.Time) (status NotificationStatus, err error) {
	switch {
	case sendErr == nil:
		return NotificationSent, nil
	case errors.Is(sendErr, ErrPermanent):
		return NotificationFailed, sendErr
	case n.exhausted(note, now):
		return NotificationFailed, fmt.Errorf("%w after %d attempts: %w", ErrGaveUp, note.Attempts, sendErr)
	}
	return NotificationEnqueued, sendErr
}

// outcomeRetries are the pauses between attempts to record an outcome: a few seconds in all, well
// inside any sensible lease.
var outcomeRetries = []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second}

// recordOutcome records the outcome of a send that has happened, trying again for a few seconds
// when the store fails: a row whose outcome is not written stays leased, and once its lease runs out
// it is sent again. It uses a context of its own, so that the outcome is recorded even when the
// task's context has just run out.
func (n *Notifications) recordOutcome(ctx context.Context, id int64, status NotificationStatus, msg string) error {
	ctx = context.WithoutCancel(ctx)
	err := n.store.FinishNotification(ctx, id, status, n.now(), msg)
	for _, pause := range outcomeRetries {
		if err == nil {
			return nil
		}
		time.Sleep(pause)
		err = n.store.FinishNotification(ctx, id, status, n.now(), msg)
	}
	return err
}

// exhausted reports whether note may not be retried any more.
func (n *Notifications) exhausted(note Notification, now time.Time) bool {
	return note.Attempts >= n.limits.MaxAttempts || now.Sub(note.CreatedAt) >= n.limits.MaxAge
}

func (n *Notifications) send(ctx context.Context, note Notification) error {
	tpl, ok := n.tpls[note.Template]
	if !ok {
		return fmt.Errorf("template %q: %w", note.Template, ErrPermanent)
	}
	text, err := tpl.render(note.Params)
	if err != nil {
		return fmt.Errorf("render %q: %v: %w", note.Template, err, ErrPermanent)
	}
	dedup := "n" + strconv.FormatInt(note.ID, 10)
	switch note.Channel {
	case ChannelSMS:
		if rest, ok := strings.CutPrefix(note.Recipient, "account:"); ok {
			id, _ := strconv.ParseInt(rest, 10, 64)
			phone, err := n.phones.AccountPhone(ctx, id)
			if errors.Is(err, kernel.ErrNotFound) {
				return fmt.Errorf("account %d is gone: %w", id, ErrPermanent)
			}
			if err != nil {
				return err
			}
			note.Recipient = phone
		}
		params := make([]string, len(tpl.params))
		for i, p := range tpl.params {
			params[i] = note.Params[p]
		}
		return n.sms.SendSMS(ctx, SMSMessage{ID: dedup, Phone: note.Recipient, Template: tpl.key,
			Params: params, Text: text, Code: note.Params["code"]})
	case ChannelEmail:
		return n.email.SendEmail(ctx, Email{ID: dedup, To: note.Recipient, Subject: tpl.subject, Text: text})
	}
	return fmt.Errorf("channel %q: %w", note.Channel, ErrPermanent)
}

// RelayBatch first gives up on waiting rows past their Limits when giveUp is set (marking them
// failed and returning their ids), then lists rows the relay should enqueue now: anything not
// taken up within grace.
func (n *Notifications) RelayBatch(ctx context.Context, grace time.Duration, limit int, giveUp bool) (refs []NotificationRef, failed []int64, err error) {
	now := n.now()
	if giveUp {
		reason := fmt.Sprintf("gave up: %d attempts or %s old", n.limits.MaxAttempts, n.limits.MaxAge)
		failed, err = n.store.GiveUpNotifications(ctx, n.limits.MaxAttempts, now.Add(-n.limits.MaxAge), now, reason, limit)
		if err != nil {
			return nil, nil, fmt.Errorf("give up on notifications: %w", err)
		}
	}
	refs, err = n.store.StaleNotifications(ctx, now.Add(-grace), now, limit)
	return refs, failed, err
}

// Lag is how long the oldest unsent notification has waited (0 when none waits).
func (n *Notifications) Lag(ctx context.Context) (time.Duration, error) {
	oldest, ok, err := n.store.OldestUnsent(ctx)
	if err != nil || !ok {
		return 0, err
	}
	return max(n.now().Sub(oldest), 0), nil
}

// MarkEnqueued records that the relay or a dispatcher put the rows of tasks on the queue.
func (n *Notifications) MarkEnqueued(ctx context.Context, tasks []EnqueuedTask) error {
	if len(tasks) == 0 {
		return nil
	}
	return n.store.MarkEnqueued(ctx, tasks, n.now())
}
