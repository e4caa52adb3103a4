package verification

import (
	"context"
	"errors"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"testing"
	"time"
)

func TestEffectiveState(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	scannedAt := func(ago time.Duration) *time.Time { s := now.Add(-ago); return &s }
	tests := []struct {
		name string
		v    Verification
		want VerificationState
	}{
		{"pending, QR live", Verification{State: VerificationPending, TokenExpiresAt: now.Add(time.Second)}, VerificationPending},
		{"pending, QR expired", Verification{State: VerificationPending, TokenExpiresAt: now}, VerificationExpired},
		{"scanned, session live", Verification{State: VerificationScanned, ScannedAt: scannedAt(29 * time.Minute)}, VerificationScanned},
		{"failed, session over", Verification{State: VerificationFailed, ScannedAt: scannedAt(30 * time.Minute)}, VerificationExpired},
		{"passed, session over", Verification{State: VerificationPassed, ScannedAt: scannedAt(time.Hour)}, VerificationExpired},
		{"confirmed never expires", Verification{State: VerificationConfirmed, ScannedAt: scannedAt(48 * time.Hour),
			TokenExpiresAt: now.Add(-47 * time.Hour)}, VerificationConfirmed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := effectiveState(tt.v, now); got != tt.want {
				t.Fatalf("effectiveState = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestTokenProblem(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	at := &now
	tests := []struct {
		name string
		t    VerificationToken
		want error
	}{
		{"live", VerificationToken{ExpiresAt: now.Add(time.Second)}, nil},
		{"used", VerificationToken{ExpiresAt: now.Add(time.Second), UsedAt: at}, ErrQRUsed},
		{"used, then replaced", VerificationToken{ExpiresAt: now.Add(time.Second), UsedAt: at, RevokedAt: at}, ErrQRRevoked},
		{"expired", VerificationToken{ExpiresAt: now}, ErrQRExpired},
		{"used and expired", VerificationToken{ExpiresAt: now, UsedAt: at}, ErrQRUsed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tokenProblem(tt.t, now); !errors.Is(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Fatalf("tokenProblem = %v, want %v", got, tt.want)
			}
		})
	}
}

// ordersByID is a hand-written VerificationOrders.
type ordersByID map[int64]filing.Order

func (o ordersByID) Order(_ context.Context, id int64) (filing.Order, error) {
	if order, ok := o[id]; ok {
		return order, nil
	}
	return filing.Order{}, kernel.ErrNotFound
}

func TestOrderPartiesFindThePerson(t *testing.T) {
	proposal := filing.Proposal{Subject: filing.SubjectInfo{Principal: filing.Person{Name: "张三丰", DocNumber: "440106198001011234"}},
		Services: []filing.ServiceInfo{{ID: 1, Name: "示例官网", Principal: filing.Person{Name: "李四", DocNumber: "110105199005152468"}}}}
	orders := ordersByID{
		1: {ID: 1, AccountID: 10, Type: filing.OrderNewFiling, Status: filing.StatusDraft, Proposal: proposal},
		2: {ID: 2, AccountID: 10, Type: filing.OrderNewFiling, Status: filing.StatusPendingReview, Proposal: proposal},
	}
	parties := NewOrderParties(orders)
	subject, site := filing.PersonRef{Role: filing.RoleSubjectPrincipal}, filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 1}
	tests := []struct {
		name     string
		owner    int64
		order    int64
		person   filing.PersonRef
		wantName string
		editable bool
		wantErr  error
	}{
		{"subject principal", 10, 1, subject, "张三丰", true, nil},
		{"website principal", 10, 1, site, "李四", true, nil},
		{"submitted order", 10, 2, subject, "张三丰", false, nil},
		{"another account's order", 11, 1, subject, "", false, kernel.ErrNotFound},
		{"no such order", 10, 3, subject, "", false, kernel.ErrNotFound},
		{"no such service", 10, 1, filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 2}, "", false, kernel.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parties.Party(context.Background(), tt.owner, tt.order, tt.person)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("Party: %v, want %v", err, tt.wantErr)
			}
			if p.PersonName != tt.wantName || p.Editable != tt.editable || (err == nil && p.OrderType != filing.OrderNewFiling) {
				t.Fatalf("Party = %+v", p)
			}
		})
	}
}
