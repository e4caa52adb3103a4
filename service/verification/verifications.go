package verification

import (
	"context"
	"errors"
	"fmt"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"time"
)

// Verifications is the authenticity verification use case: QR codes for an order's responsible
// persons, the app's scan, the face photo and its confirmation.
type Verifications struct {
	store     VerificationStore
	parties   VerificationParties
	faces     FaceChecker
	verifier  FaceVerifier // nil: offline check only, identity not verified
	photos    VerificationPhotoStore
	sessions  VerificationSessionTokens
	qrBaseURL string
	now       kernel.Clock
}

// VerificationsConfig carries the collaborators of Verifications. Verifier may be nil.
type VerificationsConfig struct {
	Store     VerificationStore
	Parties   VerificationParties
	Faces     FaceChecker
	Verifier  FaceVerifier
	Photos    VerificationPhotoStore
	Sessions  VerificationSessionTokens
	QRBaseURL string // the QR code encodes QRBaseURL + token
	Now       kernel.Clock
}

// NewVerifications wires the verification use case.
func NewVerifications(c VerificationsConfig) *Verifications {
	return &Verifications{store: c.Store, parties: c.Parties, faces: c.Faces, verifier: c.Verifier, photos: c.Photos,
		sessions: c.Sessions, qrBaseURL: c.QRBaseURL, now: c.Now}
}

// IssuedQR is a fresh verification QR code.
type IssuedQR struct {
	VerificationID int64
	URL            string
	ExpiresAt      time.Time
}

// RequestQR creates the verification of one responsible person of the owner's order, or restarts
// it: a new single-use token valid VerificationQRTTL, every earlier token revoked.
func (s *Verifications) RequestQR(ctx context.Context, ownerID, orderID int64, person filing.PersonRef) (IssuedQR, error) {
	if err := validPerson(person); err != nil {
		return IssuedQR{}, err
	}
	party, err := s.parties.Party(ctx, ownerID, orderID, person)
	if err != nil {
		return IssuedQR{}, fmt.Errorf("order %d %s: %w", orderID, person, err)
	}
	if !party.Editable {
		return IssuedQR{}, filing.ErrOrderNotEditable
	}
	if party.PersonName == "" {
		return IssuedQR{}, kernel.FieldErrors{"role": "PRINCIPAL_NOT_FILLED"}
	}
	raw, err := kernel.RandomToken()
	if err != nil {
		return IssuedQR{}, err
	}
	now := s.now()
	t := VerificationToken{Token: raw, Hash: kernel.HashToken(raw), ExpiresAt: now.Add(VerificationQRTTL), CreatedAt: now}
	v := Verification{OwnerID: ownerID, OrderID: orderID, Person: person, State: VerificationPending,
		Who:            filing.VerifiedPerson{Name: party.PersonName, DocType: party.PersonDocType, DocNumber: party.PersonID},
		TokenExpiresAt: t.ExpiresAt, CreatedAt: now, UpdatedAt: now}
	v, dropped, err := s.store.IssueVerificationToken(ctx, v, t)
	if errors.Is(err, filing.ErrOrderNotEditable) {
		return IssuedQR{}, err
	}
	if err != nil {
		return IssuedQR{}, fmt.Errorf("issue verification token: %w", err)
	}
	for _, key := range dropped {
		s.dropPhoto(ctx, key)
	}
	return IssuedQR{VerificationID: v.ID, URL: s.qrBaseURL + raw, ExpiresAt: t.ExpiresAt}, nil
}

func validPerson(p filing.PersonRef) error {
	if _, err := filing.ParsePrincipalRole(string(p.Role)); err != nil {
		return kernel.FieldErrors{"role": "INVALID_ROLE"}
	}
	if (p.Role == filing.RoleServicePrincipal) != (p.ServiceID > 0) {
		return kernel.FieldErrors{"service_id": "SERVICE_ID_REQUIRED_FOR_SERVICE_PRINCIPAL_ONLY"}
	}
	return nil
}

// Get loads the owner's verification with its state as the owner should see it: pending past the
// QR's expiry, or scanned, failed or passed past the scan session's, reads Expired.
func (s *Verifications) Get(ctx context.Context, ownerID, id int64) (Verification, error) {
	v, err := s.owned(ctx, ownerID, id)
	if err != nil {
		return Verification{}, err
	}
	v.State = effectiveState(v, s.now())
	return v, nil
}

func effectiveState(v Verification, now time.Time) VerificationState {
	switch v.State {
	case VerificationPending:
		if !now.Before(v.TokenExpiresAt) {
			return VerificationExpired
		}
	case VerificationScanned, VerificationFailed, VerificationPassed:
		if v.ScannedAt != nil && !now.Before(v.ScannedAt.Add(VerificationSessionTTL)) {
			return VerificationExpired
		}
	}
	return v.State
}

func (s *Verifications) owned(ctx context.Context, ownerID, id int64) (Verification, error) {
	v, err := s.store.Verification(ctx, id)
	if err != nil {
		return Verification{}, fmt.Errorf("verification %d: %w", id, err)
	}
	if v.OwnerID != ownerID {
		return Verification{}, fmt.Errorf("verification %d: %w", id, kernel.ErrNotFound)
	}
	return v, nil
}

// QRURL is what the owner's current QR code encodes, while it can still be scanned: a scanned or
// expired code is ErrQRUsed or ErrQRExpired (ask for a new one).
func (s *Verifications) QRURL(ctx context.Context, ownerID, id int64) (string, error) {
	owner, t, err := s.store.CurrentToken(ctx, id)
	if err == nil && owner != ownerID {
		err = kernel.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("verification %d: %w", id, err)
	}
	if err := tokenProblem(t, s.now()); err != nil {
		return "", err
	}
	return s.qrBaseURL + t.Token, nil
}

// tokenProblem says why a token cannot be scanned at now, or nil. A revoked token reads revoked
// even if it was used before, so a replaced code always says "replaced".
func tokenProblem(t VerificationToken, now time.Time) error {
	switch {
	case t.RevokedAt != nil:
		return ErrQRRevoked
	case t.UsedAt != nil:
		return ErrQRUsed
	case !now.Before(t.ExpiresAt):
		return ErrQRExpired
	}
	return nil
}

// ScanResult is what the app gets for a winning scan.
type ScanResult struct {
	SessionToken     string
	SessionExpiresIn time.Duration
	VerificationID   int64
	OrderType        filing.OrderType
	ServiceName      string
	MaskedName       string
}

// Scan consumes a QR token. Exactly one concurrent scan of a token wins; the others get ErrQRUsed,
// and a replaced, expired or unknown token ErrQRRevoked, ErrQRExpired or ErrQRNotFound.
func (s *Verifications) Scan(ctx context.Context, token string) (ScanResult, error) {
	if token == "" || len(token) > 128 {
		return ScanResult{}, ErrQRNotFound
	}
	now := s.now()
	hash := kernel.HashToken(token)
	scanned, won, err := s.store.ConsumeToken(ctx, hash, now)
	if err != nil {
		return ScanResult{}, fmt.Errorf("consume verification token: %w", err)
	}
	if !won {
		return ScanResult{}, s.whyNotScanned(ctx, hash, now)
	}
	t, v := scanned.Token, scanned.Verification
	if !scanned.Current {
		return ScanResult{}, ErrQRRevoked // replaced between the scan and now
	}
	party, err := partyOf(scanned.Order, v.OwnerID, v.Person)
	if err != nil {
		return ScanResult{}, fmt.Errorf("order %d %s: %w", v.OrderID, v.Person, err)
	}
	session, exp, err := s.sessions.IssueVerificationSession(VerificationSession{VerificationID: v.ID, TokenID: t.ID}, now)
	if err != nil {
		return ScanResult{}, fmt.Errorf("issue verification session: %w", err)
	}
	return ScanResult{SessionToken: session, SessionExpiresIn: exp.Sub(now), VerificationID: v.ID, OrderType: party.OrderType,
		ServiceName: party.ServiceName, MaskedName: kernel.MaskName(party.PersonName)}, nil
}

// whyNotScanned reads the token a scan lost on and names the reason.
func (s *Verifications) whyNotScanned(ctx context.Context, hash string, now time.Time) error {
	t, err := s.store.TokenByHash(ctx, hash)
	if errors.Is(err, kernel.ErrNotFound) {
		return ErrQRNotFound
	}
	if err != nil {
		return fmt.Errorf("load verification token: %w", err)
	}
	if err := tokenProblem(t, now); err != nil {
		return err
	}
	return ErrQRUsed // not reachable unless the row changed back; never report a lost scan as success
}

// dropPhoto deletes a photo that nothing refers to any more. A failure leaves an orphaned,
// encrypted object, which is not worth failing the request for.
func (s *Verifications) dropPhoto(ctx context.Context, key string) {
	if key != "" {
		_ = s.photos.Delete(ctx, key)
	}
}
