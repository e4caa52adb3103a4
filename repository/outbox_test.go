package repository_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
)

func newCipher(t *testing.T) *repository.Cipher {
	t.Helper()
	c, err := repository.NewCipher(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOutboxClaimFinish(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	ctx := context.Background()
	outbox := repository.NewOutboxRepo(db.Gorm, newCipher(t))
	codes := repository.NewCodeRepo(db.Gorm, outbox)
	now := kernel.SystemClock()
	id, err := codes.CreateCode(ctx, account.SMSCode{Phone: "13800138000", Purpose: account.PurposeLogin, CodeHash: "h",
		ExpiresAt: now.Add(time.Minute), CreatedAt: now},
		notify.Notification{Channel: notify.ChannelSMS, Template: "login_code", Recipient: "13800138000",
			Params: map[string]string{"code": "123456"}, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	n, err := outbox.ClaimNotification(ctx, id, now, now.Add(time.Minute))
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	if n.Recipient != "13800138000" || n.Params["code"] != "123456" || n.Status != notify.NotificationSending {
		t.Fatalf("claimed %+v", n)
	}
	if _, err := outbox.ClaimNotification(ctx, id, now, now.Add(time.Minute)); !errors.Is(err, notify.ErrAlreadyDelivered) {
		t.Fatalf("second claim: %v, want ErrAlreadyDelivered", err)
	}
	if err := outbox.FinishNotification(ctx, id, notify.NotificationSent, now, ""); err != nil {
		t.Fatalf("finish: %v", err)
	}
	later := now.Add(time.Hour)
	if _, err := outbox.ClaimNotification(ctx, id, later, later.Add(time.Minute)); !errors.Is(err, notify.ErrAlreadyDelivered) {
		t.Fatalf("claim after sent: %v", err)
	}
	stale, err := outbox.StaleNotifications(ctx, later, later, 10)
	if err != nil || len(stale) != 0 {
		t.Fatalf("stale after sent = %v, %v", stale, err)
	}
}
