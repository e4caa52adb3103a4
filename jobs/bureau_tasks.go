package jobs

import (
	"context"

	"github.com/beian/beian/service/review"
	"github.com/hibiken/asynq"
)

// TypeBureauPoll is periodic: it asks the bureau gateway for its verdicts on the orders under
// bureau review and records them (in development the simulated bureau; without a gateway it does
// nothing). The payload is empty; running it twice records each verdict once.
const TypeBureauPoll = "bureau:poll"

// bureauPollHandler runs Reviews.PollBureau.
type bureauPollHandler struct {
	reviews  *review.Reviews
	failures failureLog
}

func (h bureauPollHandler) ProcessTask(ctx context.Context, _ *asynq.Task) error {
	_, err := h.reviews.PollBureau(ctx)
	return h.failures.sweepResult(ctx, TypeBureauPoll, err)
}
