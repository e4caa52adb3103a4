package verification

import (
	"context"
	"errors"
	"fmt"

	"github.com/beian/beian/service/face"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// FaceReasonIdentityMismatch is the face photo failure code when a FaceVerifier does not match the photo to the
// person's identity.
const FaceReasonIdentityMismatch = "IDENTITY_MISMATCH"

// FaceChecker judges a face photo offline and re-encodes a passed one without metadata;
// *face.Checker is the built-in one.
type FaceChecker interface {
	Check(ctx context.Context, photo []byte) (face.Result, error)
	Reencode(ctx context.Context, photo []byte) ([]byte, error)
}

// FaceVerifier matches a photo that passed the offline check to the person's identity (a cloud
// face-compare or liveness provider). Without one, a pass records IdentityVerified false.
type FaceVerifier interface {
	VerifyFace(ctx context.Context, photo []byte, person VerificationParty) (matched bool, err error)
}

// FaceOutcome is the verdict on one submitted photo.
type FaceOutcome struct {
	State            VerificationState
	Passed           bool
	Reasons          []string
	AttemptsLeft     int
	IdentityVerified bool
}

// SubmitFace judges a face photo for the scanned verification. Consent to processing face data is
// required and recorded. Each scan may submit FaceAttemptsPerSession photos; a passed photo is
// re-encoded without metadata and kept (encrypted) until the person confirms it, and a later
// failed photo replaces it.
func (s *Verifications) SubmitFace(ctx context.Context, sess VerificationSession, photo []byte, consent bool) (FaceOutcome, error) {
	if !consent {
		return FaceOutcome{}, ErrConsentRequired
	}
	v, err := s.sessionVerification(ctx, sess)
	if err != nil {
		return FaceOutcome{}, err
	}
	now := s.now()
	number, ok, err := s.store.ReserveAttempt(ctx, v.ID, sess.TokenID, FaceAttemptsPerSession, now)
	if err != nil {
		return FaceOutcome{}, fmt.Errorf("reserve face attempt: %w", err)
	}
	if !ok {
		return FaceOutcome{}, s.whyRefused(ctx, sess, ErrFaceAttemptsExhausted)
	}
	a := FaceAttempt{VerificationID: v.ID, TokenID: sess.TokenID, Number: number, ConsentAt: now, CreatedAt: now}
	if err := s.judge(ctx, v, photo, &a); err != nil {
		// The photo was not judged (busy, or a dependency failed): the person keeps the attempt.
		if rerr := s.store.ReleaseAttempt(context.WithoutCancel(ctx), v.ID, sess.TokenID, number, now); rerr != nil {
			err = errors.Join(err, fmt.Errorf("release face attempt: %w", rerr))
		}
		return FaceOutcome{}, err
	}
	replaced, ok, err := s.store.RecordAttempt(ctx, a)
	if err != nil || !ok {
		s.dropPhoto(ctx, a.PhotoKey)
		if err != nil {
			return FaceOutcome{}, fmt.Errorf("record face attempt: %w", err)
		}
		return FaceOutcome{}, s.whyRefused(ctx, sess, ErrQRRevoked)
	}
	s.dropPhoto(ctx, replaced)
	state := VerificationFailed
	if a.Passed {
		state = VerificationPassed
	}
	return FaceOutcome{State: state, Passed: a.Passed, Reasons: a.Reasons, AttemptsLeft: FaceAttemptsPerSession - number,
		IdentityVerified: a.IdentityVerified}, nil
}

// judge runs the offline check and, when it passes, the identity check, and stores the passed
// photo re-encoded. It fills a's outcome.
func (s *Verifications) judge(ctx context.Context, v Verification, photo []byte, a *FaceAttempt) error {
	res, err := s.faces.Check(ctx, photo)
	if err != nil {
		return fmt.Errorf("check face photo: %w", err)
	}
	a.Passed = res.Passed
	for _, r := range res.Reasons {
		a.Reasons = append(a.Reasons, string(r))
	}
	if !a.Passed {
		return nil
	}
	clean, err := s.faces.Reencode(ctx, photo)
	if err != nil {
		return fmt.Errorf("re-encode face photo: %w", err)
	}
	if s.verifier != nil {
		party, err := s.parties.Party(ctx, v.OwnerID, v.OrderID, v.Person)
		if err != nil {
			return fmt.Errorf("order %d %s: %w", v.OrderID, v.Person, err)
		}
		// The photo is matched to the person this verification records, whatever the order says now.
		party.PersonName, party.PersonDocType, party.PersonID = v.Who.Name, v.Who.DocType, v.Who.DocNumber
		if a.IdentityVerified, err = s.verifier.VerifyFace(ctx, clean, party); err != nil {
			return fmt.Errorf("verify face identity: %w", err)
		}
		if !a.IdentityVerified {
			a.Passed, a.Reasons = false, []string{FaceReasonIdentityMismatch}
			return nil
		}
	}
	a.PhotoKey = fmt.Sprintf("verifications/%d/%d-%d.jpg", v.ID, a.TokenID, a.Number)
	if err := s.photos.Put(ctx, a.PhotoKey, clean); err != nil {
		return fmt.Errorf("store face photo: %w", err)
	}
	return nil
}

// Confirm makes the passed photo the verification photo: the verification is confirmed and counts
// for the order. Confirming again is a no-op; confirming without a pass is ErrVerificationNotPassed.
func (s *Verifications) Confirm(ctx context.Context, sess VerificationSession) (Verification, error) {
	v, err := s.sessionVerification(ctx, sess)
	if errors.Is(err, ErrVerificationConfirmed) {
		return v, nil
	}
	if err != nil {
		return Verification{}, err
	}
	if v.State != VerificationPassed {
		return Verification{}, ErrVerificationNotPassed
	}
	party, err := s.parties.Party(ctx, v.OwnerID, v.OrderID, v.Person)
	if err != nil {
		return Verification{}, fmt.Errorf("order %d %s: %w", v.OrderID, v.Person, err)
	}
	if !party.Editable {
		return Verification{}, filing.ErrOrderNotEditable
	}
	replaced, _, err := s.store.ConfirmVerification(ctx, v.ID, sess.TokenID, s.now())
	if errors.Is(err, filing.ErrOrderNotEditable) {
		return Verification{}, err
	}
	if err != nil {
		return Verification{}, fmt.Errorf("confirm verification %d: %w", v.ID, err)
	}
	s.dropPhoto(ctx, replaced)
	v, err = s.sessionVerification(ctx, sess)
	switch {
	case errors.Is(err, ErrVerificationConfirmed):
		return v, nil
	case err != nil:
		return Verification{}, err
	}
	return Verification{}, ErrVerificationNotPassed // a concurrent photo failed after the pass
}

// sessionVerification loads the session's verification. A session whose QR code was replaced is
// ErrQRRevoked; a confirmed verification is returned with ErrVerificationConfirmed.
func (s *Verifications) sessionVerification(ctx context.Context, sess VerificationSession) (Verification, error) {
	v, err := s.store.Verification(ctx, sess.VerificationID)
	if errors.Is(err, kernel.ErrNotFound) {
		return Verification{}, kernel.ErrUnauthenticated
	}
	if err != nil {
		return Verification{}, fmt.Errorf("verification %d: %w", sess.VerificationID, err)
	}
	switch {
	case v.TokenID != sess.TokenID:
		return Verification{}, ErrQRRevoked
	case v.State == VerificationConfirmed:
		return v, ErrVerificationConfirmed
	case v.State == VerificationPending:
		return Verification{}, kernel.ErrUnauthenticated // a session exists only for a scanned token
	}
	return v, nil
}

// whyRefused explains a conditional update that changed nothing: the session's verification
// moved on (replaced, confirmed), else fallback.
func (s *Verifications) whyRefused(ctx context.Context, sess VerificationSession, fallback error) error {
	if _, err := s.sessionVerification(ctx, sess); err != nil {
		return err
	}
	return fallback
}
