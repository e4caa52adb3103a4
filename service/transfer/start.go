package transfer

import (
	"context"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// OrderOpener opens orders under the filing rules; *Orders satisfies it.
type OrderOpener interface {
	OpenHandover(ctx context.Context, accountID int64, in filing.NewOrder) (filing.Order, error)
}

// Start opens an account-to-account order (transfer or migrate) under the filing rules; a
// migration also sends its authorization request to the target account. A failed request leaves
// the draft, which Request can retry or the applicant abandon.
func (u *Authorizations) Start(ctx context.Context, opener OrderOpener, accountID int64, in filing.NewOrder) (filing.Order, *Authorization, error) {
	if in.Type != string(filing.OrderTransfer) && in.Type != string(filing.OrderMigrate) {
		return filing.Order{}, nil, kernel.FieldErrors{"type": kernel.CodeInvalid}
	}
	o, err := opener.OpenHandover(ctx, accountID, in)
	if err != nil || o.Type != filing.OrderMigrate {
		return o, nil, err
	}
	a, err := u.Request(ctx, accountID, o.ID)
	if err != nil {
		return o, nil, err
	}
	return o, &a, nil
}
