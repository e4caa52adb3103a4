package verification

import (
	"context"
	"errors"
	"fmt"
	"github.com/beian/beian/service/filing"
	"time"
)

// Rules of authenticity verification (真实性核验).
const (
	// VerificationQRTTL is how long a verification QR code can be scanned.
	VerificationQRTTL = 30 * time.Minute
	// VerificationSessionTTL is how long the app may work with a scanned verification.
	VerificationSessionTTL = 30 * time.Minute
	// FaceAttemptsPerSession bounds the face photos one scan may submit.
	FaceAttemptsPerSession = 5
)

// Errors of the verification flow; the api error table gives each its status and code. An order
// that can no longer change is the filing side's ErrOrderNotEditable.
var (
	ErrQRNotFound            = errors.New("verification qr code not found")
	ErrQRUsed                = errors.New("verification qr code already scanned")
	ErrQRRevoked             = errors.New("verification qr code replaced by a newer one")
	ErrQRExpired             = errors.New("verification qr code expired")
	ErrVerificationNotPassed = errors.New("verification has no passed face photo")
	ErrVerificationConfirmed = errors.New("verification already confirmed")
	ErrFaceAttemptsExhausted = errors.New("face photo attempts exhausted for this scan")
	ErrConsentRequired       = errors.New("consent to face data processing required")
)

// VerificationState is where a verification stands. Expired is never stored: it is derived from
// the QR code's or the scan session's expiry.
type VerificationState string

// Verification states.
const (
	VerificationPending   VerificationState = "pending"   // QR issued, not scanned
	VerificationScanned   VerificationState = "scanned"   // QR scanned, no photo judged yet
	VerificationPassed    VerificationState = "passed"    // the last photo passed; awaiting confirmation
	VerificationFailed    VerificationState = "failed"    // the last photo failed; retry while attempts remain
	VerificationConfirmed VerificationState = "confirmed" // the person confirmed the passed photo
	VerificationExpired   VerificationState = "expired"   // QR or scan session timed out before confirmation
)

// ParseVerificationState accepts the stored states (not Expired).
func ParseVerificationState(s string) (VerificationState, error) {
	switch v := VerificationState(s); v {
	case VerificationPending, VerificationScanned, VerificationPassed, VerificationFailed, VerificationConfirmed:
		return v, nil
	}
	return "", fmt.Errorf("unknown verification state %q", s)
}

// Verification is the authenticity check of one responsible person of an order. There is one per
// order and person; asking for a new QR code restarts it, but the last confirmation (ConfirmedAt,
// PhotoKey and whom it verified) stays until the restarted check is confirmed.
type Verification struct {
	ID               int64
	OwnerID          int64 // the applicant who owns the order
	OrderID          int64
	Person           filing.PersonRef
	Who              filing.VerifiedPerson // whom the current QR code verifies: the person as the order named them then
	State            VerificationState     // as stored; see Verifications.Get for the derived state
	TokenID          int64                 // the current QR token; older ones are revoked
	TokenExpiresAt   time.Time
	ScannedAt        *time.Time
	Attempts         int      // face photos submitted since the current QR code was scanned
	Reasons          []string // failure codes of the last photo
	IdentityVerified bool     // a FaceVerifier matched the photo to the person's identity
	ConsentAt        *time.Time
	PendingPhotoKey  string // blob key of the last passed photo, until confirmed
	PhotoKey         string // blob key of the confirmed photo
	ConfirmedAt      *time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// VerificationToken is one QR token. The store keeps its hash for lookup and the raw value only
// encrypted, for rendering the owner's QR image.
type VerificationToken struct {
	ID             int64
	VerificationID int64
	Token          string // raw value: set when issuing and when read for rendering
	Hash           string
	ExpiresAt      time.Time
	UsedAt         *time.Time
	RevokedAt      *time.Time
	CreatedAt      time.Time
}

// FaceAttempt is the stored outcome of one submitted photo.
type FaceAttempt struct {
	VerificationID   int64
	TokenID          int64
	Number           int // 1-based within the scan
	Passed           bool
	Reasons          []string
	IdentityVerified bool
	PhotoKey         string // blob key of the re-encoded photo when it passed, else empty
	ConsentAt        time.Time
	CreatedAt        time.Time
}

// Scanned is what a winning scan consumed: the token (raw value left empty), its verification and
// the verification's order (read with them, so that a scan needs no read of its own to describe
// the order and the person). Current is true when the token was the verification's current one
// and the scan moved it to scanned; false when a newer token had replaced it.
type Scanned struct {
	Token        VerificationToken
	Verification Verification
	Order        filing.Order
	Current      bool
}

// VerificationStore keeps verifications, their QR tokens and face attempts. Single use, expiry
// and the attempt bound are enforced by conditional UPDATEs with the caller's time.
type VerificationStore interface {
	// IssueVerificationToken creates the verification for (v.OrderID, v.Person) or restarts the
	// existing one (state pending, v.Who recorded; attempts, reasons and the pending photo
	// cleared; the last confirmation kept), revokes every earlier token of it and inserts t, in
	// one transaction that first locks the order and refuses with filing.ErrOrderNotEditable
	// unless its status is editable. It returns the verification and the photo keys it no longer
	// refers to (to delete).
	IssueVerificationToken(ctx context.Context, v Verification, t VerificationToken) (Verification, []string, error)
	// Verification loads one verification, or ErrNotFound.
	Verification(ctx context.Context, id int64) (Verification, error)
	// CurrentToken loads the owner of verification id and its current token with the raw value
	// decrypted, or ErrNotFound.
	CurrentToken(ctx context.Context, id int64) (ownerID int64, t VerificationToken, err error)
	// TokenByHash loads a token by the hash of its value (raw value left empty), or ErrNotFound.
	TokenByHash(ctx context.Context, hash string) (VerificationToken, error)
	// ConsumeToken marks the token with this hash used at now, in one conditional UPDATE that
	// requires it unused, unrevoked and unexpired at now; the one caller that wins gets true,
	// everyone else false. Atomically with that the verification moves to scanned if the token is
	// its current one and it is pending; the winner then gets the token with the verification as
	// stored after that, its order, and Current true if this scan moved it (a refresh may have
	// replaced the token since, which leaves Current false).
	ConsumeToken(ctx context.Context, hash string, now time.Time) (Scanned, bool, error)
	// ReserveAttempt counts one face attempt for the scan of tokenID, if that token is still the
	// verification's current one, the state allows a photo and fewer than max were counted. It
	// returns the attempt's 1-based number.
	ReserveAttempt(ctx context.Context, id, tokenID int64, max int, now time.Time) (number int, ok bool, err error)
	// ReleaseAttempt gives back the attempt numbered number when it is still the last one counted on
	// tokenID, for a photo that could not be judged for reasons that are not the person's (the
	// service was busy, a dependency failed). A later reservation keeps the attempt counted.
	ReleaseAttempt(ctx context.Context, id, tokenID int64, number int, now time.Time) error
	// RecordAttempt stores a and applies its outcome to the verification (passed or failed,
	// reasons, pending photo) if the verification is still on a.TokenID and not confirmed. It
	// returns the pending photo key a replaced, if any; false when the verification moved on.
	RecordAttempt(ctx context.Context, a FaceAttempt) (replaced string, ok bool, err error)
	// ConfirmVerification makes the pending photo the verification photo, the verified person
	// the confirmed one and the state confirmed, if the verification is passed on tokenID; false
	// otherwise. It locks the order first and refuses with filing.ErrOrderNotEditable unless its
	// status is editable. It returns the photo of the confirmation it replaced (to delete).
	ConfirmVerification(ctx context.Context, id, tokenID int64, now time.Time) (replaced string, ok bool, err error)
	// Confirmations lists the order's confirmed verifications (filing.VerificationStatus).
	Confirmations(ctx context.Context, orderID int64) ([]filing.Confirmation, error)
}

// VerificationParty is what the verification flow needs to know about an order and one of its
// responsible persons.
type VerificationParty struct {
	OrderType     filing.OrderType // shown to the person who scans
	Editable      bool             // whether the order may still change (verifications are refused otherwise)
	PersonName    string           // shown masked
	PersonDocType int              // the person's document type
	PersonID      string           // certificate number, for a FaceVerifier; never shown
	ServiceName   string           // the service's name for a service principal, else empty
}

// VerificationParties reads orders for the verification flow. ErrNotFound means the owner has no
// such order or the order has no such person.
type VerificationParties interface {
	Party(ctx context.Context, ownerID, orderID int64, person filing.PersonRef) (VerificationParty, error)
}

// VerificationSession identifies a scan: the verification and the QR token that was scanned.
type VerificationSession struct {
	VerificationID int64
	TokenID        int64
}

// VerificationSessionTokens mints the session token handed to the app that scanned a QR code.
type VerificationSessionTokens interface {
	IssueVerificationSession(s VerificationSession, now time.Time) (token string, expiresAt time.Time, err error)
}

// VerificationPhotoStore keeps face photos, encrypted at rest.
type VerificationPhotoStore interface {
	Put(ctx context.Context, key string, data []byte) error
	Delete(ctx context.Context, key string) error
}
