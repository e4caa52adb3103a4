package catalog_test

import (
	"slices"
	"testing"

	"github.com/beian/beian/service/catalog"
)

// provincesWhere returns the codes of the provinces whose rules satisfy pred, in code order.
func provincesWhere(pred func(catalog.ProvinceRules) bool) []string {
	var out []string
	for _, p := range catalog.Provinces() {
		if pred(catalog.RulesFor(p.Code)) {
			out = append(out, p.Code)
		}
	}
	return out
}

func TestRuleLists(t *testing.T) {
	tests := []struct {
		name string
		pred func(catalog.ProvinceRules) bool
		want []string
	}{
		{"migration", func(r catalog.ProvinceRules) bool { return r.MigrationAllowed }, []string{
			"11", "12", "13", "14", "21", "22", "23", "31", "32", "33", "34", "35", "37",
			"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62"}},
		{"shell may add services", func(r catalog.ProvinceRules) bool { return r.ShellMayAddServices }, []string{
			"11", "12", "14", "21", "31", "32", "33", "45", "51", "52", "53"}},
		{"principal change needs change both", func(r catalog.ProvinceRules) bool { return r.PrincipalChangeNeedsChangeBoth },
			[]string{"43", "52"}},
		{"principal must be legal rep", func(r catalog.ProvinceRules) bool { return r.PrincipalMustBeLegalRep }, []string{
			"11", "12", "13", "14", "15", "31", "33", "35", "41", "42", "43", "44", "45", "52",
			"54", "61", "62", "63", "64", "65"}},
		{"commitment letter", func(r catalog.ProvinceRules) bool { return r.RequiresCommitmentLetter }, []string{"44"}},
		{"jiangsu letters", func(r catalog.ProvinceRules) bool { return r.RequiresJiangsuLetters }, []string{"32"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := provincesWhere(tt.pred); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRulesFor(t *testing.T) {
	tests := []struct {
		code string
		want func(catalog.ProvinceRules) bool
	}{
		{"44", func(r catalog.ProvinceRules) bool {
			return r.NonLocalIndividualNeedsResidencePermit && r.MinPrincipalAge == 16
		}},
		{"32", func(r catalog.ProvinceRules) bool {
			return r.MinIndividualAge == 16 && r.IndividualProofBelowAge == 18 && !r.PrincipalMustBeLegalRep
		}},
		{"43", func(r catalog.ProvinceRules) bool {
			return r.MaxDomainsPerOrder == 1 && r.MinIndividualAge == 18
		}},
		{"45", func(r catalog.ProvinceRules) bool {
			return r.NonLocalIndividualRefused && !r.NonLocalIndividualNeedsResidencePermit
		}},
		{"36", func(r catalog.ProvinceRules) bool { return r == catalog.ProvinceRules{} }},
		{"81", func(r catalog.ProvinceRules) bool { return r == catalog.ProvinceRules{} }},
		{"", func(r catalog.ProvinceRules) bool { return r == catalog.ProvinceRules{} }},
	}
	for _, tt := range tests {
		if r := catalog.RulesFor(tt.code); !tt.want(r) {
			t.Errorf("RulesFor(%q) = %+v", tt.code, r)
		}
	}
}

func TestNonLocalIndividualRulesExclusive(t *testing.T) {
	both := provincesWhere(func(r catalog.ProvinceRules) bool {
		return r.NonLocalIndividualRefused && r.NonLocalIndividualNeedsResidencePermit
	})
	if len(both) > 0 {
		t.Fatalf("provinces both refuse and accept non-local individuals: %v", both)
	}
}
