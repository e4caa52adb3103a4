package sender

import (
	"errors"
	"fmt"
)

// ErrPermanent is wrapped by every error a retry cannot cure: a rejected template, an invalid number,
// refused credentials, an SMTP 5xx. A job handler checks errors.Is(err, ErrPermanent) and stops
// retrying (asynq.SkipRetry); any other error from a sender is transient.
var ErrPermanent = errors.New("permanent delivery failure")

// permanent marks err as not worth retrying, keeping err in the chain.
func permanent(err error) error {
	return fmt.Errorf("%w: %w", err, ErrPermanent)
}
