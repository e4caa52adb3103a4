package repository

import (
	"context"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/review"
	"gorm.io/gorm"
)

// ReviewRepo serves the reviewer queue and claims; it satisfies service.ReviewStore. Claims live in
// two columns of orders (migration 6) and never touch the order's version.
type ReviewRepo struct{ db *gorm.DB }

// NewReviewRepo returns a ReviewRepo on db.
func NewReviewRepo(db *gorm.DB) *ReviewRepo { return &ReviewRepo{db: db} }

// queueRow is the plain columns of an order the queue shows.
type queueRow struct {
	ID             int64
	AccountID      int64
	Type           string
	Status         string
	Province       string
	UpdatedAt      time.Time
	SubmittedAt    *time.Time
	ClaimedBy      *int64
	ClaimExpiresAt *time.Time
}

func (r queueRow) toService() review.QueueItem {
	it := review.QueueItem{ID: r.ID, AccountID: r.AccountID, Type: filing.OrderType(r.Type),
		Status: filing.OrderStatus(r.Status), Province: r.Province, Since: r.UpdatedAt.UTC(), SubmittedAt: r.SubmittedAt,
		ClaimExpires: r.ClaimExpiresAt}
	if r.ClaimedBy != nil {
		it.ClaimedBy = *r.ClaimedBy
	}
	return it
}

// Queue lists orders of f.Status (and f.Province, f.Type when set) by (updated_at, id) after the
// key: a range scan of one of the ix_orders_queue* indexes however deep the page.
func (r *ReviewRepo) Queue(ctx context.Context, f review.QueueFilter, after *review.QueueKey, limit int) ([]review.QueueItem, error) {
	q := r.db.WithContext(ctx).Table("orders").
		Select("id, account_id, type, status, province, updated_at, submitted_at, claimed_by, claim_expires_at").
		Where("status = ?", string(f.Status))
	if f.Province != "" {
		q = q.Where("province = ?", f.Province)
	}
	if f.Type != "" {
		q = q.Where("type = ?", string(f.Type))
	}
	if f.WaitingSince != nil {
		q = q.Where("updated_at <= ?", f.WaitingSince.UTC())
	}
	if after != nil {
		q = q.Where("(updated_at > ? OR (updated_at = ? AND id > ?))", after.Since, after.Since, after.ID)
	}
	var rows []queueRow
	if err := q.Order("updated_at, id").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]review.QueueItem, len(rows))
	for i, row := range rows {
		out[i] = row.toService()
	}
	return out, nil
}

// Claim is one conditional UPDATE: the order must be in pending_review and unclaimed, claimed by
// the same reviewer, or past its claim at now.
func (r *ReviewRepo) Claim(ctx context.Context, orderID, reviewerID int64, now, expires time.Time) (bool, error) {
	res := r.db.WithContext(ctx).Exec(`UPDATE orders SET claimed_by = ?, claim_expires_at = ?
		WHERE id = ? AND status = ? AND (claimed_by IS NULL OR claimed_by = ? OR claim_expires_at <= ?)`,
		reviewerID, expires.UTC(), orderID, string(filing.StatusPendingReview), reviewerID, now.UTC())
	if res.Error != nil {
		return false, translate(res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ClaimOf reads the order's claim columns.
func (r *ReviewRepo) ClaimOf(ctx context.Context, orderID int64) (review.Claim, error) {
	var row struct {
		ClaimedBy      *int64
		ClaimExpiresAt *time.Time
	}
	res := r.db.WithContext(ctx).Table("orders").Select("claimed_by, claim_expires_at").Where("id = ?", orderID).Take(&row)
	if res.Error != nil {
		return review.Claim{}, translate(res.Error)
	}
	c := review.Claim{OrderID: orderID}
	if row.ClaimedBy != nil && row.ClaimExpiresAt != nil {
		c.ReviewerID, c.ExpiresAt = *row.ClaimedBy, row.ClaimExpiresAt.UTC()
	}
	return c, nil
}
