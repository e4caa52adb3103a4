package filing

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/service/kernel"
)

// Limits on what one order may carry. They are hard bounds checked on every edit (422), well
// above any real filing, so that one request cannot write thousands of rows or megabytes of text;
// the filing rules (requirements, province caps) judge the content within them.
const (
	// MaxServicesPerOrder: providers accept at most 10 websites per order (domain-notes §2.2), and
	// the other kinds are filed in the same small batches.
	MaxServicesPerOrder = 10
	// MaxDomainsPerWebsite: before 2019-04-22 a website could carry up to 10 domains; websites
	// filed then may keep them, new ones carry one.
	MaxDomainsPerWebsite = 10
	// MaxIPsPerService: addresses or "a-b" ranges; a site behind a CDN or a few data centres
	// lists a handful, 32 leaves room without letting a list grow unbounded.
	MaxIPsPerService = 32
	// MaxPlatformsPerApp: android, ios and harmony.
	MaxPlatformsPerApp = 3
	// MaxCodesPerService bounds the lists of MIIT codes (pre-approvals, languages): the
	// dictionaries have fewer entries than this.
	MaxCodesPerService = 40
	// MaxAgreements bounds the acknowledgements list; only a few names exist.
	MaxAgreements = 10
	// MaxTextRunes bounds every free-text field (the longest rule, an address, allows 200).
	MaxTextRunes = 256
	// MaxKeyChars bounds an App's public key: an RSA-4096 key in PEM is about 800 characters.
	MaxKeyChars = 4096
)

// Field problem codes of the limits.
const (
	CodeTooLong     = "TOO_LONG"     // over MaxTextRunes (or MaxKeyChars)
	CodeTooManyList = "TOO_MANY"     // a list over its limit
	CodeBadText     = "INVALID_TEXT" // not valid UTF-8, a replacement character, or a control character
)

// TextProblem says what is wrong with a text value, or "" if nothing: invalid UTF-8, U+FFFD (what
// a JSON decoder leaves of invalid UTF-8), control characters (C0, DEL, C1, including tab and
// newline, which no filing field holds), bidirectional overrides and isolates (they make text
// display in another order than it is stored), or more than maxRunes characters.
func TextProblem(s string, maxRunes int) string {
	if !utf8.ValidString(s) {
		return CodeBadText
	}
	n := 0
	for _, r := range s {
		n++
		if r == utf8.RuneError || unicode.IsControl(r) || (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069) {
			return CodeBadText
		}
	}
	if n > maxRunes {
		return CodeTooLong
	}
	return ""
}

// limitCheck collects limit problems by field path.
type limitCheck kernel.FieldErrors

func (c limitCheck) text(path, s string, maxRunes int) {
	if p := TextProblem(s, maxRunes); p != "" {
		c[path] = p
	}
}

func (c limitCheck) count(path string, n, limit int) bool {
	if n > limit {
		c[path] = CodeTooManyList
		return false
	}
	return true
}

// CheckLimits applies the limits to a proposal: list sizes and every text field. The paths are
// those of the PATCH body with list positions ("services.0.domains.2"), since new services have no
// id yet. Problems are FieldErrors (422).
func CheckLimits(p Proposal) error {
	c := limitCheck{}
	s := p.Subject
	for path, v := range map[string]string{"subject.cert_number": s.CertNumber, "subject.name": s.Name,
		"subject.province": s.Province, "subject.cert_address": s.CertAddress, "subject.contact_address": s.ContactAddress,
		"subject.filing_number": s.FilingNumber} {
		c.text(path, v, MaxTextRunes)
	}
	c.person("subject.principal", s.Principal)
	if c.count("agreements", len(p.Agreements), MaxAgreements) {
		for i, a := range p.Agreements {
			c.text(fmt.Sprintf("agreements.%d", i), a, MaxTextRunes)
		}
	}
	if c.count("services", len(p.Services), MaxServicesPerOrder) {
		for i, svc := range p.Services {
			c.service(fmt.Sprintf("services.%d", i), svc)
		}
	}
	return kernel.FieldErrors(c).OrNil()
}

func (c limitCheck) person(prefix string, p Person) {
	for field, v := range map[string]string{"name": p.Name, "doc_number": p.DocNumber, "doc_valid_from": p.DocValidFrom,
		"doc_valid_to": p.DocValidTo, "mobile": p.Mobile, "emergency_phone": p.EmergencyPhone, "email": p.Email} {
		c.text(prefix+"."+field, v, MaxTextRunes)
	}
}

func (c limitCheck) service(key string, s ServiceInfo) {
	for field, v := range map[string]string{"kind": string(s.Kind), "name": s.Name, "home_url": s.HomeURL,
		"filing_number": s.FilingNumber} {
		c.text(key+"."+field, v, MaxTextRunes)
	}
	c.list(key+".domains", s.Domains, MaxDomainsPerWebsite)
	c.list(key+".ips", s.IPs, MaxIPsPerService)
	c.count(key+".pre_approvals", len(s.PreApprovals), MaxCodesPerService)
	c.count(key+".languages", len(s.Languages), MaxCodesPerService)
	if c.count(key+".platforms", len(s.Platforms), MaxPlatformsPerApp) {
		for i, pl := range s.Platforms {
			pk := fmt.Sprintf("%s.platforms.%d", key, i)
			for field, v := range map[string]string{"platform": pl.Platform, "package": pl.Package, "md5": pl.MD5, "sha1": pl.SHA1} {
				c.text(pk+"."+field, v, MaxTextRunes)
			}
			// A pasted PEM key keeps its line breaks; nothing else in a filing does.
			c.text(pk+".public_key", strings.NewReplacer("\r\n", "", "\n", "").Replace(pl.PublicKey), MaxKeyChars)
		}
	}
	c.person(key+".principal", s.Principal)
}

func (c limitCheck) list(path string, values []string, limit int) {
	if c.count(path, len(values), limit) {
		for i, v := range values {
			c.text(fmt.Sprintf("%s.%d", path, i), v, MaxTextRunes)
		}
	}
}
