package filing

import (
	"context"
	"errors"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"slices"
	"sync"
	"testing"
	"time"
)

// memOrders is a hand-written OrderStore: one in-flight order per account, versioned updates.
type memOrders struct {
	mu     sync.Mutex
	orders map[int64]Order
	events []OrderEvent
	nextID int64
}

func newMemOrders() *memOrders { return &memOrders{orders: map[int64]Order{}} }

func (m *memOrders) CreateOrder(_ context.Context, o Order) (Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.orders {
		if x.AccountID == o.AccountID && x.Status.InFlight() {
			return Order{}, kernel.ErrConflict
		}
	}
	m.nextID++
	o.ID, o.Version = m.nextID, 1
	o.Proposal = o.Proposal.Clone()
	m.orders[o.ID] = o
	return o, nil
}

func (m *memOrders) Order(_ context.Context, id int64) (Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.orders[id]
	if !ok {
		return Order{}, kernel.ErrNotFound
	}
	o.Proposal = o.Proposal.Clone()
	return o, nil
}

func (m *memOrders) InFlightOrder(_ context.Context, accountID int64) (Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.orders {
		if o.AccountID == accountID && o.Status.InFlight() {
			return o, nil
		}
	}
	return Order{}, kernel.ErrNotFound
}

func (m *memOrders) ListOrders(_ context.Context, accountID, beforeID int64, limit int) ([]Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Order
	for id := m.nextID; id > 0 && len(out) < limit; id-- {
		if o, ok := m.orders[id]; ok && o.AccountID == accountID && (beforeID == 0 || id < beforeID) {
			out = append(out, o)
		}
	}
	return out, nil
}

func (m *memOrders) Update(_ context.Context, id int64, fn func(*Order) error) (Order, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	o, ok := m.orders[id]
	if !ok {
		return Order{}, kernel.ErrNotFound
	}
	o.Proposal = o.Proposal.Clone()
	if err := fn(&o); err != nil {
		return Order{}, err
	}
	m.events = append(m.events, o.TakeEvents()...)
	o.Version++
	m.orders[id] = o
	return o, nil
}

// UpdateInTx runs fn without holding the lock (fn's reads come back to the store) and writes only
// if the order's version is unchanged, as the database's version guard does.
func (m *memOrders) UpdateInTx(ctx context.Context, id int64, fn func(context.Context, *Order) error) (Order, error) {
	o, err := m.Order(ctx, id)
	if err != nil {
		return Order{}, err
	}
	o.Proposal = o.Proposal.Clone()
	if err := fn(ctx, &o); err != nil {
		return Order{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.orders[id].Version != o.Version {
		return Order{}, kernel.ErrConflict
	}
	m.events = append(m.events, o.TakeEvents()...)
	o.Version++
	m.orders[id] = o
	return o, nil
}

func (m *memOrders) OrderEvents(_ context.Context, orderID int64) ([]OrderEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []OrderEvent
	for _, e := range m.events {
		if e.OrderID == orderID {
			out = append(out, e)
		}
	}
	return out, nil
}

// memFilings is a hand-written FilingStore over fixed records.
type memFilings struct {
	subjects map[int64]Subject // by account
	services []FiledService
}

func (m memFilings) SubjectOf(_ context.Context, accountID int64) (Subject, error) {
	s, ok := m.subjects[accountID]
	if !ok {
		return Subject{}, kernel.ErrNotFound
	}
	return s, nil
}

func (m memFilings) LiveServices(_ context.Context, subjectID int64) ([]FiledService, error) {
	var out []FiledService
	for _, s := range m.services {
		if s.SubjectID == subjectID {
			out = append(out, s)
		}
	}
	return out, nil
}

func (m memFilings) FiledService(_ context.Context, id int64) (FiledService, error) {
	for _, s := range m.services {
		if s.ID == id {
			return s, nil
		}
	}
	return FiledService{}, kernel.ErrNotFound
}

type noMaterials struct{}

func (noMaterials) OrderMaterials(context.Context, int64) ([]Material, error) { return nil, nil }

type everyoneConfirmed struct{ orders *memOrders }

// Confirmations confirms every person the order names now.
func (e everyoneConfirmed) Confirmations(ctx context.Context, orderID int64) ([]Confirmation, error) {
	o, err := e.orders.Order(ctx, orderID)
	var out []Confirmation
	for _, ref := range VerificationPersons(o) {
		p, _ := PersonOf(o, ref)
		out = append(out, Confirmation{Person: ref, Who: VerifiedPersonOf(p)})
	}
	return out, err
}

// memClaims holds domains by certificate number, first come first served.
type memClaims map[string]string

func (m memClaims) Claim(_ context.Context, _ int64, certNumber string, domains []string, _ time.Time) error {
	var taken []string
	for _, d := range domains {
		if holder, ok := m[d]; ok && holder != certNumber {
			taken = append(taken, d)
		}
	}
	if len(taken) > 0 {
		return &DomainClaimError{Domains: taken}
	}
	for _, d := range domains {
		m[d] = certNumber
	}
	return nil
}

type phoneBook map[string]int64

func (p phoneBook) UserByPhone(_ context.Context, phone string) (account.User, error) {
	if id, ok := p[phone]; ok {
		return account.User{ID: id, Phone: phone}, nil
	}
	return account.User{}, kernel.ErrNotFound
}

// filedAccount 1 has a Hainan enterprise (no extra materials) with one website filed.
func newTestOrders() (*Orders, *memOrders) {
	store := newMemOrders()
	site := website(1, "example.cn", enterprise("46").Principal)
	filings := memFilings{subjects: map[int64]Subject{1: *subjectOf(enterprise("46")), 3: {ID: 30, AccountID: 3, Info: enterprise("44")}},
		services: []FiledService{filedSvc(21, site)}}
	return NewOrders(store, filings, noMaterials{}, everyoneConfirmed{store}, memClaims{}, phoneBook{"13900139002": 2, "13900139003": 3},
		func() time.Time { return testToday }), store
}

func TestOrdersChangeServiceFlow(t *testing.T) {
	ctx := context.Background()
	u, store := newTestOrders()
	o, err := u.Create(ctx, 1, NewOrder{Type: "change_service"})
	if err != nil || len(o.Proposal.Services) != 1 || o.Proposal.Services[0].ID != 1 || o.Proposal.Services[0].FiledID != 21 || o.SubjectID != 10 {
		t.Fatalf("create: %+v %v", o, err)
	}
	if _, err := u.Create(ctx, 1, NewOrder{Type: "cancel_subject"}); !errors.Is(err, ErrOrderInProgress) {
		t.Fatalf("second order: %v", err)
	}
	_, err = u.Patch(ctx, 1, o.ID, func(p *Proposal) error { p.Services[0].Domains = []string{"example.net"}; return nil })
	var fe kernel.FieldErrors
	if !errors.As(err, &fe) || fe["services.1.domains"] != "IMMUTABLE" {
		t.Fatalf("domain change: %v", err)
	}
	if _, err := u.Submit(ctx, 1, o.ID); !errors.As(err, new(*RequirementsError)) {
		t.Fatalf("submit without a change: %v", err)
	}
	if _, err := u.Patch(ctx, 1, o.ID, func(p *Proposal) error { p.Services[0].Name = "示例新网站"; return nil }); err != nil {
		t.Fatalf("rename: %v", err)
	}
	if _, err := u.Get(ctx, 2, o.ID); !errors.Is(err, kernel.ErrNotFound) {
		t.Fatalf("another account reads the order: %v", err)
	}
	got, err := u.Submit(ctx, 1, o.ID)
	if err != nil || got.Status != StatusPendingReview {
		t.Fatalf("submit: %+v %v", got.Status, err)
	}
	if _, err := u.Patch(ctx, 1, o.ID, func(*Proposal) error { return nil }); !errors.Is(err, ErrOrderNotEditable) {
		t.Fatalf("patch after submit: %v", err)
	}
	if _, err := u.Withdraw(ctx, 1, o.ID); err != nil {
		t.Fatal(err)
	}
	events, _ := store.OrderEvents(ctx, o.ID)
	if len(events) != 2 || events[1].Event != EventWithdraw || events[1].Actor.ID != 1 {
		t.Fatalf("events: %+v", events)
	}
}

func TestOrdersTransferTargets(t *testing.T) {
	ctx := context.Background()
	u, _ := newTestOrders()
	var rule *RuleError
	if _, err := u.OpenHandover(ctx, 1, NewOrder{Type: "transfer", TargetPhone: "13900139003"}); !errors.As(err, &rule) || rule.Reason != ReasonTargetHasSubject {
		t.Fatalf("transfer to an account with a subject: %v", err)
	}
	if _, err := u.OpenHandover(ctx, 1, NewOrder{Type: "transfer", TargetPhone: "13900139999"}); !errors.As(err, &rule) || rule.Reason != ReasonTargetUnknown {
		t.Fatalf("transfer to nobody: %v", err)
	}
	if _, err := u.OpenHandover(ctx, 1, NewOrder{Type: "transfer", TargetPhone: "12"}); !errors.As(err, new(kernel.FieldErrors)) {
		t.Fatalf("transfer to a bad phone: %v", err)
	}
	o, err := u.OpenHandover(ctx, 1, NewOrder{Type: "transfer", TargetPhone: "+86 139 0013 9002"})
	if err != nil || o.Proposal.TargetAccountID != 2 {
		t.Fatalf("transfer: %+v %v", o, err)
	}
	if _, err := u.Submit(ctx, 1, o.ID); err == nil {
		t.Fatal("a transfer submitted with transfers not wired")
	}
	u, deadlines := withTestTransfers(u)
	if o, err = u.Submit(ctx, 1, o.ID); err != nil || o.Status != StatusSMSVerifying {
		t.Fatalf("submitted transfer: %s %v", o.Status, err)
	}
	if o.SMS == nil || len(o.SMS.Checks) != 1 || o.SMS.Checks[0].Phone != "13900139001" || len(deadlines.ids) != 1 {
		t.Fatalf("transfer SMS check: %+v, deadlines %v", o.SMS, deadlines.ids)
	}
}

func TestOrdersListPages(t *testing.T) {
	ctx := context.Background()
	u, _ := newTestOrders()
	var ids []int64
	for range 5 {
		o, err := u.Create(ctx, 2, NewOrder{Type: "new_filing"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.ID)
		if _, err := u.Abandon(ctx, 2, o.ID); err != nil {
			t.Fatal(err)
		}
	}
	var got []int64
	cursor := ""
	for {
		page, err := u.List(ctx, 2, cursor, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Orders {
			got = append(got, o.ID)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	slices.Reverse(ids)
	if !slices.Equal(got, ids) {
		t.Fatalf("pages gave %v, want %v", got, ids)
	}
	if _, err := u.List(ctx, 2, "abc", 2); !errors.As(err, new(kernel.FieldErrors)) {
		t.Fatalf("bad cursor: %v", err)
	}
}
