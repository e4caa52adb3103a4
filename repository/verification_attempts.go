package repository

import (
	"context"
	"errors"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/verification"
	"gorm.io/gorm"
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

// ConfirmVerification turns the pending photo into the verification photo in one conditional
// UPDATE that requires the verification passed on tokenID. The statement is written out because
// MySQL applies SET assignments left to right: photo_key must copy pending_photo_key before it
// is cleared.
func (r *VerificationRepo) ConfirmVerification(ctx context.Context, id, tokenID int64, now time.Time) (bool, error) {
	res := r.db.WithContext(ctx).Exec("UPDATE verifications SET state = ?, photo_key = pending_photo_key, "+
		"pending_photo_key = '', confirmed_at = ?, updated_at = ? "+
		"WHERE id = ? AND token_id = ? AND state = ? AND pending_photo_key <> ''",
		string(verification.VerificationConfirmed), now, now, id, tokenID, string(verification.VerificationPassed))
	return res.RowsAffected == 1, translate(res.Error)
}

// ConfirmedPersons lists the persons of the order whose verification is confirmed, subject
// principal first, then service principals by service id.
func (r *VerificationRepo) ConfirmedPersons(ctx context.Context, orderID int64) ([]filing.PersonRef, error) {
	var rows []verificationRow
	err := r.db.WithContext(ctx).Select("person_role", "service_id").
		Where("order_id = ? AND state = ?", orderID, string(verification.VerificationConfirmed)).
		Order("person_role DESC, service_id").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]filing.PersonRef, len(rows))
	for i, row := range rows {
		out[i] = filing.PersonRef{Role: filing.PrincipalRole(row.PersonRole), ServiceID: row.ServiceID}
	}
	return out, nil
}
