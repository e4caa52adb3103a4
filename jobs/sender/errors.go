package sender

import (
	"fmt"

	"github.com/beian/beian/service/notify"
)

// ErrPermanent is wrapped by every error a retry cannot cure: a rejected template, an invalid number,
// refused credentials, an SMTP 5xx. A job handler checks errors.Is(err, ErrPermanent) and stops
// retrying (asynq.SkipRetry); any other error from a sender is transient. It is the service's own
// sentinel, so the delivery use case recognises it without importing this package.
var ErrPermanent = notify.ErrPermanent

// permanent marks err as not worth retrying, keeping err in the chain.
func permanent(err error) error {
	return fmt.Errorf("%w: %w", err, ErrPermanent)
}
