package filing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/validate"
)

// OrderStore keeps orders and their events. State changes go only through Update.
type OrderStore interface {
	// CreateOrder inserts a draft; ErrConflict when the account already has an in-flight order.
	CreateOrder(ctx context.Context, o Order) (Order, error)
	Order(ctx context.Context, id int64) (Order, error)
	// InFlightOrder is the account's order that is neither approved nor abandoned, or ErrNotFound.
	InFlightOrder(ctx context.Context, accountID int64) (Order, error)
	// ListOrders lists the account's orders newest first, with ids below beforeID when it is not 0.
	ListOrders(ctx context.Context, accountID, beforeID int64, limit int) ([]Order, error)
	// Update loads the order in a transaction (row locked, version checked), applies fn and writes
	// the order with the events fn made, atomically. A lost race is ErrConflict; fn's error aborts.
	Update(ctx context.Context, id int64, fn func(*Order) error) (Order, error)
	// UpdateInTx is Update whose fn also gets a context that carries the transaction: the filing,
	// material and verification stores read through it inside the transaction, so what fn checks
	// is what the write commits with.
	UpdateInTx(ctx context.Context, id int64, fn func(ctx context.Context, o *Order) error) (Order, error)
	OrderEvents(ctx context.Context, orderID int64) ([]OrderEvent, error)
}

// FilingStore reads filed subjects and services.
type FilingStore interface {
	// SubjectOf is the account's live subject, or ErrNotFound.
	SubjectOf(ctx context.Context, accountID int64) (Subject, error)
	LiveServices(ctx context.Context, subjectID int64) ([]FiledService, error)
	FiledService(ctx context.Context, id int64) (FiledService, error)
}

// MaterialLister lists an order's uploaded materials.
type MaterialLister interface {
	OrderMaterials(ctx context.Context, orderID int64) ([]Material, error)
}

// VerificationStatus lists the confirmed authenticity verifications (真实性核验) of an order's
// responsible persons, with whom each verified. The verification subsystem implements it. Called
// with the context UpdateInTx hands its function, it reads inside that transaction and locks the
// rows it read until the transaction ends.
type VerificationStatus interface {
	Confirmations(ctx context.Context, orderID int64) ([]Confirmation, error)
}

// DomainClaims holds each domain for at most one subject, enforced by the database. Called with the
// context UpdateInTx hands its function, it writes inside that transaction.
type DomainClaims interface {
	// Claim holds domains for the subject with certificate number certNumber on behalf of the
	// order; domains held for another subject are a *DomainClaimError.
	Claim(ctx context.Context, orderID int64, certNumber string, domains []string, now time.Time) error
}

// AccountFinder finds the account a transfer or migration goes to.
type AccountFinder interface {
	UserByPhone(ctx context.Context, phone string) (account.User, error)
}

// Orders is the applicant's filing-order use case.
type Orders struct {
	orders    OrderStore
	filings   FilingStore
	materials MaterialLister
	verified  VerificationStatus
	claims    DomainClaims
	accounts  AccountFinder
	now       kernel.Clock
	transfers *TransferSetup // set by WithTransfers
}

// NewOrders wires the order use case.
func NewOrders(orders OrderStore, filings FilingStore, materials MaterialLister, verified VerificationStatus,
	claims DomainClaims, accounts AccountFinder, now kernel.Clock) *Orders {
	return &Orders{orders: orders, filings: filings, materials: materials, verified: verified, claims: claims,
		accounts: accounts, now: now}
}

// NewOrder asks for an order: its type, the filed services it names (cancel_service, cancel_access,
// migrate) and the receiving account's phone (transfer, migrate).
type NewOrder struct {
	Type        string
	ServiceIDs  []int64
	TargetPhone string
}

// Create opens a draft order once the filing rules (CheckCreate) allow it. Content is filled in with
// Patch. Transfers and migrations have one way in, OpenHandover, which the transfer use case calls
// so that a migration's authorization request goes out with it; here they are ErrUseTransfers.
// Errors: FieldErrors, *OrderInProgressError, *RuleError, ErrUseTransfers.
func (u *Orders) Create(ctx context.Context, accountID int64, in NewOrder) (Order, error) {
	t, err := ParseOrderType(in.Type)
	if err != nil {
		return Order{}, kernel.FieldErrors{"type": kernel.CodeInvalid}
	}
	if t == OrderTransfer || t == OrderMigrate {
		return Order{}, fmt.Errorf("create %s order: %w", t, ErrUseTransfers)
	}
	return u.open(ctx, accountID, t, in)
}

// OpenHandover opens a transfer or migration draft under the same rules as Create. Only the
// transfer use case calls it; other types are FieldErrors.
func (u *Orders) OpenHandover(ctx context.Context, accountID int64, in NewOrder) (Order, error) {
	t, err := ParseOrderType(in.Type)
	if err != nil || (t != OrderTransfer && t != OrderMigrate) {
		return Order{}, kernel.FieldErrors{"type": kernel.CodeInvalid}
	}
	return u.open(ctx, accountID, t, in)
}

func (u *Orders) open(ctx context.Context, accountID int64, t OrderType, in NewOrder) (Order, error) {
	facts, err := u.createFacts(ctx, accountID, t, in)
	if err != nil {
		return Order{}, err
	}
	if err := CheckCreate(facts); err != nil {
		return Order{}, err
	}
	now := u.now()
	o := Order{AccountID: accountID, Type: t, Status: StatusDraft, Proposal: initialProposal(facts), CreatedAt: now, UpdatedAt: now}
	if facts.Subject != nil {
		o.SubjectID = facts.Subject.ID
	}
	created, err := u.orders.CreateOrder(ctx, o)
	if errors.Is(err, kernel.ErrConflict) {
		if busy, ferr := u.orders.InFlightOrder(ctx, accountID); ferr == nil {
			return Order{}, &OrderInProgressError{OrderID: busy.ID}
		}
	}
	if err != nil {
		return Order{}, fmt.Errorf("create %s order: %w", t, err)
	}
	return created, nil
}

func (u *Orders) createFacts(ctx context.Context, accountID int64, t OrderType, in NewOrder) (CreateFacts, error) {
	f := CreateFacts{Type: t, ServiceIDs: in.ServiceIDs}
	var err error
	if f.InFlight, err = u.inFlightID(ctx, accountID); err != nil {
		return f, err
	}
	if f.Subject, f.Services, err = u.filedOf(ctx, accountID); err != nil {
		return f, err
	}
	if t != OrderTransfer && t != OrderMigrate {
		return f, nil
	}
	phone := validate.NormalizeMobile(in.TargetPhone)
	if validate.Mobile(phone) != nil {
		return f, kernel.FieldErrors{"target_phone": missingOr(in.TargetPhone == "", kernel.CodeInvalid)}
	}
	f.Target = &TargetFacts{}
	user, err := u.accounts.UserByPhone(ctx, phone)
	if errors.Is(err, kernel.ErrNotFound) {
		return f, nil
	} else if err != nil {
		return f, err
	}
	f.Target.AccountID, f.Target.Self = user.ID, user.ID == accountID
	if f.Target.InFlight, err = u.inFlightID(ctx, user.ID); err != nil {
		return f, err
	}
	f.Target.Subject, _, err = u.filedOf(ctx, user.ID)
	return f, err
}

func (u *Orders) inFlightID(ctx context.Context, accountID int64) (int64, error) {
	o, err := u.orders.InFlightOrder(ctx, accountID)
	if errors.Is(err, kernel.ErrNotFound) {
		return 0, nil
	}
	return o.ID, err
}

// filedOf returns the account's live subject and services, or nil when it has none.
func (u *Orders) filedOf(ctx context.Context, accountID int64) (*Subject, []FiledService, error) {
	s, err := u.filings.SubjectOf(ctx, accountID)
	if errors.Is(err, kernel.ErrNotFound) {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	svcs, err := u.filings.LiveServices(ctx, s.ID)
	return &s, svcs, err
}

// initialProposal starts an order from the filed records it acts on.
func initialProposal(f CreateFacts) Proposal {
	p := Proposal{NextServiceID: 1}
	if f.Subject != nil {
		p.Subject = f.Subject.Info
	}
	for _, s := range f.Services {
		named := slices.Contains(f.ServiceIDs, s.ID)
		switch f.Type {
		case OrderChangeSubject, OrderChangeService, OrderChangeBoth, OrderCancelSubject:
		case OrderCancelService, OrderCancelAccess, OrderMigrate:
			if !named {
				continue
			}
		default:
			continue
		}
		svc := s.Info.clone()
		svc.ID, svc.FiledID = p.NextServiceID, s.ID
		p.NextServiceID++
		p.Services = append(p.Services, svc)
	}
	if f.Target != nil {
		p.TargetAccountID = f.Target.AccountID
		if f.Target.Subject != nil {
			p.TargetSubjectID = f.Target.Subject.ID
		}
	}
	return p
}

// Get returns one of the account's orders; another account's order is ErrNotFound.
func (u *Orders) Get(ctx context.Context, accountID, id int64) (Order, error) {
	o, err := u.orders.Order(ctx, id)
	if err := kernel.OwnedBy(err, o.AccountID, accountID, "order", id); err != nil {
		return Order{}, err
	}
	return o, nil
}

// OrderPage is one page of an account's orders; NextCursor is "" on the last page.
type OrderPage struct {
	Orders     []Order
	NextCursor string
}

// List pages through the account's orders, newest first. limit is clamped to 1–100 (0: 20).
func (u *Orders) List(ctx context.Context, accountID int64, cursor string, limit int) (OrderPage, error) {
	var before int64
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n <= 0 {
			return OrderPage{}, kernel.FieldErrors{"cursor": kernel.CodeInvalid}
		}
		before = n
	}
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	list, err := u.orders.ListOrders(ctx, accountID, before, limit+1)
	if err != nil {
		return OrderPage{}, err
	}
	page := OrderPage{Orders: list}
	if len(list) > limit {
		page.Orders = list[:limit]
		page.NextCursor = strconv.FormatInt(list[limit-1].ID, 10)
	}
	return page, nil
}

// Events is the order's history, oldest first.
func (u *Orders) Events(ctx context.Context, accountID, id int64) ([]OrderEvent, error) {
	if _, err := u.Get(ctx, accountID, id); err != nil {
		return nil, err
	}
	return u.orders.OrderEvents(ctx, id)
}
