package validate

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Service kinds accepted by FormatServiceNumber and returned by FilingNumber.Kind.
const (
	KindWebsite     = "website"
	KindApp         = "app"
	KindMiniProgram = "miniprogram"
	KindQuickApp    = "quickapp"
)

// serviceSuffixes pairs each service kind with the letter its filing number ends with.
var serviceSuffixes = [...]struct{ kind, suffix string }{
	{KindWebsite, ""}, {KindApp, "A"}, {KindMiniProgram, "X"}, {KindQuickApp, "K"},
}

// provinceAbbrs are the one-character province abbreviations used in ICP filing numbers.
var provinceAbbrs = [...]string{
	"京", "津", "冀", "晋", "蒙", "辽", "吉", "黑", "沪", "苏", "浙", "皖", "闽", "赣", "鲁", "豫",
	"鄂", "湘", "粤", "桂", "琼", "渝", "川", "黔", "滇", "藏", "陕", "甘", "青", "宁", "新",
}

// maxServiceSeqDigits bounds the "-n" part of a service number.
const maxServiceSeqDigits = 4

// FilingNumber is a parsed ICP filing number (ICP备案号). A subject number (主体备案号) has Seq 0
// and no Suffix; a service number adds "-Seq" and, except for websites, a Suffix.
type FilingNumber struct {
	Abbr   string // province abbreviation, e.g. "粤"
	Digits string // the 6–10 digits between "ICP备" and "号"
	Seq    int    // service sequence after the dash; 0 for a subject number
	Suffix string // "" (website or subject), "A" (App), "X" (mini-program) or "K" (quick app)
}

// ParseFilingNumber parses `{abbr}ICP备{6–10 digits}号`, optionally followed by `-{n}` (n from 1,
// no leading zero, at most four digits) and one of A, X or K. abbr must be one of the 31 mainland
// province abbreviations. Input is taken as is: no spaces, full-width digits or other variants.
func ParseFilingNumber(s string) (FilingNumber, error) {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || !slices.Contains(provinceAbbrs[:], s[:size]) {
		return FilingNumber{}, invalid("filing number must start with a province abbreviation")
	}
	n := FilingNumber{Abbr: s[:size]}
	rest, ok := strings.CutPrefix(s[size:], "ICP备")
	if !ok {
		return FilingNumber{}, invalid("filing number must read ICP备 after the province")
	}
	n.Digits, rest = leadingDigits(rest)
	if len(n.Digits) < 6 || len(n.Digits) > 10 {
		return FilingNumber{}, invalid("filing number must have 6 to 10 digits")
	}
	rest, ok = strings.CutPrefix(rest, "号")
	if !ok {
		return FilingNumber{}, invalid("filing number digits must be followed by 号")
	}
	if rest == "" {
		return n, nil
	}
	if err := n.parseService(rest); err != nil {
		return FilingNumber{}, err
	}
	return n, nil
}

// parseService fills Seq and Suffix from the text after "号".
func (n *FilingNumber) parseService(rest string) error {
	rest, ok := strings.CutPrefix(rest, "-")
	if !ok {
		return invalid("filing number has unexpected text after 号")
	}
	seq, rest := leadingDigits(rest)
	if seq == "" || seq[0] == '0' || len(seq) > maxServiceSeqDigits {
		return invalid("filing number service sequence must be a number from 1 to 9999")
	}
	n.Seq, _ = strconv.Atoi(seq)
	switch rest {
	case "", "A", "X", "K":
		n.Suffix = rest
		return nil
	}
	return invalid("filing number service suffix must be A, X or K")
}

// leadingDigits splits s after its leading ASCII digits.
func leadingDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}

// IsSubject reports whether n is a subject number rather than a service number.
func (n FilingNumber) IsSubject() bool { return n.Seq == 0 }

// SubjectNumber returns the subject number n belongs to (n itself for a subject number).
func (n FilingNumber) SubjectNumber() string { return n.Abbr + "ICP备" + n.Digits + "号" }

// Kind returns the service kind (KindWebsite, KindApp, KindMiniProgram, KindQuickApp) of a
// service number, and "" for a subject number.
func (n FilingNumber) Kind() string {
	if n.IsSubject() {
		return ""
	}
	for _, s := range serviceSuffixes {
		if s.suffix == n.Suffix {
			return s.kind
		}
	}
	return ""
}

// String returns the canonical text of n; for a parsed number it equals the input.
func (n FilingNumber) String() string {
	if n.IsSubject() {
		return n.SubjectNumber()
	}
	return fmt.Sprintf("%s-%d%s", n.SubjectNumber(), n.Seq, n.Suffix)
}

// FormatSubjectNumber builds a current-style subject number: the abbreviation, "ICP备", the
// four-digit year and the six-digit sequence, and "号", e.g. 鄂ICP备2021001858号. It does not
// validate: a year outside 1000–9999 or a sequence outside 0–999999 gives a number that
// ParseFilingNumber refuses.
func FormatSubjectNumber(abbr string, year, seq int) string {
	return fmt.Sprintf("%sICP备%04d%06d号", abbr, year, seq)
}

// FormatServiceNumber appends service number n (from 1) and the suffix of kind (KindWebsite "",
// KindApp "A", KindMiniProgram "X", KindQuickApp "K") to a subject number. It returns "" when n is
// below 1 or kind is unknown; it does not check subject.
func FormatServiceNumber(subject string, n int, kind string) string {
	if n < 1 {
		return ""
	}
	for _, s := range serviceSuffixes {
		if s.kind == kind {
			return fmt.Sprintf("%s-%d%s", subject, n, s.suffix)
		}
	}
	return ""
}
