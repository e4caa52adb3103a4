package repository

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/verification"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// tokenColumn is the additional data binding a sealed QR token to its column; the person columns
// seal whom a verification verifies (for its current QR code and for its last confirmation), and
// verifiedPersonIndex names the blind index of their document type and number.
const (
	tokenColumn           = "verification_tokens.token_enc"
	personColumn          = "verifications.person_enc"
	confirmedPersonColumn = "verifications.confirmed_person_enc"
	verifiedPersonIndex   = "verified_person"
)

type verificationRow struct {
	ID               int64 `gorm:"primaryKey"`
	OwnerID          int64
	OrderID          int64
	PersonRole       string
	ServiceID        int64
	State            string
	TokenID          int64
	TokenExpiresAt   time.Time
	ScannedAt        *time.Time
	Attempts         int
	Reasons          string
	IdentityVerified bool
	ConsentAt        *time.Time
	PendingPhotoKey  string
	PhotoKey         string
	ConfirmedAt      *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// PersonIndex and PersonEnc: whom the current QR code verifies; the Confirmed* columns: whom
	// the last confirmation verified and the checker's identity verdict then.
	PersonIndex               string
	PersonEnc                 []byte
	ConfirmedIndex            string
	ConfirmedPersonEnc        []byte
	ConfirmedIdentityVerified bool
}

func (verificationRow) TableName() string { return "verifications" }

func (r *VerificationRepo) toService(row verificationRow) (verification.Verification, error) {
	v := verification.Verification{ID: row.ID, OwnerID: row.OwnerID, OrderID: row.OrderID,
		Person: filing.PersonRef{Role: filing.PrincipalRole(row.PersonRole), ServiceID: row.ServiceID},
		State:  verification.VerificationState(row.State), TokenID: row.TokenID, TokenExpiresAt: row.TokenExpiresAt,
		ScannedAt: row.ScannedAt, Attempts: row.Attempts, Reasons: splitReasons(row.Reasons), IdentityVerified: row.IdentityVerified,
		ConsentAt: row.ConsentAt, PendingPhotoKey: row.PendingPhotoKey, PhotoKey: row.PhotoKey, ConfirmedAt: row.ConfirmedAt,
		CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt}
	var err error
	v.Who, err = r.openPerson(personColumn, row.PersonEnc)
	return v, err
}

// sealPerson seals whom a verification verifies; openPerson opens it (nothing sealed: the zero
// value, which matches nobody).
func (r *VerificationRepo) sealPerson(p filing.VerifiedPerson) (index string, sealed []byte) {
	plain, _ := json.Marshal(p) // strings and an int
	return r.cipher.Index(verifiedPersonIndex, fmt.Sprintf("%d:%s", p.DocType, p.DocNumber)), r.cipher.Seal(personColumn, plain)
}

func (r *VerificationRepo) openPerson(column string, sealed []byte) (filing.VerifiedPerson, error) {
	var p filing.VerifiedPerson
	if len(sealed) == 0 {
		return p, nil
	}
	plain, err := r.cipher.Open(column, sealed)
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal(plain, &p)
}

func verificationFromService(v verification.Verification) verificationRow {
	return verificationRow{OwnerID: v.OwnerID, OrderID: v.OrderID, PersonRole: string(v.Person.Role),
		ServiceID: v.Person.ServiceID, State: string(v.State), TokenExpiresAt: v.TokenExpiresAt,
		CreatedAt: v.CreatedAt, UpdatedAt: v.UpdatedAt}
}

type verificationTokenRow struct {
	ID             int64 `gorm:"primaryKey"`
	VerificationID int64
	TokenHash      string
	TokenEnc       []byte
	ExpiresAt      time.Time
	UsedAt         *time.Time
	RevokedAt      *time.Time
	CreatedAt      time.Time
}

func (verificationTokenRow) TableName() string { return "verification_tokens" }

// toService converts the row; the raw token is filled in only by callers that open TokenEnc.
func (r verificationTokenRow) toService() verification.VerificationToken {
	return verification.VerificationToken{ID: r.ID, VerificationID: r.VerificationID, Hash: r.TokenHash,
		ExpiresAt: r.ExpiresAt, UsedAt: r.UsedAt, RevokedAt: r.RevokedAt, CreatedAt: r.CreatedAt}
}

type faceAttemptRow struct {
	ID               int64 `gorm:"primaryKey"`
	VerificationID   int64
	TokenID          int64
	AttemptNo        int
	Passed           bool
	Reasons          string
	IdentityVerified bool
	PhotoKey         string
	ConsentAt        time.Time
	CreatedAt        time.Time
}

func (faceAttemptRow) TableName() string { return "verification_attempts" }

func faceAttemptFromService(a verification.FaceAttempt) faceAttemptRow {
	return faceAttemptRow{VerificationID: a.VerificationID, TokenID: a.TokenID, AttemptNo: a.Number, Passed: a.Passed,
		Reasons: strings.Join(a.Reasons, ","), IdentityVerified: a.IdentityVerified, PhotoKey: a.PhotoKey,
		ConsentAt: a.ConsentAt, CreatedAt: a.CreatedAt}
}

func splitReasons(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// VerificationRepo keeps verifications, their QR tokens and face attempts; it satisfies
// service.VerificationStore and, through Confirmations, the filing side's VerificationStatus.
// QR tokens are stored as SHA-256 hashes for lookup, and sealed with the cipher only so that the
// owner's QR image can be rendered again.
type VerificationRepo struct {
	db     *gorm.DB
	cipher *Cipher
}

// NewVerificationRepo returns a VerificationRepo on db sealing tokens with cipher.
func NewVerificationRepo(db *gorm.DB, cipher *Cipher) *VerificationRepo {
	return &VerificationRepo{db: db, cipher: cipher}
}

// IssueVerificationToken creates or restarts the person's verification and gives it the new
// token t, revoking every earlier one, in one transaction.
func (r *VerificationRepo) IssueVerificationToken(ctx context.Context, v verification.Verification, t verification.VerificationToken) (verification.Verification, []string, error) {
	var out verificationRow
	var dropped []string
	index, sealed := r.sealPerson(v.Who)
	// READ COMMITTED: the order's row lock, taken first, serialises every issue for the order. At
	// REPEATABLE READ the insert-if-missing and the lookup by the unique person key take gap locks that
	// span other orders' keys, and concurrent issues for different orders deadlock.
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		if err := lockEditableOrder(tx, v.OrderID); err != nil {
			return err
		}
		first := verificationFromService(v)
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&first).Error; err != nil {
			return err
		}
		row, err := lockVerification(tx, t.CreatedAt, "order_id = ? AND person_role = ? AND service_id = ?",
			v.OrderID, string(v.Person.Role), v.Person.ServiceID)
		if err != nil {
			return err
		}
		dropped = nil
		if row.PendingPhotoKey != "" {
			dropped = append(dropped, row.PendingPhotoKey)
		}
		if err := tx.Model(&verificationTokenRow{}).Where("verification_id = ? AND revoked_at IS NULL", row.ID).
			Update("revoked_at", t.CreatedAt).Error; err != nil {
			return err
		}
		tok := verificationTokenRow{VerificationID: row.ID, TokenHash: t.Hash, TokenEnc: r.cipher.Seal(tokenColumn, []byte(t.Token)),
			ExpiresAt: t.ExpiresAt, CreatedAt: t.CreatedAt}
		if err := tx.Create(&tok).Error; err != nil {
			return err
		}
		// The last confirmation (photo_key, confirmed_at, confirmed_*) stays until this restart is
		// itself confirmed.
		restart := map[string]any{"owner_id": v.OwnerID, "state": string(verification.VerificationPending), "token_id": tok.ID,
			"token_expires_at": t.ExpiresAt, "scanned_at": nil, "attempts": 0, "reasons": "", "identity_verified": false,
			"pending_photo_key": "", "person_index": index, "person_enc": sealed, "updated_at": t.CreatedAt}
		if err := tx.Model(&verificationRow{}).Where("id = ?", row.ID).Updates(restart).Error; err != nil {
			return err
		}
		return tx.Take(&out, row.ID).Error
	}, readCommitted(r.db)...)
	if err != nil {
		return verification.Verification{}, nil, translate(err)
	}
	got, err := r.toService(out)
	return got, dropped, err
}

// lockVerification write-locks the verification matching the condition and reads it. The lock is
// taken by a write (touching updated_at) rather than SELECT … FOR UPDATE: on MySQL that is the
// same row lock, and on SQLite a transaction that writes first holds the write lock from the start
// instead of failing with SQLITE_BUSY_SNAPSHOT when it upgrades a read.
func lockVerification(tx *gorm.DB, now time.Time, cond string, args ...any) (verificationRow, error) {
	var row verificationRow
	res := tx.Model(&verificationRow{}).Where(cond, args...).Update("updated_at", now)
	if res.Error != nil {
		return row, res.Error
	}
	if res.RowsAffected == 0 {
		return row, gorm.ErrRecordNotFound
	}
	return row, tx.Where(cond, args...).Take(&row).Error
}

// Verification loads one verification.
func (r *VerificationRepo) Verification(ctx context.Context, id int64) (verification.Verification, error) {
	var row verificationRow
	if err := r.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return verification.Verification{}, translate(err)
	}
	return r.toService(row)
}

// VerificationToken loads a token with its raw value opened.
func (r *VerificationRepo) VerificationToken(ctx context.Context, id int64) (verification.VerificationToken, error) {
	var row verificationTokenRow
	if err := r.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return verification.VerificationToken{}, translate(err)
	}
	raw, err := r.cipher.Open(tokenColumn, row.TokenEnc)
	if err != nil {
		return verification.VerificationToken{}, err
	}
	t := row.toService()
	t.Token = string(raw)
	return t, nil
}

// TokenByHash loads a token by the hash of its value, without opening it.
func (r *VerificationRepo) TokenByHash(ctx context.Context, hash string) (verification.VerificationToken, error) {
	var row verificationTokenRow
	err := r.db.WithContext(ctx).Omit("token_enc").Where("token_hash = ?", hash).Take(&row).Error
	return row.toService(), translate(err)
}

// ConsumeToken uses the token in ONE conditional UPDATE (unused, unrevoked, unexpired at now):
// exactly one caller's statement matches the token row. The winner then reads the token with its
// verification in one SELECT. The verification is marked scanned, by its key, only if the token is
// still its current one and it is pending (a refresh in between leaves it alone).
//
// On MySQL the token and the verification are updated by one autocommit multi-table UPDATE, so a
// scan costs two round trips and one commit and holds no transaction open across round trips; on
// SQLite, which has no multi-table UPDATE, the same steps run in one transaction.
func (r *VerificationRepo) ConsumeToken(ctx context.Context, hash string, now time.Time) (verification.Scanned, bool, error) {
	if r.db.Name() == "mysql" {
		return r.consumeTokenMySQL(ctx, hash, now)
	}
	return r.consumeTokenTx(ctx, hash, now)
}

// consumeTokenMySQL is ConsumeToken in one statement. The LEFT JOIN matches the verification only
// when the token is its current one and it is pending, so the statement matches 1 row (the token
// alone), 2 (the token and its verification) or 0 (someone else won, or the token is spent,
// revoked or expired); the driver reports matched rows (clientFoundRows). The SELECT after it
// reads the token and the verification as stored then: if a refresh replaced the token in
// between, the verification no longer names it and the scan is not current.
func (r *VerificationRepo) consumeTokenMySQL(ctx context.Context, hash string, now time.Time) (verification.Scanned, bool, error) {
	res, err := execRetrying(ctx, r.db, `UPDATE verification_tokens t LEFT JOIN verifications v
		ON v.id = t.verification_id AND v.token_id = t.id AND v.state = ?
		SET t.used_at = ?, v.state = ?, v.scanned_at = ?, v.attempts = 0, v.reasons = '', v.updated_at = ?
		WHERE t.token_hash = ? AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > ?`,
		string(verification.VerificationPending), now, string(verification.VerificationScanned), now, now, hash, now)
	if err != nil {
		return verification.Scanned{}, false, translate(err)
	}
	matched, err := res.RowsAffected()
	if err != nil || matched == 0 {
		return verification.Scanned{}, false, translate(err)
	}
	out, err := r.scanScanned(r.db.Statement.ConnPool.QueryRowContext(ctx, "SELECT "+scannedColumns+
		" FROM verification_tokens t JOIN verifications v ON v.id = t.verification_id WHERE t.token_hash = ?", hash))
	if err != nil {
		return verification.Scanned{}, false, translate(err)
	}
	out.Current = matched == 2 && out.Verification.TokenID == out.Token.ID
	return out, true, nil
}

// consumeTokenTx is ConsumeToken as one transaction: the conditional UPDATE of the token, the
// SELECT of the token with its verification, and the verification marked scanned by primary key.
func (r *VerificationRepo) consumeTokenTx(ctx context.Context, hash string, now time.Time) (verification.Scanned, bool, error) {
	var out verification.Scanned
	won := false
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		won = false
		res := tx.Exec(`UPDATE verification_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL
			AND expires_at > ?`, now, hash, now)
		if res.Error != nil || res.RowsAffected != 1 {
			return res.Error
		}
		var err error
		out, err = r.scanScanned(tx.Statement.ConnPool.QueryRowContext(ctx, "SELECT "+scannedColumns+
			" FROM verification_tokens t JOIN verifications v ON v.id = t.verification_id WHERE t.token_hash = ?", hash))
		if err != nil {
			return err
		}
		won = true
		v := &out.Verification
		if v.TokenID != out.Token.ID || v.State != verification.VerificationPending {
			return nil
		}
		res = tx.Exec(`UPDATE verifications SET state = ?, scanned_at = ?, attempts = 0, reasons = '', updated_at = ?
			WHERE id = ? AND token_id = ? AND state = ?`, string(verification.VerificationScanned), now, now, v.ID, v.TokenID,
			string(verification.VerificationPending))
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			scannedAt := now
			v.State, v.ScannedAt, v.Attempts, v.Reasons, v.UpdatedAt = verification.VerificationScanned, &scannedAt, 0, nil, now
			out.Current = true
		}
		return nil
	})
	if err != nil {
		return verification.Scanned{}, false, translate(err)
	}
	return out, won, nil
}

// scannedColumns are a token's columns (but its sealed value) and its verification's, in the
// order scanScanned reads them.
const scannedColumns = "t.id, t.verification_id, t.token_hash, t.expires_at, t.used_at, t.revoked_at, t.created_at, " +
	"v.id, v.owner_id, v.order_id, v.person_role, v.service_id, v.state, v.token_id, v.token_expires_at, v.scanned_at, " +
	"v.attempts, v.reasons, v.identity_verified, v.consent_at, v.pending_photo_key, v.photo_key, v.confirmed_at, " +
	"v.created_at, v.updated_at, v.person_enc"

func (r *VerificationRepo) scanScanned(row interface{ Scan(...any) error }) (verification.Scanned, error) {
	var t verificationTokenRow
	var v verificationRow
	err := row.Scan(&t.ID, &t.VerificationID, &t.TokenHash, &t.ExpiresAt, &t.UsedAt, &t.RevokedAt, &t.CreatedAt,
		&v.ID, &v.OwnerID, &v.OrderID, &v.PersonRole, &v.ServiceID, &v.State, &v.TokenID, &v.TokenExpiresAt, &v.ScannedAt,
		&v.Attempts, &v.Reasons, &v.IdentityVerified, &v.ConsentAt, &v.PendingPhotoKey, &v.PhotoKey, &v.ConfirmedAt,
		&v.CreatedAt, &v.UpdatedAt, &v.PersonEnc)
	if err != nil {
		return verification.Scanned{}, err
	}
	sv, err := r.toService(v)
	return verification.Scanned{Token: t.toService(), Verification: sv}, err
}
