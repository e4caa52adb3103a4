package catalog

// ProvinceRules are the filing rules a provincial bureau adds to the common ones. The zero value
// means "nothing beyond the common rules is recorded": a false flag or a zero number says the
// notes this table comes from state no such rule, not that the bureau forbids or allows it. Every
// field is enforced by the filing rules. Three province rules of the notes are deliberately not
// here: "no change together with new services" (Hebei) holds everywhere, since a change order
// cannot add services and an account has one order in flight; "principal mobile registered in the
// province" (Hunan) needs a number-range database this service does not have, so the reviewer
// refuses with PHONE_NOT_LOCAL; "footer shows the subject number" (Guangdong) concerns the filed
// site, not the filing.
type ProvinceRules struct {
	// MigrationAllowed: services may be migrated to another subject (迁移互联网信息服务).
	MigrationAllowed bool
	// ShellMayAddServices: a shell subject (空壳主体) may add services directly; elsewhere the
	// shell must be cancelled first.
	ShellMayAddServices bool
	// PrincipalChangeNeedsChangeBoth: a new subject principal is filed as a change of subject and
	// services (变更备案) with a new authorization letter, not as a subject-only change.
	PrincipalChangeNeedsChangeBoth bool
	// PrincipalMustBeLegalRep: an organisation's subject principal is its legal representative.
	PrincipalMustBeLegalRep bool
	// NonLegalRepNeedsAuthorization: a subject principal who is not the legal representative
	// needs the legal representative's authorization letter (授权书).
	NonLegalRepNeedsAuthorization bool
	// NonLegalRepMustLeadServices: when the subject principal is not the legal representative,
	// every service principal must be the subject principal.
	NonLegalRepMustLeadServices bool
	// ForeignLegalRepMustAuthorise: a legal representative who is a foreign national must
	// authorise a mainland citizen as principal.
	ForeignLegalRepMustAuthorise bool
	// HKMOTWLegalRepMustAuthorise: so must one from Hong Kong, Macao or Taiwan.
	HKMOTWLegalRepMustAuthorise bool
	// ForeignIndividualsRefused: foreign nationals cannot file as individuals.
	ForeignIndividualsRefused bool
	// NonLocalIndividualNeedsResidencePermit: an individual whose ID is from another province
	// must add a local residence permit (or an accepted substitute).
	NonLocalIndividualNeedsResidencePermit bool
	// NonLocalIndividualRefused: only individuals with an ID from this province may file.
	NonLocalIndividualRefused bool
	// RequiresCommitmentLetter: every filing carries 《互联网信息服务备案承诺书》.
	RequiresCommitmentLetter bool
	// RequiresJiangsuLetters: filings carry 《ICP备案信息真实性承诺书》 and
	// 《ICP备案信息真实性责任告知书》, signed by the service principal, as colour originals.
	RequiresJiangsuLetters bool
	// AddressSameCityAsCertificate: the contact address is in the city of the certificate.
	AddressSameCityAsCertificate bool
	// MinIndividualAge is the minimum age of an individual filer; 0 if none is recorded.
	MinIndividualAge int
	// IndividualProofBelowAge: an individual younger than this, but at least MinIndividualAge,
	// adds proof of employment or income; 0 if no such rule.
	IndividualProofBelowAge int
	// MinPrincipalAge is the minimum age of any principal (subject or service); 0 if none.
	MinPrincipalAge int
	// MinEnterprisePrincipalAge is the minimum age of an enterprise's principal; 0 if none.
	MinEnterprisePrincipalAge int
	// MaxDomainsPerOrder caps the new domains one order may carry; 0 if no cap is recorded.
	MaxDomainsPerOrder int
	// BuildPlanFromWebsites: once a subject has this many websites, a site construction plan
	// (网站建设方案书) is required; 0 if no threshold is recorded.
	BuildPlanFromWebsites int
	// MaxEnterpriseWebsites caps the websites of one enterprise subject; 0 if none is recorded.
	MaxEnterpriseWebsites int
}

// provinceRules is keyed by province code; a province with no entry has only common rules.
var provinceRules = map[string]ProvinceRules{
	"11": {MigrationAllowed: true, ShellMayAddServices: true, PrincipalMustBeLegalRep: true},
	"12": {MigrationAllowed: true, ShellMayAddServices: true, PrincipalMustBeLegalRep: true, MinIndividualAge: 18},
	"13": {MigrationAllowed: true, PrincipalMustBeLegalRep: true, ForeignLegalRepMustAuthorise: true,
		ForeignIndividualsRefused: true, AddressSameCityAsCertificate: true,
		MinIndividualAge: 18},
	"14": {MigrationAllowed: true, ShellMayAddServices: true, PrincipalMustBeLegalRep: true,
		ForeignLegalRepMustAuthorise: true, HKMOTWLegalRepMustAuthorise: true, NonLocalIndividualRefused: true,
		MaxDomainsPerOrder: 3},
	"15": {PrincipalMustBeLegalRep: true, NonLocalIndividualRefused: true, MinIndividualAge: 18},
	"21": {MigrationAllowed: true, ShellMayAddServices: true},
	"22": {MigrationAllowed: true},
	"23": {MigrationAllowed: true},
	"31": {MigrationAllowed: true, ShellMayAddServices: true, PrincipalMustBeLegalRep: true,
		NonLocalIndividualNeedsResidencePermit: true, BuildPlanFromWebsites: 30},
	"32": {MigrationAllowed: true, ShellMayAddServices: true, RequiresJiangsuLetters: true,
		NonLegalRepNeedsAuthorization: true, NonLegalRepMustLeadServices: true,
		MinIndividualAge: 16, IndividualProofBelowAge: 18},
	"33": {MigrationAllowed: true, ShellMayAddServices: true, PrincipalMustBeLegalRep: true,
		NonLocalIndividualNeedsResidencePermit: true},
	"34": {MigrationAllowed: true, NonLegalRepNeedsAuthorization: true, NonLegalRepMustLeadServices: true},
	"35": {MigrationAllowed: true, PrincipalMustBeLegalRep: true, NonLocalIndividualNeedsResidencePermit: true,
		MinEnterprisePrincipalAge: 18},
	"37": {MigrationAllowed: true, NonLocalIndividualNeedsResidencePermit: true},
	// Henan's cap is stated for enterprise orders.
	"41": {MigrationAllowed: true, PrincipalMustBeLegalRep: true, AddressSameCityAsCertificate: true,
		MaxDomainsPerOrder: 5},
	"42": {MigrationAllowed: true, PrincipalMustBeLegalRep: true, NonLocalIndividualNeedsResidencePermit: true,
		MaxDomainsPerOrder: 1},
	"43": {MigrationAllowed: true, PrincipalMustBeLegalRep: true, PrincipalChangeNeedsChangeBoth: true,
		MinIndividualAge: 18, MaxDomainsPerOrder: 1, BuildPlanFromWebsites: 2},
	"44": {MigrationAllowed: true, PrincipalMustBeLegalRep: true, NonLocalIndividualNeedsResidencePermit: true,
		RequiresCommitmentLetter: true, MinPrincipalAge: 16},
	"45": {MigrationAllowed: true, ShellMayAddServices: true, PrincipalMustBeLegalRep: true,
		NonLocalIndividualRefused: true},
	"46": {MigrationAllowed: true, NonLegalRepNeedsAuthorization: true},
	"50": {MigrationAllowed: true},
	"51": {MigrationAllowed: true, ShellMayAddServices: true},
	"52": {MigrationAllowed: true, ShellMayAddServices: true, PrincipalMustBeLegalRep: true,
		PrincipalChangeNeedsChangeBoth: true, AddressSameCityAsCertificate: true},
	"53": {MigrationAllowed: true, ShellMayAddServices: true},
	"54": {MigrationAllowed: true, PrincipalMustBeLegalRep: true, NonLocalIndividualRefused: true},
	"61": {MigrationAllowed: true, PrincipalMustBeLegalRep: true, MaxEnterpriseWebsites: 30},
	"62": {MigrationAllowed: true, PrincipalMustBeLegalRep: true, NonLegalRepNeedsAuthorization: true,
		NonLocalIndividualRefused: true},
	"63": {PrincipalMustBeLegalRep: true, NonLocalIndividualRefused: true},
	"64": {PrincipalMustBeLegalRep: true, NonLocalIndividualRefused: true},
	"65": {PrincipalMustBeLegalRep: true, NonLocalIndividualRefused: true},
}

// RulesFor returns the rules of the province with the given two-digit code. An unknown code, or
// a province with nothing recorded, gives the zero value.
func RulesFor(code string) ProvinceRules {
	return provinceRules[code]
}
