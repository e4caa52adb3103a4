package review

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"strconv"
	"strings"
	"time"
)

// ClaimTTL is how long a reviewer's claim on an order lasts; after it anyone may claim the order.
const ClaimTTL = 30 * time.Minute

// Review errors; the api error table maps them.
var (
	// ErrClaimedByOther means another reviewer holds a live claim on the order.
	ErrClaimedByOther = errors.New("order claimed by another reviewer")
	// ErrClaimRequired means the reviewer decided an order without holding a live claim on it.
	ErrClaimRequired = errors.New("a live claim on the order is required")
)

// Claim is a reviewer's hold on an order under first review.
type Claim struct {
	OrderID    int64
	ReviewerID int64
	ExpiresAt  time.Time
}

// QueueFilter selects orders for the reviewer queue. Status is required; the rest narrow it.
// WaitingSince keeps orders that have waited since that time or longer.
type QueueFilter struct {
	Status       filing.OrderStatus
	Province     string
	Type         filing.OrderType
	WaitingSince *time.Time
}

// QueueKey is a position in the queue: orders are sorted by the time they entered their status
// (oldest first), then by id.
type QueueKey struct {
	Since time.Time
	ID    int64
}

// QueueItem is one order in the reviewer queue: only the plain columns, nothing decrypted.
type QueueItem struct {
	ID           int64
	AccountID    int64
	Type         filing.OrderType
	Status       filing.OrderStatus
	Province     string
	Since        time.Time // when the order entered its status
	SubmittedAt  *time.Time
	ClaimedBy    int64 // 0 when unclaimed or the claim expired
	ClaimExpires *time.Time
}

// ReviewStore is what the reviewer use case reads and claims besides OrderStore.
type ReviewStore interface {
	// Queue lists up to limit orders matching f after the key (nil: from the start), in key order.
	Queue(ctx context.Context, f QueueFilter, after *QueueKey, limit int) ([]QueueItem, error)
	// Claim gives the order to reviewerID until expires, in one conditional UPDATE that requires the
	// order to be in pending_review and unclaimed, claimed by the same reviewer or past its claim at
	// now. ErrNotFound for no such order; false when someone else holds it.
	Claim(ctx context.Context, orderID, reviewerID int64, now, expires time.Time) (bool, error)
	// ClaimOf is the order's current claim holder and expiry (ReviewerID 0 when never claimed).
	ClaimOf(ctx context.Context, orderID int64) (Claim, error)
}

// QueuePage is one page of the reviewer queue; NextCursor is "" on the last page.
type QueuePage struct {
	Items      []QueueItem
	NextCursor string
}

// encodeCursor makes the opaque cursor of a queue position.
func encodeCursor(k QueueKey) string {
	raw := strconv.FormatInt(k.Since.UnixNano(), 10) + "." + strconv.FormatInt(k.ID, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

// decodeCursor reads a cursor made by encodeCursor.
func decodeCursor(s string) (QueueKey, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return QueueKey{}, err
	}
	since, id, ok := strings.Cut(string(raw), ".")
	if !ok {
		return QueueKey{}, errors.New("cursor: no separator")
	}
	ns, err1 := strconv.ParseInt(since, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return QueueKey{}, errors.New("cursor: bad numbers")
	}
	return QueueKey{Since: time.Unix(0, ns).UTC(), ID: n}, nil
}

// QueueQuery is the reviewer queue request as the API receives it.
type QueueQuery struct {
	Status       string // default pending_review
	Province     string
	Type         string
	WaitingSince *time.Time
	Cursor       string
	Limit        int // 1–100; 0: 20
}

// parse validates the query into a filter, position and limit.
func (q QueueQuery) parse() (QueueFilter, *QueueKey, int, error) {
	fe := kernel.FieldErrors{}
	f := QueueFilter{Status: filing.StatusPendingReview, Province: q.Province, WaitingSince: q.WaitingSince}
	if q.Status != "" {
		st, err := filing.ParseOrderStatus(q.Status)
		if err != nil {
			fe["status"] = kernel.CodeInvalid
		}
		f.Status = st
	}
	if q.Type != "" {
		t, err := filing.ParseOrderType(q.Type)
		if err != nil {
			fe["type"] = kernel.CodeInvalid
		}
		f.Type = t
	}
	if q.Province != "" && (len(q.Province) != 2 || strings.Trim(q.Province, "0123456789") != "") {
		fe["province"] = kernel.CodeInvalid
	}
	var after *QueueKey
	if q.Cursor != "" {
		k, err := decodeCursor(q.Cursor)
		if err != nil {
			fe["cursor"] = kernel.CodeInvalid
		}
		after = &k
	}
	limit := q.Limit
	if limit == 0 {
		limit = 20
	}
	if limit < 1 || limit > 100 {
		fe["limit"] = kernel.CodeInvalid
	}
	return f, after, limit, fe.OrNil()
}

// Queue pages through orders waiting for the provider's staff, oldest first.
func (r *Reviews) Queue(ctx context.Context, q QueueQuery) (QueuePage, error) {
	f, after, limit, err := q.parse()
	if err != nil {
		return QueuePage{}, err
	}
	items, err := r.store.Queue(ctx, f, after, limit+1)
	if err != nil {
		return QueuePage{}, fmt.Errorf("review queue: %w", err)
	}
	now := r.now()
	for i := range items {
		if items[i].ClaimExpires != nil && !items[i].ClaimExpires.After(now) {
			items[i].ClaimedBy, items[i].ClaimExpires = 0, nil
		}
	}
	page := QueuePage{Items: items}
	if len(items) > limit {
		page.Items = items[:limit]
		last := items[limit-1]
		page.NextCursor = encodeCursor(QueueKey{Since: last.Since, ID: last.ID})
	}
	return page, nil
}

// Claim gives the order under first review to the reviewer for ClaimTTL. Claiming again extends
// the reviewer's own claim; another reviewer's live claim is ErrClaimedByOther.
func (r *Reviews) Claim(ctx context.Context, reviewerID, orderID int64) (Claim, error) {
	now := r.now()
	ok, err := r.store.Claim(ctx, orderID, reviewerID, now, now.Add(ClaimTTL))
	if err != nil {
		return Claim{}, fmt.Errorf("claim order %d: %w", orderID, err)
	}
	if !ok { // refused, or (MySQL counts changed rows) the same claim written again at the same instant
		if c, err := r.store.ClaimOf(ctx, orderID); err == nil && c.ReviewerID == reviewerID && c.ExpiresAt.After(now) {
			return c, nil
		}
		o, err := r.orders.Order(ctx, orderID)
		if err == nil && o.Status != filing.StatusPendingReview {
			err = filing.ErrTransitionNotAllowed
		} else if err == nil {
			err = ErrClaimedByOther
		}
		return Claim{}, fmt.Errorf("claim order %d: %w", orderID, err)
	}
	return Claim{OrderID: orderID, ReviewerID: reviewerID, ExpiresAt: now.Add(ClaimTTL)}, nil
}

// holdsClaim checks that reviewerID holds a live claim on the order.
func (r *Reviews) holdsClaim(ctx context.Context, reviewerID, orderID int64) error {
	c, err := r.store.ClaimOf(ctx, orderID)
	if err != nil {
		return err
	}
	if c.ReviewerID != reviewerID || !c.ExpiresAt.After(r.now()) {
		return ErrClaimRequired
	}
	return nil
}
