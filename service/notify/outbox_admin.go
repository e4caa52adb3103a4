package notify

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/beian/beian/service/kernel"
)

// OutboxFilter selects outbox rows for the admin listing: of one status ("" for all), with ids
// below BeforeID (0 for the newest), at most Limit.
type OutboxFilter struct {
	Status   NotificationStatus
	BeforeID int64
	Limit    int
}

// NotificationPage is one page of outbox rows; NextCursor is "" on the last page.
type NotificationPage struct {
	Items      []Notification
	NextCursor string
}

// ParseNotificationStatus accepts one of the five statuses.
func ParseNotificationStatus(s string) (NotificationStatus, error) {
	switch st := NotificationStatus(s); st {
	case NotificationPending, NotificationEnqueued, NotificationSending, NotificationSent, NotificationFailed:
		return st, nil
	}
	return "", kernel.FieldErrors{"state": kernel.CodeInvalid}
}

// List pages through outbox rows newest first, optionally of one status; limit is clamped to 1–100
// (0: 20). Recipients come back masked and parameters (which may hold codes) are left out.
func (n *Notifications) List(ctx context.Context, status, cursor string, limit int) (NotificationPage, error) {
	f := OutboxFilter{Limit: min(max(limit, 0), 100)}
	if f.Limit == 0 {
		f.Limit = 20
	}
	if status != "" {
		st, err := ParseNotificationStatus(status)
		if err != nil {
			return NotificationPage{}, err
		}
		f.Status = st
	}
	if cursor != "" {
		id, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || id <= 0 {
			return NotificationPage{}, kernel.FieldErrors{"cursor": kernel.CodeInvalid}
		}
		f.BeforeID = id
	}
	asked := f.Limit
	f.Limit++
	list, err := n.store.ListNotifications(ctx, f)
	if err != nil {
		return NotificationPage{}, fmt.Errorf("list notifications: %w", err)
	}
	page := NotificationPage{Items: list}
	if len(list) > asked {
		page.Items = list[:asked]
		page.NextCursor = strconv.FormatInt(list[asked-1].ID, 10)
	}
	for i := range page.Items {
		page.Items[i] = masked(page.Items[i])
	}
	return page, nil
}

// masked hides the personal data of a notification for listings.
func masked(note Notification) Notification {
	switch {
	case strings.HasPrefix(note.Recipient, "account:"):
	case note.Channel == ChannelEmail:
		note.Recipient = kernel.MaskEmail(note.Recipient)
	default:
		note.Recipient = kernel.MaskPhone(note.Recipient)
	}
	note.Params = nil
	return note
}

// Requeue puts a failed notification back to pending with its attempts reset, for the caller to
// dispatch again. It returns the row (masked). A row that is not failed is kernel.ErrConflict.
func (n *Notifications) Requeue(ctx context.Context, id int64) (Notification, error) {
	note, err := n.store.RequeueNotification(ctx, id, n.now())
	if err != nil {
		return Notification{}, fmt.Errorf("requeue notification %d: %w", id, err)
	}
	return masked(note), nil
}

// Fail marks a pending or enqueued notification failed with reason (the queue gave up on its
// task); it reports whether it did.
func (n *Notifications) Fail(ctx context.Context, id int64, reason string) (bool, error) {
	return n.store.FailNotification(ctx, id, n.now(), reason)
}

// Counts is the number of outbox rows in each status except sent (every status appears).
func (n *Notifications) Counts(ctx context.Context) (map[NotificationStatus]int, error) {
	got, err := n.store.CountNotifications(ctx)
	if err != nil {
		return nil, err
	}
	out := map[NotificationStatus]int{NotificationPending: 0, NotificationEnqueued: 0, NotificationSending: 0, NotificationFailed: 0}
	for st, c := range got {
		out[st] = c
	}
	return out, nil
}
