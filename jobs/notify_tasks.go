package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
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
	return asynq.NewTask(typ, payload, asynq.TaskID(notificationTaskID(ref.ID)),
		asynq.MaxRetry(20), asynq.Timeout(30*time.Second)), nil
}

// notificationTaskID is the asynq TaskID of outbox row id.
func notificationTaskID(id int64) string { return fmt.Sprintf("outbox:%d", id) }

// queueName is the one asynq queue beian uses.
const queueName = "default"

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
	inspector     *asynq.Inspector
	notifications *notify.Notifications
	log           *slog.Logger
}

// NewEnqueuer returns an Enqueuer on client; inspector looks up tasks whose TaskID is taken.
func NewEnqueuer(client *asynq.Client, inspector *asynq.Inspector, n *notify.Notifications, log *slog.Logger) *Enqueuer {
	return &Enqueuer{client: client, inspector: inspector, notifications: n, log: log}
}

// Dispatch enqueues refs and marks them enqueued. A ref already queued counts as enqueued (unless
// the queue archived its task: then the row is marked failed); one that could not be enqueued
// stays pending for the relay.
func (e *Enqueuer) Dispatch(ctx context.Context, refs ...notify.NotificationRef) error {
	done, _, err := e.enqueueEach(ctx, refs)
	return errors.Join(err, e.notifications.MarkEnqueued(ctx, done))
}

// enqueue puts refs the relay has already claimed (and stamped) on the queue.
// It reports how many of them changed hands: enqueued afresh, or marked failed because the queue
// had given up on their task. The others were still in the queue.
func (e *Enqueuer) enqueue(ctx context.Context, refs []notify.NotificationRef) (moved int, err error) {
	_, moved, err = e.enqueueEach(ctx, refs)
	return moved, err
}

// dispatchParallelism bounds the enqueues of one batch in flight at once. asynq has no batch
// enqueue (each task is one script run on Redis, one round trip), so a batch of refs, such as
// the relay's or a change that notifies many people, waits for those round trips side by side.
const dispatchParallelism = 8

// enqueueEach enqueues refs and returns the ids now in the queue, in the order of refs, and how
// many of them moved (see enqueue).
func (e *Enqueuer) enqueueEach(ctx context.Context, refs []notify.NotificationRef) (done []int64, moved int, err error) {
	errs := make([]error, len(refs))
	movedEach := make([]bool, len(refs))
	if len(refs) == 1 {
		movedEach[0], errs[0] = e.enqueueOne(ctx, refs[0])
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range min(dispatchParallelism, len(refs)) {
			wg.Go(func() {
				for i := next.Add(1) - 1; i < int64(len(refs)); i = next.Add(1) - 1 {
					movedEach[i], errs[i] = e.enqueueOne(ctx, refs[i])
				}
			})
		}
		wg.Wait()
	}
	done = make([]int64, 0, len(refs))
	for i, ref := range refs {
		if errs[i] == nil {
			done = append(done, ref.ID)
		}
		if movedEach[i] {
			moved++
		}
	}
	return done, moved, errors.Join(errs...)
}

// enqueueOne enqueues ref; a task already holding its TaskID is resolved by resolveConflict.
// moved is false when the row's task was already in the queue.
func (e *Enqueuer) enqueueOne(ctx context.Context, ref notify.NotificationRef) (moved bool, err error) {
	task, err := NewNotificationTask(ref)
	if err == nil {
		_, err = e.client.EnqueueContext(ctx, task)
	}
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return e.resolveConflict(ctx, ref)
	}
	return err == nil, err
}

// resolveConflict looks up the task already holding ref's TaskID. A task still pending, active,
// scheduled, waiting for a retry or completed means the row is in the queue. An archived task
// means asynq gave up on it (retries exhausted or not retryable), so the row is marked failed with
// the task's last error instead of being relayed again and again; unless the task last failed
// before ref.Since (the row was re-queued since, e.g. by the admin command, which has no Redis):
// then the stale task is deleted and the row enqueued afresh.
func (e *Enqueuer) resolveConflict(ctx context.Context, ref notify.NotificationRef) (moved bool, err error) {
	taskID := notificationTaskID(ref.ID)
	info, err := e.inspector.GetTaskInfo(queueName, taskID)
	if errors.Is(err, asynq.ErrTaskNotFound) {
		return false, nil // finished in between; the row's own status tells the rest
	}
	if err != nil {
		return false, fmt.Errorf("look up task of notification %d: %w", ref.ID, err)
	}
	if info.State != asynq.TaskStateArchived {
		return false, nil
	}
	if !info.LastFailedAt.IsZero() && info.LastFailedAt.Before(ref.Since) {
		if err := e.inspector.DeleteTask(queueName, taskID); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			return false, fmt.Errorf("delete stale task of notification %d: %w", ref.ID, err)
		}
		task, err := NewNotificationTask(ref)
		if err == nil {
			_, err = e.client.EnqueueContext(ctx, task)
		}
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
			return false, fmt.Errorf("enqueue re-queued notification %d: %w", ref.ID, err)
		}
		return true, nil
	}
	failed, err := e.notifications.Fail(ctx, ref.ID, "queue gave up: "+info.LastErr)
	if err != nil {
		return false, fmt.Errorf("mark notification %d failed: %w", ref.ID, err)
	}
	if failed {
		e.log.Warn("outbox: notification failed, its task was archived", "outbox_id", ref.ID,
			"task_type", info.Type, "task_id", info.ID, "err", info.LastErr)
	}
	return failed, nil
}

// Requeue gives a failed notification another round: an archived task holding its TaskID is
// deleted, the row goes back to pending with its attempts reset, and it is enqueued (or left for
// the relay if Redis refuses). It returns the row, masked.
func (e *Enqueuer) Requeue(ctx context.Context, id int64) (notify.Notification, error) {
	taskID := notificationTaskID(id)
	info, err := e.inspector.GetTaskInfo(queueName, taskID)
	switch {
	case errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound):
	case err != nil:
		return notify.Notification{}, fmt.Errorf("look up task %s: %v: %w", taskID, err, kernel.ErrUnavailable)
	case info.State == asynq.TaskStateArchived:
		if err := e.inspector.DeleteTask(queueName, taskID); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			return notify.Notification{}, fmt.Errorf("delete archived task %s: %v: %w", taskID, err, kernel.ErrUnavailable)
		}
	}
	note, err := e.notifications.Requeue(ctx, id)
	if err != nil {
		return notify.Notification{}, err
	}
	if err := e.Dispatch(ctx, notify.NotificationRef{ID: id, Channel: note.Channel}); err != nil {
		e.log.Warn("outbox: requeued notification left for the relay", "outbox_id", id, "err", err)
	}
	return note, nil
}

// Outbox lists outbox rows for the admin listing; see notify.Notifications.List.
func (e *Enqueuer) Outbox(ctx context.Context, state, cursor string, limit int) (notify.NotificationPage, error) {
	return e.notifications.List(ctx, state, cursor, limit)
}
