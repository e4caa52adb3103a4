package validate

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Bounds of a website or App name, in characters (runes). The lower bound is the filing rule of
// at least three characters; the upper bound is this project's, generous for any real name.
const (
	MinNameRunes = 3
	MaxNameRunes = 50
)

// nameSymbols are the punctuation characters a name may contain besides letters and digits.
const nameSymbols = "·-_()（）《》、&＆"

// reservedPrefixes may begin a name only when the subject is a state body.
var reservedPrefixes = [...]string{"中国", "中华", "中央", "人民", "人大", "国家"}

// Name checks the mechanical rules for a website or App name (网站名称/App名称):
//   - valid UTF-8, 3 to 50 characters, no leading, trailing or doubled spaces;
//   - letters, digits, single inner spaces and the symbols · - _ ( ) （ ） 《 》 、 & ＆ only, so
//     no emoji, no dots (a name is not its domain) and no other special symbols;
//   - at least one Chinese (Han) character, so pure digits or pure Latin names are refused.
//
// It does not judge meaning (sensitive words, personal vs business wording); the reserved
// 中国/中华/… prefixes are checked separately by ReservedPrefix because they bind only
// non-state subjects.
func Name(s string) error {
	if !utf8.ValidString(s) {
		return invalid("name is not valid utf-8")
	}
	if n := utf8.RuneCountInString(s); n < MinNameRunes || n > MaxNameRunes {
		return invalid("name must be 3 to 50 characters")
	}
	if strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
		return invalid("name must not have leading, trailing or repeated spaces")
	}
	han := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han = true
		case unicode.IsLetter(r), unicode.IsDigit(r), r == ' ', strings.ContainsRune(nameSymbols, r):
		default:
			return invalid("name contains a character that is not allowed")
		}
	}
	if !han {
		return invalid("name must contain chinese characters")
	}
	return nil
}

// ReservedPrefix reports whether name starts with 中国, 中华, 中央, 人民, 人大 or 国家, which only
// state subjects may use at the start of a website or App name.
func ReservedPrefix(name string) bool {
	name = strings.TrimSpace(name)
	for _, p := range reservedPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
