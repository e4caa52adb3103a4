package repository

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/service/notify"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Delivering a notification takes two writes: the claim (the sending lease) and the outcome. On
// their own they cost a commit each, and a commit waits for the disk, so a worker running many
// deliveries at once spent its time waiting for commits one after another. The claims of
// concurrent deliveries are therefore combined into one transaction, and so are their outcomes
// (see combiner): a batch of N costs about what one did.

// maxOutboxBatch bounds the rows of one claim or outcome batch (the IN lists of its statements).
const maxOutboxBatch = 500

// outboxBatchesInFlight is how many claim batches (and how many outcome batches) of one process
// may run at once. More than one, so that a batch does not wait for the previous one's commit
// to start: the commit is mostly waiting for the disk and the network, during which the next
// batch's statements can run.
const outboxBatchesInFlight = 2

// outboxBatchTimeout bounds one batch's transaction, retries included.
const outboxBatchTimeout = 30 * time.Second

// errLeaseLost is a recorded outcome for a row that was no longer being sent.
var errLeaseLost = errors.New("notification lease lost")

type claimRequest struct {
	id              int64
	now, leaseUntil time.Time
}

// ClaimNotification takes the sending lease; see service.OutboxStore. The claim joins the claims
// of concurrent callers in one transaction (claimBatch). It does not return before its batch has
// ended, even when ctx is cancelled, so a claim is never left behind without its caller knowing.
func (r *OutboxRepo) ClaimNotification(ctx context.Context, id int64, now, leaseUntil time.Time) (notify.Notification, error) {
	return r.claims.do(ctx, claimRequest{id: id, now: now, leaseUntil: leaseUntil})
}

// claimBatch claims the rows of reqs in one transaction of two statements. A SELECT … FOR UPDATE
// reads and locks every requested row: the locked rows cannot change before the commit, so the
// rows it finds claimable (pending, enqueued, or sending with an expired lease) are the ones this
// batch wins, and it is at the same time the read the callers need to send. One UPDATE then
// leases the winners; the claimed notifications are the rows read with that UPDATE applied.
// Concurrent batches in this or other processes wait on the row locks and then see the lease,
// so of all claims of one row exactly one wins; a row asked for twice in one batch is won by the
// first request. On SQLite the transaction starts with the write lock (_txlock=immediate), which
// serialises batches instead.
//
// The batch is judged and leased at the latest now and leaseUntil of its requests: they were
// all taken moments before the batch started, so a lease runs at most that much longer.
func (r *OutboxRepo) claimBatch(ctx context.Context, reqs []claimRequest) ([]outcome[notify.Notification], error) {
	now, leaseUntil := reqs[0].now, reqs[0].leaseUntil
	ids := make([]int64, len(reqs))
	for i, req := range reqs {
		now, leaseUntil = later(now, req.now), later(leaseUntil, req.leaseUntil)
		ids[i] = req.id
	}
	var rows []outboxRow
	won := map[int64]bool{}
	err := r.claimTx(ctx, func(tx *gorm.DB) error {
		rows, won = nil, map[int64]bool{}
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("id IN ?", ids).Find(&rows).Error; err != nil {
			return err
		}
		winners := make([]int64, 0, len(rows))
		for _, row := range rows {
			if claimable(row, now) {
				winners = append(winners, row.ID)
				won[row.ID] = true
			}
		}
		if len(winners) == 0 {
			return nil
		}
		return tx.Model(&outboxRow{}).Where("id IN ?", winners).Updates(map[string]any{
			"status": string(notify.NotificationSending), "lease_until": leaseUntil,
			"attempts": gorm.Expr("attempts + 1"), "updated_at": now}).Error
	})
	if err != nil {
		return nil, translate(err)
	}
	byID := make(map[int64]outboxRow, len(rows))
	for _, row := range rows {
		byID[row.ID] = row
	}
	outs := make([]outcome[notify.Notification], len(reqs))
	for i, req := range reqs {
		row, found := byID[req.id]
		switch {
		case !found:
			outs[i].err = fmt.Errorf("notification %d: %w", req.id, translate(gorm.ErrRecordNotFound))
		case !won[req.id]:
			outs[i].err = notify.ErrAlreadyDelivered
		default:
			delete(won, req.id) // a second request for the row in this batch loses
			row.Status, row.Attempts, row.LeaseUntil, row.UpdatedAt = string(notify.NotificationSending), row.Attempts+1, &leaseUntil, now
			outs[i].val, outs[i].err = r.toService(row)
		}
	}
	return outs, nil
}

// claimable reports whether row may be leased at now: the condition of waiting, in Go.
func claimable(row outboxRow, now time.Time) bool {
	switch notify.NotificationStatus(row.Status) {
	case notify.NotificationPending, notify.NotificationEnqueued:
		return true
	case notify.NotificationSending:
		return row.LeaseUntil != nil && row.LeaseUntil.Before(now)
	}
	return false
}

type finishRequest struct {
	id      int64
	status  notify.NotificationStatus
	now     time.Time
	lastErr string
}

// FinishNotification records the outcome of a claimed notification; see service.OutboxStore. The
// outcome joins those of concurrent callers in one transaction (finishBatch).
func (r *OutboxRepo) FinishNotification(ctx context.Context, id int64, status notify.NotificationStatus, now time.Time, lastErr string) error {
	_, err := r.outcomes.do(ctx, finishRequest{id: id, status: status, now: now, lastErr: truncate(lastErr, 500)})
	return err
}

// finishBatch records the outcomes of reqs in one transaction: one UPDATE per distinct outcome
// (all sent rows share one; failures differ by their error), each guarded by the row still being
// sent. If a row was not (its lease ran out and another worker took it over), the transaction is
// rolled back and each outcome recorded on its own, so that only that row's caller hears of it.
// Outcomes are written at the latest now of the batch.
func (r *OutboxRepo) finishBatch(ctx context.Context, reqs []finishRequest) ([]outcome[struct{}], error) {
	type result struct {
		status  notify.NotificationStatus
		lastErr string
	}
	now := reqs[0].now
	groups := map[result][]int64{}
	var order []result
	for _, req := range reqs {
		now = later(now, req.now)
		k := result{req.status, req.lastErr}
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], req.id)
	}
	// At the default isolation level: the statements touch only the listed rows, by primary key
	// (all exist: they were claimed), so there are no gap locks to avoid, and READ COMMITTED
	// would cost a round trip of its own (SET TRANSACTION) on every batch.
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		for _, k := range order {
			ids := groups[k]
			res := tx.Model(&outboxRow{}).Where("id IN ? AND status = ?", ids, string(notify.NotificationSending)).
				Updates(finishColumns(k.status, k.lastErr, now))
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != int64(len(ids)) {
				return errLeaseLost
			}
		}
		return nil
	})
	outs := make([]outcome[struct{}], len(reqs))
	if errors.Is(err, errLeaseLost) {
		for i, req := range reqs {
			outs[i].err = r.finishOne(ctx, req)
		}
		return outs, nil
	}
	return outs, translate(err)
}

// finishOne records one outcome in its own statement.
func (r *OutboxRepo) finishOne(ctx context.Context, req finishRequest) error {
	res := r.db.WithContext(ctx).Model(&outboxRow{}).Where("id = ? AND status = ?", req.id, string(notify.NotificationSending)).
		Updates(finishColumns(req.status, req.lastErr, req.now))
	if res.Error == nil && res.RowsAffected != 1 {
		return fmt.Errorf("notification %d: %w", req.id, errLeaseLost)
	}
	return translate(res.Error)
}

// finishColumns are the columns an outcome sets.
func finishColumns(status notify.NotificationStatus, lastErr string, now time.Time) map[string]any {
	cols := map[string]any{"status": string(status), "lease_until": nil, "updated_at": now, "last_error": lastErr}
	if status == notify.NotificationSent {
		cols["sent_at"] = now
	}
	return cols
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
