package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/hibiken/asynq"
)

type recordingSMS struct {
	mu   sync.Mutex
	sent []notify.SMSMessage
}

func (r *recordingSMS) SendSMS(_ context.Context, m notify.SMSMessage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m)
	return nil
}

type discardEmail struct{}

func (discardEmail) SendEmail(context.Context, notify.Email) error { return nil }

func newHandlerFixture(t *testing.T) (notificationHandler, *recordingSMS, *repository.OutboxRepo) {
	t.Helper()
	sms := &recordingSMS{}
	h, outbox := newHandlerWith(t, sms)
	return h, sms, outbox
}

// newHandlerWith is a notification handler sending SMS through sms, on an outbox of its own.
func newHandlerWith(t *testing.T, sms notify.SMSSender) (notificationHandler, *repository.OutboxRepo) {
	t.Helper()
	db := dbtest.New(t)
	cipher, err := repository.NewCipher(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	outbox := repository.NewOutboxRepo(db.Gorm, cipher)
	n := notify.NewNotifications(outbox, repository.NewUserRepo(db.Gorm), sms, discardEmail{}, time.Minute, kernel.SystemClock)
	return notificationHandler{notifications: n}, outbox
}

func loginCodeTask(t *testing.T, outbox *repository.OutboxRepo) *asynq.Task {
	t.Helper()
	ids, err := outbox.Add(context.Background(), notify.Notification{Channel: notify.ChannelSMS,
		Template: notify.TemplateLoginCode, Recipient: "13800138000",
		Params: map[string]string{"code": "123456", "minutes": "5"}, CreatedAt: kernel.SystemClock()})
	if err != nil {
		t.Fatal(err)
	}
	task, err := NewNotificationTask(notify.ChannelSMS, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	return task
}

func TestNotificationHandlerRunTwiceSendsOnce(t *testing.T) {
	t.Parallel()
	h, sms, outbox := newHandlerFixture(t)
	task := loginCodeTask(t, outbox)
	for range 2 {
		if err := h.ProcessTask(context.Background(), task); err != nil {
			t.Fatal(err)
		}
	}
	if len(sms.sent) != 1 || sms.sent[0].Code != "123456" || sms.sent[0].ID == "" {
		t.Fatalf("sent %+v, want exactly one message", sms.sent)
	}
}

func TestNotificationHandlerRacingRunsSendOnce(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	h, sms, outbox := newHandlerFixture(t)
	task := loginCodeTask(t, outbox)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if err := h.ProcessTask(context.Background(), task); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(sms.sent) != 1 {
		t.Fatalf("20 racing runs sent %d messages, want 1", len(sms.sent))
	}
}

func TestNotificationHandlerBadPayloadSkipsRetry(t *testing.T) {
	t.Parallel()
	h, _, _ := newHandlerFixture(t)
	tests := []struct {
		name    string
		payload string
	}{
		{"not json", "{"},
		{"no id", `{}`},
		{"vanished row", `{"outbox_id": 999999}`},
		{"vanished rows", `{"outbox_ids": [999998, 999999]}`},
		{"empty list", `{"outbox_ids": []}`},
		{"zero id", `{"outbox_ids": [0, 1]}`},
		{"negative id", `{"outbox_ids": [-4]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := h.ProcessTask(context.Background(), asynq.NewTask(TypeSMSSend, []byte(tc.payload)))
			if !errors.Is(err, asynq.SkipRetry) {
				t.Fatalf("err = %v, want SkipRetry", err)
			}
		})
	}
}

// addLoginCodes writes n login-code SMS, to phones 13800138000 and up, and returns their ids.
func addLoginCodes(t *testing.T, outbox *repository.OutboxRepo, n int) []int64 {
	t.Helper()
	ns := make([]notify.Notification, n)
	for i := range ns {
		ns[i] = notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode,
			Recipient: fmt.Sprintf("138%08d", 138000+i), Params: map[string]string{"code": "123456", "minutes": "5"},
			CreatedAt: kernel.SystemClock()}
	}
	ids, err := outbox.Add(context.Background(), ns...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// sentPerMessage counts the messages sent per message id.
func (r *recordingSMS) sentPerMessage() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for _, m := range r.sent {
		out[m.ID]++
	}
	return out
}

// TestTasksOfManyRowsSendEachRowOnce: tasks sharing rows, each run several times at once (a task
// redelivered, the relay's task and the dispatcher's both queued) send every row exactly once.
func TestTasksOfManyRowsSendEachRowOnce(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	h, sms, outbox := newHandlerFixture(t)
	ids := addLoginCodes(t, outbox, 120)
	tasks := make([]*asynq.Task, 0, 3)
	for _, part := range [][]int64{ids[:maxTaskRows], ids[maxTaskRows/2 : 2*maxTaskRows], ids[maxTaskRows:]} {
		task, err := NewNotificationTask(notify.ChannelSMS, part...)
		if err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, task)
	}
	var wg sync.WaitGroup
	for range 4 {
		for _, task := range tasks {
			wg.Go(func() {
				if err := h.ProcessTask(context.Background(), task); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	sent := sms.sentPerMessage()
	if len(sent) != len(ids) {
		t.Fatalf("%d of %d rows sent", len(sent), len(ids))
	}
	for id, n := range sent {
		if n != 1 {
			t.Fatalf("message %s sent %d times", id, n)
		}
	}
}

// refusingSMS refuses the first message to each phone in refuse, and records what it sends.
type refusingSMS struct {
	recordingSMS
	refuse map[string]bool
}

func (r *refusingSMS) SendSMS(ctx context.Context, m notify.SMSMessage) error {
	r.mu.Lock()
	refused := r.refuse[m.Phone]
	delete(r.refuse, m.Phone)
	r.mu.Unlock()
	if refused {
		return errors.New("provider busy")
	}
	return r.recordingSMS.SendSMS(ctx, m)
}

// TestATaskRetriesOnlyTheRowsThatFailed: one row of a task fails to go out; the task asks for a
// retry, and the retry sends that row alone.
func TestATaskRetriesOnlyTheRowsThatFailed(t *testing.T) {
	t.Parallel()
	sms := &refusingSMS{refuse: map[string]bool{"13800138001": true}}
	h, outbox := newHandlerWith(t, sms)
	task, err := NewNotificationTask(notify.ChannelSMS, addLoginCodes(t, outbox, 3)...)
	if err != nil {
		t.Fatal(err)
	}
	err = h.ProcessTask(context.Background(), task)
	if err == nil || errors.Is(err, asynq.SkipRetry) || !strings.Contains(err.Error(), "provider busy") {
		t.Fatalf("first run: %v, want a retryable error naming the failure", err)
	}
	if n := len(sms.sentPerMessage()); n != 2 {
		t.Fatalf("first run sent %d messages, want 2", n)
	}
	if err := h.ProcessTask(context.Background(), task); err != nil {
		t.Fatalf("retry: %v", err)
	}
	sent := sms.sentPerMessage()
	if len(sent) != 3 {
		t.Fatalf("after the retry %d rows sent, want 3", len(sent))
	}
	for id, n := range sent {
		if n != 1 {
			t.Fatalf("message %s sent %d times", id, n)
		}
	}
}

// TestATaskWhoseOtherRowsAreGoneSkipsRetry: a row that went out and one that no longer exists leave
// nothing to retry.
func TestATaskWhoseOtherRowsAreGoneSkipsRetry(t *testing.T) {
	t.Parallel()
	h, sms, outbox := newHandlerFixture(t)
	ids := addLoginCodes(t, outbox, 1)
	task, err := NewNotificationTask(notify.ChannelSMS, ids[0], 999_999)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ProcessTask(context.Background(), task); !errors.Is(err, asynq.SkipRetry) {
		t.Fatalf("err = %v, want SkipRetry", err)
	}
	if len(sms.sent) != 1 {
		t.Fatalf("sent %d, want 1", len(sms.sent))
	}
}

// TestATaskWithAGoneRowStillRetriesTheOthers: a row that no longer exists does not stop the task
// from being retried for a row that failed for now.
func TestATaskWithAGoneRowStillRetriesTheOthers(t *testing.T) {
	t.Parallel()
	sms := &refusingSMS{refuse: map[string]bool{"13800138000": true}}
	h, outbox := newHandlerWith(t, sms)
	task, err := NewNotificationTask(notify.ChannelSMS, addLoginCodes(t, outbox, 1)[0], 999_999)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.ProcessTask(context.Background(), task); err == nil || errors.Is(err, asynq.SkipRetry) {
		t.Fatalf("first run: %v, want a retryable error", err)
	}
	if err := h.ProcessTask(context.Background(), task); !errors.Is(err, asynq.SkipRetry) {
		t.Fatalf("retry: %v, want SkipRetry for the gone row alone", err)
	}
	if n := len(sms.sentPerMessage()); n != 1 {
		t.Fatalf("sent %d messages, want 1", n)
	}
}

// TestTaskIDsOfTheSameRowsDiffer: ids for the same rows made at once (two relays on two replicas
// grouping the same rows) never collide, a single row keeps its fixed id, and every id fits the
// outbox.task_id column (64 characters) even for the largest row ids.
func TestTaskIDsOfTheSameRowsDiffer(t *testing.T) {
	t.Parallel()
	if got := notificationTaskID([]int64{42}); got != "outbox:42" {
		t.Fatalf("one row's task id = %q, want outbox:42", got)
	}
	ids := []int64{1<<63 - 50, 1<<63 - 49, 1<<63 - 1}
	seen := make(map[string]bool)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 1000 {
				id := notificationTaskID(ids)
				mu.Lock()
				if seen[id] {
					t.Errorf("task id %q made twice", id)
				}
				seen[id] = true
				mu.Unlock()
				if len(id) > 64 {
					t.Errorf("task id %q is %d characters, more than outbox.task_id holds", id, len(id))
				}
			}
		})
	}
	wg.Wait()
}
