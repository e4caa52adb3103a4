package validate_test

import (
	"testing"

	"github.com/beian/beian/service/validate"
)

func TestParseFilingNumber(t *testing.T) {
	tests := []struct {
		name, in string
		want     validate.FilingNumber
		wantErr  string
	}{
		{"legacy subject", "京ICP备16020626号", validate.FilingNumber{Abbr: "京", Digits: "16020626"}, ""},
		{"current subject", "鄂ICP备2021001858号", validate.FilingNumber{Abbr: "鄂", Digits: "2021001858"}, ""},
		{"six digits", "陕ICP备150028号", validate.FilingNumber{Abbr: "陕", Digits: "150028"}, ""},
		{"website", "陕ICP备15002899号-1", validate.FilingNumber{Abbr: "陕", Digits: "15002899", Seq: 1}, ""},
		{"app", "粤ICP备2023000001号-2A", validate.FilingNumber{Abbr: "粤", Digits: "2023000001", Seq: 2, Suffix: "A"}, ""},
		{"mini-program", "沪ICP备2023000001号-3X", validate.FilingNumber{Abbr: "沪", Digits: "2023000001", Seq: 3, Suffix: "X"}, ""},
		{"quick app", "浙ICP备2023000001号-12K", validate.FilingNumber{Abbr: "浙", Digits: "2023000001", Seq: 12, Suffix: "K"}, ""},
		{"hong kong abbr", "港ICP备16020626号", validate.FilingNumber{}, "province abbreviation"},
		{"no abbr", "ICP备16020626号", validate.FilingNumber{}, "province abbreviation"},
		{"licence not filing", "京ICP证030173号", validate.FilingNumber{}, "ICP备"},
		{"lower-case icp", "京icp备16020626号", validate.FilingNumber{}, "ICP备"},
		{"five digits", "京ICP备16020号", validate.FilingNumber{}, "6 to 10 digits"},
		{"eleven digits", "京ICP备20210018581号", validate.FilingNumber{}, "6 to 10 digits"},
		{"no 号", "京ICP备16020626", validate.FilingNumber{}, "followed by 号"},
		{"seq zero", "京ICP备16020626号-0", validate.FilingNumber{}, "from 1 to 9999"},
		{"seq leading zero", "京ICP备16020626号-01", validate.FilingNumber{}, "from 1 to 9999"},
		{"seq too long", "京ICP备16020626号-10000", validate.FilingNumber{}, "from 1 to 9999"},
		{"dash only", "京ICP备16020626号-", validate.FilingNumber{}, "from 1 to 9999"},
		{"bad suffix", "京ICP备16020626号-1B", validate.FilingNumber{}, "A, X or K"},
		{"lower-case suffix", "京ICP备16020626号-1a", validate.FilingNumber{}, "A, X or K"},
		{"suffix without seq", "京ICP备16020626号A", validate.FilingNumber{}, "unexpected text"},
		{"full-width dash", "京ICP备16020626号－1", validate.FilingNumber{}, "unexpected text"},
		{"empty", "", validate.FilingNumber{}, "province abbreviation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := validate.ParseFilingNumber(tt.in)
			checkResult(t, err, tt.wantErr)
			if got != tt.want {
				t.Fatalf("ParseFilingNumber(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFilingNumberMethods(t *testing.T) {
	tests := []struct {
		in, subject, kind string
		isSubject         bool
	}{
		{"鄂ICP备2021001858号", "鄂ICP备2021001858号", "", true},
		{"鄂ICP备2021001858号-1", "鄂ICP备2021001858号", validate.KindWebsite, false},
		{"鄂ICP备2021001858号-2A", "鄂ICP备2021001858号", validate.KindApp, false},
		{"鄂ICP备2021001858号-3X", "鄂ICP备2021001858号", validate.KindMiniProgram, false},
		{"鄂ICP备2021001858号-4K", "鄂ICP备2021001858号", validate.KindQuickApp, false},
	}
	for _, tt := range tests {
		n, err := validate.ParseFilingNumber(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if n.IsSubject() != tt.isSubject || n.SubjectNumber() != tt.subject || n.Kind() != tt.kind || n.String() != tt.in {
			t.Errorf("%s: IsSubject %v, SubjectNumber %q, Kind %q, String %q", tt.in, n.IsSubject(), n.SubjectNumber(), n.Kind(), n.String())
		}
	}
}

func TestFormatNumbers(t *testing.T) {
	subject := validate.FormatSubjectNumber("鄂", 2021, 1858)
	if subject != "鄂ICP备2021001858号" {
		t.Fatalf("FormatSubjectNumber = %q", subject)
	}
	tests := []struct {
		n          int
		kind, want string
	}{
		{1, validate.KindWebsite, "鄂ICP备2021001858号-1"},
		{2, validate.KindApp, "鄂ICP备2021001858号-2A"},
		{3, validate.KindMiniProgram, "鄂ICP备2021001858号-3X"},
		{4, validate.KindQuickApp, "鄂ICP备2021001858号-4K"},
		{0, validate.KindWebsite, ""},
		{1, "applet", ""},
	}
	for _, tt := range tests {
		got := validate.FormatServiceNumber(subject, tt.n, tt.kind)
		if got != tt.want {
			t.Errorf("FormatServiceNumber(%d, %q) = %q, want %q", tt.n, tt.kind, got, tt.want)
		}
		if got == "" {
			continue
		}
		n, err := validate.ParseFilingNumber(got)
		if err != nil || n.Kind() != tt.kind || n.Seq != tt.n {
			t.Errorf("%q parses to %+v, %v", got, n, err)
		}
	}
	if _, err := validate.ParseFilingNumber(validate.FormatSubjectNumber("鄂", 20210, 1)); err == nil {
		t.Error("a five-digit year formatted into a number that parses")
	}
}

func FuzzParseFilingNumber(f *testing.F) {
	for _, s := range []string{
		"京ICP备16020626号", "鄂ICP备2021001858号-2A", "粤ICP备2023000001号-3X", "京ICP证030173号-1",
		"京ICP备16020626号-99999", "\xe4\xba", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := validate.ParseFilingNumber(s)
		checkFuzzResult(t, err)
		if err != nil {
			return
		}
		if n.String() != s {
			t.Fatalf("ParseFilingNumber(%q).String() = %q", s, n.String())
		}
		subject, err := validate.ParseFilingNumber(n.SubjectNumber())
		if err != nil || !subject.IsSubject() || subject.Digits != n.Digits {
			t.Fatalf("subject number of %q parses to %+v, %v", s, subject, err)
		}
		if !n.IsSubject() && validate.FormatServiceNumber(n.SubjectNumber(), n.Seq, n.Kind()) != s {
			t.Fatalf("FormatServiceNumber does not rebuild %q", s)
		}
	})
}
