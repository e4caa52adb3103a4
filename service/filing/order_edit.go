package filing

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/validate"
)

// ProposalEdit changes a proposal in place: the subject, the services and the agreements. It is
// applied inside the order's transaction, to the current proposal.
type ProposalEdit func(p *Proposal) error

// Patch edits an editable order's proposal. New services (ID 0) get fresh ids; ids not in the
// order are refused; the change rules run on change orders. Errors: ErrOrderNotEditable,
// FieldErrors, *RuleError.
func (u *Orders) Patch(ctx context.Context, accountID, id int64, edit ProposalEdit) (Order, error) {
	if _, err := u.Get(ctx, accountID, id); err != nil {
		return Order{}, err
	}
	filed, svcs, err := u.filedOf(ctx, accountID)
	if err != nil {
		return Order{}, err
	}
	return u.orders.Update(ctx, id, func(o *Order) error {
		if err := checkIfVersion(ctx, o); err != nil {
			return err
		}
		if !o.Status.Editable() {
			return fmt.Errorf("patch order %d in %s: %w", id, o.Status, ErrOrderNotEditable)
		}
		p := o.Proposal.Clone()
		if err := edit(&p); err != nil {
			return err
		}
		if err := settleProposal(*o, &p, filed, svcs); err != nil {
			return err
		}
		o.Proposal, o.UpdatedAt = p, u.now()
		return nil
	})
}

// settleProposal normalises an edited proposal, gives new services their ids and checks what the
// order type lets the applicant edit.
func settleProposal(o Order, p *Proposal, filed *Subject, svcs []FiledService) error {
	if err := CheckLimits(*p); err != nil {
		return err
	}
	old := o.Proposal
	p.TargetAccountID, p.TargetSubjectID, p.NextServiceID = old.TargetAccountID, old.TargetSubjectID, old.NextServiceID
	fe := kernel.FieldErrors{}
	for _, a := range p.Agreements {
		if !AgreementKnown(a) {
			fe["agreements"] = kernel.CodeInvalid
		}
	}
	slices.Sort(p.Agreements)
	p.Agreements = slices.Compact(p.Agreements)
	seen := map[int64]bool{}
	for i := range p.Services {
		s := &p.Services[i]
		if s.ID == 0 {
			s.ID, s.FiledID = p.NextServiceID, 0
			p.NextServiceID++
			continue
		}
		prev, ok := old.Service(s.ID)
		if !ok || seen[s.ID] {
			fe[fmt.Sprintf("services.%d.id", s.ID)] = kernel.CodeInvalid
		}
		seen[s.ID] = true
		s.FiledID = prev.FiledID
	}
	if err := fe.OrNil(); err != nil {
		return err
	}
	normalizeProposal(p)
	return checkEditable(o, old, *p, filed, svcs)
}

// checkEditable refuses edits the order type does not allow.
func checkEditable(o Order, old, p Proposal, filed *Subject, svcs []FiledService) error {
	fixedSubject := o.SubjectID != 0 && !slices.Contains(typesWithSubject, o.Type)
	fixedServices := !slices.Contains(typesWithServices, o.Type) && o.Type != OrderChangeSubject
	switch {
	case fixedSubject && p.Subject != old.Subject:
		return kernel.FieldErrors{"subject": "NOT_EDITABLE"}
	case fixedServices && !slices.EqualFunc(p.Services, old.Services, ServiceInfo.Equal):
		return kernel.FieldErrors{"services": "NOT_EDITABLE"}
	case isChange(o.Type) && filed != nil:
		byID := make(map[int64]ServiceInfo, len(svcs))
		for _, s := range svcs {
			byID[s.ID] = s.Info
		}
		return CheckChange(o.Type, filed.Info, byID, p)
	}
	return nil
}

// normalizeProposal puts values in their stored form where the input is recognisable: upper-case
// document numbers, bare mobile numbers, canonical domains, lower-case digests, nature labels.
func normalizeProposal(p *Proposal) {
	s := &p.Subject
	s.CertNumber = strings.ToUpper(strings.TrimSpace(s.CertNumber))
	s.NatureLabel = ""
	if n, ok := catalog.NatureByCode(s.Nature); ok {
		s.NatureLabel = n.Label
	}
	normalizePerson(&s.Principal)
	for i := range p.Services {
		svc := &p.Services[i]
		for j, d := range svc.Domains {
			if canon, err := validate.Domain(strings.TrimSpace(d)); err == nil {
				svc.Domains[j] = canon
			}
		}
		for j := range svc.Platforms {
			pl := &svc.Platforms[j]
			if validate.HexDigest(pl.MD5, validate.MD5Bytes) == nil {
				pl.MD5 = validate.NormalizeHex(pl.MD5)
			}
			if validate.HexDigest(pl.SHA1, validate.SHA1Bytes) == nil {
				pl.SHA1 = validate.NormalizeHex(pl.SHA1)
			}
		}
		normalizePerson(&svc.Principal)
	}
}

func normalizePerson(p *Person) {
	p.DocNumber = strings.ToUpper(strings.TrimSpace(p.DocNumber))
	p.Mobile = validate.NormalizeMobile(p.Mobile)
	p.Email = strings.TrimSpace(p.Email)
	if p.DocLongTerm {
		p.DocValidTo = ""
	}
}

// Requirements lists what the order still needs before it can be submitted.
func (u *Orders) Requirements(ctx context.Context, accountID, id int64) (Requirements, error) {
	o, err := u.Get(ctx, accountID, id)
	if err != nil {
		return Requirements{}, err
	}
	in, err := u.requirementInput(ctx, o)
	if err != nil {
		return Requirements{}, err
	}
	events, err := u.orders.OrderEvents(ctx, id)
	if err != nil {
		return Requirements{}, fmt.Errorf("requirements of order %d: %w", id, err)
	}
	r := EvaluateRequirements(in)
	r.Comments = LastReviewComments(o, events)
	return r, nil
}

func (u *Orders) requirementInput(ctx context.Context, o Order) (RequirementInput, error) {
	in := RequirementInput{Order: o, Today: u.now()}
	var err error
	if in.Filed, in.FiledServices, err = u.filedOf(ctx, o.AccountID); err != nil {
		return in, err
	}
	if in.Materials, err = u.materials.OrderMaterials(ctx, o.ID); err != nil {
		return in, err
	}
	if in.Confirmed, err = u.verified.Confirmations(ctx, o.ID); err != nil {
		return in, fmt.Errorf("verification status of order %d: %w", o.ID, err)
	}
	return in, nil
}

// Submit hands the order to first review (a transfer goes straight to its SMS check, code to the
// account holder's phone, deadline scheduled). The requirements are evaluated inside the
// transaction that moves the order, on the order, materials and verifications as that transaction
// reads them (the order and its verification rows locked), so a verification that changes
// concurrently is either seen or waits for the submission. Anything missing is a
// *RequirementsError with the same list Requirements gives; a status that cannot submit is
// ErrTransitionNotAllowed; an edit racing the submission is ErrConflict.
func (u *Orders) Submit(ctx context.Context, accountID, id int64) (Order, error) {
	o, err := u.Get(ctx, accountID, id)
	if err != nil {
		return Order{}, err
	}
	phone, err := u.submitSMSCheck(ctx, o)
	if err != nil {
		return Order{}, err
	}
	out, err := u.orders.UpdateInTx(ctx, id, func(ctx context.Context, cur *Order) error {
		if err := checkIfVersion(ctx, cur); err != nil {
			return err
		}
		if _, ok := lookupTransition(cur.Type, cur.Status, EventSubmit); !ok {
			return fmt.Errorf("submit order %d in %s: %w", id, cur.Status, ErrTransitionNotAllowed)
		}
		if cur.Version != o.Version {
			return fmt.Errorf("order %d changed while submitting: %w", id, kernel.ErrConflict)
		}
		in, err := u.requirementInput(ctx, *cur)
		if err != nil {
			return err
		}
		if err := checkEditable(*cur, cur.Proposal, cur.Proposal, in.Filed, in.FiledServices); err != nil {
			return err
		}
		if reqs := EvaluateRequirements(in); !reqs.Complete {
			return &RequirementsError{Requirements: reqs}
		}
		if err := cur.Transition(EventSubmit, Actor{Kind: ActorApplicant, ID: accountID}, u.now()); err != nil {
			return err
		}
		if domains := claimedDomains(*cur); len(domains) > 0 {
			if err := u.claims.Claim(ctx, cur.ID, cur.Proposal.Subject.CertNumber, domains, u.now()); err != nil {
				return fmt.Errorf("submit order %d: %w", id, err)
			}
		}
		return u.startSubmitSMSCheck(cur, phone)
	})
	if err != nil {
		return Order{}, err
	}
	u.scheduleSMSDeadline(ctx, out)
	return out, nil
}

// Withdraw takes a submitted order back to draft before the bureau has it.
func (u *Orders) Withdraw(ctx context.Context, accountID, id int64) (Order, error) {
	return u.applicantEvent(ctx, accountID, id, EventWithdraw)
}

// Abandon gives up an order that is not with a reviewer or the bureau; the account may then open another.
func (u *Orders) Abandon(ctx context.Context, accountID, id int64) (Order, error) {
	return u.applicantEvent(ctx, accountID, id, EventAbandon)
}

func (u *Orders) applicantEvent(ctx context.Context, accountID, id int64, ev OrderEventName) (Order, error) {
	if _, err := u.Get(ctx, accountID, id); err != nil {
		return Order{}, err
	}
	return u.orders.Update(ctx, id, func(o *Order) error {
		if err := checkIfVersion(ctx, o); err != nil {
			return err
		}
		return o.Transition(ev, Actor{Kind: ActorApplicant, ID: accountID}, u.now())
	})
}

// claimedDomains lists the domains a submission holds for the order's subject: every domain of the
// services of an order that files or changes them. Cancellations release domains and migrations
// hand them over when approved; a transfer keeps its subject's.
func claimedDomains(o Order) []string {
	if !slices.Contains(typesWithServices, o.Type) {
		return nil
	}
	var out []string
	for _, s := range o.Proposal.Services {
		out = append(out, s.Domains...)
	}
	return out
}
