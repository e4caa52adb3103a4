package verification

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// Preview is what a page opened from a QR code shows before the person starts: whose
// verification it is (masked), for which order and service, and until when the code works.
type Preview struct {
	OrderType   filing.OrderType
	ServiceName string
	MaskedName  string
	ExpiresAt   time.Time
}

// Preview reads a QR token without consuming it, so that a link preview or a second tab leaves
// the code usable. A used, replaced, expired or unknown token is ErrQRUsed, ErrQRRevoked,
// ErrQRExpired or ErrQRNotFound, as Scan would answer.
func (s *Verifications) Preview(ctx context.Context, token string) (Preview, error) {
	if token == "" || len(token) > 128 {
		return Preview{}, ErrQRNotFound
	}
	t, err := s.store.TokenByHash(ctx, kernel.HashToken(token))
	if errors.Is(err, kernel.ErrNotFound) {
		return Preview{}, ErrQRNotFound
	}
	if err != nil {
		return Preview{}, fmt.Errorf("load verification token: %w", err)
	}
	if err := tokenProblem(t, s.now()); err != nil {
		return Preview{}, err
	}
	v, err := s.store.Verification(ctx, t.VerificationID)
	if err != nil {
		return Preview{}, fmt.Errorf("verification %d: %w", t.VerificationID, err)
	}
	if v.TokenID != t.ID {
		return Preview{}, ErrQRRevoked
	}
	party, err := s.parties.Party(ctx, v.OwnerID, v.OrderID, v.Person)
	if err != nil {
		return Preview{}, fmt.Errorf("order %d %s: %w", v.OrderID, v.Person, err)
	}
	return Preview{OrderType: party.OrderType, ServiceName: party.ServiceName, MaskedName: kernel.MaskName(party.PersonName),
		ExpiresAt: t.ExpiresAt}, nil
}
