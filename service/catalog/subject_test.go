package catalog_test

import (
	"slices"
	"testing"

	"github.com/beian/beian/service/catalog"
)

func TestNatures(t *testing.T) {
	tests := []struct {
		code  int
		label string
	}{
		{catalog.NatureDefence, "国防机构"},
		{catalog.NatureGovernment, "政府机关"},
		{catalog.NatureInstitution, "事业单位"},
		{catalog.NatureEnterprise, "企业"},
		{catalog.NatureIndividual, "个人"},
		{catalog.NatureSocialGroup, "社会团体"},
		{20, "仲裁机构"},
	}
	for _, tt := range tests {
		if n, ok := catalog.NatureByCode(tt.code); !ok || n.Label != tt.label {
			t.Errorf("NatureByCode(%d) = %+v, %v", tt.code, n, ok)
		}
	}
	for _, code := range []int{0, 7, 8, 21} {
		if _, ok := catalog.NatureByCode(code); ok {
			t.Errorf("NatureByCode(%d) found a nature", code)
		}
	}
	if got := len(catalog.Natures()); got != 18 {
		t.Errorf("%d natures, want 18", got)
	}
}

func TestCertificateAllowed(t *testing.T) {
	tests := []struct {
		nature, cert int
		want         bool
	}{
		{catalog.NatureEnterprise, catalog.CertBusinessLicence, true},
		{catalog.NatureEnterprise, 27, true},
		{catalog.NatureIndividual, catalog.CertResidentID, true},
		{catalog.NatureIndividual, catalog.CertPassport, true},
		{catalog.NatureGovernment, catalog.CertUSCCGovernment, true},
		{catalog.NatureInstitution, catalog.CertUSCCInstitution, true},
		{13, catalog.CertUSCCMassOrganisation, true},
		{catalog.NatureEnterprise, catalog.CertResidentID, false},
		{catalog.NatureIndividual, catalog.CertBusinessLicence, false},
		{catalog.NatureGovernment, catalog.CertUSCCInstitution, false},
		{99, catalog.CertBusinessLicence, false},
	}
	for _, tt := range tests {
		if got := catalog.CertificateAllowed(tt.nature, tt.cert); got != tt.want {
			t.Errorf("CertificateAllowed(%d, %d) = %v, want %v", tt.nature, tt.cert, got, tt.want)
		}
	}
}

func TestCertificateTypesFor(t *testing.T) {
	tests := []struct {
		nature int
		want   []int
	}{
		{catalog.NatureEnterprise, []int{1, 12, 27}},
		{catalog.NatureInstitution, []int{3, 4, 15}},
		{catalog.NatureIndividual, []int{2, 7, 11, 14, 30, 41, 42}},
		{99, nil},
	}
	for _, tt := range tests {
		var got []int
		for _, c := range catalog.CertificateTypesFor(tt.nature) {
			got = append(got, c.Code)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("CertificateTypesFor(%d) = %v, want %v", tt.nature, got, tt.want)
		}
	}
}

func TestPersonDocTypes(t *testing.T) {
	got := catalog.PersonDocTypes()
	if !slices.Equal(got, catalog.CertificateTypesFor(catalog.NatureIndividual)) {
		t.Fatalf("person documents %v differ from an individual's certificates", got)
	}
	if got[0] != (catalog.CertificateType{Code: catalog.CertResidentID, Label: "居民身份证"}) {
		t.Fatalf("first person document %+v", got[0])
	}
}

func TestCertificateTypes(t *testing.T) {
	all := catalog.CertificateTypes()
	for i, c := range all {
		if c.Label == "" || (i > 0 && all[i-1].Code >= c.Code) {
			t.Errorf("certificate type %+v out of order or unlabelled", c)
		}
	}
	if c, ok := catalog.CertificateTypeByCode(catalog.CertBusinessLicence); !ok || c.Label != "营业执照（个人或企业）" {
		t.Errorf("business licence = %+v, %v", c, ok)
	}
	if _, ok := catalog.CertificateTypeByCode(8); ok {
		t.Error("code 8 is not a certificate type")
	}
}
