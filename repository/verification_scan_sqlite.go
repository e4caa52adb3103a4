package repository

import (
	"context"

	"github.com/beian/beian/service/verification"
	"gorm.io/gorm"
)

// consumeInTurn runs the scans of reqs on SQLite, in one transaction but one after another: for
// each, the conditional UPDATE of its token (a write first, so that the transaction holds SQLite's
// one write lock from its start instead of failing to upgrade a read), the SELECT of the token with
// its verification and order, and the verification marked scanned by primary key if it is pending
// on that token. A token asked for twice is won by the first request: the second UPDATE matches
// nothing.
func (r *VerificationRepo) consumeInTurn(ctx context.Context, reqs []scanRequest) ([]outcome[scanOutcome], error) {
	var rows []*scannedRow // per request; nil: lost
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		rows = make([]*scannedRow, len(reqs))
		pool := tx.Statement.ConnPool
		for i, req := range reqs {
			res, err := pool.ExecContext(ctx, `UPDATE verification_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL
				AND revoked_at IS NULL AND expires_at > ?`, req.now, req.hash, req.now)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				if err != nil {
					return err
				}
				continue // used, revoked, expired or unknown
			}
			row := &scannedRow{won: true}
			if err := pool.QueryRowContext(ctx, scannedQuery+" WHERE t.token_hash = ?", req.hash).Scan(row.dest()...); err != nil {
				return err
			}
			rows[i] = row
			if row.v.TokenID != row.t.ID || row.v.State != string(verification.VerificationPending) {
				continue
			}
			if err := execMatching(ctx, tx, 1, `UPDATE verifications SET state = ?, scanned_at = ?, attempts = 0, reasons = '',
				updated_at = ? WHERE id = ?`, string(verification.VerificationScanned), req.now, req.now, row.v.ID); err != nil {
				return err
			}
			row.current, row.v.State, row.v.ScannedAt = true, string(verification.VerificationScanned), &req.now
			row.v.Attempts, row.v.Reasons, row.v.UpdatedAt = 0, "", req.now
		}
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return r.scanOutcomes(rows), nil
}
