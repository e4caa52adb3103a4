package repository

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/beian/beian/service/verification"
	"gorm.io/gorm"
)

// A scan consumes a single-use QR token, and under load scans arrive together: one statement and
// one commit each made the database's round trips the cost of a scan. Concurrent scans are
// therefore combined (see combiner) into one transaction that locks their tokens, decides the
// winners in Go and marks them by primary key; a scan arriving alone keeps its single autocommit
// statement. Either way the scan reads the token's verification and order in the same query, so
// describing the order to the person costs no read of its own.

// maxScanBatch bounds the tokens of one scan batch (the IN list of its SELECT).
const maxScanBatch = 100

// scanBatchesInFlight is how many scan batches of one process may run at once. One: scans queue
// behind the running batch and the next batch takes all of them. On the 2-core load machine this
// beat two batches in flight (as the outbox runs) by about 1.25× in scans/s, with about 0.6× the
// database CPU per scan: the batches are twice as large, so a scan's share of the statements and
// the commit halves.
const scanBatchesInFlight = 1

// scanBatchTimeout bounds one scan batch's transaction, retries included.
const scanBatchTimeout = 10 * time.Second

type scanRequest struct {
	hash string
	now  time.Time
}

type scanOutcome struct {
	scanned verification.Scanned
	won     bool
}

// ConsumeToken uses the token unless it is used, revoked or expired at now; see
// verification.VerificationStore. Exactly one caller wins a token: a scan alone updates it in one
// conditional statement (consumeOne), concurrent scans share one transaction holding their tokens'
// row locks (consumeTogether). It does not return before its batch has ended, even when ctx is
// cancelled, so a caller always learns whether its scan won.
func (r *VerificationRepo) ConsumeToken(ctx context.Context, hash string, now time.Time) (verification.Scanned, bool, error) {
	out, err := r.scans.do(ctx, scanRequest{hash: hash, now: now})
	return out.scanned, out.won, err
}

// consumeBatch answers one batch of scans (see combiner): a lone scan on MySQL in consumeOne,
// several in consumeTogether, and on SQLite in consumeInTurn.
func (r *VerificationRepo) consumeBatch(ctx context.Context, reqs []scanRequest) ([]outcome[scanOutcome], error) {
	switch {
	case r.db.Name() != "mysql":
		return r.consumeInTurn(ctx, reqs)
	case len(reqs) == 1:
		out, err := r.consumeOne(ctx, reqs[0])
		return []outcome[scanOutcome]{{val: out, err: err}}, nil
	}
	return r.consumeTogether(ctx, reqs)
}

// scanSet is the token's and its verification's change on a scan, for statements that join the
// verification as v (only when the token is its current one and it is pending) to the token as t.
const scanSet = `UPDATE verification_tokens t LEFT JOIN verifications v
	ON v.id = t.verification_id AND v.token_id = t.id AND v.state = ?
	SET t.used_at = ?, v.state = ?, v.scanned_at = ?, v.attempts = 0, v.reasons = '', v.updated_at = ? `

// consumeOne is a lone scan on MySQL in one autocommit statement: scanSet on the token if it is
// unused, unrevoked and unexpired. It matches 1 row (the token alone), 2 (the token and its
// verification) or 0 (someone else won, or the token is spent, revoked or expired); the driver
// reports matched rows (clientFoundRows). The SELECT after it reads the token, the verification
// and the order as stored then: if a refresh replaced the token in between, the verification no
// longer names it and the scan is not current. Two round trips, one commit, no transaction held
// open across round trips.
func (r *VerificationRepo) consumeOne(ctx context.Context, req scanRequest) (scanOutcome, error) {
	res, err := execRetrying(ctx, r.db, scanSet+`WHERE t.token_hash = ? AND t.used_at IS NULL AND t.revoked_at IS NULL
		AND t.expires_at > ?`, string(verification.VerificationPending), req.now, string(verification.VerificationScanned),
		req.now, req.now, req.hash, req.now)
	if err != nil {
		return scanOutcome{}, translate(err)
	}
	matched, err := res.RowsAffected()
	if err != nil || matched == 0 {
		return scanOutcome{}, translate(err)
	}
	var row scannedRow
	if err := r.db.Statement.ConnPool.QueryRowContext(ctx, scannedQuery+" WHERE t.token_hash = ?", req.hash).
		Scan(row.dest()...); err != nil {
		return scanOutcome{}, translate(err)
	}
	scanned, err := r.toScanned(row)
	if err != nil {
		return scanOutcome{}, err
	}
	scanned.Current = matched == 2 && row.v.TokenID == row.t.ID
	return scanOutcome{scanned: scanned, won: true}, nil
}

// consumeTogether runs the scans of reqs in one transaction. One SELECT … FOR UPDATE reads and
// locks every requested token with its verification and order: the locked rows cannot change
// before the commit, so the tokens it finds usable are the ones this batch wins, and the
// verifications it finds pending on them the ones it moves to scanned. One UPDATE by primary key
// then marks them. Concurrent batches in this or other processes wait on the row locks and then
// see the token used, so of all scans of a token exactly one wins; a token asked for twice in one
// batch is won by the first request. A deadlock is rolled back by the server and the transaction
// run again (transact). MySQL only: SQLite has neither FOR UPDATE nor multi-table UPDATEs.
//
// Each scan is judged at its own now; the batch writes the latest now of its requests (used_at,
// scanned_at): they were all taken moments before the batch started.
func (r *VerificationRepo) consumeTogether(ctx context.Context, reqs []scanRequest) ([]outcome[scanOutcome], error) {
	now := reqs[0].now
	hashes := make([]string, 0, len(reqs))
	asked := make(map[string]bool, len(reqs))
	for _, req := range reqs {
		now = later(now, req.now)
		if !asked[req.hash] {
			asked[req.hash] = true
			hashes = append(hashes, req.hash)
		}
	}
	var won []*scannedRow // per request; nil: lost
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		rows, err := r.lockScanned(ctx, tx, hashes)
		if err != nil {
			return err
		}
		byHash := make(map[string]*scannedRow, len(rows))
		for i := range rows {
			byHash[rows[i].t.TokenHash] = &rows[i]
		}
		won = make([]*scannedRow, len(reqs))
		for i, req := range reqs {
			row := byHash[req.hash]
			if row == nil || row.won || !usable(row.t, req.now) {
				continue
			}
			row.won = true
			row.current = row.v.TokenID == row.t.ID && row.v.State == string(verification.VerificationPending)
			won[i] = row
		}
		return r.markScanned(ctx, tx, rows, now)
	})
	if err != nil {
		return nil, translate(err)
	}
	return r.scanOutcomes(won), nil
}

// scanOutcomes answers a batch's scans from the rows they won (nil: lost), in request order.
func (r *VerificationRepo) scanOutcomes(won []*scannedRow) []outcome[scanOutcome] {
	outs := make([]outcome[scanOutcome], len(won))
	for i, row := range won {
		if row != nil {
			scanned, err := r.toScanned(*row)
			scanned.Current = row.current
			outs[i] = outcome[scanOutcome]{val: scanOutcome{scanned: scanned, won: err == nil}, err: err}
		}
	}
	return outs
}

// usable reports whether t can be scanned at now: the condition of ConsumeToken, in Go.
func usable(t verificationTokenRow, now time.Time) bool {
	return t.UsedAt == nil && t.RevokedAt == nil && t.ExpiresAt.After(now)
}

// lockScanned reads and locks the tokens with these hashes, each with its verification and order.
func (r *VerificationRepo) lockScanned(ctx context.Context, tx *gorm.DB, hashes []string) ([]scannedRow, error) {
	query := scannedQuery + " WHERE t.token_hash IN (" + placeholders(len(hashes)) + ") FOR UPDATE"
	args := make([]any, len(hashes))
	for i, h := range hashes {
		args[i] = h
	}
	rs, err := tx.Statement.ConnPool.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	rows := make([]scannedRow, 0, len(hashes))
	for rs.Next() {
		var row scannedRow
		if err := rs.Scan(row.dest()...); err != nil {
			return nil, err
		}
		rows = append(rows, row)
	}
	return rows, rs.Err()
}

// markScanned writes the batch's outcome, judged on locked rows: the won tokens used at now, the
// current verifications scanned at now; and applies the same to rows. A statement matching other
// rows than judged would mean a wrong judgement, and rolls the batch back.
func (r *VerificationRepo) markScanned(ctx context.Context, tx *gorm.DB, rows []scannedRow, now time.Time) error {
	var tokens, current []any
	for _, row := range rows {
		if row.won {
			tokens = append(tokens, row.t.ID)
		}
		if row.current {
			current = append(current, row.v.ID)
		}
	}
	if len(tokens) == 0 {
		return nil
	}
	pending, scanned := string(verification.VerificationPending), string(verification.VerificationScanned)
	if err := execMatching(ctx, tx, len(tokens)+len(current), scanSet+"WHERE t.id IN ("+placeholders(len(tokens))+")",
		append([]any{pending, now, scanned, now, now}, tokens...)...); err != nil {
		return err
	}
	for i := range rows {
		row := &rows[i]
		if row.won {
			row.t.UsedAt = &now
		}
		if row.current {
			row.v.State, row.v.ScannedAt, row.v.Attempts, row.v.Reasons, row.v.UpdatedAt = scanned, &now, 0, "", now
		}
	}
	return nil
}

// scannedQuery reads tokens (but their sealed value) with their verifications and orders, in the
// order of scannedRow.dest.
var scannedQuery = "SELECT t.id, t.verification_id, t.token_hash, t.expires_at, t.used_at, t.revoked_at, t.created_at, " +
	"v.id, v.owner_id, v.order_id, v.person_role, v.service_id, v.state, v.token_id, v.token_expires_at, v.scanned_at, " +
	"v.attempts, v.reasons, v.identity_verified, v.consent_at, v.pending_photo_key, v.photo_key, v.confirmed_at, " +
	"v.created_at, v.updated_at, v.person_enc, o." + strings.ReplaceAll(orderColumns, ", ", ", o.") +
	" FROM verification_tokens t JOIN verifications v ON v.id = t.verification_id JOIN orders o ON o.id = v.order_id"

// scannedRow is a row of scannedQuery, with a batch's judgement of it.
type scannedRow struct {
	t            verificationTokenRow
	v            verificationRow
	o            orderRow
	won, current bool
}

func (row *scannedRow) dest() []any {
	t, v := &row.t, &row.v
	return append([]any{&t.ID, &t.VerificationID, &t.TokenHash, &t.ExpiresAt, &t.UsedAt, &t.RevokedAt, &t.CreatedAt,
		&v.ID, &v.OwnerID, &v.OrderID, &v.PersonRole, &v.ServiceID, &v.State, &v.TokenID, &v.TokenExpiresAt, &v.ScannedAt,
		&v.Attempts, &v.Reasons, &v.IdentityVerified, &v.ConsentAt, &v.PendingPhotoKey, &v.PhotoKey, &v.ConfirmedAt,
		&v.CreatedAt, &v.UpdatedAt, &v.PersonEnc}, row.o.dest()...)
}

// toScanned opens the row's verification and order (Current left false).
func (r *VerificationRepo) toScanned(row scannedRow) (verification.Scanned, error) {
	v, err := r.toService(row.v)
	if err != nil {
		return verification.Scanned{}, err
	}
	o, err := r.orders.toService(row.o)
	if err != nil {
		return verification.Scanned{}, err
	}
	return verification.Scanned{Token: row.t.toService(), Verification: v, Order: o}, nil
}

// execMatching runs a statement of a scan batch that must match exactly want rows.
func execMatching(ctx context.Context, tx *gorm.DB, want int, query string, args ...any) error {
	res, err := tx.Statement.ConnPool.ExecContext(ctx, query, args...)
	if err != nil {
		return err
	}
	matched, err := res.RowsAffected()
	if err == nil && matched != int64(want) {
		err = fmt.Errorf("scan batch statement matched %d rows, judged %d", matched, want)
	}
	return err
}

// placeholders is n comma-separated question marks, for an IN list.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
