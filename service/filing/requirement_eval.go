package filing

import (
	"slices"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/kernel"
)

// RequirementInput is everything the requirement evaluator reads; it does no I/O.
type RequirementInput struct {
	Order         Order
	Filed         *Subject       // the account's filed subject, nil when none
	FiledServices []FiledService // its live services
	Materials     []Material     // the order's uploaded materials
	Confirmed     []Confirmation // the order's confirmed verifications
	Today         time.Time
}

// reqContext is the evaluator's view of one order, with the helpers the rule tables call.
type reqContext struct {
	order     Order
	rules     catalog.ProvinceRules
	filed     *Subject
	filedSvcs []FiledService
	today     time.Time
}

func (c *reqContext) subject() SubjectInfo { return c.order.Proposal.Subject }

// nonLocalIndividual: an individual whose resident ID was issued in another province.
func (c *reqContext) nonLocalIndividual() bool {
	s := c.subject()
	return s.Individual() && s.CertType == catalog.CertResidentID && len(s.CertNumber) >= 2 &&
		s.Province != "" && s.CertNumber[:2] != s.Province
}

// principalReplacedInChangeBoth: a change_both replacing the subject principal where the province
// asks for a new authorization letter with it (Hunan, Guizhou).
func (c *reqContext) principalReplacedInChangeBoth() bool {
	return c.order.Type == OrderChangeBoth && c.rules.PrincipalChangeNeedsChangeBoth && c.filed != nil &&
		!c.subject().Principal.SamePerson(c.filed.Info.Principal)
}

// websitesAfter counts the subject's websites once the order is approved.
func (c *reqContext) websitesAfter() int {
	n := 0
	for _, s := range c.filedSvcs {
		if s.Info.Kind == KindWebsite {
			n++
		}
	}
	for _, s := range c.order.Proposal.Services {
		if s.Kind == KindWebsite && s.FiledID == 0 {
			n++
		}
	}
	return n
}

// leavesShell: the order acts on every live service of the subject, leaving it a shell.
func (c *reqContext) leavesShell() bool {
	if len(c.filedSvcs) == 0 {
		return false
	}
	for _, f := range c.filedSvcs {
		if !slices.ContainsFunc(c.order.Proposal.Services, func(s ServiceInfo) bool { return s.FiledID == f.ID }) {
			return false
		}
	}
	return true
}

// EvaluateRequirements lists everything the order still lacks: invalid or missing fields,
// materials from the material table, verifications per responsible person, and agreements.
func EvaluateRequirements(in RequirementInput) Requirements {
	c := &reqContext{order: in.Order, rules: catalog.RulesFor(in.Order.Province()), filed: in.Filed,
		filedSvcs: in.FiledServices, today: in.Today}
	items := checkFields(c)
	items = append(items, missingMaterials(c, in.Materials)...)
	items = append(items, missingVerifications(in.Order, in.Confirmed)...)
	items = append(items, missingAgreements(c)...)
	return Requirements{Complete: len(items) == 0, Items: items}
}

// requiredMaterials lists the material keys the order needs, as the material table says.
func requiredMaterials(c *reqContext) []MaterialKey {
	var keys []MaterialKey
	for _, r := range materialRules {
		if !slices.Contains(r.Types, c.order.Type) {
			continue
		}
		switch materialSpecs[r.Kind].Scope {
		case scopeOrder:
			if r.When(c, ServiceInfo{}) {
				keys = append(keys, MaterialKey{Kind: r.Kind})
			}
		case scopeService:
			for _, s := range c.order.Proposal.Services {
				if r.When(c, s) {
					keys = append(keys, MaterialKey{Kind: r.Kind, ServiceID: s.ID})
				}
			}
		case scopeItem:
			for _, s := range c.order.Proposal.Services {
				for _, code := range s.PreApprovals {
					if r.When(c, s) {
						keys = append(keys, MaterialKey{Kind: r.Kind, ServiceID: s.ID, Item: code})
					}
				}
			}
		}
	}
	return keys
}

func missingMaterials(c *reqContext, have []Material) []Requirement {
	var out []Requirement
	for _, k := range requiredMaterials(c) {
		if slices.ContainsFunc(have, func(m Material) bool { return m.Key == k }) {
			continue
		}
		out = append(out, Requirement{Kind: NeedMaterial, Key: k.String(), Code: kernel.CodeMissing,
			Message: "请上传" + materialSpecs[k.Kind].Label})
	}
	return out
}

// VerificationPersons lists the responsible persons of the order who must pass a verification.
func VerificationPersons(o Order) []PersonRef {
	need := verificationNeeds[o.Type]
	var refs []PersonRef
	if need.subject {
		refs = append(refs, PersonRef{Role: RoleSubjectPrincipal})
	}
	if need.services {
		for _, s := range o.Proposal.Services {
			refs = append(refs, PersonRef{Role: RoleServicePrincipal, ServiceID: s.ID})
		}
	}
	return refs
}

// missingVerifications lists the persons without a confirmed verification of the person the order
// names now: none at all (MISSING), or one of someone else, or under another name
// (VERIFIED_PERSON_CHANGED).
func missingVerifications(o Order, confirmed []Confirmation) []Requirement {
	var out []Requirement
	for _, ref := range VerificationPersons(o) {
		i := slices.IndexFunc(confirmed, func(c Confirmation) bool { return c.Person == ref })
		current, _ := PersonOf(o, ref)
		switch {
		case i < 0:
			msg := "主体负责人尚未完成真实性核验（人脸核验并确认照片）"
			if ref.Role == RoleServicePrincipal {
				msg = "互联网信息服务负责人尚未完成真实性核验（人脸核验并确认照片）"
			}
			out = append(out, Requirement{Kind: NeedVerification, Key: ref.String(), Code: kernel.CodeMissing, Message: msg})
		case !confirmed[i].Who.Is(current):
			out = append(out, Requirement{Kind: NeedVerification, Key: ref.String(), Code: CodeVerifiedPersonChanged,
				Message: "已完成核验的人员与当前填写的负责人（姓名或证件）不一致，请为当前负责人重新进行真实性核验"})
		}
	}
	return out
}

func missingAgreements(c *reqContext) []Requirement {
	var out []Requirement
	for _, a := range agreementRules {
		if slices.Contains(a.Types, c.order.Type) && a.When(c) && !slices.Contains(c.order.Proposal.Agreements, a.Key) {
			out = append(out, Requirement{Kind: NeedAgreement, Key: a.Key, Code: kernel.CodeMissing, Message: a.Message})
		}
	}
	return out
}

// AgreementKnown reports whether name is an agreement some order type asks for.
func AgreementKnown(name string) bool {
	return slices.ContainsFunc(agreementRules, func(a agreementRule) bool { return a.Key == name })
}
