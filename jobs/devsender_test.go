package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/beian/beian/jobs"
	"github.com/beian/beian/jobs/redistest"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
)

// TestDevSMSSendsAMessageOnce: the development sender keeps a message sent twice (a redelivered
// task) once, but a different message under the same id (outbox ids start again from 1 when the
// database is made afresh and Redis is not) reaches the inbox.
func TestDevSMSSendsAMessageOnce(t *testing.T) {
	rdb := redistest.New(t).Client(t)
	d := jobs.NewDevSMS(rdb, slog.New(slog.NewTextHandler(io.Discard, nil)), kernel.SystemClock)
	ctx := context.Background()
	first := notify.SMSMessage{ID: "n1", Phone: "13800138000", Text: "验证码 123456", Code: "123456"}
	reused := notify.SMSMessage{ID: "n1", Phone: "13800138000", Text: "验证码 654321", Code: "654321"}
	for _, m := range []notify.SMSMessage{first, first, reused, reused} {
		if err := d.SendSMS(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	inbox, err := d.Inbox(ctx, "13800138000")
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox) != 2 || inbox[0].Code != "654321" || inbox[1].Code != "123456" {
		t.Fatalf("inbox %+v, want the two messages once each", inbox)
	}
}
