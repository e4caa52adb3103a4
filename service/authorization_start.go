package service

import "context"

// OrderOpener opens orders under the filing rules; *Orders satisfies it.
type OrderOpener interface {
	Create(ctx context.Context, accountID int64, in NewOrder) (Order, error)
}

// Start opens an account-to-account order (transfer or migrate) under the filing rules; a
// migration also sends its authorization request to the target account. A failed request leaves
// the draft, which Request can retry or the applicant abandon.
func (u *Authorizations) Start(ctx context.Context, opener OrderOpener, accountID int64, in NewOrder) (Order, *Authorization, error) {
	if in.Type != string(OrderTransfer) && in.Type != string(OrderMigrate) {
		return Order{}, nil, FieldErrors{"type": CodeInvalid}
	}
	o, err := opener.Create(ctx, accountID, in)
	if err != nil || o.Type != OrderMigrate {
		return o, nil, err
	}
	a, err := u.Request(ctx, accountID, o.ID)
	if err != nil {
		return o, nil, err
	}
	return o, &a, nil
}
