package filing

import (
	"fmt"
	"slices"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/kernel"
)

// CreateFacts is what the rules need to decide whether an account may open an order of a type.
type CreateFacts struct {
	Type       OrderType
	InFlight   int64          // id of the account's in-flight order; 0 when none
	Subject    *Subject       // the account's live subject, nil when none
	Services   []FiledService // the subject's live services
	ServiceIDs []int64        // the filed services the order names (cancel, migrate, cancel access)
	Target     *TargetFacts   // transfer and migrate: the receiving account
}

// TargetFacts describes the account a transfer or migration goes to.
type TargetFacts struct {
	AccountID int64 // 0 when no account has the given phone number
	Self      bool
	Subject   *Subject
	InFlight  int64
}

// typeNeeds says what each order type requires of the applicant's account.
var typeNeeds = map[OrderType]struct {
	subject    bool // a filed subject is required (false: it must not exist, except new_access)
	liveSvc    bool // the subject must have a live service
	namesSvc   bool // the order names filed services
	oneService bool
}{
	OrderNewFiling:     {},
	OrderClaim:         {},
	OrderNewAccess:     {},
	OrderNewService:    {subject: true},
	OrderChangeSubject: {subject: true},
	OrderChangeService: {subject: true, liveSvc: true},
	OrderChangeBoth:    {subject: true, liveSvc: true},
	OrderTransfer:      {subject: true},
	OrderMigrate:       {subject: true, liveSvc: true, namesSvc: true},
	OrderCancelService: {subject: true, liveSvc: true, namesSvc: true, oneService: true},
	OrderCancelSubject: {subject: true},
	OrderCancelAccess:  {subject: true, liveSvc: true, namesSvc: true},
}

// CheckCreate applies the filing rules to a request for a new order. It returns an
// *OrderInProgressError, a *RuleError, or nil.
func CheckCreate(f CreateFacts) error {
	if f.InFlight != 0 {
		return &OrderInProgressError{OrderID: f.InFlight}
	}
	need := typeNeeds[f.Type]
	switch {
	case f.Subject != nil && (f.Type == OrderNewFiling || f.Type == OrderClaim):
		return refuse(ReasonSubjectExists, "the account already has a subject; add services with new_service")
	case f.Subject == nil && need.subject:
		return refuse(ReasonNoSubject, string(f.Type)+" needs a filed subject")
	case need.liveSvc && len(f.Services) == 0:
		return refuse(ReasonNoLiveService, "the subject is a shell with no live service")
	}
	if f.Type == OrderNewService && len(f.Services) == 0 && !catalog.RulesFor(f.Subject.Info.Province).ShellMayAddServices {
		return refuse(ReasonShellSubject, "this province makes a shell subject cancel before adding services")
	}
	if need.namesSvc {
		if err := checkNamedServices(f, need.oneService); err != nil {
			return err
		}
	}
	switch f.Type {
	case OrderTransfer:
		return checkTransferTarget(f.Target)
	case OrderMigrate:
		return checkMigration(f.Subject, f.Target)
	}
	return nil
}

func checkNamedServices(f CreateFacts, one bool) error {
	if len(f.ServiceIDs) == 0 || (one && len(f.ServiceIDs) != 1) {
		return refuse(ReasonOneService, fmt.Sprintf("%s names %d services", f.Type, len(f.ServiceIDs)))
	}
	for i, id := range f.ServiceIDs {
		live := slices.ContainsFunc(f.Services, func(s FiledService) bool { return s.ID == id })
		if !live || slices.Contains(f.ServiceIDs[:i], id) {
			return refuse(ReasonServiceNotFiled, fmt.Sprintf("service %d is not a live service of the subject, or named twice", id))
		}
	}
	return nil
}

// checkTargetAccount holds what transfers and migrations both ask of the receiving account: it
// exists, it is another account, and it has no order in progress.
func checkTargetAccount(t *TargetFacts) error {
	switch {
	case t == nil || t.AccountID == 0:
		return refuse(ReasonTargetUnknown, "no account has the target phone number")
	case t.Self:
		return refuse(ReasonTargetSelf, "the target is the applicant's own account")
	case t.InFlight != 0:
		return refuse(ReasonTargetBusy, "the target account has an order in progress")
	}
	return nil
}

func checkTransferTarget(t *TargetFacts) error {
	if err := checkTargetAccount(t); err != nil {
		return err
	}
	if t.Subject != nil {
		return refuse(ReasonTargetHasSubject, "the target account already has a subject")
	}
	return nil
}

func checkMigration(from *Subject, t *TargetFacts) error {
	if err := checkTargetAccount(t); err != nil {
		return err
	}
	switch {
	case t.Subject == nil:
		return refuse(ReasonTargetNoSubject, "the target account has no subject to receive the services")
	case t.Subject.Info.Individual():
		return refuse(ReasonMigrationIndividual, "services never migrate to an individual subject")
	case !catalog.RulesFor(from.Info.Province).MigrationAllowed || !catalog.RulesFor(t.Subject.Info.Province).MigrationAllowed:
		return refuse(ReasonMigrationProvince, "migration is offered only within the listed provinces")
	}
	return nil
}

// CheckChange applies the change rules to a change order's proposal against the
// filed records (filed services keyed by their id). Immutable fields give FieldErrors; a change
// that needs another order type gives a *RuleError.
func CheckChange(t OrderType, filed SubjectInfo, filedSvcs map[int64]ServiceInfo, p Proposal) error {
	fe := kernel.FieldErrors{}
	s := p.Subject
	if s.Province != filed.Province {
		fe["subject.province"] = "IMMUTABLE"
	}
	if s.CertNumber != filed.CertNumber || s.CertType != filed.CertType {
		fe["subject.cert_number"] = "IMMUTABLE"
	}
	if s.Nature != filed.Nature {
		fe["subject.nature"] = "IMMUTABLE"
	}
	servicesChanged := false
	for _, svc := range p.Services {
		key := fmt.Sprintf("services.%d", svc.ID)
		old, ok := filedSvcs[svc.FiledID]
		if !ok {
			fe[key] = "NOT_ALLOWED" // a change order cannot add services: use new_service
			continue
		}
		if svc.Kind != old.Kind {
			fe[key+".kind"] = "IMMUTABLE"
		}
		if !slices.Equal(svc.Domains, old.Domains) {
			fe[key+".domains"] = "IMMUTABLE"
		}
		servicesChanged = servicesChanged || !sameServiceContent(svc, old)
	}
	if err := fe.OrNil(); err != nil {
		return err
	}
	subjectChanged := s != filed
	switch {
	case t == OrderChangeSubject && servicesChanged:
		return refuse(ReasonChangeOutsideType, "change_subject cannot change services; use change_both")
	case t == OrderChangeService && subjectChanged:
		return refuse(ReasonChangeOutsideType, "change_service cannot change the subject; use change_both")
	case t != OrderChangeBoth && needsChangeBoth(filed, filedSvcs, p):
		return refuse(ReasonNeedsChangeBoth, "this change is filed as a change of subject and services (变更备案)")
	}
	return nil
}

// needsChangeBoth holds the three rules that make a change a 变更备案 (change_both).
func needsChangeBoth(filed SubjectInfo, filedSvcs map[int64]ServiceInfo, p Proposal) bool {
	newP, oldP := p.Subject.Principal, filed.Principal
	if catalog.RulesFor(filed.Province).PrincipalChangeNeedsChangeBoth && (newP.Name != oldP.Name || !newP.SamePerson(oldP)) {
		return true
	}
	contactsChanged := !newP.SameContacts(oldP)
	sharesPrincipal := false
	for _, old := range filedSvcs {
		sharesPrincipal = sharesPrincipal || old.Principal.SamePerson(oldP)
	}
	sharedChanged := contactsChanged // the subject principal, who also leads a service, changed contacts
	for _, svc := range p.Services {
		old := filedSvcs[svc.FiledID]
		changed := !svc.Principal.SameContacts(old.Principal)
		contactsChanged = contactsChanged || changed
		sharedChanged = sharedChanged || (changed && old.Principal.SamePerson(oldP))
	}
	if filed.Individual() && contactsChanged {
		return true
	}
	return filed.Nature == catalog.NatureEnterprise && sharesPrincipal && sharedChanged
}

// sameServiceContent compares a proposed service with its filed record, ignoring the ids.
func sameServiceContent(a, filed ServiceInfo) bool {
	a.ID, a.FiledID, filed.ID, filed.FiledID = 0, 0, 0, 0
	return a.Equal(filed)
}
