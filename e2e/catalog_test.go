package e2e

import (
	"net/http"
	"testing"
)

// getIfNoneMatch sends a GET with an If-None-Match header ("" sends none).
func (e *testEnv) getIfNoneMatch(t *testing.T, path, etag string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.client.Base()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	res := e.client.Send(req)
	return res.Status, res.Header, res.Body
}

// TestCatalogServesTheFormDictionaries: the catalog has every dictionary with Chinese labels, a
// province has its rules and upload kinds, and both answer 304 to their own ETag.
func TestCatalogServesTheFormDictionaries(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	status, hdr, body := e.getIfNoneMatch(t, "/api/v1/catalog", "")
	var cat struct {
		Provinces []struct{ Code, Name, Abbr string } `json:"provinces"`
		Natures   []struct {
			Code             int `json:"code"`
			Label            string
			CertificateTypes []struct{ Code int } `json:"certificate_types"`
		} `json:"natures"`
		DocumentTypes []struct{ Code int }           `json:"document_types"`
		ServiceKinds  []struct{ Code, Label string } `json:"service_kinds"`
		ContentTypes  []struct{ Bit uint64 }         `json:"content_types"`
		Languages     []struct{ Code int }           `json:"languages"`
		AccessModes   []struct {
			Bit   uint64
			Label string
		} `json:"access_modes"`
	}
	e.client.Do(http.MethodGet, "/api/v1/catalog", nil, "").JSON(t, &cat)
	if status != http.StatusOK || hdr.Get("ETag") == "" || len(cat.Provinces) != 31 || len(cat.ServiceKinds) != 4 ||
		len(cat.ContentTypes) == 0 || len(cat.Languages) == 0 || len(cat.DocumentTypes) == 0 || len(cat.AccessModes) != 5 {
		t.Fatalf("catalog: %d %.300s", status, body)
	}
	if p := cat.Provinces[18]; p.Code != "44" || p.Name != "广东" || p.Abbr != "粤" {
		t.Fatalf("province 19: %+v", p)
	}
	for _, n := range cat.Natures {
		if n.Code == 4 && (n.Label != "企业" || len(n.CertificateTypes) == 0) {
			t.Fatalf("enterprise nature: %+v", n)
		}
	}
	if status, _, body := e.getIfNoneMatch(t, "/api/v1/catalog", hdr.Get("ETag")); status != http.StatusNotModified || len(body) != 0 {
		t.Fatalf("If-None-Match with the ETag: %d %s", status, body)
	}
	if status, _, _ := e.getIfNoneMatch(t, "/api/v1/catalog", `"stale"`); status != http.StatusOK {
		t.Fatalf("If-None-Match with a stale ETag: %d", status)
	}

	var gd struct {
		MaterialKinds []struct{ Kind, When string } `json:"material_kinds"`
	}
	res := e.client.Do(http.MethodGet, "/api/v1/catalog/provinces/44", nil, "")
	res.JSON(t, &gd)
	kinds := map[string]string{}
	for _, k := range gd.MaterialKinds {
		kinds[k.Kind] = k.When
	}
	if kinds["commitment_letter"] != "province" || kinds["principal_id"] != "always" || kinds["jiangsu_commitment_letter"] != "" {
		t.Fatalf("Guangdong upload kinds: %v", kinds)
	}
	if status, _, _ := e.getIfNoneMatch(t, "/api/v1/catalog/provinces/44", res.Header.Get("ETag")); status != http.StatusNotModified {
		t.Fatalf("province If-None-Match: %d", status)
	}
	if res := e.client.Do(http.MethodGet, "/api/v1/catalog/provinces/81", nil, ""); res.Status != http.StatusNotFound {
		t.Fatalf("Hong Kong: %d %s", res.Status, res.Body)
	}
}
