package filing

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/validate"
)

// fieldList collects field requirements in the order they are found.
type fieldList []Requirement

func (f *fieldList) add(key, code string) {
	*f = append(*f, Requirement{Kind: NeedField, Key: key, Code: code, Message: requirementMessages[code]})
}

// check adds INVALID for key when err is not nil and the value is set, MISSING when it is empty.
func (f *fieldList) check(key, value string, err error) {
	switch {
	case value == "":
		f.add(key, kernel.CodeMissing)
	case err != nil:
		f.add(key, kernel.CodeInvalid)
	}
}

// usccCertTypes are the certificate types whose number is a unified social credit code.
var usccCertTypes = []int{catalog.CertBusinessLicence, catalog.CertUSCCGovernment, catalog.CertUSCCInstitution,
	catalog.CertUSCCMassOrganisation}

// stateNatures may start service names with 中国/中华/… (validate.ReservedPrefix).
var stateNatures = []int{catalog.NatureDefence, catalog.NatureGovernment, catalog.NatureInstitution}

var landline = regexp.MustCompile(`^0\d{2,3}-?\d{7,8}$`)

// checkFields lists the proposal's missing and invalid fields for the order's type.
func checkFields(c *reqContext) []Requirement {
	var f fieldList
	t, p := c.order.Type, c.order.Proposal
	if slices.Contains(typesWithSubject, t) || t == OrderNewAccess {
		checkSubject(&f, c, t == OrderClaim)
	}
	if slices.Contains(typesWithServices, t) {
		if len(p.Services) == 0 {
			f.add("services", kernel.CodeMissing)
		}
		newDomains := 0
		for _, s := range p.Services {
			checkService(&f, c, s, t == OrderNewAccess)
			if s.FiledID == 0 {
				newDomains += len(s.Domains)
			}
		}
		if limit := c.rules.MaxDomainsPerOrder; limit > 0 && newDomains > limit {
			f.add("services", CodeTooMany)
		}
		if limit := c.rules.MaxEnterpriseWebsites; limit > 0 && c.subject().Nature == catalog.NatureEnterprise && c.websitesAfter() > limit {
			f.add("services", CodeTooMany)
		}
	}
	if isChange(t) && c.filed != nil && !changesAnything(c) {
		f.add("changes", CodeNoChange)
	}
	return f
}

func isChange(t OrderType) bool {
	return t == OrderChangeSubject || t == OrderChangeService || t == OrderChangeBoth
}

func changesAnything(c *reqContext) bool {
	if c.subject() != c.filed.Info {
		return true
	}
	for _, s := range c.order.Proposal.Services {
		i := slices.IndexFunc(c.filedSvcs, func(f FiledService) bool { return f.ID == s.FiledID })
		if i < 0 || !sameServiceContent(s, c.filedSvcs[i].Info) {
			return true
		}
	}
	return false
}

func checkSubject(f *fieldList, c *reqContext, claim bool) {
	s := c.subject()
	if _, ok := catalog.NatureByCode(s.Nature); !ok {
		f.add("subject.nature", missingOr(s.Nature == 0, kernel.CodeInvalid))
	}
	if s.CertType == 0 {
		f.add("subject.cert_type", kernel.CodeMissing)
	} else if !catalog.CertificateAllowed(s.Nature, s.CertType) {
		f.add("subject.cert_type", CodeNotAllowed)
	}
	f.check("subject.cert_number", s.CertNumber, certNumberError(s.CertType, s.CertNumber, c.today))
	f.check("subject.name", s.Name, lengthError(s.Name, 2, 100))
	_, known := catalog.ProvinceByCode(s.Province)
	f.check("subject.province", s.Province, boolError(known))
	f.check("subject.cert_address", s.CertAddress, lengthError(s.CertAddress, 2, 200))
	f.check("subject.contact_address", s.ContactAddress, lengthError(s.ContactAddress, 2, 200))
	if claim {
		n, err := validate.ParseFilingNumber(s.FilingNumber)
		f.check("subject.filing_number", s.FilingNumber, firstError(err, boolError(err != nil || n.IsSubject())))
	}
	checkPerson(f, "subject.principal", s.Principal, c.today)
	checkProvincePeople(f, c)
	switch {
	case s.Individual() && (s.Principal.DocType != s.CertType || s.Principal.DocNumber != s.CertNumber):
		f.add("subject.principal.doc_number", CodeMismatch) // an individual is their own principal
	case s.Individual() && c.rules.NonLocalIndividualRefused && c.nonLocalIndividual():
		f.add("subject.cert_number", CodeNonLocal)
	case !s.Individual() && !s.PrincipalIsLegalRep && c.rules.PrincipalMustBeLegalRep && !c.rules.NonLegalRepNeedsAuthorization:
		f.add("subject.principal_is_legal_rep", CodeMustBeLegalRep)
	}
}

func checkPerson(f *fieldList, prefix string, p Person, today time.Time) {
	f.check(prefix+".name", p.Name, lengthError(p.Name, 2, 50))
	if p.DocType == 0 {
		f.add(prefix+".doc_type", kernel.CodeMissing)
	} else if !slices.ContainsFunc(catalog.PersonDocTypes(), func(t catalog.CertificateType) bool { return t.Code == p.DocType }) {
		f.add(prefix+".doc_type", CodeNotAllowed)
	}
	f.check(prefix+".doc_number", p.DocNumber, certNumberError(p.DocType, p.DocNumber, today))
	if !p.DocLongTerm {
		to, err := time.Parse(time.DateOnly, p.DocValidTo)
		f.check(prefix+".doc_valid_to", p.DocValidTo, err)
		if err == nil && to.Before(kernel.BeijingDate(today)) {
			f.add(prefix+".doc_valid_to", CodeExpired)
		}
	}
	if p.DocValidFrom != "" {
		_, err := time.Parse(time.DateOnly, p.DocValidFrom)
		f.check(prefix+".doc_valid_from", p.DocValidFrom, err)
	}
	f.check(prefix+".mobile", p.Mobile, validate.Mobile(p.Mobile))
	f.check(prefix+".emergency_phone", p.EmergencyPhone,
		boolError(validate.Mobile(p.EmergencyPhone) == nil || landline.MatchString(p.EmergencyPhone)))
	f.check(prefix+".email", p.Email, validate.Email(p.Email))
}

func checkService(f *fieldList, c *reqContext, s ServiceInfo, access bool) {
	key := fmt.Sprintf("services.%d", s.ID)
	if _, ok := ParseServiceKind(string(s.Kind)); !ok {
		f.add(key+".kind", missingOr(s.Kind == "", kernel.CodeInvalid))
	}
	f.check(key+".name", s.Name, validate.Name(s.Name))
	if validate.ReservedPrefix(s.Name) && !slices.Contains(stateNatures, c.subject().Nature) {
		f.add(key+".name", CodeReservedPrefix)
	}
	switch s.Kind {
	case KindWebsite:
		checkWebsite(f, key, s)
	case KindApp:
		checkApp(f, key, s)
	}
	if _, ok := catalog.ContentTypesIn(s.ContentTypes); !ok {
		f.add(key+".content_types", missingOr(s.ContentTypes == 0, kernel.CodeInvalid))
	}
	if len(s.Languages) == 0 {
		f.add(key+".languages", kernel.CodeMissing)
	}
	for _, l := range s.Languages {
		if _, ok := catalog.LanguageByCode(l); !ok {
			f.add(key+".languages", kernel.CodeInvalid)
			break
		}
	}
	for _, code := range s.PreApprovals {
		if _, ok := catalog.PreApprovalByCode(code); !ok {
			f.add(key+".pre_approvals", kernel.CodeInvalid)
			break
		}
	}
	if access {
		n, err := validate.ParseFilingNumber(s.FilingNumber)
		f.check(key+".filing_number", s.FilingNumber, firstError(err, boolError(err != nil || !n.IsSubject())))
	}
	checkPerson(f, key+".principal", s.Principal, c.today)
	checkProvinceServicePrincipal(f, c, key, s.Principal)
	sub := c.subject()
	if c.rules.NonLegalRepMustLeadServices && !sub.Individual() && !sub.PrincipalIsLegalRep && !s.Principal.SamePerson(sub.Principal) {
		f.add(key+".principal", CodeMismatch)
	}
}

func checkWebsite(f *fieldList, key string, s ServiceInfo) {
	if len(s.Domains) == 0 {
		f.add(key+".domains", kernel.CodeMissing)
	}
	for _, d := range s.Domains {
		if canon, err := validate.Domain(d); err != nil || canon != d {
			f.add(key+".domains", kernel.CodeInvalid)
			break
		}
	}
	home := strings.TrimPrefix(strings.TrimPrefix(s.HomeURL, "https://"), "http://")
	f.check(key+".home_url", s.HomeURL, boolError(home != s.HomeURL && home != "" && !strings.ContainsAny(home, " \t")))
	if len(s.IPs) == 0 {
		f.add(key+".ips", kernel.CodeMissing)
	}
	for _, ip := range s.IPs {
		start, end, ok := strings.Cut(ip, "-")
		if !ok {
			end = start
		}
		if validate.IPRange(start, end) != nil {
			f.add(key+".ips", kernel.CodeInvalid)
			break
		}
	}
	if _, ok := catalog.AccessModesIn(s.AccessMode); !ok {
		f.add(key+".access_mode", missingOr(s.AccessMode == 0, kernel.CodeInvalid))
	}
}

func checkApp(f *fieldList, key string, s ServiceInfo) {
	if len(s.Platforms) == 0 {
		f.add(key+".platforms", kernel.CodeMissing)
	}
	for i, p := range s.Platforms {
		pk := fmt.Sprintf("%s.platforms.%d", key, i)
		switch p.Platform {
		case "android", "harmony":
			f.check(pk+".package", p.Package, validate.AndroidPackage(p.Package))
			f.check(pk+".md5", p.MD5, validate.HexDigest(p.MD5, validate.MD5Bytes))
		case "ios":
			f.check(pk+".package", p.Package, validate.BundleID(p.Package))
			f.check(pk+".sha1", p.SHA1, validate.HexDigest(p.SHA1, validate.SHA1Bytes))
		default:
			f.add(pk+".platform", missingOr(p.Platform == "", kernel.CodeInvalid))
		}
		f.check(pk+".public_key", p.PublicKey, nil)
	}
}

// certNumberError validates a certificate or document number by its MIIT type.
func certNumberError(certType int, number string, today time.Time) error {
	switch {
	case certType == catalog.CertResidentID:
		return validate.ResidentID(number, kernel.BeijingDate(today))
	case slices.Contains(usccCertTypes, certType):
		return validate.USCC(number)
	}
	return lengthError(number, 4, 40)
}

func lengthError(s string, lo, hi int) error {
	n := utf8.RuneCountInString(strings.TrimSpace(s))
	return boolError(utf8.ValidString(s) && n >= lo && n <= hi)
}

func boolError(ok bool) error {
	if ok {
		return nil
	}
	return validate.ErrInvalid
}

func firstError(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func missingOr(missing bool, code string) string {
	if missing {
		return kernel.CodeMissing
	}
	return code
}
