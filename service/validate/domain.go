package validate

import (
	"fmt"
	"net/netip"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"
)

// Length limits of RFC 1035, applied to the ASCII (punycode) form.
const (
	maxDomainLen      = 253
	maxLabelLen       = 63
	maxDomainInputLen = 1024
)

// Domain checks that s names a registrable domain, the unit an ICP filing covers, and returns it
// in canonical ASCII form: lower case, internationalised labels in punycode (UTS #46 lookup
// mapping, so 中文.中国 and 中文。中国 both give xn--fiq228c.xn--fiqs8s).
//
// Registrable means one label under a public suffix of the ICANN section of the Public Suffix
// List; private-section entries such as github.io are ignored because filings follow the registry.
// Refused: sub-domains (the message names the domain to file instead), bare public suffixes,
// unknown top-level domains, invalid UTF-8, IP addresses, schemes, ports, paths, spaces, a
// trailing dot, empty labels, labels over 63 and names over 253 characters.
func Domain(s string) (string, error) {
	if err := domainInputShape(s); err != nil {
		return "", err
	}
	ascii, err := idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false)).ToASCII(s)
	if err != nil {
		return "", invalid(fmt.Sprintf("domain %q is not a valid domain name", s))
	}
	if err := dnsShape(ascii); err != nil {
		return "", err
	}
	reg, err := registrableDomain(ascii)
	if err != nil {
		return "", err
	}
	if reg != ascii {
		return "", invalid(fmt.Sprintf("domain %q is not a registrable domain: file %q instead", s, reg))
	}
	return ascii, nil
}

// domainInputShape refuses raw input that is a URL, an address or otherwise not a bare host name.
func domainInputShape(s string) error {
	switch {
	case s == "":
		return invalid("domain is empty")
	case len(s) > maxDomainInputLen:
		return invalid("domain is far too long")
	case !utf8.ValidString(s):
		return invalid("domain is not valid utf-8")
	case strings.Contains(s, "://"):
		return invalid("domain must not include a scheme")
	case strings.ContainsAny(s, "/?#"):
		return invalid("domain must not include a path")
	case strings.Contains(s, "@"):
		return invalid("domain must not include user information")
	case strings.HasPrefix(s, "["):
		return invalid("domain must not be an ip address")
	case strings.ContainsAny(s, " \t\r\n\u3000"):
		return invalid("domain must not contain spaces")
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return invalid("domain must not be an ip address")
	}
	if strings.Contains(s, ":") {
		return invalid("domain must not include a port")
	}
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, "。") {
		return invalid("domain must not end with a dot")
	}
	return nil
}

// dnsShape checks the ASCII form against RFC 1035 lengths and letter-digit-hyphen labels.
func dnsShape(ascii string) error {
	if len(ascii) > maxDomainLen {
		return invalid("domain is longer than 253 characters")
	}
	labels := strings.Split(ascii, ".")
	for _, l := range labels {
		switch {
		case l == "":
			return invalid("domain has an empty label")
		case len(l) > maxLabelLen:
			return invalid("domain has a label longer than 63 characters")
		case l[0] == '-' || l[len(l)-1] == '-':
			return invalid("domain label must not start or end with a hyphen")
		case strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "":
			return invalid("domain label has characters other than letters, digits and hyphens")
		}
	}
	if strings.Trim(labels[len(labels)-1], "0123456789") == "" {
		return invalid("domain must not be an ip address")
	}
	return nil
}

// registrableDomain returns the ICANN public suffix of ascii plus one label.
func registrableDomain(ascii string) (string, error) {
	suffix, ok := icannSuffix(ascii)
	if !ok {
		return "", invalid(fmt.Sprintf("domain %q has an unknown top-level domain", ascii))
	}
	if suffix == ascii {
		return "", invalid(fmt.Sprintf("domain %q is a public suffix, not a registrable domain", ascii))
	}
	rest := ascii[:len(ascii)-len(suffix)-1]
	return rest[strings.LastIndexByte(rest, '.')+1:] + "." + suffix, nil
}

// icannSuffix returns the longest ICANN-section public suffix of d, skipping private-section
// rules; ok is false when only the list's default rule matches (an unknown top-level domain).
func icannSuffix(d string) (suffix string, ok bool) {
	for {
		ps, icann := publicsuffix.PublicSuffix(d)
		if icann {
			return ps, true
		}
		dot := strings.IndexByte(ps, '.')
		if dot < 0 {
			return "", false
		}
		d = ps[dot+1:]
	}
}
