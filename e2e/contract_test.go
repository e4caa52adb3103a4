package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// TestListsAlwaysAnswerNextCursor: every list answers next_cursor, a string while more pages
// follow and null on the last page.
func TestListsAlwaysAnswerNextCursor(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138320").AccessToken
	reviewer := e.reviewerToken(t, "13800138321")
	e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	tests := []struct {
		name, path, token string
	}{
		{"orders", "/api/v1/orders", tk},
		{"review queue", "/api/v1/review/orders", reviewer},
		{"inspections", "/api/v1/inspections", tk},
		{"review inspections", "/api/v1/review/inspections", reviewer},
	}
	for _, tc := range tests {
		res := e.client.Do(http.MethodGet, tc.path, nil, tc.token)
		var page map[string]json.RawMessage
		res.JSON(t, &page)
		if cur, ok := page["next_cursor"]; res.Status != http.StatusOK || !ok || string(cur) != "null" {
			t.Errorf("%s: %d %s, want next_cursor null", tc.name, res.Status, res.Body)
		}
	}
	// An order list cut short names the next page.
	var page struct {
		NextCursor *string `json:"next_cursor"`
	}
	e.client.Do(http.MethodGet, "/api/v1/orders?limit=1", nil, tk).JSON(t, &page)
	if page.NextCursor != nil {
		t.Fatalf("one order, limit 1: next_cursor %q", *page.NextCursor)
	}
}

// TestEmailIsMaskedLikePhones: the applicant's own order shows people's e-mail addresses masked,
// as it does their mobile numbers.
func TestEmailIsMaskedLikePhones(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138322").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})
	e.patch(t, tk, o.ID, gdEnterprisePatch())
	var got struct {
		Subject struct {
			Principal struct {
				Mobile string `json:"mobile"`
				Email  string `json:"email"`
			} `json:"principal"`
		} `json:"subject"`
	}
	e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", o.ID), nil, tk).JSON(t, &got)
	p := got.Subject.Principal
	if p.Mobile != "138****8100" || p.Email != "z***@example.com" {
		t.Fatalf("principal contact: %q %q", p.Mobile, p.Email)
	}
}
