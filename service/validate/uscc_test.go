package validate_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/service/validate"
)

func TestUSCC(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"enterprise fujian", "91350100M000100Y43", ""},
		{"enterprise xiamen", "913502000728319549", ""},
		{"enterprise guangzhou", "91440101MA5CJQ4N59", ""},
		{"one char changed", "91350100M000100Y44", "uscc check character mismatch"},
		{"two chars swapped", "91350100M000100Y34", "check character mismatch"},
		{"lower case", "91440101ma5cjq4n59", "must be upper case"},
		{"letter I", "9135010IM000100Y43", "must not contain I, O, S, V or Z"},
		{"letter O", "91350100O000100Y43", "must not contain I, O, S, V or Z"},
		{"letter S", "91350100S000100Y43", "must not contain I, O, S, V or Z"},
		{"letter V", "91350100V000100Y43", "must not contain I, O, S, V or Z"},
		{"letter Z", "91350100Z000100Y43", "must not contain I, O, S, V or Z"},
		{"punctuation", "91350100-000100Y43", "invalid character at position 9"},
		{"too short", "91350100M000100Y4", "must be 18 characters"},
		{"too long", "91350100M000100Y430", "must be 18 characters"},
		{"empty", "", "must be 18 characters"},
		{"full-width digit", "９1350100M000100Y4", "must be 18 characters"},
		// Outer check recomputed after breaking the inner organisation-code check character.
		{"good outer bad inner", "91350100M000100Y0N", "organisation code check character mismatch"},
		{"good outer bad inner 2", "91350200072831950W", "organisation code check character mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.USCC(tt.in), tt.wantErr)
		})
	}
}

func FuzzUSCC(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "913502000728319549", "91440101MA5CJQ4N59",
		"91440101ma5cjq4n59", "91350100M000100Y0N", "", "\xff\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := validate.USCC(s)
		checkFuzzResult(t, err)
		if err != nil {
			return
		}
		if strings.ToUpper(s) != s {
			t.Fatalf("accepted %q which is not upper case", s)
		}
		if err := validate.USCC(strings.ToUpper(s)); err != nil {
			t.Fatalf("accepted %q but not its upper case: %v", s, err)
		}
		for _, c := range "0123456789ABCDEFGHJKLMNPQRTUWXY" {
			if byte(c) != s[17] && validate.USCC(s[:17]+string(c)) == nil {
				t.Fatalf("accepted %q with a different check character %q", s, c)
			}
		}
	})
}
