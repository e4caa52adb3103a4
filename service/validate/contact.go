package validate

import (
	"net/mail"
	"strings"
)

// maxEmailLen is the longest address that fits an SMTP path (RFC 5321 limits the path to 256
// octets including the angle brackets).
const maxEmailLen = 254

// Mobile checks a mainland China mobile number as stored: exactly 11 ASCII digits, the first 1 and
// the second 3–9. Country codes, spaces and dashes are refused; NormalizeMobile removes them.
func Mobile(s string) error {
	if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "0086") {
		return invalid("mobile number must not carry a country code")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return invalid("mobile number must contain digits only")
		}
	}
	if len(s) != 11 {
		return invalid("mobile number must be 11 digits")
	}
	if s[0] != '1' || s[1] < '3' {
		return invalid("mobile number must start with 13 to 19")
	}
	return nil
}

// NormalizeMobile removes spaces (ASCII and ideographic) and dashes anywhere and then one leading +86 or 0086, the forms
// people type and paste. It does not validate; pass the result to Mobile.
func NormalizeMobile(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u3000' {
			return -1
		}
		return r
	}, s)
	for _, prefix := range []string{"+86", "0086"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok {
			return rest
		}
	}
	return s
}

// Email checks a bare e-mail address as net/mail parses it (RFC 5322 addr-spec): no display name,
// no angle brackets or comments, a domain name (not an address literal) containing a dot, and at
// most 254 characters.
func Email(s string) error {
	if s == "" {
		return invalid("email is empty")
	}
	if len(s) > maxEmailLen {
		return invalid("email is longer than 254 characters")
	}
	addr, err := mail.ParseAddress(s)
	if err != nil {
		return invalid("email is not a valid address")
	}
	if addr.Name != "" || addr.Address != s {
		return invalid("email must be a bare address without a name or brackets")
	}
	domain := s[strings.LastIndexByte(s, '@')+1:]
	if strings.HasPrefix(domain, "[") {
		return invalid("email domain must be a name, not an address literal")
	}
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return invalid("email domain must contain a dot between labels")
	}
	return nil
}
