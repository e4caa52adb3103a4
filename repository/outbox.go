package repository

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type outboxRow struct {
	ID           int64 `gorm:"primaryKey"`
	Channel      string
	Template     string
	RecipientEnc []byte
	ParamsEnc    []byte
	Status       string
	Attempts     int
	LeaseUntil   *time.Time
	EnqueuedAt   *time.Time
	SentAt       *time.Time
	LastError    string
	TaskID       string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (outboxRow) TableName() string { return "outbox" }

// OutboxRepo keeps notifications waiting to go out; it satisfies service.OutboxStore. Recipients and
// parameters (which may carry codes) are encrypted at rest. The claims and outcomes of concurrent
// deliveries are written in shared transactions (see outbox_batch.go).
type OutboxRepo struct {
	db       *gorm.DB
	cipher   *Cipher
	claims   *combiner[claimRequest, notify.Notification]
	outcomes *combiner[finishRequest, struct{}]
}

// NewOutboxRepo returns an OutboxRepo on db.
func NewOutboxRepo(db *gorm.DB, c *Cipher) *OutboxRepo {
	r := &OutboxRepo{db: db, cipher: c}
	r.claims = newCombiner(maxOutboxBatch, outboxBatchesInFlight, outboxBatchTimeout, r.claimBatch)
	r.outcomes = newCombiner(maxOutboxBatch, outboxBatchesInFlight, outboxBatchTimeout, r.finishBatch)
	return r
}

// Add writes notifications on their own (a change that causes notifications writes them in its own
// transaction through insert instead) and returns their ids.
func (r *OutboxRepo) Add(ctx context.Context, ns ...notify.Notification) ([]int64, error) {
	var ids []int64
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		var err error
		ids, err = r.insert(tx, ns...)
		return err
	})
	return ids, translate(err)
}

// insertChunk bounds the rows of one multi-row INSERT (9 placeholders each, well under MySQL's and
// SQLite's limits on placeholders per statement).
const insertChunk = 250

// insert writes notifications inside the caller's transaction and returns their ids, in order.
// The rows go in multi-row INSERTs, one round trip per insertChunk rows instead of one per row.
// Their ids come back through RETURNING on SQLite; on MySQL gorm counts them up from the first
// id of the statement, which InnoDB makes consecutive for an INSERT with a known number of rows
// (every innodb_autoinc_lock_mode; auto_increment_increment must stay 1).
func (r *OutboxRepo) insert(tx *gorm.DB, ns ...notify.Notification) ([]int64, error) {
	rows := make([]outboxRow, len(ns))
	for i, n := range ns {
		params, err := json.Marshal(n.Params)
		if err != nil {
			return nil, fmt.Errorf("encode notification params: %w", err)
		}
		rows[i] = outboxRow{Channel: string(n.Channel), Template: n.Template, Status: string(notify.NotificationPending),
			RecipientEnc: r.cipher.Seal("outbox.recipient", []byte(n.Recipient)),
			ParamsEnc:    r.cipher.Seal("outbox.params", params), CreatedAt: n.CreatedAt, UpdatedAt: n.CreatedAt}
	}
	for start := 0; start < len(rows); start += insertChunk {
		chunk := rows[start:min(start+insertChunk, len(rows))]
		if err := tx.Create(&chunk).Error; err != nil {
			return nil, err
		}
	}
	ids := make([]int64, len(rows))
	for i, row := range rows {
		ids[i] = row.ID
	}
	return ids, nil
}

func (r *OutboxRepo) toService(row outboxRow) (notify.Notification, error) {
	recipient, err := r.cipher.Open("outbox.recipient", row.RecipientEnc)
	if err != nil {
		return notify.Notification{}, err
	}
	raw, err := r.cipher.Open("outbox.params", row.ParamsEnc)
	if err != nil {
		return notify.Notification{}, err
	}
	var params map[string]string
	if err := json.Unmarshal(raw, &params); err != nil {
		return notify.Notification{}, fmt.Errorf("decode notification params: %w", err)
	}
	return notify.Notification{ID: row.ID, Channel: notify.Channel(row.Channel), Template: row.Template,
		Recipient: string(recipient), Params: params, Status: notify.NotificationStatus(row.Status),
		Attempts: row.Attempts, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt, SentAt: row.SentAt, LastError: row.LastError}, nil
}

// StaleNotifications claims, for one relay, up to limit notifications that must be (re)enqueued:
// pending or enqueued since before olderThan, or sending with an expired lease. The rows are locked
// with FOR UPDATE SKIP LOCKED (MySQL; SQLite serialises writers instead) and stamped enqueued, so
// concurrent relays on several replicas pick disjoint batches. The rows come in the order of the
// status index, least recently stamped first, with no ORDER BY: with a backlog of many thousand
// waiting rows, sorting them by id to take the first few hundred cost seconds a pass. Each ref
// says whether its row had been handed to the queue before, and to which task.
func (r *OutboxRepo) StaleNotifications(ctx context.Context, olderThan, now time.Time, limit int) ([]notify.NotificationRef, error) {
	var rows []outboxRow
	err := r.claimTx(ctx, func(tx *gorm.DB) error {
		rows = nil
		err := tx.Select("id", "channel", "status", "task_id", "created_at").Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
			Where("(status IN ? AND updated_at < ?) OR (status = ? AND lease_until < ?)",
				[]string{string(notify.NotificationPending), string(notify.NotificationEnqueued)}, olderThan,
				string(notify.NotificationSending), now).
			Limit(limit).Find(&rows).Error
		if err != nil || len(rows) == 0 {
			return err
		}
		ids := make([]int64, len(rows))
		for i, row := range rows {
			ids[i] = row.ID
		}
		return tx.Model(&outboxRow{}).Where("id IN ?", ids).Updates(map[string]any{
			"status": string(notify.NotificationEnqueued), "lease_until": nil, "enqueued_at": now, "updated_at": now}).Error
	})
	refs := make([]notify.NotificationRef, len(rows))
	for i, row := range rows {
		refs[i] = notify.NotificationRef{ID: row.ID, Channel: notify.Channel(row.Channel), Since: row.CreatedAt,
			Queued: row.Status != string(notify.NotificationPending), TaskID: row.TaskID}
	}
	return refs, translate(err)
}

// MarkEnqueued records that the rows of tasks were handed to the queue, each with its task: one
// UPDATE per task, in one transaction when there are several. Rows already further along are left
// alone.
func (r *OutboxRepo) MarkEnqueued(ctx context.Context, tasks []notify.EnqueuedTask, now time.Time) error {
	mark := func(tx *gorm.DB, t notify.EnqueuedTask) error {
		if len(t.IDs) == 0 {
			return nil
		}
		return tx.Model(&outboxRow{}).
			Where("id IN ? AND status IN ?", t.IDs, []string{string(notify.NotificationPending), string(notify.NotificationEnqueued)}).
			Updates(map[string]any{"status": string(notify.NotificationEnqueued), "task_id": t.TaskID, "enqueued_at": now,
				"updated_at": now}).Error
	}
	if len(tasks) == 1 {
		return translate(mark(r.db.WithContext(ctx), tasks[0]))
	}
	return translate(transact(ctx, r.db, func(tx *gorm.DB) error {
		for _, t := range tasks {
			if err := mark(tx, t); err != nil {
				return err
			}
		}
		return nil
	}))
}

// OldestUnsent is the creation time of the oldest notification still on its way.
func (r *OutboxRepo) OldestUnsent(ctx context.Context) (time.Time, bool, error) {
	var row outboxRow
	err := r.db.WithContext(ctx).Select("created_at").
		Where("status IN ?", []string{string(notify.NotificationPending), string(notify.NotificationEnqueued), string(notify.NotificationSending)}).
		Order("id").Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return time.Time{}, false, nil
	}
	return row.CreatedAt, err == nil, translate(err)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// claimTx runs fn, which locks a batch of rows with SKIP LOCKED and updates them, in a transaction
// at READ COMMITTED on MySQL (see readCommitted): at REPEATABLE READ InnoDB keeps locks on every row a
// scan passes (not only the matching ones), so two relays whose batch UPDATEs scan the table wait on
// each other's batches and deadlock.
func (r *OutboxRepo) claimTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return transact(ctx, r.db, fn, readCommitted(r.db)...)
}

// waiting is the condition of a row still on its way out: pending, enqueued, or sending with a lease
// that ran out before now.
func waiting(tx *gorm.DB, now time.Time) *gorm.DB {
	return tx.Where("status IN ? OR (status = ? AND lease_until < ?)",
		[]string{string(notify.NotificationPending), string(notify.NotificationEnqueued)}, string(notify.NotificationSending), now)
}

// GiveUpNotifications marks failed the waiting rows past their limits; see notify.OutboxStore. The
// rows are locked with SKIP LOCKED like StaleNotifications, so concurrent relays do not collide.
func (r *OutboxRepo) GiveUpNotifications(ctx context.Context, maxAttempts int, createdBefore, now time.Time, reason string, limit int) ([]int64, error) {
	var ids []int64
	err := r.claimTx(ctx, func(tx *gorm.DB) error {
		ids = nil
		err := waiting(tx.Model(&outboxRow{}), now).Where("attempts >= ? OR created_at < ?", maxAttempts, createdBefore).
			Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).Limit(limit).Pluck("id", &ids).Error
		if err != nil || len(ids) == 0 {
			return err
		}
		return tx.Model(&outboxRow{}).Where("id IN ?", ids).Updates(map[string]any{
			"status": string(notify.NotificationFailed), "lease_until": nil, "updated_at": now,
			"last_error": gorm.Expr("CASE WHEN last_error = '' THEN ? ELSE last_error END", truncate(reason, 500))}).Error
	})
	if err != nil {
		return nil, translate(err)
	}
	return ids, nil
}

// FailNotification marks one pending or enqueued row failed; see notify.OutboxStore.
func (r *OutboxRepo) FailNotification(ctx context.Context, id int64, now time.Time, lastErr string) (bool, error) {
	res := r.db.WithContext(ctx).Model(&outboxRow{}).
		Where("id = ? AND status IN ?", id, []string{string(notify.NotificationPending), string(notify.NotificationEnqueued)}).
		Updates(map[string]any{"status": string(notify.NotificationFailed), "lease_until": nil, "updated_at": now,
			"last_error": truncate(lastErr, 500)})
	return res.RowsAffected == 1, translate(res.Error)
}

// RequeueNotification puts a failed row back to pending; see notify.OutboxStore. The row starts
// over: its creation time becomes now, so the age limit counts from the requeue.
func (r *OutboxRepo) RequeueNotification(ctx context.Context, id int64, now time.Time) (notify.Notification, error) {
	db := r.db.WithContext(ctx)
	res := db.Model(&outboxRow{}).Where("id = ? AND status = ?", id, string(notify.NotificationFailed)).
		Updates(map[string]any{"status": string(notify.NotificationPending), "attempts": 0, "lease_until": nil,
			"enqueued_at": nil, "task_id": "", "created_at": now, "updated_at": now})
	if res.Error != nil {
		return notify.Notification{}, translate(res.Error)
	}
	var row outboxRow
	if err := db.Take(&row, id).Error; err != nil {
		return notify.Notification{}, translate(err)
	}
	if res.RowsAffected != 1 {
		return notify.Notification{}, fmt.Errorf("notification %d is %s, not failed: %w", id, row.Status, kernel.ErrConflict)
	}
	return r.toService(row)
}

// ListNotifications lists rows newest first; see notify.OutboxStore.
func (r *OutboxRepo) ListNotifications(ctx context.Context, f notify.OutboxFilter) ([]notify.Notification, error) {
	q := r.db.WithContext(ctx).Order("id DESC").Limit(f.Limit)
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	var rows []outboxRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]notify.Notification, len(rows))
	for i, row := range rows {
		n, err := r.toService(row)
		if err != nil {
			return nil, fmt.Errorf("notification %d: %w", row.ID, err)
		}
		out[i] = n
	}
	return out, nil
}

// CountNotifications counts rows by status, leaving out sent ones (the bulk of the table, which
// the status index lets the query skip).
func (r *OutboxRepo) CountNotifications(ctx context.Context) (map[notify.NotificationStatus]int, error) {
	var rows []struct {
		Status string
		N      int
	}
	err := r.db.WithContext(ctx).Model(&outboxRow{}).Select("status, COUNT(*) AS n").
		Where("status IN ?", []string{string(notify.NotificationPending), string(notify.NotificationEnqueued),
			string(notify.NotificationSending), string(notify.NotificationFailed)}).
		Group("status").Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make(map[notify.NotificationStatus]int, len(rows))
	for _, row := range rows {
		out[notify.NotificationStatus(row.Status)] = row.N
	}
	return out, nil
}
