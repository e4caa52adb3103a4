package notify

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/service/kernel"
)

// flakyOutbox hands out one claim and fails to record outcomes the first failures times.
type flakyOutbox struct {
	OutboxStore
	mu       sync.Mutex
	failures int
	finishes []NotificationStatus
}

func (f *flakyOutbox) ClaimNotification(_ context.Context, id int64, now, _ time.Time) (Notification, error) {
	return Notification{ID: id, Channel: ChannelSMS, Template: TemplateLoginCode, Recipient: "13800138000",
		Params: map[string]string{"code": "123456", "minutes": "5"}, Attempts: 1, CreatedAt: now}, nil
}

func (f *flakyOutbox) FinishNotification(_ context.Context, _ int64, status NotificationStatus, _ time.Time, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failures > 0 {
		f.failures--
		return errors.New("connection reset")
	}
	f.finishes = append(f.finishes, status)
	return nil
}

type countSMS struct{ n int }

func (c *countSMS) SendSMS(context.Context, SMSMessage) error { c.n++; return nil }

type noEmail struct{}

func (noEmail) SendEmail(context.Context, Email) error { return nil }

// TestDeliverRetriesRecordingTheOutcome: a message that went out is recorded as sent even when the
// store fails a few times, instead of being left leased (and sent again when the lease runs out).
func TestDeliverRetriesRecordingTheOutcome(t *testing.T) {
	saved := outcomeRetries
	outcomeRetries = []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond, time.Millisecond, time.Millisecond}
	t.Cleanup(func() { outcomeRetries = saved })
	store, sms := &flakyOutbox{failures: 3}, &countSMS{}
	n := NewNotifications(store, nil, sms, noEmail{}, time.Minute, kernel.SystemClock)
	if err := n.Deliver(context.Background(), 7); err != nil {
		t.Fatalf("Deliver: %v", err)
	}
	if sms.n != 1 || len(store.finishes) != 1 || store.finishes[0] != NotificationSent {
		t.Fatalf("sent %d times, outcomes recorded %v", sms.n, store.finishes)
	}

	store.failures = len(outcomeRetries) + 1 // the store stays down: Deliver reports it
	if err := n.Deliver(context.Background(), 8); err == nil {
		t.Fatal("Deliver succeeded though the outcome was never recorded")
	}
}
