package repository

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/verification"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// photoStates are the states in which a scanned verification accepts a face photo.
var photoStates = []string{string(verification.VerificationScanned), string(verification.VerificationFailed), string(verification.VerificationPassed)}

// errMovedOn rolls back a transaction whose verification left the expected token or state.
var errMovedOn = errors.New("verification moved on")

// ReserveAttempt counts one face attempt in one conditional UPDATE bounded by max.
func (r *VerificationRepo) ReserveAttempt(ctx context.Context, id, tokenID int64, max int, now time.Time) (int, bool, error) {
	var number int
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		res := tx.Model(&verificationRow{}).
			Where("id = ? AND token_id = ? AND state IN ? AND attempts < ?", id, tokenID, photoStates, max).
			Updates(map[string]any{"attempts": gorm.Expr("attempts + 1"), "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errMovedOn
		}
		var row verificationRow
		if err := tx.Select("attempts").Take(&row, id).Error; err != nil {
			return err
		}
		number = row.Attempts
		return nil
	})
	if errors.Is(err, errMovedOn) {
		return 0, false, nil
	}
	return number, err == nil, translate(err)
}

// ReleaseAttempt un-counts attempt number in one conditional UPDATE, if it is still the last one on tokenID.
func (r *VerificationRepo) ReleaseAttempt(ctx context.Context, id, tokenID int64, number int, now time.Time) error {
	return translate(r.db.WithContext(ctx).Model(&verificationRow{}).
		Where("id = ? AND token_id = ? AND attempts = ?", id, tokenID, number).
		Updates(map[string]any{"attempts": gorm.Expr("attempts - 1"), "updated_at": now}).Error)
}

// RecordAttempt stores the attempt and applies its outcome, if the verification is still on the
// attempt's token and not confirmed. It returns the pending photo the outcome replaced.
func (r *VerificationRepo) RecordAttempt(ctx context.Context, a verification.FaceAttempt) (string, bool, error) {
	var replaced string
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		row, err := lockVerification(tx, a.CreatedAt, "id = ?", a.VerificationID)
		if err != nil {
			return err
		}
		if row.TokenID != a.TokenID || !containsString(photoStates, row.State) {
			return errMovedOn
		}
		attempt := faceAttemptFromService(a)
		if err := tx.Create(&attempt).Error; err != nil {
			return err
		}
		state := verification.VerificationFailed
		if a.Passed {
			state = verification.VerificationPassed
		}
		outcome := map[string]any{"state": string(state), "reasons": attempt.Reasons, "identity_verified": a.IdentityVerified,
			"pending_photo_key": a.PhotoKey, "consent_at": a.ConsentAt, "updated_at": a.CreatedAt}
		if err := tx.Model(&verificationRow{}).Where("id = ?", row.ID).Updates(outcome).Error; err != nil {
			return err
		}
		if row.PendingPhotoKey != a.PhotoKey {
			replaced = row.PendingPhotoKey
		}
		return nil
	})
	if errors.Is(err, errMovedOn) {
		return "", false, nil
	}
	return replaced, err == nil, translate(err)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ConfirmVerification turns the pending photo into the verification photo, and the person the
// current QR code verifies into the confirmed person, in one conditional UPDATE that requires the
// verification passed on tokenID, inside a transaction that first locks the order and requires it
// editable. The statement is written out because MySQL applies SET assignments left to right:
// photo_key must copy pending_photo_key before it is cleared. The person is copied re-sealed for
// its own column. It returns the photo of the confirmation it replaced.
func (r *VerificationRepo) ConfirmVerification(ctx context.Context, id, tokenID int64, now time.Time) (string, bool, error) {
	var replaced string
	var row verificationRow
	if err := r.db.WithContext(ctx).Select("order_id").Take(&row, id).Error; err != nil {
		return "", false, translate(err)
	}
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		if err := lockEditableOrder(tx, row.OrderID); err != nil {
			return err
		}
		if err := tx.Take(&row, id).Error; err != nil {
			return err
		}
		who, err := r.openPerson(personColumn, row.PersonEnc)
		if err != nil {
			return err
		}
		plain, _ := json.Marshal(who)
		res := tx.Exec("UPDATE verifications SET state = ?, photo_key = pending_photo_key, "+
			"pending_photo_key = '', confirmed_at = ?, updated_at = ?, confirmed_index = person_index, "+
			"confirmed_person_enc = ?, confirmed_identity_verified = identity_verified "+
			"WHERE id = ? AND token_id = ? AND state = ? AND pending_photo_key <> ''",
			string(verification.VerificationConfirmed), now, now, r.cipher.Seal(confirmedPersonColumn, plain),
			id, tokenID, string(verification.VerificationPassed))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected != 1 {
			return errMovedOn
		}
		replaced = row.PhotoKey
		return nil
	})
	if errors.Is(err, errMovedOn) {
		return "", false, nil
	}
	return replaced, err == nil, translate(err)
}

// Confirmations lists the order's confirmed verifications, subject principal first, then service
// principals by service id. Inside OrderRepo.UpdateInTx it reads in that transaction and locks the
// rows (SELECT … FOR UPDATE on MySQL), so no confirmation or new QR code commits in between.
func (r *VerificationRepo) Confirmations(ctx context.Context, orderID int64) ([]filing.Confirmation, error) {
	db, inTx := conn(ctx, r.db)
	if inTx {
		db = db.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var rows []verificationRow
	err := db.Select("person_role", "service_id", "confirmed_at", "confirmed_person_enc", "confirmed_identity_verified").
		Where("order_id = ? AND confirmed_at IS NOT NULL", orderID).
		Order("person_role DESC, service_id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]filing.Confirmation, len(rows))
	for i, row := range rows {
		who, err := r.openPerson(confirmedPersonColumn, row.ConfirmedPersonEnc)
		if err != nil {
			return nil, err
		}
		out[i] = filing.Confirmation{Person: filing.PersonRef{Role: filing.PrincipalRole(row.PersonRole), ServiceID: row.ServiceID},
			Who: who, ConfirmedAt: *row.ConfirmedAt, IdentityVerified: row.ConfirmedIdentityVerified}
	}
	return out, nil
}
