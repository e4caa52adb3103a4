package filing

import (
	"context"
	"fmt"
	"time"

	"github.com/beian/beian/service/account"
)

// AccountLookup finds an account by id: a transfer's SMS code goes to the current holder's phone.
type AccountLookup interface {
	UserByID(ctx context.Context, id int64) (account.User, error)
}

// TransferSetup is what submitting a transfer (转移备案) needs beyond the order store: the SMS
// check key (SMSChecks.Key()), the account holder's phone, and the deadline scheduler that
// enforces the 24-hour window.
type TransferSetup struct {
	SMSKey    []byte
	Accounts  AccountLookup
	Deadlines DeadlineScheduler
	Grants    MigrationGrants // a migration is submitted only once its target granted it
}

// MigrationGrants says whether the target account granted a migration order.
type MigrationGrants interface {
	OrderGranted(ctx context.Context, orderID int64) (bool, error)
}

// WithTransfers returns a copy of the use case whose Submit starts a transfer's SMS check: one
// code to the current account holder's phone. Without it a transfer cannot be submitted.
func (u *Orders) WithTransfers(s TransferSetup) *Orders {
	cp := *u
	cp.transfers = &s
	return &cp
}

// submitSMSCheck returns, for an order that goes straight to its SMS check on submission (a
// transfer), the phone its code goes to; "" when the order goes to review. A migration the target
// account has not granted is ErrAuthorizationRequired.
func (u *Orders) submitSMSCheck(ctx context.Context, o Order) (string, error) {
	if o.Type == OrderMigrate {
		if u.transfers == nil || u.transfers.Grants == nil {
			return "", fmt.Errorf("submit migrate order %d: authorizations are not wired", o.ID)
		}
		granted, err := u.transfers.Grants.OrderGranted(ctx, o.ID)
		if err != nil {
			return "", err
		} else if !granted {
			return "", fmt.Errorf("submit migrate order %d: %w", o.ID, ErrAuthorizationRequired)
		}
	}
	if tr, ok := lookupTransition(o.Type, o.Status, EventSubmit); !ok || tr.To != StatusSMSVerifying {
		return "", nil
	}
	if u.transfers == nil {
		return "", fmt.Errorf("submit %s order %d: transfers are not wired", o.Type, o.ID)
	}
	user, err := u.transfers.Accounts.UserByID(ctx, o.AccountID)
	if err != nil {
		return "", fmt.Errorf("account %d of order %d: %w", o.AccountID, o.ID, err)
	}
	return user.Phone, nil
}

// startSubmitSMSCheck opens the SMS check of an order that submission moved to sms_verifying.
func (u *Orders) startSubmitSMSCheck(o *Order, phone string) error {
	if o.Status != StatusSMSVerifying {
		return nil
	}
	return o.StartSMSCheck(u.transfers.SMSKey, phone, o.UpdatedAt)
}

// scheduleSMSDeadline asks for the SMS check's deadline task; the periodic sweep covers a failure.
func (u *Orders) scheduleSMSDeadline(ctx context.Context, o Order) {
	if o.Status == StatusSMSVerifying && o.DeadlineAt != nil && u.transfers != nil {
		_ = u.transfers.Deadlines.ScheduleSMSDeadline(ctx, o.ID, *o.DeadlineAt)
	}
}

// DeadlineScheduler arranges for an order's deadline to be enforced at its time. It is a
// promptness aid: the periodic sweep enforces deadlines even if a scheduled run is lost.
type DeadlineScheduler interface {
	ScheduleSMSDeadline(ctx context.Context, orderID int64, at time.Time) error
}
