package repository

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// orderRow is an order. The proposal (personal data included) is one encrypted column; the plain
// columns are those queries need. in_flight is 1 while the order blocks its account and NULL
// afterwards, so UNIQUE(account_id, in_flight) allows one in-flight order per account.
type orderRow struct {
	ID          int64 `gorm:"primaryKey"`
	AccountID   int64
	Type        string
	Status      string
	Province    string
	SubjectID   *int64
	InFlight    *int
	ProposalEnc []byte
	Version     int
	SubmittedAt *time.Time
	SMSEnc      []byte
	DeadlineAt  *time.Time
	Reminders   int
	RemindedAt  *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (orderRow) TableName() string { return "orders" }

const (
	proposalColumn = "orders.proposal"
	smsColumn      = "orders.sms"
)

type orderEventRow struct {
	ID         int64 `gorm:"primaryKey"`
	OrderID    int64
	Event      string
	ActorKind  string
	ActorID    int64
	FromStatus string
	ToStatus   string
	Reasons    string
	Comment    string
	// FieldComments is a JSON array of {"field","message"}; NULL when the event has none.
	FieldComments *string
	CreatedAt     time.Time
}

func (orderEventRow) TableName() string { return "order_events" }

type fieldCommentJSON struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func encodeFieldComments(list []filing.FieldComment) *string {
	if len(list) == 0 {
		return nil
	}
	out := make([]fieldCommentJSON, len(list))
	for i, c := range list {
		out[i] = fieldCommentJSON(c)
	}
	b, _ := json.Marshal(out) // plain strings always marshal
	s := string(b)
	return &s
}

func decodeFieldComments(s *string) []filing.FieldComment {
	if s == nil {
		return nil
	}
	var in []fieldCommentJSON
	if json.Unmarshal([]byte(*s), &in) != nil {
		return nil
	}
	out := make([]filing.FieldComment, len(in))
	for i, c := range in {
		out[i] = filing.FieldComment(c)
	}
	return out
}

func (r orderEventRow) toService() filing.OrderEvent {
	var reasons []string
	if r.Reasons != "" {
		reasons = strings.Split(r.Reasons, ",")
	}
	return filing.OrderEvent{ID: r.ID, OrderID: r.OrderID, Event: filing.OrderEventName(r.Event),
		Actor: filing.Actor{Kind: filing.ActorKind(r.ActorKind), ID: r.ActorID}, From: filing.OrderStatus(r.FromStatus),
		To: filing.OrderStatus(r.ToStatus), Reasons: reasons, Comment: r.Comment,
		FieldComments: decodeFieldComments(r.FieldComments), At: r.CreatedAt}
}

func toEventRow(e filing.OrderEvent) orderEventRow {
	return orderEventRow{OrderID: e.OrderID, Event: string(e.Event), ActorKind: string(e.Actor.Kind), ActorID: e.Actor.ID,
		FromStatus: string(e.From), ToStatus: string(e.To), Reasons: strings.Join(e.Reasons, ","), Comment: e.Comment,
		FieldComments: encodeFieldComments(e.FieldComments), CreatedAt: e.At}
}

// OrderRepo keeps filing orders and their events; it satisfies service.OrderStore. Notifications an
// update makes are written to the outbox in the same transaction.
type OrderRepo struct {
	db        *gorm.DB
	cipher    *Cipher
	outbox    *OutboxRepo
	dispatch  account.Dispatcher
	proposals *kernel.LRU[int64, openedProposal]
}

// proposalCacheEntries bounds the opened proposals an OrderRepo keeps (a few KB each).
const proposalCacheEntries = 1024

// openedProposal is a sealed proposal and what it opened to. Reading an order compares the row's
// sealed bytes with sealed: equal bytes were authenticated when first opened and can only hold the
// same proposal (every seal draws a fresh nonce), so the decryption and the JSON decoding, a large
// share of an order read, are skipped without trusting any version column. It lives in process
// memory only; the database still holds nothing but the sealed bytes.
type openedProposal struct {
	sealed   []byte
	proposal filing.Proposal
}

// NewOrderRepo returns an OrderRepo on db, sealing proposals with c. Its notifications wait for the
// outbox relay unless WithDispatcher is used.
func NewOrderRepo(db *gorm.DB, c *Cipher) *OrderRepo {
	return &OrderRepo{db: db, cipher: c, outbox: NewOutboxRepo(db, c),
		proposals: kernel.NewLRU[int64, openedProposal](proposalCacheEntries)}
}

// WithDispatcher returns a copy that hands an update's notifications to d right after it commits.
func (r *OrderRepo) WithDispatcher(d account.Dispatcher) *OrderRepo {
	cp := *r
	cp.dispatch = d
	return &cp
}

func (r *OrderRepo) toRow(o filing.Order) (orderRow, error) {
	plain, err := json.Marshal(o.Proposal)
	if err != nil {
		return orderRow{}, fmt.Errorf("encode proposal: %w", err)
	}
	row := orderRow{ID: o.ID, AccountID: o.AccountID, Type: string(o.Type), Status: string(o.Status), Province: o.Province(),
		ProposalEnc: r.cipher.Seal(proposalColumn, plain), Version: o.Version, SubmittedAt: o.SubmittedAt,
		DeadlineAt: o.DeadlineAt, Reminders: o.Reminders, RemindedAt: o.RemindedAt, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt}
	if o.SMS != nil {
		sms, err := json.Marshal(o.SMS)
		if err != nil {
			return orderRow{}, fmt.Errorf("encode sms check: %w", err)
		}
		row.SMSEnc = r.cipher.Seal(smsColumn, sms)
	}
	if o.SubjectID != 0 {
		row.SubjectID = &o.SubjectID
	}
	if o.Status.InFlight() {
		row.InFlight = ptrOne()
	}
	return row, nil
}

func (r *OrderRepo) toService(row orderRow) (filing.Order, error) {
	o := filing.Order{ID: row.ID, AccountID: row.AccountID, Type: filing.OrderType(row.Type),
		Status: filing.OrderStatus(row.Status), Version: row.Version, SubmittedAt: row.SubmittedAt,
		DeadlineAt: row.DeadlineAt, Reminders: row.Reminders, RemindedAt: row.RemindedAt, CreatedAt: row.CreatedAt, UpdatedAt: row.UpdatedAt}
	if len(row.SMSEnc) > 0 {
		sms, err := r.cipher.Open(smsColumn, row.SMSEnc)
		if err == nil {
			err = json.Unmarshal(sms, &o.SMS)
		}
		if err != nil {
			return filing.Order{}, fmt.Errorf("order %d: sms check: %w", row.ID, err)
		}
	}
	if row.SubjectID != nil {
		o.SubjectID = *row.SubjectID
	}
	p, err := r.openProposal(row.ID, row.ProposalEnc)
	if err != nil {
		return filing.Order{}, fmt.Errorf("order %d: %w", row.ID, err)
	}
	o.Proposal = p
	return o, nil
}

// openProposal opens and decodes an order's sealed proposal, or copies it from the cache when the
// order's last opened proposal had exactly these sealed bytes. The result is the caller's own.
func (r *OrderRepo) openProposal(orderID int64, sealed []byte) (filing.Proposal, error) {
	if e, ok := r.proposals.Get(orderID); ok && bytes.Equal(e.sealed, sealed) {
		return e.proposal.Clone(), nil
	}
	plain, err := r.cipher.Open(proposalColumn, sealed)
	if err != nil {
		return filing.Proposal{}, err
	}
	var p filing.Proposal
	if err := json.Unmarshal(plain, &p); err != nil {
		return filing.Proposal{}, fmt.Errorf("decode proposal: %w", err)
	}
	r.proposals.Put(orderID, openedProposal{sealed: bytes.Clone(sealed), proposal: p.Clone()})
	return p, nil
}

// CreateOrder inserts an order; a second in-flight order of the account is service.ErrConflict.
func (r *OrderRepo) CreateOrder(ctx context.Context, o filing.Order) (filing.Order, error) {
	o.Version = 1
	row, err := r.toRow(o)
	if err != nil {
		return filing.Order{}, err
	}
	if err := r.db.WithContext(ctx).Create(&row).Error; err != nil {
		return filing.Order{}, translate(err)
	}
	o.ID = row.ID
	return o, nil
}

// orderColumns are the columns of orderRow in the order scanOrder reads them.
const orderColumns = "id, account_id, type, status, province, subject_id, in_flight, proposal_enc, version, submitted_at, " +
	"sms_enc, deadline_at, reminders, reminded_at, created_at, updated_at"

// scanOrder reads one orderRow from a row of orderColumns.
func scanOrder(row interface{ Scan(...any) error }) (orderRow, error) {
	var o orderRow
	err := row.Scan(o.dest()...)
	return o, err
}

// dest are the Scan destinations of orderColumns in o, for rows that read them among others.
func (o *orderRow) dest() []any {
	return []any{&o.ID, &o.AccountID, &o.Type, &o.Status, &o.Province, &o.SubjectID, &o.InFlight, &o.ProposalEnc,
		&o.Version, &o.SubmittedAt, &o.SMSEnc, &o.DeadlineAt, &o.Reminders, &o.RemindedAt, &o.CreatedAt, &o.UpdatedAt}
}

// Order loads one order. It is the hot read of the API, so it goes to database/sql directly (one
// prepared-free statement, no reflection over the row) rather than through gorm's query builder.
func (r *OrderRepo) Order(ctx context.Context, id int64) (filing.Order, error) {
	row, err := scanOrder(r.db.Statement.ConnPool.QueryRowContext(ctx, "SELECT "+orderColumns+" FROM orders WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return filing.Order{}, translate(err)
	}
	return r.toService(row)
}

// InFlightOrder is the account's order that is neither approved nor abandoned.
func (r *OrderRepo) InFlightOrder(ctx context.Context, accountID int64) (filing.Order, error) {
	var row orderRow
	if err := r.db.WithContext(ctx).Where("account_id = ? AND in_flight = 1", accountID).Take(&row).Error; err != nil {
		return filing.Order{}, translate(err)
	}
	return r.toService(row)
}

// ListOrders lists the account's orders newest first, below beforeID when it is not 0.
func (r *OrderRepo) ListOrders(ctx context.Context, accountID, beforeID int64, limit int) ([]filing.Order, error) {
	q := r.db.WithContext(ctx).Where("account_id = ?", accountID)
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	var rows []orderRow
	if err := q.Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]filing.Order, 0, len(rows))
	for _, row := range rows {
		o, err := r.toService(row)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// Update runs fn on the order inside a transaction: the row is read FOR UPDATE (SQLite serialises
// writers instead) and written back only if its version is unchanged, with fn's events, atomically.
func (r *OrderRepo) Update(ctx context.Context, id int64, fn func(*filing.Order) error) (filing.Order, error) {
	return r.UpdateInTx(ctx, id, func(_ context.Context, o *filing.Order) error { return fn(o) })
}

// UpdateInTx is Update whose fn gets a context carrying the transaction: FilingRepo, MaterialRepo
// and VerificationRepo read through it inside the transaction (VerificationRepo locking the rows).
func (r *OrderRepo) UpdateInTx(ctx context.Context, id int64, fn func(context.Context, *filing.Order) error) (filing.Order, error) {
	var out filing.Order
	var notes []notify.NotificationRef
	err := transact(ctx, r.db, func(tx *gorm.DB) error {
		notes = nil // a retried transaction starts over
		var row orderRow
		if err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Take(&row, id).Error; err != nil {
			return err
		}
		o, err := r.toService(row)
		if err != nil {
			return err
		}
		if err := fn(withTx(ctx, tx), &o); err != nil {
			return err
		}
		out, notes, err = r.write(tx, o, row.Version)
		return err
	})
	if err == nil && len(notes) > 0 && r.dispatch != nil {
		_ = r.dispatch.Dispatch(ctx, notes...) // the relay delivers whatever this misses
	}
	return out, translate(err)
}

// write stores o over the row that had version, with the events and notifications o made.
func (r *OrderRepo) write(tx *gorm.DB, o filing.Order, version int) (filing.Order, []notify.NotificationRef, error) {
	events, notes := o.TakeEvents(), o.TakeNotifications()
	o.Version = version + 1
	next, err := r.toRow(o)
	if err != nil {
		return filing.Order{}, nil, err
	}
	res := tx.Model(&orderRow{}).Where("id = ? AND version = ?", o.ID, version).Updates(map[string]any{
		"status": next.Status, "province": next.Province, "subject_id": next.SubjectID, "in_flight": next.InFlight,
		"proposal_enc": next.ProposalEnc, "version": next.Version, "submitted_at": next.SubmittedAt, "updated_at": next.UpdatedAt,
		"sms_enc": next.SMSEnc, "deadline_at": next.DeadlineAt, "reminders": next.Reminders, "reminded_at": next.RemindedAt})
	if res.Error != nil {
		return filing.Order{}, nil, res.Error
	}
	if res.RowsAffected != 1 {
		return filing.Order{}, nil, fmt.Errorf("order %d version %d: %w", o.ID, version, kernel.ErrConflict)
	}
	if !o.Status.InFlight() && o.Status != filing.StatusApproved {
		if err := releaseUnfiled(tx, o.ID); err != nil {
			return filing.Order{}, nil, err
		}
	}
	for _, e := range events {
		ev := toEventRow(e)
		if err := tx.Create(&ev).Error; err != nil {
			return filing.Order{}, nil, err
		}
	}
	ids, err := r.outbox.insert(tx, notes...)
	if err != nil {
		return filing.Order{}, nil, err
	}
	refs := make([]notify.NotificationRef, len(ids))
	for i, id := range ids {
		refs[i] = notify.NotificationRef{ID: id, Channel: notes[i].Channel}
	}
	return o, refs, nil
}

// OrderEvents is the order's history, oldest first.
func (r *OrderRepo) OrderEvents(ctx context.Context, orderID int64) ([]filing.OrderEvent, error) {
	var rows []orderEventRow
	if err := r.db.WithContext(ctx).Where("order_id = ?", orderID).Order("id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]filing.OrderEvent, len(rows))
	for i, row := range rows {
		out[i] = row.toService()
	}
	return out, nil
}
