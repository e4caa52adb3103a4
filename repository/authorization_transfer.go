package repository

import (
	"context"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/notify"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CompletingOrderRepo is an OrderRepo whose Update also applies to the filed records an order the
// update approved, in the same transaction. A transfer (转移备案) is approved by its SMS code with
// no bureau step, so the SMS check's store is this one: the subject moves to the target account
// atomically with the order's approval. It satisfies service.OrderStore.
type CompletingOrderRepo struct {
	*OrderRepo
	filings *FilingRepo
}

// NewCompletingOrderRepo wraps orders; filings applies approved orders (same database).
func NewCompletingOrderRepo(orders *OrderRepo, filings *FilingRepo) *CompletingOrderRepo {
	return &CompletingOrderRepo{OrderRepo: orders, filings: filings}
}

// Update is OrderRepo.Update plus, when fn moved the order into approved, FilingRepo's apply in
// the same transaction; a failed apply rolls the approval back.
func (r *CompletingOrderRepo) Update(ctx context.Context, id int64, fn func(*filing.Order) error) (filing.Order, error) {
	var out filing.Order
	var notes []notify.NotificationRef
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		notes = nil
		var row orderRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&row, id).Error; err != nil {
			return err
		}
		o, err := r.toService(row)
		if err != nil {
			return err
		}
		if err := fn(&o); err != nil {
			return err
		}
		if out, notes, err = r.write(tx, o, row.Version); err != nil {
			return err
		}
		if out.Status == filing.StatusApproved && row.Status != string(filing.StatusApproved) {
			return r.filings.apply(tx, out)
		}
		return nil
	})
	if err == nil && len(notes) > 0 && r.dispatch != nil {
		_ = r.dispatch.Dispatch(ctx, notes...) // the relay delivers whatever this misses
	}
	return out, translate(err)
}
