package repository

import (
	"context"
	"fmt"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/notify"
	"github.com/beian/beian/service/review"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ApprovalRepo records a bureau approval in one transaction: OrderRepo's write path (order,
// events, outbox) and FilingRepo's apply path share the transaction with the number sequences.
// It satisfies service.ApprovalStore.
type ApprovalRepo struct {
	orders  *OrderRepo
	filings *FilingRepo
}

// NewApprovalRepo returns an ApprovalRepo over the two repositories (same database).
func NewApprovalRepo(orders *OrderRepo, filings *FilingRepo) *ApprovalRepo {
	return &ApprovalRepo{orders: orders, filings: filings}
}

// Approve loads the order FOR UPDATE, runs fn with sequences in the transaction, requires the
// order approved afterwards, writes it (version-guarded) and applies it to the filed records. Any
// error rolls back everything, numbers included.
func (r *ApprovalRepo) Approve(ctx context.Context, id int64, fn func(*filing.Order, review.NumberSequences) error) (filing.Order, error) {
	var out filing.Order
	var notes []notify.NotificationRef
	err := transact(ctx, r.orders.db, func(tx *gorm.DB) error {
		var row orderRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&row, id).Error; err != nil {
			return err
		}
		o, err := r.orders.toService(row)
		if err != nil {
			return err
		}
		if err := fn(&o, txSequences{tx: tx}); err != nil {
			return err
		}
		if o.Status != filing.StatusApproved {
			return fmt.Errorf("approve order %d: left in %s: %w", id, o.Status, filing.ErrTransitionNotAllowed)
		}
		if out, notes, err = r.orders.write(tx, o, row.Version); err != nil {
			return err
		}
		return r.filings.apply(tx, out)
	})
	if err == nil && len(notes) > 0 && r.orders.dispatch != nil {
		_ = r.orders.dispatch.Dispatch(ctx, notes...) // the relay delivers whatever this misses
	}
	return out, translate(err)
}

// txSequences takes numbers inside the approval's transaction.
type txSequences struct{ tx *gorm.DB }

// NextSubject takes the next number of the province's subject sequence for year.
func (s txSequences) NextSubject(province string, year int) (int64, error) {
	return nextInSequence(s.tx, SubjectSequence(province, year))
}

// NextService takes the next service number under the subject with this filing number. The
// sequence is keyed by the number (unique and never reused), so a subject created in the same
// transaction needs no id yet.
func (s txSequences) NextService(subjectNumber string) (int64, error) {
	return nextInSequence(s.tx, "service:"+subjectNumber)
}
