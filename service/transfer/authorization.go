package transfer

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
)

// Rules of the target account's authorization of a migration (迁移授权).
const (
	AuthorizationWindow   = 24 * time.Hour // the code is valid this long
	AuthorizationMaxWrong = 5              // wrong codes accepted before the request locks
)

// AuthorizationStatus is where a migration authorization request stands.
type AuthorizationStatus string

// Authorization statuses.
const (
	AuthorizationPending AuthorizationStatus = "pending"
	AuthorizationGranted AuthorizationStatus = "granted"
	AuthorizationDenied  AuthorizationStatus = "denied"
)

// Errors of migration authorizations.
var (
	ErrAuthorizationDecided   = errors.New("the authorization request was already granted or denied")
	ErrAuthorizationExpired   = errors.New("the authorization code expired")
	ErrAuthorizationCodeWrong = errors.New("wrong authorization code")
	ErrAuthorizationLocked    = errors.New("too many wrong authorization codes")
)

// Authorization is a request to the target account of a migration order to accept the services.
// The target grants it with the SMS code sent to its phone, or denies it; either is final.
type Authorization struct {
	ID              int64
	OrderID         int64
	FromAccountID   int64
	TargetAccountID int64
	Status          AuthorizationStatus
	CodeHash        string
	ExpiresAt       time.Time
	DecidedAt       *time.Time
	CreatedAt       time.Time
}

// AuthorizationStore keeps authorization requests; grants and denials are single conditional UPDATEs.
type AuthorizationStore interface {
	// CreateAuthorization inserts the request and its code SMS in one transaction; a second request
	// for the order is ErrConflict.
	CreateAuthorization(ctx context.Context, a Authorization, note notify.Notification) (Authorization, error)
	// AuthorizationsFor lists the requests addressed to the target account, newest first.
	AuthorizationsFor(ctx context.Context, targetAccountID int64) ([]Authorization, error)
	// DecideAuthorization moves the target's pending request to granted (codeHash must match, the
	// code unexpired, fewer than AuthorizationMaxWrong wrong tries) or denied (codeHash ""), in one
	// UPDATE. Failures: ErrNotFound, ErrAuthorizationDecided, ErrAuthorizationExpired,
	// ErrAuthorizationLocked, ErrAuthorizationCodeWrong (the try is counted).
	DecideAuthorization(ctx context.Context, id, targetAccountID int64, to AuthorizationStatus, codeHash string, now time.Time) (Authorization, error)
	// OrderGranted reports whether the order's request was granted.
	OrderGranted(ctx context.Context, orderID int64) (bool, error)
}

// Authorizations is the migration authorization use case.
type Authorizations struct {
	store  AuthorizationStore
	orders filing.OrderStore
	key    []byte
	now    kernel.Clock
}

// NewAuthorizations wires migration authorizations; key keys the HMAC codes are stored under.
func NewAuthorizations(store AuthorizationStore, orders filing.OrderStore, key []byte, now kernel.Clock) *Authorizations {
	return &Authorizations{store: store, orders: orders, key: key, now: now}
}

func (u *Authorizations) hash(id int64, code string) string {
	m := hmac.New(sha256.New, u.key)
	fmt.Fprintf(m, "authorization|%d|%s", id, code)
	return hex.EncodeToString(m.Sum(nil))
}

// Request asks the target account of the caller's draft migration order for its authorization: a
// code goes by SMS to the target account's phone.
func (u *Authorizations) Request(ctx context.Context, accountID, orderID int64) (Authorization, error) {
	o, err := u.orders.Order(ctx, orderID)
	if err := kernel.OwnedBy(err, o.AccountID, accountID, "order", orderID); err != nil {
		return Authorization{}, err
	}
	if o.Type != filing.OrderMigrate || !o.Status.Editable() {
		return Authorization{}, fmt.Errorf("authorization for %s order %d in %s: %w", o.Type, o.ID, o.Status, filing.ErrTransitionNotAllowed)
	}
	code, err := kernel.RandomDigits(6)
	if err != nil {
		return Authorization{}, err
	}
	now := u.now()
	a := Authorization{OrderID: o.ID, FromAccountID: accountID, TargetAccountID: o.Proposal.TargetAccountID,
		Status: AuthorizationPending, CodeHash: u.hash(o.ID, code), ExpiresAt: now.Add(AuthorizationWindow), CreatedAt: now}
	note := notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateSMSCheckCode, Recipient: notify.AccountRecipient(a.TargetAccountID),
		Params: map[string]string{"order_id": fmt.Sprint(o.ID), "code": code}, CreatedAt: now}
	return u.store.CreateAuthorization(ctx, a, note)
}

// List is the requests addressed to the caller.
func (u *Authorizations) List(ctx context.Context, accountID int64) ([]Authorization, error) {
	return u.store.AuthorizationsFor(ctx, accountID)
}

// Grant accepts the request with the code sent to the caller's phone; it can succeed once.
func (u *Authorizations) Grant(ctx context.Context, accountID, id int64, code string) (Authorization, error) {
	if len(code) != 6 {
		return Authorization{}, kernel.FieldErrors{"code": kernel.CodeInvalid}
	}
	a, err := u.requestOf(ctx, accountID, id)
	if err != nil {
		return Authorization{}, err
	}
	return u.store.DecideAuthorization(ctx, id, accountID, AuthorizationGranted, u.hash(a.OrderID, code), u.now())
}

// Deny refuses the request; the migration order cannot then be submitted.
func (u *Authorizations) Deny(ctx context.Context, accountID, id int64) (Authorization, error) {
	return u.store.DecideAuthorization(ctx, id, accountID, AuthorizationDenied, "", u.now())
}

func (u *Authorizations) requestOf(ctx context.Context, accountID, id int64) (Authorization, error) {
	list, err := u.store.AuthorizationsFor(ctx, accountID)
	if err != nil {
		return Authorization{}, err
	}
	for _, a := range list {
		if a.ID == id {
			return a, nil
		}
	}
	return Authorization{}, fmt.Errorf("authorization %d: %w", id, kernel.ErrNotFound)
}
