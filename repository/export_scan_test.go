package repository

import (
	"context"
	"time"

	"github.com/beian/beian/service/verification"
)

// ConsumeTokenBatch runs the scans of hashes as one batch, as concurrent ConsumeToken calls
// combined into one would run, and returns each scan's outcome in order.
func ConsumeTokenBatch(ctx context.Context, r *VerificationRepo, hashes []string, now time.Time) ([]verification.Scanned, []bool, error) {
	reqs := make([]scanRequest, len(hashes))
	for i, h := range hashes {
		reqs[i] = scanRequest{hash: h, now: now}
	}
	outs, err := r.consumeBatch(ctx, reqs)
	if err != nil {
		return nil, nil, err
	}
	scanned, won := make([]verification.Scanned, len(outs)), make([]bool, len(outs))
	for i, o := range outs {
		if o.err != nil {
			return nil, nil, o.err
		}
		scanned[i], won[i] = o.val.scanned, o.val.won
	}
	return scanned, won, nil
}
