package kernel

import (
	"strings"
	"unicode/utf8"
)

// MaskName keeps the family name and masks the rest: 张** for 张三丰.
func MaskName(name string) string {
	r := []rune(name)
	if len(r) <= 1 {
		return "*"
	}
	out := string(r[0])
	for range r[1:] {
		out += "*"
	}
	return out
}

// MaskID keeps the first four and last four characters of a certificate or ID number.
func MaskID(id string) string {
	r := []rune(id)
	if len(r) <= 8 {
		return "********"
	}
	masked := make([]rune, len(r))
	for i := range r {
		masked[i] = '*'
		if i < 4 || i >= len(r)-4 {
			masked[i] = r[i]
		}
	}
	return string(masked)
}

// MaskPhone keeps the first three and last four digits: 138****5678.
func MaskPhone(p string) string {
	if len(p) < 7 {
		return "****"
	}
	return p[:3] + "****" + p[len(p)-4:]
}

// MaskEmail keeps the first character of the local part and the domain: z***@example.com.
func MaskEmail(e string) string {
	user, host, ok := strings.Cut(e, "@")
	if !ok || user == "" {
		return "***"
	}
	_, n := utf8.DecodeRuneInString(user)
	return user[:n] + "***@" + host
}
