package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// TestNewFilingFromLoginToSubmitted: a new user files a Guangdong enterprise with
// one website by HTTP alone, /requirements naming each missing item on the way.
func TestNewFilingFromLoginToSubmitted(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138010").AccessToken

	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	if o.Status != "draft" || o.Type != "new_filing" {
		t.Fatalf("created %+v", o)
	}
	empty := e.requirements(t, tk, o.ID)
	for _, want := range []string{"field subject.nature MISSING", "field subject.cert_number MISSING",
		"field subject.province MISSING", "field subject.principal.mobile MISSING", "field services MISSING",
		"material principal_id MISSING", "verification subject_principal MISSING"} {
		if !slices.Contains(empty.keys(), want) {
			t.Errorf("empty order: requirements lack %q: %v", want, empty.keys())
		}
	}

	o = e.patch(t, tk, o.ID, gdEnterprisePatch())
	if len(o.Services) != 1 || o.Services[0].ID != 1 {
		t.Fatalf("services after patch: %+v", o.Services)
	}
	filled := e.requirements(t, tk, o.ID)
	want := []string{
		"material subject_certificate MISSING", "material principal_id MISSING",
		"material service_principal_id:1 MISSING", "material commitment_letter MISSING",
		"verification subject_principal MISSING", "verification service_principal:1 MISSING",
	}
	if !slices.Equal(filled.keys(), want) || filled.Complete {
		t.Fatalf("requirements after filling the fields:\n got %v\nwant %v", filled.keys(), want)
	}

	assertSubmitUnmet(t, e, tk, o.ID, want)

	for _, kind := range []string{"subject_certificate", "principal_id", "service_principal_id:1", "commitment_letter"} {
		if res := e.upload(t, tk, o.ID, kind, colourScan(t)); res.Status != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", kind, res.Status, res.Body)
		}
	}
	e.verified.confirm(o.ID, filing.PersonRef{Role: filing.RoleSubjectPrincipal},
		filing.PersonRef{Role: filing.RoleServicePrincipal, ServiceID: 1})
	if r := e.requirements(t, tk, o.ID); !r.Complete || len(r.Items) != 0 {
		t.Fatalf("requirements after materials and verifications: %v", r.keys())
	}

	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/submit", o.ID), nil, tk)
	var submitted orderBody
	res.JSON(t, &submitted)
	if res.Status != http.StatusOK || submitted.Status != "pending_review" {
		t.Fatalf("submit: %d %s", res.Status, res.Body)
	}
	var events struct {
		Items []struct{ Event, From, To, ActorKind string } `json:"items"`
	}
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d/events", o.ID), nil, tk).JSON(t, &events)
	if len(events.Items) != 1 || events.Items[0].Event != "submit" || events.Items[0].From != "draft" || events.Items[0].To != "pending_review" {
		t.Fatalf("events: %+v", events.Items)
	}
}

// assertSubmitUnmet submits and expects 409 REQUIREMENTS_UNMET carrying the same list as /requirements.
func assertSubmitUnmet(t *testing.T, e *filingEnv, tk string, id int64, want []string) {
	t.Helper()
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/submit", id), nil, tk)
	var unmet struct {
		Error struct {
			Requirements []struct {
				Kind, Key, Code string
			} `json:"requirements"`
		} `json:"error"`
	}
	res.JSON(t, &unmet)
	var got []string
	for _, r := range unmet.Error.Requirements {
		got = append(got, r.Kind+" "+r.Key+" "+r.Code)
	}
	if res.Status != http.StatusConflict || res.ErrorCode() != "REQUIREMENTS_UNMET" || !slices.Equal(got, want) {
		t.Fatalf("early submit: %d %s", res.Status, res.Body)
	}
}

func TestOrderResponsesMaskPersonalData(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138011").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	e.patch(t, tk, o.ID, gdEnterprisePatch())
	res := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", o.ID), nil, tk)
	var got struct {
		Subject struct {
			CertNumber string `json:"cert_number"`
			Principal  struct {
				Name, DocNumber, Mobile string
			} `json:"principal"`
		} `json:"subject"`
		Services []struct {
			Domains []string `json:"domains"`
		} `json:"services"`
	}
	res.JSON(t, &got)
	for _, secret := range []string{gdUSCC, legalRepID, webManagerID, "13800138100", "张三丰"} {
		if bytes.Contains(res.Body, []byte(secret)) {
			t.Errorf("GET order shows %q unmasked: %s", secret, res.Body)
		}
	}
	if got.Subject.CertNumber != kernel.MaskID(gdUSCC) || got.Services[0].Domains[0] != "example.cn" {
		t.Fatalf("order: %s", res.Body)
	}
}

func TestPatchMergesOneServiceByID(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138012").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	e.patch(t, tk, o.ID, gdEnterprisePatch())
	// Rename service 1 and add a second one; the first keeps its unmasked principal.
	o = e.patch(t, tk, o.ID, map[string]any{"services": []any{
		map[string]any{"id": 1, "name": "示例科技新官网"},
		map[string]any{"kind": "website", "name": "示例科技商城", "domains": []string{"example-shop.cn"}},
	}})
	if len(o.Services) != 2 || o.Services[1].ID != 2 {
		t.Fatalf("services: %+v", o.Services)
	}
	// Removing service 2 and adding another never reuses id 2.
	o = e.patch(t, tk, o.ID, map[string]any{"services": []any{map[string]any{"id": 1}, map[string]any{"kind": "app", "name": "示例科技应用"}}})
	if len(o.Services) != 2 || o.Services[1].ID != 3 {
		t.Fatalf("services after removal: %+v", o.Services)
	}
	r := e.requirements(t, tk, o.ID)
	if slices.Contains(r.keys(), "field services.1.principal.doc_number MISSING") {
		t.Fatalf("merging service 1 by id lost its principal: %v", r.keys())
	}
	for _, bad := range []any{
		map[string]any{"services": []any{map[string]any{"id": 9}}},
		map[string]any{"subject": map[string]any{"nature": "four"}},
		map[string]any{"unknown": true},
		[]int{1},
	} {
		res := e.client.Do(http.MethodPatch, fmt.Sprintf("/api/v1/orders/%d", o.ID), bad, tk)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("patch %v: %d %s, want 422", bad, res.Status, res.Body)
		}
	}
}
