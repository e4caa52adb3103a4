package filing

import (
	"slices"
	"strings"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/validate"
)

// Documents that mark a person as a foreign national, and as a resident of Hong Kong, Macao or
// Taiwan.
var (
	foreignDocTypes = []int{catalog.CertPassport, catalog.CertForeignPermanentResident}
	hkmotwDocTypes  = []int{catalog.CertTaiwanTravelPermit, catalog.CertHKMacaoTravelPermit,
		catalog.CertHKMacaoResidencePermit, catalog.CertTaiwanResidencePermit}
)

// ageOf is the person's age on today's Beijing date from the birth date in their resident ID;
// false for another document or a malformed number (the field check reports that).
func ageOf(p Person, today time.Time) (int, bool) {
	if p.DocType != catalog.CertResidentID {
		return 0, false
	}
	birth, err := validate.ResidentIDBirthDate(p.DocNumber)
	if err != nil {
		return 0, false
	}
	return kernel.AgeOn(birth, today), true
}

// youngerThan reports whether the person is known to be younger than min (0: no rule).
func youngerThan(p Person, min int, today time.Time) bool {
	age, ok := ageOf(p, today)
	return ok && min > 0 && age < min
}

// checkProvincePeople applies the province rules about who may file and lead: age limits,
// foreign individuals, a legal representative from abroad, and the contact address's city.
func checkProvincePeople(f *fieldList, c *reqContext) {
	s, r := c.subject(), c.rules
	p := s.Principal
	switch {
	case s.Individual() && r.ForeignIndividualsRefused && slices.Contains(foreignDocTypes, s.CertType):
		f.add("subject.cert_type", CodeForeignRefused)
	case s.Individual() && youngerThan(p, r.MinIndividualAge, c.today):
		f.add("subject.cert_number", CodeTooYoung)
	case !s.Individual() && s.PrincipalIsLegalRep && legalRepMustAuthorise(r, p.DocType):
		f.add("subject.principal_is_legal_rep", CodeMustAuthoriseCitizen)
	case s.Nature == catalog.NatureEnterprise && youngerThan(p, r.MinEnterprisePrincipalAge, c.today):
		f.add("subject.principal.doc_number", CodeTooYoung)
	case youngerThan(p, r.MinPrincipalAge, c.today):
		f.add("subject.principal.doc_number", CodeTooYoung)
	}
	if r.AddressSameCityAsCertificate {
		cert, contact := cityOf(s.CertAddress, s.Province), cityOf(s.ContactAddress, s.Province)
		if cert != "" && contact != "" && cert != contact {
			f.add("subject.contact_address", CodeMismatch)
		}
	}
}

// checkProvinceServicePrincipal applies the principal age limit to a service's principal.
func checkProvinceServicePrincipal(f *fieldList, c *reqContext, key string, p Person) {
	if youngerThan(p, c.rules.MinPrincipalAge, c.today) {
		f.add(key+".principal.doc_number", CodeTooYoung)
	}
}

// legalRepMustAuthorise: the province wants a legal representative with this document to
// authorise a mainland citizen as the subject principal.
func legalRepMustAuthorise(r catalog.ProvinceRules, docType int) bool {
	return (r.ForeignLegalRepMustAuthorise && slices.Contains(foreignDocTypes, docType)) ||
		(r.HKMOTWLegalRepMustAuthorise && slices.Contains(hkmotwDocTypes, docType))
}

// needsIncomeProof: an individual old enough to file but younger than the province's age for
// filing without proof of employment or income.
func (c *reqContext) needsIncomeProof() bool {
	return c.subject().Individual() && youngerThan(c.subject().Principal, c.rules.IndividualProofBelowAge, c.today)
}

// cityOf is the prefecture-level city an address starts with ("广州市" of "广东省广州市天河区…"),
// after an optional province name; "" when the address does not start with a recognisable one.
// Municipalities (北京, 上海, 天津, 重庆) read as themselves.
func cityOf(addr, provinceCode string) string {
	addr = strings.TrimSpace(addr)
	if prov, ok := catalog.ProvinceByCode(provinceCode); ok {
		for _, suffix := range []string{"省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区", ""} {
			if rest, found := strings.CutPrefix(addr, prov.Name+suffix); found && rest != addr {
				if suffix == "市" {
					return prov.Name + "市" // a municipality is its own city
				}
				addr = rest
				break
			}
		}
	}
	best := -1
	for _, end := range []string{"市", "自治州", "地区", "盟"} {
		if i := strings.Index(addr, end); i > 0 && (best < 0 || i+len(end) < best) {
			best = i + len(end)
		}
	}
	if best < 0 {
		return ""
	}
	return addr[:best]
}
