package review

import (
	"context"
	"fmt"
	"strings"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/beian/beian/service/validate"
)

// NumberSequences allocates the sequence numbers filing numbers are made of. Numbers come from
// the database inside the approval's transaction: gapless, never reused.
type NumberSequences interface {
	// NextSubject is the next subject number of the province (two-digit code) in year.
	NextSubject(province string, year int) (int64, error)
	// NextService is the next service number under the subject whose filing number is given.
	NextService(subjectNumber string) (int64, error)
}

// ApprovalStore records the bureau's approval of an order as one transaction.
type ApprovalStore interface {
	// Approve loads the order (row locked, version checked), runs fn with sequences bound to the
	// transaction, writes the order with its events and notifications, and applies the approved
	// proposal to the filed records. If any step fails nothing is written.
	Approve(ctx context.Context, orderID int64, fn func(o *filing.Order, seq NumberSequences) error) (filing.Order, error)
}

// BureauResult is the provincial bureau's (管局) verdict on an order under its review.
type BureauResult struct {
	Approved bool
	Reasons  []string // reason codes (bureau or first-review scope); rejection only
	Comment  string
}

// RecordBureauResult records the bureau's verdict on an order in bureau_reviewing, as a reviewer
// types it in (actor reviewer) or a gateway reports it (actor system). An approval issues the
// filing numbers, applies the proposal to the filed records and tells the applicant the numbers,
// atomically. A rejection without reasons records BUREAU_REJECTED_OTHER.
func (r *Reviews) RecordBureauResult(ctx context.Context, actor filing.Actor, orderID int64, res BureauResult) (filing.Order, error) {
	if err := checkReasons(res.Reasons, catalog.ScopeBureau, catalog.ScopeFirstReview); err != "" {
		return filing.Order{}, kernel.FieldErrors{"reasons": err}
	}
	comment := strings.TrimSpace(res.Comment)
	if len([]rune(comment)) > maxComment {
		return filing.Order{}, kernel.FieldErrors{"comment": "TOO_LONG"}
	}
	if !res.Approved {
		reasons := res.Reasons
		if len(reasons) == 0 {
			reasons = []string{"BUREAU_REJECTED_OTHER"}
		}
		o, err := r.orders.Update(ctx, orderID, func(o *filing.Order) error {
			return o.TransitionWith(filing.EventBureauReject, actor, r.now(), reasons, comment)
		})
		if err != nil {
			return filing.Order{}, fmt.Errorf("bureau rejection of order %d: %w", orderID, err)
		}
		return o, nil
	}
	if len(res.Reasons) > 0 {
		return filing.Order{}, kernel.FieldErrors{"reasons": kernel.CodeInvalid}
	}
	o, err := r.approvals.Approve(ctx, orderID, func(o *filing.Order, seq NumberSequences) error {
		now := r.now()
		if err := o.TransitionWith(filing.EventBureauApprove, actor, now, nil, comment); err != nil {
			return err
		}
		numbers, err := IssueNumbers(o, seq, kernel.BeijingYear(now))
		if err != nil {
			return err
		}
		o.Notify(notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateOrderApproved, Recipient: notify.AccountRecipient(o.AccountID),
			Params: map[string]string{"order_id": fmt.Sprint(o.ID), "numbers": strings.Join(numbers, "，")}, CreatedAt: now})
		return nil
	})
	if err != nil {
		return filing.Order{}, fmt.Errorf("bureau approval of order %d: %w", orderID, err)
	}
	return o, nil
}

// IssueNumbers gives the records an approved order creates their filing numbers: a new_filing's
// subject {abbr}ICP备{year}{6-digit sequence}号 from its province's sequence, and every new service
// of a new_filing or new_service {subject}-{n}{suffix} from the subject's service sequence, in
// proposal order. Whatever the applicant typed there is replaced. A filed subject keeps its number
// and its new services continue its sequence; other order types keep the numbers they carry. It
// returns the order's numbers, subject first.
func IssueNumbers(o *filing.Order, seq NumberSequences, year int) ([]string, error) {
	s := &o.Proposal.Subject
	creates := o.Type == filing.OrderNewFiling || o.Type == filing.OrderNewService
	if o.Type == filing.OrderNewFiling {
		p, ok := catalog.ProvinceByCode(s.Province)
		if !ok {
			return nil, fmt.Errorf("order %d: no province %q for a filing number", o.ID, s.Province)
		}
		n, err := seq.NextSubject(s.Province, year)
		if err != nil {
			return nil, err
		}
		s.FilingNumber = validate.FormatSubjectNumber(p.Abbr, year, int(n))
	}
	if creates && s.FilingNumber == "" {
		return nil, fmt.Errorf("order %d: new services under a subject without a number: %w", o.ID, kernel.ErrConflict)
	}
	numbers := []string{s.FilingNumber}
	for i := range o.Proposal.Services {
		svc := &o.Proposal.Services[i]
		if creates && svc.FiledID == 0 {
			n, err := seq.NextService(s.FilingNumber)
			if err != nil {
				return nil, err
			}
			svc.FilingNumber = validate.FormatServiceNumber(s.FilingNumber, int(n), string(svc.Kind))
			if svc.FilingNumber == "" {
				return nil, fmt.Errorf("order %d: service %d of kind %q gets no number", o.ID, svc.ID, svc.Kind)
			}
		}
		if svc.FilingNumber != "" {
			numbers = append(numbers, svc.FilingNumber)
		}
	}
	return numbers, nil
}
