package catalog_test

import (
	"testing"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/validate"
)

func TestProvinces(t *testing.T) {
	ps := catalog.Provinces()
	if len(ps) != 31 {
		t.Fatalf("%d provinces, want 31", len(ps))
	}
	codes, abbrs, names := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, p := range ps {
		if codes[p.Code] || abbrs[p.Abbr] || names[p.Name] {
			t.Errorf("duplicate in %+v", p)
		}
		codes[p.Code], abbrs[p.Abbr], names[p.Name] = true, true, true
		if i > 0 && ps[i-1].Code >= p.Code {
			t.Errorf("%s not in code order", p.Code)
		}
		if got, ok := catalog.ProvinceByCode(p.Code); !ok || got != p {
			t.Errorf("ProvinceByCode(%q) = %+v, %v", p.Code, got, ok)
		}
		if got, ok := catalog.ProvinceByAbbr(p.Abbr); !ok || got != p {
			t.Errorf("ProvinceByAbbr(%q) = %+v, %v", p.Abbr, got, ok)
		}
	}
}

func TestProvinceLookups(t *testing.T) {
	tests := []struct {
		code, abbr, name string
		ok               bool
	}{
		{"44", "粤", "广东", true},
		{"11", "京", "北京", true},
		{"65", "新", "新疆", true},
		{"71", "台", "", false},
		{"81", "港", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		p, ok := catalog.ProvinceByCode(tt.code)
		if ok != tt.ok || p.Name != tt.name {
			t.Errorf("ProvinceByCode(%q) = %+v, %v", tt.code, p, ok)
		}
		p, ok = catalog.ProvinceByAbbr(tt.abbr)
		if ok != tt.ok || p.Name != tt.name {
			t.Errorf("ProvinceByAbbr(%q) = %+v, %v", tt.abbr, p, ok)
		}
	}
}

func TestProvincesReturnsCopy(t *testing.T) {
	catalog.Provinces()[0].Name = "changed"
	if catalog.Provinces()[0].Name != "北京" {
		t.Fatal("Provinces exposes its table")
	}
}

// TestProvincesAgreeWithValidate guards the copies of the province table that package validate
// keeps for filing numbers and resident IDs.
func TestProvincesAgreeWithValidate(t *testing.T) {
	today := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range catalog.Provinces() {
		n := validate.FormatSubjectNumber(p.Abbr, 2021, 1858)
		if _, err := validate.ParseFilingNumber(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
		if err := validate.ResidentID(residentID(p.Code+"010519800101123"), today); err != nil {
			t.Errorf("resident id in %s: %v", p.Name, err)
		}
	}
}

// residentID appends the GB 11643 check character to 17 digits.
func residentID(body string) string { return validate.CompleteResidentID(body) }
