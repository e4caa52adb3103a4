package validate_test

import (
	"testing"
	"time"

	"github.com/beian/beian/service/validate"
)

// withCheck appends the GB 11643 check character to 17 digits, computed independently of the
// package so that test vectors isolate the rule under test.
func withCheck(body string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		sum += int(body[i]-'0') * w
	}
	return body + string("10X98765432"[sum%11])
}

func TestResidentID(t *testing.T) {
	today := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, in, wantErr string
	}{
		{"beijing 1949", "11010519491231002X", ""},
		{"anhui 1980", "34052419800101001X", ""},
		{"born today", withCheck("44030120240601123"), ""},
		{"leap day", withCheck("44030120000229123"), ""},
		{"lower-case x", "11010519491231002x", "upper-case X"},
		{"check mismatch", "110105194912310021", "check character mismatch"},
		{"born tomorrow", withCheck("44030120240602123"), "in the future"},
		{"not a leap year", withCheck("44030119000229123"), "not a real date"},
		{"month 13", withCheck("44030119801301123"), "not a real date"},
		{"day 00", withCheck("44030119800100123"), "not a real date"},
		{"before 1900", withCheck("44030118991231123"), "before 1900"},
		{"taiwan prefix", withCheck("71000019800101123"), "not a mainland province"},
		{"hong kong prefix", withCheck("81000019800101123"), "not a mainland province"},
		{"macao prefix", withCheck("82000019800101123"), "not a mainland province"},
		{"unknown prefix", withCheck("99000019800101123"), "not a mainland province"},
		{"letter inside", "1101051949123A002X", "17 digits"},
		{"bad last char", "11010519491231002Y", "digit or X"},
		{"15-digit legacy", "110105491231002", "18 characters"},
		{"empty", "", "18 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkResult(t, validate.ResidentID(tt.in, today), tt.wantErr)
		})
	}
}

func TestResidentIDTodayInOwnLocation(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	today := time.Date(2024, 6, 1, 1, 0, 0, 0, shanghai) // still 31 May in UTC
	checkResult(t, validate.ResidentID(withCheck("44030120240601123"), today), "")
}

func TestResidentIDBirthDate(t *testing.T) {
	got, err := validate.ResidentIDBirthDate("11010519491231002X")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Fatalf("birth date %v, want %v", got, want)
	}
	_, err = validate.ResidentIDBirthDate("110105194912310021")
	checkResult(t, err, "check character mismatch")
}

func FuzzResidentID(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "34052419800101001X", "11010519491231002x",
		"71000019800101123X", "44030119000229123", "", "\x00",
	} {
		f.Add(s)
	}
	today := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		err := validate.ResidentID(s, today)
		checkFuzzResult(t, err)
		if err != nil {
			return
		}
		birth, err := validate.ResidentIDBirthDate(s)
		if err != nil || birth.After(today) || birth.Year() < 1900 {
			t.Fatalf("accepted %q but birth date %v, %v", s, birth, err)
		}
		if birth.Format("20060102") != s[6:14] {
			t.Fatalf("birth date %v does not match %q", birth, s)
		}
		for _, c := range "0123456789X" {
			if byte(c) != s[17] && validate.ResidentID(s[:17]+string(c), today) == nil {
				t.Fatalf("accepted %q with a different check character %q", s, c)
			}
		}
	})
}

func TestCompleteResidentID(t *testing.T) {
	for _, body := range []string{"44010619800101123", "11010519491231002", "32010119900307000"} {
		got := validate.CompleteResidentID(body)
		if got != withCheck(body) || validate.ResidentID(got, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) != nil {
			t.Errorf("CompleteResidentID(%s) = %s, want %s (a valid number)", body, got, withCheck(body))
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("CompleteResidentID accepted 16 digits")
		}
	}()
	validate.CompleteResidentID("4401061980010112")
}
