package filing

import (
	"slices"

	"github.com/beian/beian/service/catalog"
)

// MaterialKindInfo describes one upload kind for a form: its Chinese label, whether one is
// uploaded per order, per service or per service and pre-approval item, whether scans must be in
// colour, and when an order in a province needs it.
type MaterialKindInfo struct {
	Kind   MaterialKind
	Label  string
	Per    string // "order", "service" or "preapproval_item"
	Colour bool
	// When is "always" (every order that files a subject), "province" (every such order in this
	// province) or "conditional" (the requirement list names it when its rule applies: an
	// organisation's certificate, a service principal other than the subject's, a principal who
	// is not the legal representative, a non-local individual, a changed registration…).
	When string
}

var materialKindOrder = []MaterialKind{MaterialSubjectCertificate, MaterialPrincipalID, MaterialServicePrincipalID,
	MaterialCommitmentLetter, MaterialJiangsuCommitment, MaterialJiangsuNotice, MaterialResidencePermit,
	MaterialAuthorizationLetter, MaterialRegistrationChange, MaterialPreApproval, MaterialSiteConstructionPlan}

// MaterialKindsFor lists the upload kinds an order in the province may be asked for, in a fixed
// order; kinds the province never asks for are left out.
func MaterialKindsFor(province string) []MaterialKindInfo {
	r := catalog.RulesFor(province)
	when := map[MaterialKind]string{
		MaterialPrincipalID: "always", MaterialSubjectCertificate: "conditional", MaterialServicePrincipalID: "conditional",
		MaterialAuthorizationLetter: "conditional", MaterialRegistrationChange: "conditional", MaterialPreApproval: "conditional",
	}
	if r.RequiresCommitmentLetter {
		when[MaterialCommitmentLetter] = "province"
	}
	if r.RequiresJiangsuLetters {
		when[MaterialJiangsuCommitment], when[MaterialJiangsuNotice] = "province", "province"
	}
	if r.NonLocalIndividualNeedsResidencePermit {
		when[MaterialResidencePermit] = "conditional"
	}
	if r.BuildPlanFromWebsites > 0 {
		when[MaterialSiteConstructionPlan] = "conditional"
	}
	out := make([]MaterialKindInfo, 0, len(when))
	for _, k := range materialKindOrder {
		w, ok := when[k]
		if !ok {
			continue
		}
		spec := materialSpecs[k]
		per := []string{"order", "service", "preapproval_item"}[spec.Scope]
		out = append(out, MaterialKindInfo{Kind: k, Label: spec.Label, Per: per, Colour: spec.Colour, When: w})
	}
	return slices.Clip(out)
}
