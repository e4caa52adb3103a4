package jobs

import (
	"context"
	"errors"
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
	db := dbtest.New(t)
	cipher, err := repository.NewCipher(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	outbox := repository.NewOutboxRepo(db.Gorm, cipher)
	sms := &recordingSMS{}
	n := notify.NewNotifications(outbox, repository.NewUserRepo(db.Gorm), sms, discardEmail{}, time.Minute, kernel.SystemClock)
	return notificationHandler{notifications: n}, sms, outbox
}

func loginCodeTask(t *testing.T, outbox *repository.OutboxRepo) *asynq.Task {
	t.Helper()
	ids, err := outbox.Add(context.Background(), notify.Notification{Channel: notify.ChannelSMS,
		Template: notify.TemplateLoginCode, Recipient: "13800138000",
		Params: map[string]string{"code": "123456", "minutes": "5"}, CreatedAt: kernel.SystemClock()})
	if err != nil {
		t.Fatal(err)
	}
	task, err := NewNotificationTask(notify.NotificationRef{ID: ids[0], Channel: notify.ChannelSMS})
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
