package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian/beian/jobs"
	"github.com/beian/beian/jobs/redistest"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// failingSMS refuses every message with a retryable error and counts the tries.
type failingSMS struct{ tries atomic.Int32 }

func (f *failingSMS) SendSMS(context.Context, notify.SMSMessage) error {
	f.tries.Add(1)
	return errors.New("provider says: quota exceeded")
}

// syncBuffer collects log output written from several goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// lines decodes the JSON log lines written so far.
func (s *syncBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(s.b.String()), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// pipeline is an outbox, a queue on the test's Redis and the enqueuer, with no worker running.
type pipeline struct {
	outbox        *repository.OutboxRepo
	notifications *notify.Notifications
	rdb           redis.UniversalClient
	enqueuer      *jobs.Enqueuer
	inspector     *asynq.Inspector
	log           *slog.Logger
	logs          *syncBuffer
}

func newPipeline(t *testing.T, sms notify.SMSSender, limits notify.Limits) *pipeline {
	t.Helper()
	db := dbtest.New(t)
	cipher, err := repository.NewCipher(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	rdb := redistest.New(t).Client(t)
	p := &pipeline{outbox: repository.NewOutboxRepo(db.Gorm, cipher), rdb: rdb, logs: &syncBuffer{},
		inspector: asynq.NewInspectorFromRedisClient(rdb)}
	p.log = slog.New(slog.NewJSONHandler(p.logs, nil))
	p.notifications = notify.NewNotifications(p.outbox, repository.NewUserRepo(db.Gorm), sms, noEmail{}, time.Minute, kernel.SystemClock)
	p.notifications.SetLimits(limits)
	p.enqueuer = jobs.NewEnqueuer(asynq.NewClientFromRedisClient(rdb), p.inspector, p.notifications, p.log)
	return p
}

// add writes one login-code SMS created at `at` and returns its id.
func (p *pipeline) add(t *testing.T, at time.Time) int64 {
	t.Helper()
	ids, err := p.outbox.Add(context.Background(), notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode,
		Recipient: "13800138000", Params: map[string]string{"code": "123456", "minutes": "5"}, CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	return ids[0]
}

// row is the outbox row as the admin listing shows it.
func (p *pipeline) row(t *testing.T, id int64) notify.Notification {
	t.Helper()
	for cursor := ""; ; {
		page, err := p.notifications.List(context.Background(), "", cursor, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range page.Items {
			if n.ID == id {
				return n
			}
		}
		if cursor = page.NextCursor; cursor == "" {
			t.Fatalf("notification %d not listed", id)
		}
	}
}

func TestAPermanentlyFailingMessageEndsFailedAndIsLeftAlone(t *testing.T) {
	sms := &failingSMS{}
	p := newPipeline(t, sms, notify.Limits{MaxAttempts: 3})
	worker := jobs.NewWorker(&jobs.Redis{Client: p.rdb}, jobs.Services{Notifications: p.notifications}, p.log,
		jobs.WorkerOptions{Concurrency: 2, TaskCheckInterval: 10 * time.Millisecond,
			RetryDelay: func(int, error, *asynq.Task) time.Duration { return 50 * time.Millisecond }})
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	defer worker.Shutdown(context.Background())
	ctx := context.Background()
	id := p.add(t, kernel.SystemClock())
	if err := p.enqueuer.Dispatch(ctx, notify.NotificationRef{ID: id, Channel: notify.ChannelSMS}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for p.row(t, id).Status != notify.NotificationFailed {
		if time.Now().After(deadline) {
			t.Fatalf("row still %s after %d tries", p.row(t, id).Status, sms.tries.Load())
		}
		time.Sleep(20 * time.Millisecond)
	}
	got := p.row(t, id)
	if got.Attempts != 3 || !strings.Contains(got.LastError, "quota exceeded") || !strings.Contains(got.LastError, "gave up") {
		t.Fatalf("failed row: attempts %d, last error %q", got.Attempts, got.LastError)
	}
	// The task was archived at once (not retried up to asynq's own limit) and the relay leaves the row be.
	waitFor(t, func() bool {
		info, err := p.inspector.GetTaskInfo("default", "outbox:"+itoa(id))
		return err == nil && info.State == asynq.TaskStateArchived
	})
	relay := jobs.NewRelay(p.notifications, p.enqueuer, p.log, time.Millisecond, 0)
	for range 3 {
		if n, err := relay.RunOnce(ctx); err != nil || n != 0 {
			t.Fatalf("relay touched %d rows (%v)", n, err)
		}
	}
	time.Sleep(200 * time.Millisecond)
	if n := sms.tries.Load(); n != 3 {
		t.Fatalf("%d sends tried, want 3", n)
	}
	if got := p.row(t, id); got.Status != notify.NotificationFailed {
		t.Fatalf("row went back to %s", got.Status)
	}

	// Each failed run was logged with the task type, its id and the error; the last one as final.
	var warn, final int
	if raw := p.logs.String(); strings.Contains(raw, "Retry exhausted") {
		t.Errorf("asynq's bare line was logged:\n%s", raw)
	}
	for _, l := range p.logs.lines(t) {
		if !strings.HasPrefix(toString(l["msg"]), "task failed") {
			continue
		}
		if l["task_type"] != jobs.TypeSMSSend || l["task_id"] != "outbox:"+itoa(id) || !strings.Contains(toString(l["err"]), "quota exceeded") {
			t.Errorf("failure line lacks type, id or error: %v", l)
		}
		if l["level"] == "ERROR" {
			final++
		} else {
			warn++
		}
	}
	if warn != 2 || final != 1 {
		t.Fatalf("%d retry lines and %d final lines, want 2 and 1:\n%v", warn, final, p.logs.lines(t))
	}

	// Re-queued in the database alone (as the admin command does, without Redis): the relay finds
	// the archived task older than the requeue, replaces it, and the row gets three more tries.
	if _, err := p.notifications.Requeue(ctx, id); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	if n, err := relay.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("relay after the requeue: %d rows, %v", n, err)
	}
	waitFor(t, func() bool { return sms.tries.Load() == 6 && p.row(t, id).Status == notify.NotificationFailed })
}

func TestTheRelayMarksARowFailedWhenItsTaskWasArchived(t *testing.T) {
	p := newPipeline(t, &failingSMS{}, notify.Limits{})
	ctx := context.Background()
	archived, queued := p.add(t, kernel.SystemClock()), p.add(t, kernel.SystemClock())
	for _, id := range []int64{archived, queued} {
		if err := p.enqueuer.Dispatch(ctx, notify.NotificationRef{ID: id, Channel: notify.ChannelSMS}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.inspector.ArchiveTask("default", "outbox:"+itoa(archived)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(10 * time.Millisecond)
	relay := jobs.NewRelay(p.notifications, p.enqueuer, p.log, time.Millisecond, 0)
	// Only the archived task's row changes hands; the other is still queued.
	if n, err := relay.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("relay: %d rows, %v", n, err)
	}
	if got := p.row(t, archived); got.Status != notify.NotificationFailed || !strings.Contains(got.LastError, "queue gave up") {
		t.Fatalf("row of the archived task: %s %q", got.Status, got.LastError)
	}
	if got := p.row(t, queued); got.Status != notify.NotificationEnqueued {
		t.Fatalf("row of the pending task: %s", got.Status)
	}
	time.Sleep(10 * time.Millisecond)
	if n, err := relay.RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("second pass: %d rows moved (the queued one is looked at again, and stays), %v", n, err)
	}

	// Re-queue: the archived task is deleted, the row starts over and a fresh task waits.
	note, err := p.enqueuer.Requeue(ctx, archived)
	if err != nil || note.Attempts != 0 || note.Recipient != "138****8000" {
		t.Fatalf("requeue: %+v, %v", note, err)
	}
	info, err := p.inspector.GetTaskInfo("default", "outbox:"+itoa(archived))
	if err != nil || info.State != asynq.TaskStatePending {
		t.Fatalf("task after requeue: %+v, %v", info, err)
	}
	if got := p.row(t, archived); got.Status != notify.NotificationEnqueued {
		t.Fatalf("row after requeue: %s", got.Status)
	}
	if _, err := p.enqueuer.Requeue(ctx, queued); !errors.Is(err, kernel.ErrConflict) {
		t.Fatalf("requeue of a row that is not failed: %v", err)
	}
	if _, err := p.enqueuer.Requeue(ctx, 999_999); !errors.Is(err, kernel.ErrNotFound) {
		t.Fatalf("requeue of a missing row: %v", err)
	}
}

func TestTheRelayGivesUpOnRowsPastTheirAge(t *testing.T) {
	p := newPipeline(t, &failingSMS{}, notify.Limits{MaxAge: time.Hour})
	ctx := context.Background()
	old, fresh := p.add(t, kernel.SystemClock().Add(-2*time.Hour)), p.add(t, kernel.SystemClock())
	time.Sleep(10 * time.Millisecond)
	relay := jobs.NewRelay(p.notifications, p.enqueuer, p.log, time.Millisecond, 0)
	if n, err := relay.RunOnce(ctx); err != nil || n != 2 {
		t.Fatalf("relay: %d rows, %v", n, err)
	}
	if got := p.row(t, old); got.Status != notify.NotificationFailed || !strings.Contains(got.LastError, "gave up") {
		t.Fatalf("old row: %s %q", got.Status, got.LastError)
	}
	if got := p.row(t, fresh); got.Status != notify.NotificationEnqueued {
		t.Fatalf("fresh row: %s", got.Status)
	}
	counts, err := p.notifications.Counts(ctx)
	if err != nil || counts[notify.NotificationFailed] != 1 || counts[notify.NotificationEnqueued] != 1 || counts[notify.NotificationPending] != 0 {
		t.Fatalf("counts %v, %v", counts, err)
	}
	found := false
	for _, l := range p.logs.lines(t) {
		if ids, ok := l["outbox_ids"].([]any); ok && len(ids) == 1 && ids[0] == float64(old) {
			found = true
		}
	}
	if !found {
		t.Fatalf("the given-up row was not logged by id: %v", p.logs.lines(t))
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10s")
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}
