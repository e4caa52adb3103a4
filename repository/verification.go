package repository

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
	orders *OrderRepo // opens the orders a scan reads with its token
	scans  *combiner[scanRequest, scanOutcome]
}

// NewVerificationRepo returns a VerificationRepo on db sealing tokens with cipher.
func NewVerificationRepo(db *gorm.DB, cipher *Cipher, orders *OrderRepo) *VerificationRepo {
	r := &VerificationRepo{db: db, cipher: cipher, orders: orders}
	r.scans = newCombiner(maxScanBatch, scanBatchesInFlight, scanBatchTimeout, r.consumeBatch)
	return r
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

// CurrentToken loads the verification's owner and its current token with the raw value opened, in
// one statement that reads no person (the QR image's path: every first fetch of an image comes
// here, so it goes to database/sql directly, as Order does).
func (r *VerificationRepo) CurrentToken(ctx context.Context, verificationID int64) (int64, verification.VerificationToken, error) {
	var owner int64
	var t verificationTokenRow
	err := r.db.Statement.ConnPool.QueryRowContext(ctx, `SELECT v.owner_id, t.id, t.verification_id, t.token_hash, t.token_enc,
		t.expires_at, t.used_at, t.revoked_at, t.created_at
		FROM verifications v JOIN verification_tokens t ON t.id = v.token_id WHERE v.id = ?`, verificationID).
		Scan(&owner, &t.ID, &t.VerificationID, &t.TokenHash, &t.TokenEnc, &t.ExpiresAt, &t.UsedAt, &t.RevokedAt, &t.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return 0, verification.VerificationToken{}, translate(err)
	}
	raw, err := r.cipher.Open(tokenColumn, t.TokenEnc)
	if err != nil {
		return 0, verification.VerificationToken{}, err
	}
	token := t.toService()
	token.Token = string(raw)
	return owner, token, nil
}

// TokenByHash loads a token by the hash of its value, without opening it.
func (r *VerificationRepo) TokenByHash(ctx context.Context, hash string) (verification.VerificationToken, error) {
	var row verificationTokenRow
	err := r.db.WithContext(ctx).Omit("token_enc").Where("token_hash = ?", hash).Take(&row).Error
	return row.toService(), translate(err)
}
