package catalog_test

import (
	"math/bits"
	"testing"

	"github.com/beian/beian/service/catalog"
)

func TestContentTypes(t *testing.T) {
	all := catalog.ContentTypes()
	if len(all) != 30 {
		t.Fatalf("%d content types, want 30", len(all))
	}
	for i, c := range all {
		if bits.OnesCount64(c.Bit) != 1 || c.Label == "" || (i > 0 && all[i-1].Bit >= c.Bit) {
			t.Errorf("content type %+v is not a labelled single bit in order", c)
		}
		if got, ok := catalog.ContentTypeByBit(c.Bit); !ok || got != c {
			t.Errorf("ContentTypeByBit(%d) = %+v, %v", c.Bit, got, ok)
		}
	}
}

func TestContentTypesIn(t *testing.T) {
	tests := []struct {
		mask   uint64
		labels []string
		ok     bool
	}{
		{128, []string{"单位门户网站"}, true},
		{128 | 256, []string{"单位门户网站", "网络购物"}, true},
		{4294967296 | 1, []string{"即时通信", "网上非银支付"}, true},
		{1 << 25, nil, false},
		{128 | 1<<26, []string{"单位门户网站"}, false},
		{0, nil, false},
	}
	for _, tt := range tests {
		got, ok := catalog.ContentTypesIn(tt.mask)
		if ok != tt.ok || len(got) != len(tt.labels) {
			t.Errorf("ContentTypesIn(%d) = %v, %v", tt.mask, got, ok)
			continue
		}
		for i, c := range got {
			if c.Label != tt.labels[i] {
				t.Errorf("ContentTypesIn(%d)[%d] = %s, want %s", tt.mask, i, c.Label, tt.labels[i])
			}
		}
	}
}

func TestAccessModes(t *testing.T) {
	if m, ok := catalog.AccessModeByBit(catalog.AccessModeCloud); !ok || m.Label != "云接入" {
		t.Fatalf("cloud access mode = %+v, %v", m, ok)
	}
	tests := []struct {
		mask uint64
		n    int
		ok   bool
	}{
		{16, 1, true},
		{1 | 4 | 16, 3, true},
		{31, 5, true},
		{32, 0, false},
		{0, 0, false},
	}
	for _, tt := range tests {
		got, ok := catalog.AccessModesIn(tt.mask)
		if len(got) != tt.n || ok != tt.ok {
			t.Errorf("AccessModesIn(%d) = %v, %v", tt.mask, got, ok)
		}
	}
	if len(catalog.AccessModes()) != 5 {
		t.Error("want 5 access modes")
	}
}

func TestLanguages(t *testing.T) {
	all := catalog.Languages()
	if len(all) != 17 {
		t.Fatalf("%d languages, want 17", len(all))
	}
	for i, l := range all {
		if l.Code != i+1 || l.Label == "" {
			t.Errorf("language %+v at %d", l, i)
		}
	}
	if l, ok := catalog.LanguageByCode(12); !ok || l.Label != "英语" {
		t.Errorf("LanguageByCode(12) = %+v, %v", l, ok)
	}
	if _, ok := catalog.LanguageByCode(18); ok {
		t.Error("LanguageByCode(18) found a language")
	}
}

func TestPreApprovalTypes(t *testing.T) {
	tests := []struct {
		code  int
		label string
		ok    bool
	}{
		{1, "新闻", true},
		{4, "医疗保健", true},
		{14, "校外培训", true},
		{7, "", false},
		{0, "", false},
	}
	for _, tt := range tests {
		p, ok := catalog.PreApprovalByCode(tt.code)
		if ok != tt.ok || p.Label != tt.label {
			t.Errorf("PreApprovalByCode(%d) = %+v, %v", tt.code, p, ok)
		}
	}
	all := catalog.PreApprovalTypes()
	for i := 1; i < len(all); i++ {
		if all[i-1].Code >= all[i].Code {
			t.Errorf("pre-approval types out of order at %d", i)
		}
	}
}
