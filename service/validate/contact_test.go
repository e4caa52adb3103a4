package validate_test

import (
	"net/mail"
	"strings"
	"testing"

	"github.com/beian/beian/service/validate"
)

func TestMobile(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"china mobile", "13800138000", ""},
		{"19x range", "19912345678", ""},
		{"normalised from +86", validate.NormalizeMobile("+86 138-0013-8000"), ""},
		{"normalised from 0086", validate.NormalizeMobile("0086 13800138000"), ""},
		{"normalised ideographic space", validate.NormalizeMobile("138\u30000013\u30008000"), ""},
		{"plus86 prefix", "+8613800138000", "country code"},
		{"0086 prefix", "008613800138000", "country code"},
		{"spaces", "138 0013 8000", "digits only"},
		{"dashes", "138-0013-8000", "digits only"},
		{"second digit 2", "12800138000", "start with 13 to 19"},
		{"landline", "02088888888", "start with 13 to 19"},
		{"ten digits", "1380013800", "11 digits"},
		{"twelve digits", "138001380000", "11 digits"},
		{"full-width digits", "１３８００１３８０００", "digits only"},
		{"empty", "", "11 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.Mobile(tt.in), tt.wantErr)
		})
	}
}

func TestNormalizeMobile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+86 138 0013 8000", "13800138000"},
		{"0086-138-0013-8000", "13800138000"},
		{"13800138000", "13800138000"},
		{"+8613800138000", "13800138000"},
		{"86 13800138000", "8613800138000"},
		{"+1 555 0100", "+15550100"},
	}
	for _, tt := range tests {
		if got := validate.NormalizeMobile(tt.in); got != tt.want {
			t.Errorf("NormalizeMobile(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzMobile(f *testing.F) {
	for _, s := range []string{"13800138000", "+86 138-0013-8000", "0086", "1", "\u3000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := validate.Mobile(s)
		checkFuzzResult(t, err)
		if err == nil {
			if validate.NormalizeMobile(s) != s {
				t.Fatalf("accepted %q but normalising changes it", s)
			}
			if validate.NormalizeMobile("+86 "+s) != s {
				t.Fatalf("normalising +86 %q does not give it back", s)
			}
		}
		n := validate.NormalizeMobile(s)
		checkFuzzResult(t, validate.Mobile(n))
		if strings.ContainsAny(n, " -\u3000") {
			t.Fatalf("NormalizeMobile(%q) = %q keeps separators", s, n)
		}
	})
}

func TestEmail(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{"plain", "zhang.san@example.com", ""},
		{"plus tag", "ops+icp@example.com.cn", ""},
		{"sub-domain", "a@mail.example.org", ""},
		{"display name", "Zhang San <zhang@example.com>", "bare address"},
		{"angle brackets", "<zhang@example.com>", "bare address"},
		{"no at", "zhang.example.com", "not a valid address"},
		{"no dot in domain", "root@localhost", "contain a dot"},
		{"address literal", "root@[192.0.2.1]", "address literal"},
		{"double dot", "a@example..com", "not a valid address"},
		{"trailing dot", "a@example.com.", "not a valid address"},
		{"space", "a b@example.com", "not a valid address"},
		{"two ats", "a@b@example.com", "not a valid address"},
		{"too long", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", "longer than 254"},
		{"empty", "", "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.Email(tt.in), tt.wantErr)
		})
	}
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"zhang@example.com", "Zhang <z@example.com>", "a@[1.2.3.4]", "\"a b\"@x.cn", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := validate.Email(s)
		checkFuzzResult(t, err)
		if err != nil {
			return
		}
		a, perr := mail.ParseAddress(s)
		if perr != nil || a.Address != s || len(s) > 254 {
			t.Fatalf("accepted %q which does not parse back to itself: %v", s, perr)
		}
	})
}
