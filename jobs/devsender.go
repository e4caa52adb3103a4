package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/redis/go-redis/v9"
)

// DevSMS is the development SMS "provider": it logs each message and keeps the newest 50 per phone
// in Redis for a day, so `GET /api/v1/dev/sms` (development only) shows them across processes.
// Like a real provider it sends a message id only once.
type DevSMS struct {
	rdb redis.UniversalClient
	log *slog.Logger
	now kernel.Clock
}

// NewDevSMS returns the development sender.
func NewDevSMS(rdb redis.UniversalClient, log *slog.Logger, now kernel.Clock) *DevSMS {
	return &DevSMS{rdb: rdb, log: log, now: now}
}

type inboxEntry struct {
	Phone  string    `json:"phone"`
	Text   string    `json:"text"`
	Code   string    `json:"code"`
	SentAt time.Time `json:"sent_at"`
}

// SendSMS records m in the inbox unless it was sent before: the same id to the same phone with
// the same text. The phone and text are part of the check because outbox ids start again from 1
// when a development database is made afresh while Redis keeps its keys; a new message that
// happens to reuse an id is not mistaken for a repeat.
func (d *DevSMS) SendSMS(ctx context.Context, m notify.SMSMessage) error {
	sum := sha256.Sum256([]byte(m.Phone + "\x00" + m.Text))
	first, err := d.rdb.SetNX(ctx, "beian:dev:sms:sent:"+m.ID+":"+hex.EncodeToString(sum[:8]), 1, 24*time.Hour).Result()
	if err != nil || !first {
		return err
	}
	entry, _ := json.Marshal(inboxEntry{Phone: m.Phone, Text: m.Text, Code: m.Code, SentAt: d.now()})
	key := "beian:dev:sms:inbox:" + m.Phone
	pipe := d.rdb.TxPipeline()
	pipe.LPush(ctx, key, entry)
	pipe.LTrim(ctx, key, 0, 49)
	pipe.Expire(ctx, key, 24*time.Hour)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("dev inbox: %w", err)
	}
	d.log.Info("dev sms sent", "phone", kernel.MaskPhone(m.Phone), "template", m.Template, "id", m.ID)
	return nil
}

// Inbox lists the messages sent to phone, newest first.
func (d *DevSMS) Inbox(ctx context.Context, phone string) ([]notify.InboxMessage, error) {
	raw, err := d.rdb.LRange(ctx, "beian:dev:sms:inbox:"+phone, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("dev inbox: %w", err)
	}
	out := make([]notify.InboxMessage, 0, len(raw))
	for _, r := range raw {
		var e inboxEntry
		if json.Unmarshal([]byte(r), &e) == nil {
			out = append(out, notify.InboxMessage{Phone: e.Phone, Text: e.Text, Code: e.Code, SentAt: e.SentAt})
		}
	}
	return out, nil
}

// DevEmail is the development e-mail "provider": it logs the message (recipient masked).
type DevEmail struct{ log *slog.Logger }

// NewDevEmail returns the development e-mail sender.
func NewDevEmail(log *slog.Logger) *DevEmail { return &DevEmail{log: log} }

// SendEmail logs e.
func (d *DevEmail) SendEmail(_ context.Context, e notify.Email) error {
	d.log.Info("dev email sent", "id", e.ID, "subject", e.Subject, "text", e.Text)
	return nil
}
