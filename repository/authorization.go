package repository

import (
	"context"
	"fmt"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/notify"
	"github.com/beian/beian/service/transfer"
	"gorm.io/gorm"
)

// authorizationRow is a migration authorization request; code_hash is an HMAC of the code.
type authorizationRow struct {
	ID              int64 `gorm:"primaryKey"`
	OrderID         int64
	FromAccountID   int64
	TargetAccountID int64
	Status          string
	CodeHash        string
	Attempts        int
	ExpiresAt       time.Time
	DecidedAt       *time.Time
	CreatedAt       time.Time
}

func (authorizationRow) TableName() string { return "authorizations" }

func (r authorizationRow) toService() transfer.Authorization {
	return transfer.Authorization{ID: r.ID, OrderID: r.OrderID, FromAccountID: r.FromAccountID, TargetAccountID: r.TargetAccountID,
		Status: transfer.AuthorizationStatus(r.Status), CodeHash: r.CodeHash, ExpiresAt: r.ExpiresAt.UTC(), DecidedAt: r.DecidedAt,
		CreatedAt: r.CreatedAt}
}

// AuthorizationRepo keeps migration authorization requests; it satisfies service.AuthorizationStore.
type AuthorizationRepo struct{ inspections *InspectionRepo }

// NewAuthorizationRepo returns an AuthorizationRepo; d (may be nil) dispatches the code SMS after commit.
func NewAuthorizationRepo(db *gorm.DB, c *Cipher, d account.Dispatcher) *AuthorizationRepo {
	return &AuthorizationRepo{inspections: NewInspectionRepo(db, c, d)} // shares its outbox transaction helper
}

// CreateAuthorization inserts the request and its code SMS in one transaction.
func (r *AuthorizationRepo) CreateAuthorization(ctx context.Context, a transfer.Authorization, note notify.Notification) (transfer.Authorization, error) {
	row := authorizationRow{OrderID: a.OrderID, FromAccountID: a.FromAccountID, TargetAccountID: a.TargetAccountID,
		Status: string(a.Status), CodeHash: a.CodeHash, ExpiresAt: a.ExpiresAt, CreatedAt: a.CreatedAt}
	err := r.inspections.inTx(ctx, []notify.Notification{note}, func(tx *gorm.DB) (bool, error) {
		return true, tx.Create(&row).Error
	})
	return row.toService(), err
}

// AuthorizationsFor lists the requests addressed to the account, newest first.
func (r *AuthorizationRepo) AuthorizationsFor(ctx context.Context, targetAccountID int64) ([]transfer.Authorization, error) {
	var rows []authorizationRow
	err := r.inspections.db.WithContext(ctx).Where("target_account_id = ?", targetAccountID).Order("id DESC").Limit(100).Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]transfer.Authorization, len(rows))
	for i, row := range rows {
		out[i] = row.toService()
	}
	return out, nil
}

// DecideAuthorization grants (matching code) or denies (codeHash "") a pending request in one
// conditional UPDATE; see service.AuthorizationStore for the failures.
func (r *AuthorizationRepo) DecideAuthorization(ctx context.Context, id, target int64, to transfer.AuthorizationStatus, codeHash string, now time.Time) (transfer.Authorization, error) {
	db := r.inspections.db.WithContext(ctx)
	q := db.Model(&authorizationRow{}).Where("id = ? AND target_account_id = ? AND status = ?", id, target, string(transfer.AuthorizationPending))
	if to == transfer.AuthorizationGranted {
		q = q.Where("code_hash = ? AND expires_at > ? AND attempts < ?", codeHash, now, transfer.AuthorizationMaxWrong)
	}
	res := q.Updates(map[string]any{"status": string(to), "decided_at": now})
	if res.Error != nil {
		return transfer.Authorization{}, translate(res.Error)
	}
	var row authorizationRow
	if err := db.Where("id = ? AND target_account_id = ?", id, target).Take(&row).Error; err != nil {
		return transfer.Authorization{}, translate(err)
	}
	switch {
	case res.RowsAffected == 1:
		return row.toService(), nil
	case row.Status != string(transfer.AuthorizationPending):
		return transfer.Authorization{}, fmt.Errorf("authorization %d is %s: %w", id, row.Status, transfer.ErrAuthorizationDecided)
	case !now.Before(row.ExpiresAt):
		return transfer.Authorization{}, transfer.ErrAuthorizationExpired
	case row.Attempts >= transfer.AuthorizationMaxWrong:
		return transfer.Authorization{}, transfer.ErrAuthorizationLocked
	}
	if err := db.Model(&authorizationRow{}).Where("id = ? AND status = ?", id, string(transfer.AuthorizationPending)).
		Update("attempts", gorm.Expr("attempts + 1")).Error; err != nil {
		return transfer.Authorization{}, translate(err)
	}
	return transfer.Authorization{}, transfer.ErrAuthorizationCodeWrong
}

// OrderGranted reports whether the order's authorization request was granted.
func (r *AuthorizationRepo) OrderGranted(ctx context.Context, orderID int64) (bool, error) {
	var n int64
	err := r.inspections.db.WithContext(ctx).Model(&authorizationRow{}).
		Where("order_id = ? AND status = ?", orderID, string(transfer.AuthorizationGranted)).Count(&n).Error
	return n > 0, translate(err)
}
