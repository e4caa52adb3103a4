package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/hibiken/asynq"
)

// Task types for notifications: one per channel. A task delivers one or more outbox rows of its
// channel; its payload is their ids.
const (
	TypeSMSSend   = "sms:send"
	TypeEmailSend = "email:send"
)

// notificationPayload names the outbox rows a task delivers. Tasks queued before tasks carried
// several rows name one row in OutboxID; they are still understood.
type notificationPayload struct {
	OutboxID  int64   `json:"outbox_id,omitempty"`
	OutboxIDs []int64 `json:"outbox_ids,omitempty"`
}

// maxTaskRows bounds the outbox rows of one task. A burst of notifications (a relay batch, a change
// that notifies many people, the relay catching up after an outage) goes out as tasks of up to this
// many rows: the queue's work and the claim and outcome transactions are then shared by the rows
// of a task instead of being paid for each message. The rows of a task are sent side by side, each
// with its own lease, attempts and outcome.
const maxTaskRows = 50

// NewNotificationTask builds the task that delivers the outbox rows ids, all of channel. The TaskID
// of a task of one row is named after the row (see notificationTaskID), so enqueueing the same row
// twice while it is queued is refused by asynq; a task of several rows gets a name of its own,
// which the rows keep (outbox.task_id) so that the relay can ask the queue about it.
func NewNotificationTask(channel notify.Channel, ids ...int64) (*asynq.Task, error) {
	return newNotificationTask(channel, notificationTaskID(ids), ids)
}

func newNotificationTask(channel notify.Channel, taskID string, ids []int64) (*asynq.Task, error) {
	typ := TypeSMSSend
	if channel == notify.ChannelEmail {
		typ = TypeEmailSend
	}
	p := notificationPayload{OutboxIDs: ids}
	if len(ids) == 1 {
		p = notificationPayload{OutboxID: ids[0]}
	}
	payload, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(typ, payload, asynq.TaskID(taskID),
		asynq.MaxRetry(20), asynq.Timeout(30*time.Second)), nil
}

// notificationTaskID names the task of the outbox rows ids: "outbox:ID" for one row, as it always
// was, and "outbox:FIRST+MORE:STAMP" for several, where STAMP is the time it was made and 64 random
// bits, so that two relays grouping rows at the same instant on two replicas cannot collide.
func notificationTaskID(ids []int64) string {
	if len(ids) == 1 {
		return fmt.Sprintf("outbox:%d", ids[0])
	}
	return fmt.Sprintf("outbox:%d+%d:%s.%s", ids[0], len(ids)-1, strconv.FormatInt(time.Now().UnixNano(), 36),
		strconv.FormatUint(rand.Uint64(), 36))
}

// queueName is the one asynq queue beian uses.
const queueName = "default"

// notificationHandler delivers sms:send and email:send tasks.
type notificationHandler struct{ notifications *notify.Notifications }

func (h notificationHandler) ProcessTask(ctx context.Context, t *asynq.Task) error {
	var p notificationPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return fmt.Errorf("bad %s payload: %w", t.Type(), asynq.SkipRetry)
	}
	ids := p.OutboxIDs
	if p.OutboxID != 0 {
		ids = append(ids, p.OutboxID)
	}
	if len(ids) == 0 || len(ids) > 10*maxTaskRows || slices.ContainsFunc(ids, func(id int64) bool { return id <= 0 }) {
		return fmt.Errorf("bad %s payload: %w", t.Type(), asynq.SkipRetry)
	}
	err := h.notifications.DeliverAll(ctx, ids)
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

// Dispatch enqueues refs, in tasks of up to maxTaskRows rows, and marks them enqueued with their
// task. A row already queued counts as enqueued (unless the queue archived its task: then the row
// is marked failed); one that could not be enqueued stays pending for the relay.
func (e *Enqueuer) Dispatch(ctx context.Context, refs ...notify.NotificationRef) error {
	queued, _, err := e.enqueueTasks(ctx, refs)
	return errors.Join(err, e.notifications.MarkEnqueued(ctx, queued))
}

// enqueue puts refs the relay has already claimed (and stamped) on the queue, and reports how
// many of them changed hands: enqueued afresh, or marked failed because the queue had given up on
// their task. Rows whose task is still in the queue, such as a backlog the worker has not reached
// yet, are left as they are: the queue is asked once per task, not once per row.
func (e *Enqueuer) enqueue(ctx context.Context, refs []notify.NotificationRef) (moved int, err error) {
	var fresh []notify.NotificationRef
	byTask := map[string][]notify.NotificationRef{}
	var taskIDs []string
	for _, ref := range refs {
		taskID := ref.TaskID
		if taskID == "" && ref.Queued {
			taskID = notificationTaskID([]int64{ref.ID}) // queued before rows kept their task
		}
		if taskID == "" {
			fresh = append(fresh, ref)
			continue
		}
		if _, seen := byTask[taskID]; !seen {
			taskIDs = append(taskIDs, taskID)
		}
		byTask[taskID] = append(byTask[taskID], ref)
	}
	var errs []error
	for _, taskID := range taskIDs {
		group := byTask[taskID]
		info, err := e.inspector.GetTaskInfo(queueName, taskID)
		switch {
		case errors.Is(err, asynq.ErrTaskNotFound) || errors.Is(err, asynq.ErrQueueNotFound):
			fresh = append(fresh, group...) // finished, or lost with Redis: the rows say which
		case err != nil:
			errs = append(errs, fmt.Errorf("look up task %s: %w", taskID, err))
		case info.State == asynq.TaskStateArchived:
			again, failed, err := e.archived(ctx, info, group)
			fresh, moved, errs = append(fresh, again...), moved+failed, append(errs, err)
		}
	}
	queued, enqueued, err := e.enqueueTasks(ctx, fresh)
	errs = append(errs, err, e.notifications.MarkEnqueued(ctx, queued))
	return moved + enqueued, errors.Join(errs...)
}

// dispatchParallelism bounds the enqueues of one batch in flight at once. asynq has no batch
// enqueue (each task is one script run on Redis, one round trip), so the tasks of a batch of refs
// wait for those round trips side by side.
const dispatchParallelism = 8

// enqueueTasks puts refs on the queue in tasks of up to maxTaskRows rows of one channel. It returns
// the tasks now in the queue with their rows, and how many rows changed hands (enqueued afresh, or
// failed because the queue had given up on a task already holding the name).
func (e *Enqueuer) enqueueTasks(ctx context.Context, refs []notify.NotificationRef) (queued []notify.EnqueuedTask, moved int, err error) {
	chunks := taskChunks(refs)
	type result struct {
		queued bool
		moved  int
		err    error
	}
	results := make([]result, len(chunks))
	run := func(i int) {
		r := &results[i]
		r.queued, r.moved, r.err = e.enqueueChunk(ctx, &chunks[i])
	}
	kernel.Each(len(chunks), dispatchParallelism, run)
	errs := make([]error, len(chunks))
	for i, r := range results {
		if r.queued {
			queued = append(queued, notify.EnqueuedTask{TaskID: chunks[i].taskID, IDs: chunks[i].ids()})
		}
		moved += r.moved
		errs[i] = r.err
	}
	return queued, moved, errors.Join(errs...)
}

// taskChunk is the rows of one task to be.
type taskChunk struct {
	taskID string
	task   *asynq.Task
	refs   []notify.NotificationRef
}

func (c taskChunk) ids() []int64 {
	ids := make([]int64, len(c.refs))
	for i, ref := range c.refs {
		ids[i] = ref.ID
	}
	return ids
}

// taskChunks splits refs by channel, in their order, into chunks of up to maxTaskRows.
func taskChunks(refs []notify.NotificationRef) []taskChunk {
	var chunks []taskChunk
	open := map[notify.Channel]int{} // channel → index of its chunk being filled
	for _, ref := range refs {
		i, ok := open[ref.Channel]
		if !ok || len(chunks[i].refs) == maxTaskRows {
			chunks = append(chunks, taskChunk{})
			i = len(chunks) - 1
			open[ref.Channel] = i
		}
		chunks[i].refs = append(chunks[i].refs, ref)
	}
	return chunks
}

// enqueueChunk enqueues the task of chunk (naming it in chunk.taskID). A task already holding its
// TaskID is resolved by resolveConflict. queued reports that the rows are in the queue now.
func (e *Enqueuer) enqueueChunk(ctx context.Context, chunk *taskChunk) (queued bool, moved int, err error) {
	ids := chunk.ids()
	chunk.taskID = notificationTaskID(ids)
	chunk.task, err = newNotificationTask(chunk.refs[0].Channel, chunk.taskID, ids)
	if err != nil {
		return false, 0, err
	}
	_, err = e.client.EnqueueContext(ctx, chunk.task)
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return e.resolveConflict(ctx, chunk)
	}
	if err != nil {
		return false, 0, fmt.Errorf("enqueue notifications %v: %w", ids, err)
	}
	return true, len(ids), nil
}

// resolveConflict looks up the task already holding chunk's TaskID. A task still pending, active,
// scheduled, waiting for a retry or completed means the rows are in the queue. An archived task
// is handled by archived: the rows are marked failed, or the stale task is replaced by chunk's.
func (e *Enqueuer) resolveConflict(ctx context.Context, chunk *taskChunk) (queued bool, moved int, err error) {
	info, err := e.inspector.GetTaskInfo(queueName, chunk.taskID)
	if errors.Is(err, asynq.ErrTaskNotFound) {
		return true, 0, nil // finished in between; the rows' own status tells the rest
	}
	if err != nil {
		return false, 0, fmt.Errorf("look up task %s: %w", chunk.taskID, err)
	}
	if info.State != asynq.TaskStateArchived {
		return true, 0, nil
	}
	again, failed, err := e.archived(ctx, info, chunk.refs)
	if err != nil || len(again) == 0 {
		return false, failed, err
	}
	_, err = e.client.EnqueueContext(ctx, chunk.task)
	if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) {
		return false, failed, fmt.Errorf("enqueue re-queued notifications %v: %w", chunk.ids(), err)
	}
	return true, failed + len(again), nil
}

// archived deals with refs whose task (info) asynq archived: it gave up on it (retries exhausted
// or not retryable). The rows are marked failed with the task's last error instead of being
// relayed again and again; unless the task last failed before every ref's Since (the rows were
// re-queued since, e.g. by the admin command, which has no Redis): then the stale task is deleted
// and the refs are returned to be enqueued again.
func (e *Enqueuer) archived(ctx context.Context, info *asynq.TaskInfo, refs []notify.NotificationRef) (again []notify.NotificationRef, failed int, err error) {
	stale := !info.LastFailedAt.IsZero()
	for _, ref := range refs {
		stale = stale && info.LastFailedAt.Before(ref.Since)
	}
	if stale {
		if err := e.inspector.DeleteTask(queueName, info.ID); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			return nil, 0, fmt.Errorf("delete stale task %s: %w", info.ID, err)
		}
		return refs, 0, nil
	}
	var errs []error
	for _, ref := range refs {
		ok, err := e.notifications.Fail(ctx, ref.ID, "queue gave up: "+info.LastErr)
		if err != nil {
			errs = append(errs, fmt.Errorf("mark notification %d failed: %w", ref.ID, err))
			continue
		}
		if ok {
			failed++
			e.log.Warn("outbox: notification failed, its task was archived", "outbox_id", ref.ID,
				"task_type", info.Type, "task_id", info.ID, "err", info.LastErr)
		}
	}
	return nil, failed, errors.Join(errs...)
}

// Requeue gives a failed notification another round: an archived task holding its TaskID is
// deleted, the row goes back to pending with its attempts reset, and it is enqueued (or left for
// the relay if Redis refuses). It returns the row, masked.
func (e *Enqueuer) Requeue(ctx context.Context, id int64) (notify.Notification, error) {
	taskID := notificationTaskID([]int64{id})
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
