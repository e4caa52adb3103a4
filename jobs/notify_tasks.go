package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/hibiken/asynq"
)

// Task types for notifications: one per channel, payload = the outbox id only.
const (
	TypeSMSSend   = "sms:send"
	TypeEmailSend = "email:send"
)

type notificationPayload struct {
	OutboxID int64 `json:"outbox_id"`
}

// NewNotificationTask builds the task that delivers one outbox row. The outbox id is the TaskID, so
// enqueueing the same row twice while it is queued is refused by asynq.
func NewNotificationTask(ref notify.NotificationRef) (*asynq.Task, error) {
	typ := TypeSMSSend
	if ref.Channel == notify.ChannelEmail {
		typ = TypeEmailSend
	}
	payload, err := json.Marshal(notificationPayload{OutboxID: ref.ID})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(typ, payload, asynq.TaskID(fmt.Sprintf("outbox:%d", ref.ID)),
		asynq.MaxRetry(20), asynq.Timeout(30*time.Second)), nil
}

// notificationHandler delivers sms:send and email:send tasks.
type notificationHandler struct{ notifications *notify.Notifications }

func (h notificationHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p notificationPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || p.OutboxID <= 0 {
		return fmt.Errorf("bad %s payload: %w", t.Type(), asynq.SkipRetry)
	}
	err := h.notifications.Deliver(ctx, p.OutboxID)
	if errors.Is(err, kernel.ErrNotFound) || errors.Is(err, notify.ErrPermanent) {
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}

// Enqueuer puts notification tasks on the queue; it satisfies service.Dispatcher.
type Enqueuer struct {
	client        *asynq.Client
	notifications *notify.Notifications
}

// NewEnqueuer returns an Enqueuer on client.
func NewEnqueuer(client *asynq.Client, n *notify.Notifications) *Enqueuer {
	return &Enqueuer{client: client, notifications: n}
}

// Dispatch enqueues refs and marks them enqueued. A ref already queued counts as enqueued; one that
// could not be enqueued stays pending for the relay.
func (e *Enqueuer) Dispatch(ctx context.Context, refs ...notify.NotificationRef) error {
	done, err := e.enqueueEach(ctx, refs)
	return errors.Join(err, e.notifications.MarkEnqueued(ctx, done))
}

// enqueue puts refs the relay has already claimed (and stamped) on the queue.
func (e *Enqueuer) enqueue(ctx context.Context, refs []notify.NotificationRef) error {
	_, err := e.enqueueEach(ctx, refs)
	return err
}

func (e *Enqueuer) enqueueEach(ctx context.Context, refs []notify.NotificationRef) ([]int64, error) {
	done := make([]int64, 0, len(refs))
	var errs []error
	for _, ref := range refs {
		task, err := NewNotificationTask(ref)
		if err == nil {
			_, err = e.client.EnqueueContext(ctx, task)
		}
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
			errs = append(errs, err)
			continue
		}
		done = append(done, ref.ID)
	}
	return done, errors.Join(errs...)
}
