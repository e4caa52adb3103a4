package catalog_test

import (
	"regexp"
	"testing"
	"unicode"

	"github.com/beian/beian/service/catalog"
)

var screamingSnake = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)

// hasHan reports whether s contains a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func TestReasonsWellFormed(t *testing.T) {
	scopes := map[catalog.Scope]bool{
		catalog.ScopeFirstReview: true, catalog.ScopeInspection: true, catalog.ScopeSMS: true, catalog.ScopeBureau: true,
	}
	categories := map[string]bool{
		catalog.CategorySubject: true, catalog.CategoryService: true, catalog.CategoryContact: true,
		catalog.CategoryAccess: true, catalog.CategoryMaterial: true,
	}
	seen := map[string]bool{}
	for _, r := range catalog.Reasons() {
		if seen[r.Code] {
			t.Errorf("duplicate code %s", r.Code)
		}
		seen[r.Code] = true
		if !screamingSnake.MatchString(r.Code) {
			t.Errorf("code %q is not SCREAMING_SNAKE", r.Code)
		}
		if !scopes[r.Scope] || !categories[r.Category] {
			t.Errorf("%s: scope %q or category %q unknown", r.Code, r.Scope, r.Category)
		}
		if !hasHan(r.Title) || !hasHan(r.Guidance) {
			t.Errorf("%s: title or guidance missing or not Chinese", r.Code)
		}
		if got, ok := catalog.ReasonByCode(r.Code); !ok || got != r {
			t.Errorf("ReasonByCode(%s) = %+v, %v", r.Code, got, ok)
		}
	}
}

func TestReasonsCoverCatalogue(t *testing.T) {
	tests := []struct {
		code  string
		scope catalog.Scope
	}{
		{"SHELL_SUBJECT", catalog.ScopeFirstReview},
		{"SUBJECT_ABNORMAL", catalog.ScopeFirstReview},
		{"RESIDENCE_PERMIT_MISSING", catalog.ScopeFirstReview},
		{"FILED_SITE_NO_FOOTER_NUMBER", catalog.ScopeFirstReview},
		{"JIANGSU_LETTERS_MISSING", catalog.ScopeFirstReview},
		{"DOMAIN_HOLDER_MISMATCH", catalog.ScopeFirstReview},
		{"CONFLICT_IN_FLIGHT", catalog.ScopeFirstReview},
		{"CHECK_SUBJECT_ABNORMAL", catalog.ScopeInspection},
		{"CHECK_POLICE_NUMBER_MISSING", catalog.ScopeInspection},
		{"CHECK_APP_FEATURE_INVALID", catalog.ScopeInspection},
		{"CHECK_RESOLVED_OTHER_IP", catalog.ScopeInspection},
		{"SMS_TIMEOUT", catalog.ScopeSMS},
		{"SMS_TOO_MANY_ATTEMPTS", catalog.ScopeSMS},
		{"BUREAU_REJECTED_OTHER", catalog.ScopeBureau},
	}
	for _, tt := range tests {
		r, ok := catalog.ReasonByCode(tt.code)
		if !ok || r.Scope != tt.scope {
			t.Errorf("ReasonByCode(%s) = %+v, %v", tt.code, r, ok)
		}
	}
	if _, ok := catalog.ReasonByCode("NO_SUCH_REASON"); ok {
		t.Error("found NO_SUCH_REASON")
	}
}

func TestReasonsIn(t *testing.T) {
	total := 0
	for _, s := range []catalog.Scope{catalog.ScopeFirstReview, catalog.ScopeInspection, catalog.ScopeSMS, catalog.ScopeBureau} {
		in := catalog.ReasonsIn(s)
		if len(in) == 0 {
			t.Errorf("no reasons in scope %s", s)
		}
		for _, r := range in {
			if r.Scope != s {
				t.Errorf("%s listed under %s", r.Code, s)
			}
		}
		total += len(in)
	}
	if total != len(catalog.Reasons()) {
		t.Errorf("scopes hold %d reasons, catalogue %d", total, len(catalog.Reasons()))
	}
}
