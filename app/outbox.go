package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/beian/beian/config"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
)

// withOutbox runs fn on the outbox use cases over the database alone (no Redis, no senders), for
// the admin commands.
func withOutbox(ctx context.Context, cfg config.Config, log *slog.Logger, fn func(*notify.Notifications) error) error {
	key, err := cfg.DataKeyBytes()
	if err != nil {
		return err
	}
	cipher, err := repository.NewCipher(key)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, log, cfg.MigrateOnStart)
	if err != nil {
		return err
	}
	n := notify.NewNotifications(repository.NewOutboxRepo(db, cipher), repository.NewUserRepo(db), nil, nil, time.Minute, kernel.SystemClock)
	return errors.Join(fn(n), closeDatabase(db))
}

// ListOutbox pages through outbox rows for an operator (see notify.Notifications.List). It needs
// only the database.
func ListOutbox(ctx context.Context, cfg config.Config, log *slog.Logger, state, cursor string, limit int) (notify.NotificationPage, error) {
	var page notify.NotificationPage
	err := withOutbox(ctx, cfg, log, func(n *notify.Notifications) error {
		var err error
		page, err = n.List(ctx, state, cursor, limit)
		return err
	})
	return page, err
}

// RequeueOutbox puts a failed row back to pending for an operator. It needs only the database: the
// relay enqueues the row within seconds, replacing a task the queue archived before the requeue.
func RequeueOutbox(ctx context.Context, cfg config.Config, log *slog.Logger, id int64) (notify.Notification, error) {
	var note notify.Notification
	err := withOutbox(ctx, cfg, log, func(n *notify.Notifications) error {
		var err error
		note, err = n.Requeue(ctx, id)
		return err
	})
	return note, err
}
