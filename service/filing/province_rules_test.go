package filing

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/beian/beian/service/catalog"
)

// allKeys lists every requirement of the order as "key CODE".
func allKeys(in RequirementInput) []string {
	in.Today = testToday
	var out []string
	for _, it := range EvaluateRequirements(in).Items {
		out = append(out, it.Key+" "+it.Code)
	}
	return out
}

func reasonOf(err error) []string {
	var rule *RuleError
	if errors.As(err, &rule) {
		return []string{rule.Reason}
	}
	return nil
}

// personBorn is a person with a resident ID from region born on birth (YYYYMMDD).
func personBorn(name, region, birth string) Person {
	return testPerson(name, testID(region, birth, "135"), "13800138300")
}

// individualBorn is an individual filing in province with their own website, born on birth.
func individualBorn(province, region, birth string) Order {
	s := individual(province, region)
	s.Principal = personBorn("王五", region, birth)
	s.CertNumber = s.Principal.DocNumber
	return orderWith(OrderNewFiling, s, website(1, "example.cn", s.Principal))
}

// enterpriseOrder is a new_filing of an enterprise in province with one website, edited by edit.
func enterpriseOrder(province string, edit func(s *SubjectInfo, w *ServiceInfo)) Order {
	s := enterprise(province)
	w := website(1, "example.cn", s.Principal)
	edit(&s, &w)
	return orderWith(OrderNewFiling, s, w)
}

// websites returns n filed websites of the test subject.
func websites(n int) []FiledService {
	out := make([]FiledService, n)
	for i := range out {
		out[i] = filedSvc(int64(100+i), website(1, "example.cn", otherPerson))
	}
	return out
}

// ruleRow shows one province rule: the refused input's problems contain want, the passing
// input's do not.
type ruleRow struct {
	field           string
	refused, passed func() []string
	want            string
}

// TestProvinceRuleFields: every field of catalog.ProvinceRules is enforced; each row shows a
// refusal in a province with the rule and a pass (a fixed input, or the same input where the rule
// is absent). A new field without a row fails the test.
func TestProvinceRuleFields(t *testing.T) {
	noop := func(*SubjectInfo, *ServiceInfo) {}
	passport := func(s *SubjectInfo, _ *ServiceInfo) {
		s.Principal.DocType, s.Principal.DocNumber = catalog.CertPassport, "E12345678"
	}
	hkPermit := func(s *SubjectInfo, _ *ServiceInfo) {
		s.Principal.DocType, s.Principal.DocNumber = catalog.CertHKMacaoTravelPermit, "H12345678"
	}
	notLegalRep := func(s *SubjectInfo, _ *ServiceInfo) { s.PrincipalIsLegalRep = false }
	req := func(o Order) func() []string { return func() []string { return allKeys(RequirementInput{Order: o}) } }
	reqFiled := func(o Order, filed []FiledService) func() []string {
		return func() []string {
			return allKeys(RequirementInput{Order: o, Filed: subjectOf(o.Proposal.Subject), FiledServices: filed})
		}
	}
	newService := func(province string) Order {
		s := enterprise(province)
		return orderWith(OrderNewService, s, website(1, "example.cn", s.Principal))
	}
	fourDomains := func(n int) func(*SubjectInfo, *ServiceInfo) {
		return func(_ *SubjectInfo, w *ServiceInfo) {
			w.Domains = []string{"a.cn", "b.cn", "c.cn", "d.cn"}[:n]
		}
	}
	migrate := func(from string) func() []string {
		return func() []string {
			site := website(1, "example.cn", otherPerson)
			return reasonOf(CheckCreate(CreateFacts{Type: OrderMigrate, Subject: subjectOf(enterprise(from)),
				Services: []FiledService{filedSvc(21, site)}, ServiceIDs: []int64{21},
				Target: &TargetFacts{AccountID: 2, Subject: &Subject{ID: 30, AccountID: 2, Info: enterprise("44")}}}))
		}
	}
	shell := func(province string) func() []string {
		return func() []string {
			return reasonOf(CheckCreate(CreateFacts{Type: OrderNewService, Subject: subjectOf(enterprise(province))}))
		}
	}
	newPrincipal := func(province string) func() []string {
		return func() []string {
			filed := enterprise(province)
			p := Proposal{Subject: filed}
			p.Subject.Principal = otherPerson
			return reasonOf(CheckChange(OrderChangeSubject, filed, nil, p))
		}
	}
	tests := []ruleRow{
		{"MigrationAllowed", migrate("63"), migrate("44"), ReasonMigrationProvince},
		{"ShellMayAddServices", shell("13"), shell("11"), ReasonShellSubject},
		{"PrincipalChangeNeedsChangeBoth", newPrincipal("43"), newPrincipal("44"), ReasonNeedsChangeBoth},
		{"PrincipalMustBeLegalRep", req(enterpriseOrder("11", notLegalRep)), req(enterpriseOrder("11", noop)),
			"subject.principal_is_legal_rep MUST_BE_LEGAL_REP"},
		{"NonLegalRepNeedsAuthorization", req(enterpriseOrder("11", notLegalRep)), req(enterpriseOrder("62", notLegalRep)),
			"subject.principal_is_legal_rep MUST_BE_LEGAL_REP"},
		{"NonLegalRepMustLeadServices",
			req(enterpriseOrder("32", func(s *SubjectInfo, w *ServiceInfo) { s.PrincipalIsLegalRep, w.Principal = false, otherPerson })),
			req(enterpriseOrder("32", notLegalRep)), "services.1.principal MISMATCH"},
		{"ForeignLegalRepMustAuthorise", req(enterpriseOrder("13", passport)), req(enterpriseOrder("13", noop)),
			"subject.principal_is_legal_rep MUST_AUTHORISE_CITIZEN"},
		{"HKMOTWLegalRepMustAuthorise", req(enterpriseOrder("14", hkPermit)), req(enterpriseOrder("13", hkPermit)),
			"subject.principal_is_legal_rep MUST_AUTHORISE_CITIZEN"},
		{"ForeignIndividualsRefused", req(func() Order {
			o := individualBorn("13", "130102", "19900101")
			o.Proposal.Subject.CertType = catalog.CertPassport
			return o
		}()), req(individualBorn("13", "130102", "19900101")), "subject.cert_type FOREIGN_REFUSED"},
		{"NonLocalIndividualNeedsResidencePermit", req(individualBorn("44", "110105", "19900101")),
			req(individualBorn("44", "440106", "19900101")), "residence_permit MISSING"},
		{"NonLocalIndividualRefused", req(individualBorn("45", "110105", "19900101")),
			req(individualBorn("45", "450103", "19900101")), "subject.cert_number NON_LOCAL"},
		{"RequiresCommitmentLetter", req(enterpriseOrder("44", noop)), req(enterpriseOrder("46", noop)), "commitment_letter MISSING"},
		{"RequiresJiangsuLetters", req(enterpriseOrder("32", noop)), req(enterpriseOrder("46", noop)), "jiangsu_commitment_letter MISSING"},
		{"AddressSameCityAsCertificate",
			req(enterpriseOrder("41", func(s *SubjectInfo, _ *ServiceInfo) {
				s.CertAddress, s.ContactAddress = "河南省郑州市金水区示例路1号", "洛阳市西工区示例路2号"
			})),
			req(enterpriseOrder("41", func(s *SubjectInfo, _ *ServiceInfo) {
				s.CertAddress, s.ContactAddress = "河南省郑州市金水区示例路1号", "郑州市金水区示例路1号5楼"
			})), "subject.contact_address MISMATCH"},
		{"MinIndividualAge", req(individualBorn("12", "120101", "20100101")), req(individualBorn("12", "120101", "20080101")),
			"subject.cert_number TOO_YOUNG"},
		{"IndividualProofBelowAge", req(individualBorn("32", "320102", "20090601")), req(individualBorn("32", "320102", "20070601")),
			"income_proof MISSING"},
		{"MinPrincipalAge",
			req(enterpriseOrder("44", func(_ *SubjectInfo, w *ServiceInfo) { w.Principal = personBorn("小明", "440106", "20110101") })),
			req(enterpriseOrder("44", func(_ *SubjectInfo, w *ServiceInfo) { w.Principal = personBorn("小明", "440106", "20090101") })),
			"services.1.principal.doc_number TOO_YOUNG"},
		{"MinEnterprisePrincipalAge",
			req(enterpriseOrder("35", func(s *SubjectInfo, _ *ServiceInfo) { s.Principal = personBorn("小明", "350102", "20090101") })),
			req(enterpriseOrder("35", func(s *SubjectInfo, _ *ServiceInfo) { s.Principal = personBorn("小明", "350102", "20070101") })),
			"subject.principal.doc_number TOO_YOUNG"},
		{"MaxDomainsPerOrder", req(enterpriseOrder("14", fourDomains(4))), req(enterpriseOrder("14", fourDomains(3))), "services TOO_MANY"},
		{"BuildPlanFromWebsites", reqFiled(newService("43"), websites(1)), reqFiled(newService("43"), nil), "site_construction_plan MISSING"},
		{"MaxEnterpriseWebsites", reqFiled(newService("61"), websites(30)), reqFiled(newService("61"), websites(29)), "services TOO_MANY"},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			if got := tt.refused(); !slices.Contains(got, tt.want) {
				t.Errorf("refusal: %v, want %s", got, tt.want)
			}
			if got := tt.passed(); slices.Contains(got, tt.want) {
				t.Errorf("pass: %v still has %s", got, tt.want)
			}
		})
	}
	rt := reflect.TypeFor[catalog.ProvinceRules]()
	for i := range rt.NumField() {
		name := rt.Field(i).Name
		if !slices.ContainsFunc(tests, func(r ruleRow) bool { return r.field == name }) {
			t.Errorf("province rule %s has no row: enforce it and add one, or remove it", name)
		}
	}
}

func TestCityOf(t *testing.T) {
	tests := []struct{ addr, province, want string }{
		{"河南省郑州市金水区示例路1号", "41", "郑州市"},
		{"郑州市金水区示例路1号5楼", "41", "郑州市"},
		{"河北省石家庄市长安区", "13", "石家庄市"},
		{"北京市海淀区示例路1号", "11", "北京市"},
		{"贵州省黔东南苗族侗族自治州凯里市", "52", "黔东南苗族侗族自治州"},
		{"金水区示例路1号", "41", ""},
	}
	for _, tt := range tests {
		if got := cityOf(tt.addr, tt.province); got != tt.want {
			t.Errorf("cityOf(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
