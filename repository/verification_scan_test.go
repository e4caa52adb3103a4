package repository_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/verification"
)

// insertToken adds a token of the verification by hand (no refresh, so earlier tokens stay live),
// used at usedAt when it is not nil, and returns its hash.
func (f verifyFixture) insertToken(t *testing.T, verificationID int64, name string, expiresAt time.Time, usedAt *time.Time) string {
	t.Helper()
	hash := kernel.HashToken(name)
	if err := f.db.Exec(`INSERT INTO verification_tokens (verification_id, token_hash, token_enc, expires_at, used_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, verificationID, hash, []byte{0}, expiresAt, usedAt, f.clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	return hash
}

// TestConsumeTokenBatchJudgesEachToken: one batch of scans holding winners and losers of every
// kind. The current tokens win and move their verifications to scanned; a live token that is not
// its verification's current one wins without moving it; a token asked for twice is won by the
// first request only; revoked, used, expired and unknown tokens lose and stay as they were.
func TestConsumeTokenBatchJudgesEachToken(t *testing.T) {
	t.Parallel()
	f := newVerifyFixture(t)
	ctx := context.Background()
	subjectID, subject := f.issue(t, filing.PersonRef{Role: filing.RoleSubjectPrincipal})
	serviceID, replaced := f.issue(t, filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 5})
	_, service := f.issue(t, filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 5})
	now := f.clock.Now()
	stray := f.insertToken(t, subjectID, "stray", now.Add(time.Minute), nil)
	used := f.insertToken(t, subjectID, "used", now.Add(time.Minute), &now)
	expired := f.insertToken(t, subjectID, "expired", now.Add(-time.Second), nil)
	f.clock.Advance(time.Second)
	now = f.clock.Now()

	tests := []struct {
		name           string
		hash           string
		won, current   bool
		verificationID int64 // of the scan's answer (0 when it lost)
		usedByBatch    bool  // the token is stored used at the batch's time
	}{
		{"current token", kernel.HashToken(subject), true, true, subjectID, true},
		{"replaced token", kernel.HashToken(replaced), false, false, 0, false},
		{"live token that is not current", stray, true, false, subjectID, true},
		{"current token of another verification", kernel.HashToken(service), true, true, serviceID, true},
		{"same token again", kernel.HashToken(subject), false, false, 0, true},
		{"used token", used, false, false, 0, false},
		{"expired token", expired, false, false, 0, false},
		{"unknown token", kernel.HashToken("nobody"), false, false, 0, false},
	}
	hashes := make([]string, len(tests))
	for i, tt := range tests {
		hashes[i] = tt.hash
	}
	scanned, won, err := repository.ConsumeTokenBatch(ctx, f.repo, hashes, now)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scanned[i]
			if won[i] != tt.won || got.Current != tt.current || got.Verification.ID != tt.verificationID {
				t.Fatalf("won %v, current %v, verification %d; want %v, %v, %d", won[i], got.Current, got.Verification.ID,
					tt.won, tt.current, tt.verificationID)
			}
			tok, err := f.repo.TokenByHash(ctx, tt.hash)
			if usedByBatch := err == nil && tok.UsedAt != nil && tok.UsedAt.Equal(now); usedByBatch != tt.usedByBatch {
				t.Fatalf("stored token %+v (%v): used by the batch %v, want %v", tok, err, usedByBatch, tt.usedByBatch)
			}
			if !tt.won {
				return
			}
			if got.Token.Hash != tt.hash || got.Token.UsedAt == nil || !got.Token.UsedAt.Equal(now) || got.Order.ID != f.orderID ||
				got.Order.Proposal.Subject.Principal.Name != "张三" {
				t.Fatalf("scanned %+v", got)
			}
			if tt.current && (got.Verification.State != verification.VerificationScanned || !got.Verification.ScannedAt.Equal(now)) {
				t.Fatalf("current scan left the verification %+v", got.Verification)
			}
		})
	}
	for _, id := range []int64{subjectID, serviceID} {
		if v, err := f.repo.Verification(ctx, id); err != nil || v.State != verification.VerificationScanned || !v.ScannedAt.Equal(now) {
			t.Fatalf("stored verification %d: %+v %v; want scanned at the batch's time", id, v, err)
		}
	}
}

// TestScansOfManyReplicasWinEachTokenOnce: scanners on two repositories (two processes, each
// combining its own scans) scan the same tokens in shuffled orders, so that batches of both hold
// the same tokens at once; each token is won exactly once.
func TestScansOfManyReplicasWinEachTokenOnce(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	f := newVerifyFixture(t)
	ctx := context.Background()
	id, _ := f.issue(t, filing.PersonRef{Role: filing.RoleSubjectPrincipal})
	const tokens, scannersPerReplica = 60, 8
	hashes := make([]string, tokens)
	for i := range hashes {
		hashes[i] = f.insertToken(t, id, fmt.Sprintf("token-%d", i), f.clock.Now().Add(time.Hour), nil)
	}
	replicas := []*repository.VerificationRepo{f.repo, repository.NewVerificationRepo(f.db, newCipher(t), repository.NewOrderRepo(f.db, newCipher(t)))}
	wins := make([]atomic.Int64, tokens)
	var wg sync.WaitGroup
	for _, r := range replicas {
		for range scannersPerReplica {
			wg.Go(func() {
				for _, i := range rand.Perm(tokens) {
					_, won, err := r.ConsumeToken(ctx, hashes[i], f.clock.Now())
					if err != nil {
						t.Errorf("token %d: %v", i, err)
						return
					}
					if won {
						wins[i].Add(1)
					}
				}
			})
		}
	}
	wg.Wait()
	for i := range wins {
		if n := wins[i].Load(); n != 1 {
			t.Fatalf("token %d won %d times, want once", i, n)
		}
	}
}
