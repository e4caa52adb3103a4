package review

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// Reviews is the provider staff's side of an order: the queue, claims, first-review decisions,
// the hand-over to the bureau and the bureau's result.
type Reviews struct {
	orders    filing.OrderStore
	store     ReviewStore
	filings   filing.FilingStore
	materials filing.MaterialLister
	verified  filing.VerificationStatus
	approvals ApprovalStore
	bureau    BureauGateway
	smsKey    []byte
	deadlines filing.DeadlineScheduler
	files     OrderFiles
	views     ViewLog
	now       kernel.Clock
}

// ReviewsConfig carries the collaborators of Reviews; SMSKey is SMSChecks.Key().
type ReviewsConfig struct {
	Orders        filing.OrderStore
	Reviews       ReviewStore
	Filings       filing.FilingStore
	Materials     filing.MaterialLister
	Verifications filing.VerificationStatus
	Approvals     ApprovalStore
	Bureau        BureauGateway // nil: verdicts are only recorded by hand
	SMSKey        []byte
	Deadlines     filing.DeadlineScheduler
	Files         OrderFiles // nil: materials and photos cannot be opened
	Views         ViewLog    // records every opening of a material or photo
	Now           kernel.Clock
}

// NewReviews wires the reviewer use case.
func NewReviews(c ReviewsConfig) *Reviews {
	return &Reviews{orders: c.Orders, store: c.Reviews, filings: c.Filings, materials: c.Materials,
		verified: c.Verifications, approvals: c.Approvals, bureau: c.Bureau, smsKey: c.SMSKey, deadlines: c.Deadlines,
		files: c.Files, views: c.Views, now: c.Now}
}

// HandToBureau passes an approved order to the bureau. Orders that need the MIIT SMS check start it
// (codes to the principals, 24-hour deadline); cancel access goes straight to bureau review.
func (r *Reviews) HandToBureau(ctx context.Context, reviewerID, orderID int64) (filing.Order, error) {
	o, err := r.orders.Update(ctx, orderID, func(o *filing.Order) error {
		now := r.now()
		if err := o.Transition(filing.EventHandToBureau, filing.Actor{Kind: filing.ActorReviewer, ID: reviewerID}, now); err != nil {
			return err
		}
		if o.Status != filing.StatusSMSVerifying {
			return nil
		}
		return o.StartSMSCheck(r.smsKey, "", now)
	})
	if err != nil {
		return filing.Order{}, fmt.Errorf("hand order %d to the bureau: %w", orderID, err)
	}
	if o.DeadlineAt != nil {
		_ = r.deadlines.ScheduleSMSDeadline(ctx, o.ID, *o.DeadlineAt) // the sweep covers a failure here
	}
	return o, nil
}

// Decision is a reviewer's first-review verdict. Outcome is approve, reject or request_changes;
// reject needs at least one reason code; every code must be a first-review reason of the catalogue.
// FieldComments point the applicant at proposal fields (e.g. "subject.name"); each path must name
// a field of the order's proposal (filing.Proposal.HasField).
type Decision struct {
	Outcome       string
	Reasons       []string
	Comment       string
	FieldComments []filing.FieldComment
}

// Bounds of field comments: how many one decision carries and how long a message may be.
const (
	maxFieldComments      = 50
	maxFieldCommentLength = 300
)

// maxComment bounds a decision's comment as stored (the event column holds 2,000 characters).
const maxComment = 1500

// event validates the decision and returns its event and the comment to record.
func (d Decision) event() (filing.OrderEventName, string, error) {
	fe := kernel.FieldErrors{}
	ev := filing.OrderEventName(d.Outcome)
	if ev != filing.EventApprove && ev != filing.EventReject && ev != filing.EventRequestChanges {
		fe["outcome"] = kernel.CodeInvalid
	}
	if ev == filing.EventReject && len(d.Reasons) == 0 {
		fe["reasons"] = "REASON_REQUIRED"
	}
	if err := checkReasons(d.Reasons, catalog.ScopeFirstReview); err != "" {
		fe["reasons"] = err
	}
	comment := strings.TrimSpace(d.Comment)
	if len(d.FieldComments) > maxFieldComments {
		fe["field_comments"] = "TOO_MANY"
	}
	seen := map[string]bool{}
	for i, fc := range d.FieldComments {
		text := strings.TrimSpace(fc.Message)
		if fc.Field == "" || len(fc.Field) > 100 || text == "" || len([]rune(text)) > maxFieldCommentLength || seen[fc.Field] {
			fe[fmt.Sprintf("field_comments.%d", i)] = kernel.CodeInvalid
		}
		seen[fc.Field] = true
	}
	if len([]rune(comment)) > maxComment {
		fe["comment"] = "TOO_LONG"
	}
	return ev, comment, fe.OrNil()
}

// checkReasons returns "" when every code is in the catalogue with one of scopes and none repeats.
func checkReasons(codes []string, scopes ...catalog.Scope) string {
	seen := map[string]bool{}
	for _, c := range codes {
		r, ok := catalog.ReasonByCode(c)
		if !ok || !slices.Contains(scopes, r.Scope) || seen[c] {
			return "UNKNOWN_REASON"
		}
		seen[c] = true
	}
	return ""
}

// Decide records a reviewer's first-review decision. The reviewer must hold a live claim on the
// order (ErrClaimRequired); a decision racing another one on the same order loses with
// ErrConflict or ErrTransitionNotAllowed, so exactly one is recorded. Field comments are recorded
// as data on the decision's event; a path that names no field of the proposal is a FieldErrors.
func (r *Reviews) Decide(ctx context.Context, reviewerID, orderID int64, d Decision) (filing.Order, error) {
	event, comment, err := d.event()
	if err != nil {
		return filing.Order{}, err
	}
	if err := r.holdsClaim(ctx, reviewerID, orderID); err != nil {
		return filing.Order{}, fmt.Errorf("decide order %d: %w", orderID, err)
	}
	o, err := r.orders.Update(ctx, orderID, func(o *filing.Order) error {
		fe := kernel.FieldErrors{}
		comments := make([]filing.FieldComment, len(d.FieldComments))
		for i, fc := range d.FieldComments {
			if !o.Proposal.HasField(fc.Field) {
				fe[fmt.Sprintf("field_comments.%d.field", i)] = "UNKNOWN_FIELD"
			}
			comments[i] = filing.FieldComment{Field: fc.Field, Message: strings.TrimSpace(fc.Message)}
		}
		if err := fe.OrNil(); err != nil {
			return err
		}
		if err := o.TransitionWith(event, filing.Actor{Kind: filing.ActorReviewer, ID: reviewerID}, r.now(), d.Reasons, comment); err != nil {
			return err
		}
		o.AnnotateLastEvent(comments)
		return nil
	})
	if err != nil {
		return filing.Order{}, fmt.Errorf("decide order %d: %w", orderID, err)
	}
	return o, nil
}
