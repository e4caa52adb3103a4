package notify

import (
	"context"
	"errors"
	"fmt"
)

// SMSMessage is one text message ready for a provider. ID is stable across retries of the same
// message and is passed to providers that deduplicate (it is the outbox id).
type SMSMessage struct {
	ID       string
	Phone    string
	Template string   // template key, e.g. "login_code"
	Params   []string // positional template parameters, as providers with registered templates expect
	Text     string   // the rendered Chinese text, for providers and inboxes that take free text
	Code     string   // the verification code the message carries, if any (for the development inbox)
}

// SMSSender delivers one SMS. Implementations must be safe for concurrent use.
type SMSSender interface {
	SendSMS(ctx context.Context, m SMSMessage) error
}

// Email is one rendered e-mail. ID is stable across retries (the outbox id) and becomes the Message-ID.
type Email struct {
	ID      string
	To      string
	Subject string
	Text    string
}

// EmailSender delivers one e-mail. Implementations must be safe for concurrent use.
type EmailSender interface {
	SendEmail(ctx context.Context, e Email) error
}

// AccountRecipient addresses a notification to an account's current phone, looked up when the
// notification is delivered.
func AccountRecipient(accountID int64) string { return fmt.Sprintf("account:%d", accountID) }

// ErrPermanent marks a delivery failure that retrying cannot fix (bad number, unapproved template).
var ErrPermanent = errors.New("permanent failure")

// ErrGaveUp marks a notification given up on after its last allowed attempt; it is permanent.
var ErrGaveUp = fmt.Errorf("gave up: %w", ErrPermanent)

// ErrAlreadyDelivered reports that a notification was sent or is being sent by another worker.
var ErrAlreadyDelivered = errors.New("notification already delivered or in flight")
