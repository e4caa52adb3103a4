package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"
)

// TestPatchLimitsAndText: an edit over a limit or with bad text is 422 VALIDATION_FAILED naming the
// field, and nothing of it is stored.
func TestPatchLimitsAndText(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	token := e.login(t, "13800138730").AccessToken
	o := e.createOrder(t, token, map[string]any{"type": "new_filing"})
	path := fmt.Sprintf("/api/v1/orders/%d", o.ID)
	e.patch(t, token, o.ID, gdEnterprisePatch())

	many := make([]any, 5000)
	for i := range many {
		many[i] = map[string]any{"kind": "website", "name": "示例网站"}
	}
	domains := make([]string, 11)
	for i := range domains {
		domains[i] = fmt.Sprintf("d%d.cn", i)
	}
	tests := []struct {
		name  string
		body  map[string]any
		field string
		code  string
	}{
		{"5000 services", map[string]any{"services": many}, "services", "TOO_MANY"},
		{"11 domains", map[string]any{"services": []any{map[string]any{"id": 1, "domains": domains}}}, "services.0.domains", "TOO_MANY"},
		{"control character", map[string]any{"subject": map[string]any{"name": "示例\u0007公司"}}, "subject.name", "INVALID_TEXT"},
		{"bidi override", map[string]any{"subject": map[string]any{"principal": map[string]any{"name": "张\u202E三"}}},
			"subject.principal.name", "INVALID_TEXT"},
		{"long address", map[string]any{"subject": map[string]any{"cert_address": string(bytes.Repeat([]byte("路"), 300))}},
			"subject.cert_address", "TOO_LONG"},
	}
	for _, tt := range tests {
		res := e.client.Do(http.MethodPatch, path, tt.body, token)
		var body struct {
			Error struct {
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}
		res.JSON(t, &body)
		if res.Status != http.StatusUnprocessableEntity || res.ErrorCode() != "VALIDATION_FAILED" || body.Error.Fields[tt.field] != tt.code {
			t.Errorf("%s: %d %s, want 422 %s=%s", tt.name, res.Status, res.Body, tt.field, tt.code)
		}
	}

	// Invalid UTF-8 on the wire: the JSON decoder would store U+FFFD; it is refused instead.
	raw := []byte(`{"subject":{"name":"示例` + "\xff\xfe" + `公司"}}`)
	req, err := http.NewRequest(http.MethodPatch, e.client.Base()+path, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if res := e.client.Send(req); res.Status != http.StatusUnprocessableEntity || !bytes.Contains(res.Body, []byte(`"subject.name":"INVALID_TEXT"`)) {
		t.Errorf("invalid UTF-8: %d %s", res.Status, res.Body)
	}
	if e.count(t, "SELECT COUNT(*) FROM orders WHERE id = ? AND version = 2", o.ID) != 1 {
		t.Error("a refused edit changed the order")
	}
}
