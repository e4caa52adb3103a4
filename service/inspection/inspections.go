package inspection

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
)

// Inspections is the post-filing check (备案核查) use case: reviewers open and resolve checks, the
// applicant sees and answers them, and the deadline cancels access when one is left unresolved.
type Inspections struct {
	store     InspectionStore
	orders    filing.OrderStore
	deadlines InspectionDeadlines
	now       kernel.Clock
}

// NewInspections wires the post-filing checks.
func NewInspections(store InspectionStore, orders filing.OrderStore, deadlines InspectionDeadlines, now kernel.Clock) *Inspections {
	return &Inspections{store: store, orders: orders, deadlines: deadlines, now: now}
}

// NewInspection is what a reviewer opens: one target (a subject or a service), reason codes of the
// inspection catalogue, a rectification deadline in the future and an optional comment.
type NewInspection struct {
	SubjectID  int64
	ServiceID  int64
	Reasons    []string
	DeadlineAt time.Time
	Comment    string
}

const maxInspectionText = 1000

func (in NewInspection) check(now time.Time) error {
	fe := kernel.FieldErrors{}
	if (in.SubjectID == 0) == (in.ServiceID == 0) || in.SubjectID < 0 || in.ServiceID < 0 {
		fe["target"] = "ONE_TARGET_REQUIRED"
	}
	if len(in.Reasons) == 0 {
		fe["reasons"] = "REASON_REQUIRED"
	}
	seen := map[string]bool{}
	for _, code := range in.Reasons {
		if r, ok := catalog.ReasonByCode(code); !ok || r.Scope != catalog.ScopeInspection || seen[code] {
			fe["reasons"] = "UNKNOWN_REASON"
		}
		seen[code] = true
	}
	if !in.DeadlineAt.After(now) {
		fe["deadline"] = "NOT_IN_FUTURE"
	}
	if len([]rune(in.Comment)) > maxInspectionText {
		fe["comment"] = "TOO_LONG"
	}
	return fe.OrNil()
}

// Open starts an inspection of a live filed record and sends its notice by SMS to the account and
// by e-mail to the subject principal, written in the same transaction as the inspection. The
// deadline task is scheduled; the periodic sweep backs it up.
func (u *Inspections) Open(ctx context.Context, reviewerID int64, in NewInspection) (Inspection, error) {
	now := u.now()
	if err := in.check(now); err != nil {
		return Inspection{}, err
	}
	target, err := u.store.InspectionTarget(ctx, in.SubjectID, in.ServiceID)
	if errors.Is(err, kernel.ErrNotFound) {
		return Inspection{}, kernel.FieldErrors{"target": "NOT_FILED"}
	} else if err != nil {
		return Inspection{}, err
	}
	insp := Inspection{AccountID: target.Subject.AccountID, SubjectID: target.Subject.ID, Target: target.label(),
		Reasons: in.Reasons, Comment: strings.TrimSpace(in.Comment), DeadlineAt: in.DeadlineAt.UTC(),
		Status: InspectionOpen, OpenedBy: reviewerID, CreatedAt: now, UpdatedAt: now}
	if target.Service != nil {
		insp.ServiceID = target.Service.ID
	}
	params := map[string]string{"target": insp.Target, "reasons": filing.ReasonTitles(insp.Reasons),
		"deadline": insp.DeadlineAt.In(chinaTime).Format("2006-01-02 15:04:05")}
	notes := inspectionNotes(insp, target.Subject.Info.Principal.Email, notify.TemplateInspectionNotice, params, now)
	created, err := u.store.CreateInspection(ctx, insp, notes)
	if err != nil {
		return Inspection{}, fmt.Errorf("open inspection: %w", err)
	}
	_ = u.deadlines.ScheduleInspectionDeadline(ctx, created.ID, created.DeadlineAt) // the sweep covers a failure
	return created, nil
}

// chinaTime is the zone notices state deadlines in (UTC+8, no daylight saving).
var chinaTime = time.FixedZone("CST", 8*3600)

func (t InspectionTarget) label() string {
	if t.Service != nil {
		return fmt.Sprintf("%s %s", kindLabel(t.Service.Info.Kind), t.Service.Info.Name)
	}
	return "主体 " + t.Subject.Info.Name
}

func kindLabel(k filing.ServiceKind) string {
	return map[filing.ServiceKind]string{filing.KindWebsite: "网站", filing.KindApp: "App", filing.KindMiniProgram: "小程序", filing.KindQuickApp: "快应用"}[k]
}

// inspectionNotes are an SMS to the account and, when the principal has an address, an e-mail.
func inspectionNotes(in Inspection, email, template string, params map[string]string, now time.Time) []notify.Notification {
	notes := []notify.Notification{{Channel: notify.ChannelSMS, Template: template, Recipient: notify.AccountRecipient(in.AccountID),
		Params: params, CreatedAt: now}}
	if email != "" {
		notes = append(notes, notify.Notification{Channel: notify.ChannelEmail, Template: template, Recipient: email, Params: params, CreatedAt: now})
	}
	return notes
}

// InspectionPage is one page of inspections; NextCursor is "" on the last page.
type InspectionPage struct {
	Items      []Inspection
	NextCursor string
}

// List pages through inspections newest first: every account's for reviewers (accountID 0), the
// caller's own otherwise. status "" lists all; limit is clamped to 1–100 (0: 20).
func (u *Inspections) List(ctx context.Context, accountID int64, status, cursor string, limit int) (InspectionPage, error) {
	f := InspectionFilter{AccountID: accountID, Limit: min(max(limit, 0), 100)}
	if f.Limit == 0 {
		f.Limit = 20
	}
	if status != "" {
		st, err := ParseInspectionStatus(status)
		if err != nil {
			return InspectionPage{}, err
		}
		f.Status = st
	}
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n <= 0 {
			return InspectionPage{}, kernel.FieldErrors{"cursor": kernel.CodeInvalid}
		}
		f.BeforeID = n
	}
	limitAsked := f.Limit
	f.Limit++
	list, err := u.store.ListInspections(ctx, f)
	if err != nil {
		return InspectionPage{}, err
	}
	page := InspectionPage{Items: list}
	if len(list) > limitAsked {
		page.Items = list[:limitAsked]
		page.NextCursor = strconv.FormatInt(list[limitAsked-1].ID, 10)
	}
	return page, nil
}

// Answer records the applicant's reply to their inspection: a note, the id of one of their orders
// (a change order), or both. Another account's inspection or order is ErrNotFound.
func (u *Inspections) Answer(ctx context.Context, accountID, id int64, note string, orderID int64) (Inspection, error) {
	note = strings.TrimSpace(note)
	switch {
	case note == "" && orderID == 0:
		return Inspection{}, kernel.FieldErrors{"note": "NOTE_OR_ORDER_REQUIRED"}
	case len([]rune(note)) > maxInspectionText:
		return Inspection{}, kernel.FieldErrors{"note": "TOO_LONG"}
	case orderID < 0:
		return Inspection{}, kernel.FieldErrors{"order_id": kernel.CodeInvalid}
	}
	if orderID != 0 {
		o, err := u.orders.Order(ctx, orderID)
		if err := kernel.OwnedBy(err, o.AccountID, accountID, "order", orderID); err != nil {
			if errors.Is(err, kernel.ErrNotFound) {
				return Inspection{}, kernel.FieldErrors{"order_id": "NOT_FOUND"}
			}
			return Inspection{}, err
		}
	}
	return u.store.AnswerInspection(ctx, id, accountID, note, orderID, u.now())
}

// Resolve closes an inspection the reviewer is satisfied with.
func (u *Inspections) Resolve(ctx context.Context, reviewerID, id int64, comment string) (Inspection, error) {
	comment = strings.TrimSpace(comment)
	if len([]rune(comment)) > maxInspectionText {
		return Inspection{}, kernel.FieldErrors{"comment": "TOO_LONG"}
	}
	return u.store.ResolveInspection(ctx, id, reviewerID, comment, u.now())
}

// Expire enforces one inspection's deadline: if it is past and the inspection unresolved, this
// provider's access to the record is cancelled, the event logged and the applicant notified, once
// however many callers race. It reports whether this call did it; a resolved inspection or one not
// yet due is left alone.
func (u *Inspections) Expire(ctx context.Context, id int64) (bool, error) {
	in, err := u.store.Inspection(ctx, id)
	if err != nil {
		return false, err
	}
	now := u.now()
	if (in.Status != InspectionOpen && in.Status != InspectionAnswered) || now.Before(in.DeadlineAt) {
		return false, nil
	}
	target, err := u.store.InspectionTarget(ctx, in.SubjectID, 0)
	email := ""
	if err == nil {
		email = target.Subject.Info.Principal.Email
	}
	notes := inspectionNotes(in, email, notify.TemplateInspectionOverdue, map[string]string{"target": in.Target}, now)
	return u.store.ExpireInspection(ctx, id, now, notes)
}

// ExpireDue enforces every deadline that has passed (the periodic sweep backing the per-inspection
// task) and reports how many inspections it expired. One that fails does not stop the others: its
// failure comes back as a kernel.RowError among the joined errors.
func (u *Inspections) ExpireDue(ctx context.Context) (int, error) {
	ids, err := u.store.InspectionsDue(ctx, u.now(), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, id := range ids {
		ok, err := u.Expire(ctx, id)
		if err != nil {
			errs = append(errs, &kernel.RowError{Kind: "inspection", ID: id, Err: err})
		}
		if ok {
			n++
		}
	}
	return n, errors.Join(errs...)
}
