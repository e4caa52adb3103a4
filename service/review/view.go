package review

import (
	"context"
	"errors"
	"fmt"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"strings"
)

// FieldChange is one difference between a change order's proposal and the filed record. Personal
// data (names, document numbers, phones, e-mail, certificate numbers) is masked in Before and After.
type FieldChange struct {
	Field  string // e.g. "subject.name", "services[2].domains"
	Before string
	After  string
}

// ReviewView is everything a reviewer sees of one order.
type ReviewView struct {
	Order     filing.Order
	Claim     Claim
	Changes   []FieldChange // against the filed record; empty for orders that create records
	Materials []filing.Material
	Confirmed []filing.Confirmation // confirmed authenticity verifications, with whom each verified
	Events    []filing.OrderEvent
	Views     []FileView // who opened which material or photo of the order, and when
}

// View loads an order for review: the order, its claim, the diff against the filed record, the
// materials, the confirmed verifications and the history.
func (r *Reviews) View(ctx context.Context, orderID int64) (ReviewView, error) {
	o, err := r.orders.Order(ctx, orderID)
	if err != nil {
		return ReviewView{}, fmt.Errorf("review order %d: %w", orderID, err)
	}
	v := ReviewView{Order: o}
	if v.Claim, err = r.store.ClaimOf(ctx, orderID); err != nil {
		return ReviewView{}, err
	}
	if !v.Claim.ExpiresAt.After(r.now()) {
		v.Claim = Claim{OrderID: orderID}
	}
	if v.Changes, err = r.changes(ctx, o); err != nil {
		return ReviewView{}, err
	}
	if v.Materials, err = r.materials.OrderMaterials(ctx, orderID); err != nil {
		return ReviewView{}, err
	}
	if v.Confirmed, err = r.verified.Confirmations(ctx, orderID); err != nil {
		return ReviewView{}, err
	}
	if v.Events, err = r.orders.OrderEvents(ctx, orderID); err != nil {
		return ReviewView{}, err
	}
	if r.views != nil {
		if v.Views, err = r.views.FileViews(ctx, orderID); err != nil {
			return ReviewView{}, err
		}
	}
	return v, nil
}

// changes diffs a change order against the subject and services it changes.
func (r *Reviews) changes(ctx context.Context, o filing.Order) ([]FieldChange, error) {
	if o.SubjectID == 0 || (o.Type != filing.OrderChangeSubject && o.Type != filing.OrderChangeService && o.Type != filing.OrderChangeBoth) {
		return nil, nil
	}
	var out []FieldChange
	subj, err := r.filings.SubjectOf(ctx, o.AccountID)
	if err != nil && !errors.Is(err, kernel.ErrNotFound) {
		return nil, err
	}
	if err == nil && subj.ID == o.SubjectID {
		out = append(out, diffSubject(subj.Info, o.Proposal.Subject)...)
	}
	for _, s := range o.Proposal.Services {
		if s.FiledID == 0 {
			continue
		}
		filed, err := r.filings.FiledService(ctx, s.FiledID)
		if err != nil {
			return nil, err
		}
		out = append(out, diffService(fmt.Sprintf("services[%d]", s.ID), filed.Info, s)...)
	}
	return out, nil
}

type diffAcc struct{ out []FieldChange }

func (d *diffAcc) add(field string, before, after any) {
	b, a := fmt.Sprint(before), fmt.Sprint(after)
	if b != a {
		d.out = append(d.out, FieldChange{Field: field, Before: b, After: a})
	}
}

// masked records a change of personal data by its raw values and shows it masked.
func (d *diffAcc) masked(field, before, after string, mask func(string) string) {
	if before != after {
		d.out = append(d.out, FieldChange{Field: field, Before: mask(before), After: mask(after)})
	}
}

func (d *diffAcc) person(prefix string, b, a filing.Person) {
	d.masked(prefix+".name", b.Name, a.Name, kernel.MaskName)
	d.add(prefix+".doc_type", b.DocType, a.DocType)
	d.masked(prefix+".doc_number", b.DocNumber, a.DocNumber, kernel.MaskID)
	d.add(prefix+".doc_valid", b.DocValidFrom+"~"+b.DocValidTo, a.DocValidFrom+"~"+a.DocValidTo)
	d.masked(prefix+".mobile", b.Mobile, a.Mobile, kernel.MaskPhone)
	d.masked(prefix+".emergency_phone", b.EmergencyPhone, a.EmergencyPhone, kernel.MaskPhone)
	d.masked(prefix+".email", b.Email, a.Email, kernel.MaskEmail)
}

func diffSubject(b, a filing.SubjectInfo) []FieldChange {
	d := &diffAcc{}
	d.add("subject.nature", b.Nature, a.Nature)
	d.add("subject.cert_type", b.CertType, a.CertType)
	d.masked("subject.cert_number", b.CertNumber, a.CertNumber, kernel.MaskID)
	d.add("subject.name", b.Name, a.Name)
	d.add("subject.province", b.Province, a.Province)
	d.add("subject.cert_address", b.CertAddress, a.CertAddress)
	d.add("subject.contact_address", b.ContactAddress, a.ContactAddress)
	d.add("subject.principal_is_legal_rep", b.PrincipalIsLegalRep, a.PrincipalIsLegalRep)
	d.person("subject.principal", b.Principal, a.Principal)
	return d.out
}

func diffService(prefix string, b, a filing.ServiceInfo) []FieldChange {
	d := &diffAcc{}
	d.add(prefix+".kind", b.Kind, a.Kind)
	d.add(prefix+".name", b.Name, a.Name)
	d.add(prefix+".domains", strings.Join(b.Domains, ","), strings.Join(a.Domains, ","))
	d.add(prefix+".home_url", b.HomeURL, a.HomeURL)
	d.add(prefix+".ips", strings.Join(b.IPs, ","), strings.Join(a.IPs, ","))
	d.add(prefix+".access_mode", b.AccessMode, a.AccessMode)
	d.add(prefix+".platforms", b.Platforms, a.Platforms)
	d.add(prefix+".pre_approvals", b.PreApprovals, a.PreApprovals)
	d.add(prefix+".content_types", b.ContentTypes, a.ContentTypes)
	d.add(prefix+".languages", b.Languages, a.Languages)
	d.person(prefix+".principal", b.Principal, a.Principal)
	return d.out
}
