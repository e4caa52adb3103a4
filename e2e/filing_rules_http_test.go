package e2e

import (
	"fmt"
	"net/http"
	"testing"
)

// TestRuleRefusalsOverHTTP shows how the filing rules reach the client: 409 ORDER_TYPE_NOT_ALLOWED
// with the rule's reason, 422 IMMUTABLE on the field, for an account with a filed subject.
func TestRuleRefusalsOverHTTP(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138080").AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	e.approveAndFile(t, id)
	other := e.login(t, "13800138081").AccessToken
	e.completeOrder(t, other) // the other account has an order in progress

	refusals := []struct {
		path   string
		body   map[string]any
		reason string
	}{
		{"/api/v1/orders", map[string]any{"type": "new_filing"}, "SUBJECT_EXISTS"},
		{"/api/v1/orders", map[string]any{"type": "cancel_service", "service_ids": []int{1, 2}}, "ONE_SERVICE_PER_ORDER"},
		{"/api/v1/orders", map[string]any{"type": "cancel_service", "service_ids": []int{999}}, "SERVICE_NOT_FILED"},
		{"/api/v1/transfers", map[string]any{"type": "transfer", "target_phone": "13800138081"}, "TARGET_ORDER_IN_PROGRESS"},
		{"/api/v1/transfers", map[string]any{"type": "transfer", "target_phone": "13800138099"}, "TARGET_ACCOUNT_UNKNOWN"},
	}
	for _, r := range refusals {
		res := e.client.Do(http.MethodPost, r.path, r.body, tk)
		var body struct {
			Error struct {
				Reason string `json:"reason"`
			} `json:"error"`
		}
		res.JSON(t, &body)
		if res.Status != http.StatusConflict || res.ErrorCode() != "ORDER_TYPE_NOT_ALLOWED" || body.Error.Reason != r.reason {
			t.Errorf("%v: %d %s, want 409 %s", r.body, res.Status, res.Body, r.reason)
		}
	}

	change := e.createOrder(t, tk, map[string]any{"type": "change_subject"})
	path := fmt.Sprintf("/api/v1/orders/%d", change.ID)
	res := e.client.Do(http.MethodPatch, path, map[string]any{"subject": map[string]any{"province": "43"}}, tk)
	var fields struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	res.JSON(t, &fields)
	if res.Status != http.StatusUnprocessableEntity || fields.Error.Fields["subject.province"] != "IMMUTABLE" {
		t.Fatalf("province change: %d %s", res.Status, res.Body)
	}
	res = e.client.Do(http.MethodPatch, path, map[string]any{"services": []any{map[string]any{"id": 1, "name": "示例科技新官网"}}}, tk)
	if res.Status != http.StatusConflict || res.ErrorCode() != "ORDER_TYPE_NOT_ALLOWED" {
		t.Fatalf("service edit in change_subject: %d %s", res.Status, res.Body)
	}
	e.patch(t, tk, change.ID, map[string]any{"subject": map[string]any{"contact_address": "广州市天河区新地址8号"}})
	if r := e.requirements(t, tk, change.ID); r.Complete {
		t.Fatalf("change order needs materials and a verification: %v", r.keys())
	}
}
