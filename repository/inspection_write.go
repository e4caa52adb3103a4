package repository

import (
	"context"
	"fmt"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/inspection"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"gorm.io/gorm"
)

// CreateInspection inserts the inspection, its "open" event and its notices in one transaction.
func (r *InspectionRepo) CreateInspection(ctx context.Context, in inspection.Inspection, notes []notify.Notification) (inspection.Inspection, error) {
	row := toInspectionRow(in)
	err := r.inTx(ctx, notes, func(tx *gorm.DB) (bool, error) {
		if err := tx.Create(&row).Error; err != nil {
			return false, err
		}
		return true, logInspection(tx, row.ID, "open", filing.ActorReviewer, in.OpenedBy, in.Comment, in.CreatedAt)
	})
	if err != nil {
		return inspection.Inspection{}, err
	}
	return row.toService(), nil
}

// AnswerInspection records the applicant's answer with one conditional UPDATE.
func (r *InspectionRepo) AnswerInspection(ctx context.Context, id, accountID int64, note string, orderID int64, now time.Time) (inspection.Inspection, error) {
	err := r.inTx(ctx, nil, func(tx *gorm.DB) (bool, error) {
		res := tx.Model(&inspectionRow{}).Where("id = ? AND account_id = ? AND status IN ?", id, accountID, unresolved()).
			Updates(map[string]any{"status": string(inspection.InspectionAnswered), "answer_note": note,
				"answer_order_id": orderID, "answered_at": now, "updated_at": now})
		if err := r.changedOne(tx, res, id, accountID); err != nil {
			return false, err
		}
		return true, logInspection(tx, id, "answer", filing.ActorApplicant, accountID, note, now)
	})
	if err != nil {
		return inspection.Inspection{}, err
	}
	return r.Inspection(ctx, id)
}

// ResolveInspection closes an unresolved inspection with one conditional UPDATE.
func (r *InspectionRepo) ResolveInspection(ctx context.Context, id, reviewerID int64, comment string, now time.Time) (inspection.Inspection, error) {
	err := r.inTx(ctx, nil, func(tx *gorm.DB) (bool, error) {
		res := tx.Model(&inspectionRow{}).Where("id = ? AND status IN ?", id, unresolved()).
			Updates(map[string]any{"status": string(inspection.InspectionResolved), "resolved_by": reviewerID,
				"resolved_at": now, "updated_at": now})
		if err := r.changedOne(tx, res, id, 0); err != nil {
			return false, err
		}
		return true, logInspection(tx, id, "resolve", filing.ActorReviewer, reviewerID, comment, now)
	})
	if err != nil {
		return inspection.Inspection{}, err
	}
	return r.Inspection(ctx, id)
}

// ExpireInspection: one conditional UPDATE decides the single winner; the winner cancels this
// provider's access to the inspected service (or every live service of the inspected subject),
// logs the event and writes the notices, all in the same transaction.
func (r *InspectionRepo) ExpireInspection(ctx context.Context, id int64, now time.Time, notes []notify.Notification) (bool, error) {
	won := false
	err := r.inTx(ctx, notes, func(tx *gorm.DB) (bool, error) {
		res := tx.Model(&inspectionRow{}).Where("id = ? AND status IN ? AND deadline_at <= ?", id, unresolved(), now).
			Updates(map[string]any{"status": string(inspection.InspectionOverdue), "updated_at": now})
		if res.Error != nil || res.RowsAffected != 1 {
			return false, res.Error
		}
		var row inspectionRow
		if err := tx.Take(&row, id).Error; err != nil {
			return false, err
		}
		q := tx.Model(&serviceRow{}).Where("subject_id = ? AND status = ?", row.SubjectID, string(filing.RecordLive))
		if row.ServiceID != 0 {
			q = q.Where("id = ?", row.ServiceID)
		}
		res = q.Updates(map[string]any{"status": string(filing.RecordCancelled), "updated_at": now})
		if res.Error != nil {
			return false, res.Error
		}
		won = true
		return true, logInspection(tx, id, "overdue", filing.ActorSystem, 0,
			fmt.Sprintf("deadline passed; access cancelled for %d service(s)", res.RowsAffected), now)
	})
	return won && err == nil, err
}

// inTx runs fn in a transaction; when fn reports that it changed something, notes are written to
// the outbox in the same transaction and dispatched after the commit.
func (r *InspectionRepo) inTx(ctx context.Context, notes []notify.Notification, fn func(tx *gorm.DB) (bool, error)) error {
	var refs []notify.NotificationRef
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		refs = nil
		changed, err := fn(tx)
		if err != nil || !changed || len(notes) == 0 {
			return err
		}
		ids, err := r.outbox.insert(tx, notes...)
		for i, id := range ids {
			refs = append(refs, notify.NotificationRef{ID: id, Channel: notes[i].Channel})
		}
		return err
	})
	if err == nil && len(refs) > 0 && r.dispatch != nil {
		_ = r.dispatch.Dispatch(ctx, refs...) // the relay delivers whatever this misses
	}
	return translate(err)
}

// changedOne turns a conditional UPDATE that matched nothing into ErrNotFound (no such inspection,
// or another account's) or ErrInspectionClosed.
func (r *InspectionRepo) changedOne(tx *gorm.DB, res *gorm.DB, id, accountID int64) error {
	if res.Error != nil || res.RowsAffected == 1 {
		return res.Error
	}
	var row inspectionRow
	if err := tx.Take(&row, id).Error; err != nil {
		return err
	}
	if accountID != 0 && row.AccountID != accountID {
		return fmt.Errorf("inspection %d: %w", id, kernel.ErrNotFound)
	}
	return fmt.Errorf("inspection %d is %s: %w", id, row.Status, inspection.ErrInspectionClosed)
}

func logInspection(tx *gorm.DB, id int64, event string, kind filing.ActorKind, actorID int64, comment string, at time.Time) error {
	return tx.Create(&inspectionEventRow{InspectionID: id, Event: event, ActorKind: string(kind), ActorID: actorID,
		Comment: truncate(comment, 1000), CreatedAt: at}).Error
}
