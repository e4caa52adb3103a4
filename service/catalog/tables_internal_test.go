package catalog

import "testing"

func TestRuleKeysAreProvinces(t *testing.T) {
	for code := range provinceRules {
		if _, ok := ProvinceByCode(code); !ok {
			t.Errorf("rules for unknown province %q", code)
		}
	}
}

func TestNatureCertificatesTable(t *testing.T) {
	owner := map[int]int{}
	for nature, certs := range natureCertificates {
		if _, ok := NatureByCode(nature); !ok {
			t.Errorf("certificates for unknown nature %d", nature)
		}
		for _, c := range certs {
			if _, ok := CertificateTypeByCode(c); !ok {
				t.Errorf("nature %d allows unknown certificate %d", nature, c)
			}
			if prev, dup := owner[c]; dup {
				t.Errorf("certificate %d allowed for natures %d and %d", c, prev, nature)
			}
			owner[c] = nature
		}
	}
	for _, n := range natures {
		if len(natureCertificates[n.Code]) == 0 {
			t.Errorf("nature %d (%s) has no certificate types", n.Code, n.Label)
		}
	}
}
