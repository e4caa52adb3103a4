package repository

import (
	"context"
	"fmt"

	"github.com/beian/beian/service/filing"
	"gorm.io/gorm"
)

// txKey marks a context that carries an open transaction (OrderRepo.UpdateInTx).
type txKey struct{}

func withTx(ctx context.Context, tx *gorm.DB) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// conn is the transaction ctx carries, or db bound to ctx. Reads a use case makes inside
// UpdateInTx go through it: they see, and on MySQL lock, what the transaction commits with, and on
// SQLite's single connection they do not wait for the connection the transaction holds.
func conn(ctx context.Context, db *gorm.DB) (*gorm.DB, bool) {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx, true
	}
	return db.WithContext(ctx), false
}

// lockEditableOrder locks the order's row for the rest of tx and refuses with
// filing.ErrOrderNotEditable unless its status lets the applicant change it. Writers that must not
// land on a submitted order take this lock first, as submission does, so the two are ordered. The
// lock is taken by a write that changes nothing, as lockVerification does: on MySQL that is the
// row lock, and on SQLite the transaction holds the write lock from its first statement.
func lockEditableOrder(tx *gorm.DB, orderID int64) error {
	if err := tx.Exec("UPDATE orders SET status = status WHERE id = ?", orderID).Error; err != nil {
		return err
	}
	var row orderRow
	if err := tx.Select("id", "status").Take(&row, orderID).Error; err != nil {
		return err
	}
	if !filing.OrderStatus(row.Status).Editable() {
		return fmt.Errorf("order %d in %s: %w", orderID, row.Status, filing.ErrOrderNotEditable)
	}
	return nil
}
