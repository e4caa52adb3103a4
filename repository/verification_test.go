package repository_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/clocktest"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/verification"
	"gorm.io/gorm"
)

// countingSessions mints opaque session tokens and counts them.
type countingSessions struct{ issued atomic.Int64 }

func (s *countingSessions) IssueVerificationSession(v verification.VerificationSession, now time.Time) (string, time.Time, error) {
	s.issued.Add(1)
	return "session", now.Add(verification.VerificationSessionTTL), nil
}

type verifyFixture struct {
	repo     *repository.VerificationRepo
	v        *verification.Verifications
	clock    *clocktest.Clock
	sessions *countingSessions
	ownerID  int64
	orderID  int64
	db       *gorm.DB
}

func newVerifyFixture(t *testing.T) verifyFixture {
	t.Helper()
	db := dbtest.New(t)
	if db.Dialect == repository.SQLite {
		// SQLite admits one writer at a time and makes the others wait in a sleeping busy handler;
		// a few connections keep the 200 scanners queueing in the pool instead (the race is the same).
		sqlDB, err := db.Gorm.DB()
		if err != nil {
			t.Fatal(err)
		}
		sqlDB.SetMaxOpenConns(4)
	}
	u, err := repository.NewUserRepo(db.Gorm).CreateUser(context.Background(),
		account.User{Phone: "13800138000", Role: account.RoleApplicant, CreatedAt: kernel.SystemClock()})
	if err != nil {
		t.Fatal(err)
	}
	cipher := newCipher(t)
	orders := repository.NewOrderRepo(db.Gorm, cipher)
	var services []filing.ServiceInfo // the services the tests verify the principals of
	for _, id := range []int64{3, 5, 7} {
		s := site(id, fmt.Sprintf("example%d.cn", id))
		s.Principal = filing.Person{Name: "李四", DocType: 2, DocNumber: "110105199005152468"}
		services = append(services, s)
	}
	o, err := orders.CreateOrder(context.Background(), filing.Order{AccountID: u.ID, Type: filing.OrderNewFiling,
		Status: filing.StatusDraft, Proposal: filing.Proposal{Subject: companySubject("91440300MA5XXXXXX1"),
			Services: services, NextServiceID: 8}, CreatedAt: kernel.SystemClock(), UpdatedAt: kernel.SystemClock()})
	if err != nil {
		t.Fatal(err)
	}
	f := verifyFixture{repo: repository.NewVerificationRepo(db.Gorm, cipher, repository.NewOrderRepo(db.Gorm, cipher)), clock: clocktest.New(kernel.SystemClock()),
		sessions: &countingSessions{}, ownerID: u.ID, orderID: o.ID, db: db.Gorm}
	f.v = verification.NewVerifications(verification.VerificationsConfig{Store: f.repo, Parties: verification.NewOrderParties(orders),
		Sessions: f.sessions, QRBaseURL: "beian://verify?token=", Now: f.clock.Now})
	return f
}

func (f verifyFixture) issue(t *testing.T, person filing.PersonRef) (int64, string) {
	t.Helper()
	q, err := f.v.RequestQR(context.Background(), f.ownerID, f.orderID, person)
	if err != nil {
		t.Fatal(err)
	}
	return q.VerificationID, q.URL[len("beian://verify?token="):]
}

// TestScanWinsExactlyOnce: 200 goroutines scan one token, 200 times over (a refresh before each
// round); exactly one scan wins each round, the others are QR_USED. The replaced tokens then
// answer QR_REVOKED, and the last token, 30 minutes on, QR_EXPIRED.
func TestScanWinsExactlyOnce(t *testing.T) {
	t.Parallel()
	f := newVerifyFixture(t)
	ctx := context.Background()
	const rounds, scanners = 200, 200
	var tokens []string
	for round := range rounds {
		_, token := f.issue(t, filing.PersonRef{Role: filing.RoleSubjectPrincipal})
		tokens = append(tokens, token)
		var wins, used atomic.Int64
		var wg sync.WaitGroup
		for range scanners {
			wg.Go(func() {
				_, err := f.v.Scan(ctx, token)
				switch {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, verification.ErrQRUsed):
					used.Add(1)
				default:
					t.Errorf("round %d: scan: %v", round, err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 || used.Load() != scanners-1 {
			t.Fatalf("round %d: %d scans won and %d were QR_USED; want 1 and %d", round, wins.Load(), used.Load(), scanners-1)
		}
	}
	if got := f.sessions.issued.Load(); got != rounds {
		t.Fatalf("%d sessions issued over %d rounds, want %d", got, rounds, rounds)
	}
	_, fresh := f.issue(t, filing.PersonRef{Role: filing.RoleSubjectPrincipal})
	for _, old := range []string{tokens[0], tokens[rounds-1]} {
		if _, err := f.v.Scan(ctx, old); !errors.Is(err, verification.ErrQRRevoked) {
			t.Fatalf("replaced token: %v, want QR_REVOKED", err)
		}
	}
	f.clock.Advance(verification.VerificationQRTTL)
	if _, err := f.v.Scan(ctx, fresh); !errors.Is(err, verification.ErrQRExpired) {
		t.Fatalf("token after 30 minutes: %v, want QR_EXPIRED", err)
	}
	if _, err := f.v.Scan(ctx, "no-such-token"); !errors.Is(err, verification.ErrQRNotFound) {
		t.Fatalf("unknown token: %v, want QR_NOT_FOUND", err)
	}
}

func TestExpiredQRReadsExpiredAndCannotBeRendered(t *testing.T) {
	t.Parallel()
	f := newVerifyFixture(t)
	ctx := context.Background()
	id, _ := f.issue(t, filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 7})
	if _, err := f.v.QRURL(ctx, f.ownerID, id); err != nil {
		t.Fatalf("fresh QR: %v", err)
	}
	f.clock.Advance(verification.VerificationQRTTL - time.Microsecond)
	if v, err := f.v.Get(ctx, f.ownerID, id); err != nil || v.State != verification.VerificationPending {
		t.Fatalf("just before expiry: %v %v, want pending", v.State, err)
	}
	f.clock.Advance(time.Microsecond)
	if v, err := f.v.Get(ctx, f.ownerID, id); err != nil || v.State != verification.VerificationExpired {
		t.Fatalf("at expiry: %v %v, want expired", v.State, err)
	}
	if _, err := f.v.QRURL(ctx, f.ownerID, id); !errors.Is(err, verification.ErrQRExpired) {
		t.Fatalf("expired QR rendered: %v", err)
	}
	if _, err := f.v.Get(ctx, f.ownerID+1, id); !errors.Is(err, kernel.ErrNotFound) {
		t.Fatalf("another account's verification: %v, want not found", err)
	}
}

// TestQRURLReadsTheCurrentTokenOfTheOwner: the QR image's one read gives the owner the current
// token's URL; another account, an unknown id and a replaced token get nothing.
func TestQRURLReadsTheCurrentTokenOfTheOwner(t *testing.T) {
	t.Parallel()
	f := newVerifyFixture(t)
	ctx := context.Background()
	person := filing.PersonRef{Role: filing.RoleSubjectPrincipal}
	id, first := f.issue(t, person)
	url, err := f.v.QRURL(ctx, f.ownerID, id)
	if err != nil || !strings.HasSuffix(url, first) {
		t.Fatalf("QRURL = %q, %v; want the URL of %q", url, err, first)
	}
	if _, err := f.v.QRURL(ctx, f.ownerID+1, id); !errors.Is(err, kernel.ErrNotFound) {
		t.Fatalf("another account's QR: %v, want not found", err)
	}
	if _, err := f.v.QRURL(ctx, f.ownerID, id+1000); !errors.Is(err, kernel.ErrNotFound) {
		t.Fatalf("unknown verification's QR: %v, want not found", err)
	}
	again, second := f.issue(t, person)
	if again != id || second == first {
		t.Fatalf("a new QR code for the same person: verification %d token %q, want %d and a new token", again, second, id)
	}
	if url, err := f.v.QRURL(ctx, f.ownerID, id); err != nil || !strings.HasSuffix(url, second) {
		t.Fatalf("after a new code, QRURL = %q, %v; want the URL of the new token", url, err)
	}
}

// TestConfirmationsCountOnlyConfirmed drives the store through each state and checks which
// persons Confirmations reports; a new QR code keeps the last confirmation.
func TestConfirmationsCountOnlyConfirmed(t *testing.T) {
	t.Parallel()
	f := newVerifyFixture(t)
	ctx := context.Background()
	subject := filing.PersonRef{Role: filing.RoleSubjectPrincipal}
	site := filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 3}
	confirmed := func() []filing.PersonRef {
		t.Helper()
		got, err := f.repo.Confirmations(ctx, f.orderID)
		if err != nil {
			t.Fatal(err)
		}
		var refs []filing.PersonRef
		for _, c := range got {
			refs = append(refs, c.Person)
		}
		return refs
	}
	subjectID, subjectToken := f.issue(t, subject)
	siteID, siteToken := f.issue(t, site)
	if got := confirmed(); len(got) != 0 {
		t.Fatalf("pending verifications confirmed: %v", got)
	}
	subjectTok := f.scanAndAttempt(t, subjectID, subjectToken, true)
	siteTok := f.scanAndAttempt(t, siteID, siteToken, false)
	if got := confirmed(); len(got) != 0 {
		t.Fatalf("passed or failed verifications confirmed: %v", got)
	}
	if _, ok, err := f.repo.ConfirmVerification(ctx, siteID, siteTok, f.clock.Now()); err != nil || ok {
		t.Fatalf("confirm a failed verification: %v %v, want refused", ok, err)
	}
	if _, ok, err := f.repo.ConfirmVerification(ctx, subjectID, subjectTok, f.clock.Now()); err != nil || !ok {
		t.Fatalf("confirm a passed verification: %v %v", ok, err)
	}
	if got := confirmed(); !slices.Equal(got, []filing.PersonRef{subject}) {
		t.Fatalf("confirmed persons = %v, want only the subject principal", got)
	}
	v, err := f.repo.Verification(ctx, subjectID)
	if err != nil || v.PhotoKey == "" || v.PendingPhotoKey != "" || v.ConfirmedAt == nil {
		t.Fatalf("confirmed verification = %+v, %v: want the pending photo moved to the photo", v, err)
	}
	if _, dropped, err := f.repo.IssueVerificationToken(ctx, verification.Verification{OwnerID: f.ownerID, OrderID: f.orderID,
		Person: subject, State: verification.VerificationPending, TokenExpiresAt: f.clock.Now().Add(time.Minute),
		CreatedAt: f.clock.Now(), UpdatedAt: f.clock.Now()},
		verification.VerificationToken{Token: "t2", Hash: kernel.HashToken("t2"), ExpiresAt: f.clock.Now().Add(time.Minute),
			CreatedAt: f.clock.Now()}); err != nil || len(dropped) != 0 {
		t.Fatalf("restart: dropped %v, %v; want the confirmed photo kept", dropped, err)
	}
	if got := confirmed(); !slices.Equal(got, []filing.PersonRef{subject}) {
		t.Fatalf("a new QR code dropped the earlier confirmation: %v", got)
	}
	if w, err := f.repo.Verification(ctx, subjectID); err != nil || w.State != verification.VerificationPending || w.PhotoKey != v.PhotoKey {
		t.Fatalf("restarted verification = %+v, %v: want pending with the confirmed photo kept", w, err)
	}
}

// scanAndAttempt scans the token and records one attempt with the given outcome; it returns the
// token id.
func (f verifyFixture) scanAndAttempt(t *testing.T, id int64, token string, passed bool) int64 {
	t.Helper()
	ctx := context.Background()
	scanned, won, err := f.repo.ConsumeToken(ctx, kernel.HashToken(token), f.clock.Now())
	if err != nil || !won {
		t.Fatalf("scan: %v %v", won, err)
	}
	tok := scanned.Token
	n, ok, err := f.repo.ReserveAttempt(ctx, id, tok.ID, verification.FaceAttemptsPerSession, f.clock.Now())
	if err != nil || !ok || n != 1 {
		t.Fatalf("reserve: %d %v %v", n, ok, err)
	}
	a := verification.FaceAttempt{VerificationID: id, TokenID: tok.ID, Number: n, Passed: passed, ConsentAt: f.clock.Now(),
		CreatedAt: f.clock.Now()}
	if passed {
		a.PhotoKey = "verifications/photo.jpg"
	} else {
		a.Reasons = []string{"NO_FACE"}
	}
	if _, ok, err := f.repo.RecordAttempt(ctx, a); err != nil || !ok {
		t.Fatalf("record: %v %v", ok, err)
	}
	return tok.ID
}

func TestAttemptsAreBounded(t *testing.T) {
	t.Parallel()
	f := newVerifyFixture(t)
	ctx := context.Background()
	id, token := f.issue(t, filing.PersonRef{Role: filing.RoleSubjectPrincipal})
	scanned, won, err := f.repo.ConsumeToken(ctx, kernel.HashToken(token), f.clock.Now())
	if err != nil || !won {
		t.Fatalf("scan: %v %v", won, err)
	}
	tok := scanned.Token
	var wg sync.WaitGroup
	var reserved atomic.Int64
	for range 3 * verification.FaceAttemptsPerSession {
		wg.Go(func() {
			if _, ok, err := f.repo.ReserveAttempt(ctx, id, tok.ID, verification.FaceAttemptsPerSession, f.clock.Now()); err != nil {
				t.Error(err)
			} else if ok {
				reserved.Add(1)
			}
		})
	}
	wg.Wait()
	if reserved.Load() != verification.FaceAttemptsPerSession {
		t.Fatalf("%d attempts reserved concurrently, want %d", reserved.Load(), verification.FaceAttemptsPerSession)
	}
}

// TestConcurrentFirstRequestsShareOneVerification: racing first QR requests for one person end
// with one verification and exactly one live token.
func TestConcurrentFirstRequestsShareOneVerification(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	f := newVerifyFixture(t)
	ctx := context.Background()
	ids := make([]int64, 10)
	tokens := make([]string, len(ids))
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			q, err := f.v.RequestQR(ctx, f.ownerID, f.orderID, filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 5})
			if err != nil {
				t.Error(err)
				return
			}
			ids[i], tokens[i] = q.VerificationID, q.URL[len("beian://verify?token="):]
		})
	}
	wg.Wait()
	live := 0
	for i, token := range tokens {
		if ids[i] != ids[0] {
			t.Fatalf("verification ids %v, want one", ids)
		}
		if _, err := f.v.Scan(ctx, token); err == nil {
			live++
		} else if !errors.Is(err, verification.ErrQRRevoked) {
			t.Fatalf("scan: %v", err)
		}
	}
	if live != 1 {
		t.Fatalf("%d of the tokens scanned, want exactly the last one issued", live)
	}
}

// TestConsumeTokenReturnsTheScannedVerification: the winning scan gets the token and its
// verification as the same transaction left it (scanned at the scan's time, on that token); a
// second consume of the token loses and changes nothing.
func TestConsumeTokenReturnsTheScannedVerification(t *testing.T) {
	t.Parallel()
	f := newVerifyFixture(t)
	ctx := context.Background()
	id, token := f.issue(t, filing.PersonRef{Role: filing.RoleSubjectPrincipal})
	f.clock.Advance(time.Minute)
	now := f.clock.Now()
	got, won, err := f.repo.ConsumeToken(ctx, kernel.HashToken(token), now)
	if err != nil || !won {
		t.Fatalf("consume: %v %v", won, err)
	}
	v := got.Verification
	if !got.Current || v.ID != id || got.Token.VerificationID != id || v.TokenID != got.Token.ID || v.State != verification.VerificationScanned ||
		v.ScannedAt == nil || !v.ScannedAt.Equal(now) || got.Token.UsedAt == nil || !got.Token.UsedAt.Equal(now) ||
		got.Token.Token != "" {
		t.Fatalf("consumed: %+v", got)
	}
	stored, err := f.repo.Verification(ctx, id)
	if err != nil || stored.State != verification.VerificationScanned || !stored.ScannedAt.Equal(now) {
		t.Fatalf("stored after the scan: %+v %v", stored, err)
	}
	if again, won, err := f.repo.ConsumeToken(ctx, kernel.HashToken(token), now); err != nil || won || again.Token.ID != 0 || again.Verification.ID != 0 {
		t.Fatalf("second consume: %+v %v %v", again, won, err)
	}
}

// TestConsumeTokenLeavesANonCurrentVerification: a token that is still usable but no longer its
// verification's current one (or whose verification is past pending) is consumed, yet the
// verification is left as it was and the scan is not current.
func TestConsumeTokenLeavesANonCurrentVerification(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change string // applied to the verification after the token is issued
	}{
		{name: "verification names another token", change: "UPDATE verifications SET token_id = token_id + 1000 WHERE id = ?"},
		{name: "verification already confirmed", change: "UPDATE verifications SET state = 'confirmed' WHERE id = ?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newVerifyFixture(t)
			ctx := context.Background()
			id, token := f.issue(t, filing.PersonRef{Role: filing.RoleSubjectPrincipal})
			if err := f.db.Exec(tt.change, id).Error; err != nil {
				t.Fatal(err)
			}
			before, err := f.repo.Verification(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(time.Minute)
			got, won, err := f.repo.ConsumeToken(ctx, kernel.HashToken(token), f.clock.Now())
			if err != nil || !won || got.Current || got.Token.UsedAt == nil {
				t.Fatalf("consume: won %v, current %v, token %+v, err %v; want won, not current, token used", won, got.Current, got.Token, err)
			}
			after, err := f.repo.Verification(ctx, id)
			if err != nil || after.State != before.State || after.ScannedAt != nil || !after.UpdatedAt.Equal(before.UpdatedAt) {
				t.Fatalf("verification changed by a non-current scan: before %+v, after %+v (%v)", before, after, err)
			}
			if _, won, err := f.repo.ConsumeToken(ctx, kernel.HashToken(token), f.clock.Now()); err != nil || won {
				t.Fatalf("second consume: won %v, err %v", won, err)
			}
		})
	}
}
