package app

import (
	"fmt"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/blob"
	"github.com/beian/beian/service/face"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/verification"
)

// wireVerification builds the authenticity verification use case: QR tokens and face attempts in
// the database, face photos encrypted in the blob store, the offline face checker on pigo's
// cascade (built in, or the file BEIAN_FACE_CASCADE names), orders read for the persons.
// No FaceVerifier is configured, so passes record identity_verified=false.
func (a *App) wireVerification(cipher *repository.Cipher, now kernel.Clock) error {
	cascade, err := face.LoadCascade(a.Config.FaceCascade)
	if err != nil {
		return fmt.Errorf("BEIAN_FACE_CASCADE: %w", err)
	}
	checker, err := face.NewChecker(face.Options{Cascade: cascade, Limiter: a.Images})
	if err != nil {
		return err
	}
	photos, err := blob.NewSealed(a.Blobs, cipher.DeriveKey("face-photos"))
	if err != nil {
		return err
	}
	a.facePhotos = photos
	a.Verifications = verification.NewVerifications(verification.VerificationsConfig{
		Store:     a.verificationRows,
		Parties:   verification.NewOrderParties(a.orderRows),
		Faces:     checker,
		Photos:    photos,
		Sessions:  a.Tokens,
		QRBaseURL: a.Config.VerifyPageURL(),
		Now:       now,
	})
	return nil
}
