package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// patchIfMatch sends PATCH /orders/{id} with an If-Match header ("" sends none).
func (e *filingEnv) patchIfMatch(t *testing.T, token string, id int64, ifMatch string, body any) (int, http.Header, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPatch, fmt.Sprintf("%s/api/v1/orders/%d", e.client.Base(), id), bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	res := e.client.Send(req)
	return res.Status, res.Header, res.Body
}

// TestOrderEditsWithIfMatch: GET gives the version as ETag; an edit based on it applies and
// answers the next ETag; an edit based on an older version is 412 with the current version; an
// edit without If-Match still applies (last writer wins); transitions honour If-Match too.
func TestOrderEditsWithIfMatch(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138310").AccessToken
	o := e.createOrder(t, tk, map[string]any{"type": "new_filing"})

	got := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", o.ID), nil, tk)
	etag := got.Header.Get("ETag")
	if want := fmt.Sprintf(`"v%d"`, o.Version); etag != want {
		t.Fatalf("ETag %q, want %q", etag, want)
	}
	status, hdr, body := e.patchIfMatch(t, tk, o.ID, etag, map[string]any{"subject": map[string]any{"name": "广州市示例科技有限公司"}})
	if status != http.StatusOK || hdr.Get("ETag") != fmt.Sprintf(`"v%d"`, o.Version+1) {
		t.Fatalf("patch with the current ETag: %d %q %s", status, hdr.Get("ETag"), body)
	}
	tests := []struct {
		name, ifMatch string
	}{
		{"the old ETag", etag},
		{"a weak old ETag", "W/" + etag},
		{"garbage", "not-an-etag"},
	}
	for _, tc := range tests {
		status, _, body := e.patchIfMatch(t, tk, o.ID, tc.ifMatch, map[string]any{"subject": map[string]any{"name": "别的名字"}})
		var env struct {
			Error struct {
				Code           string `json:"code"`
				CurrentVersion int    `json:"current_version"`
			} `json:"error"`
		}
		_ = json.Unmarshal(body, &env)
		if status != http.StatusPreconditionFailed || env.Error.Code != "VERSION_MISMATCH" || env.Error.CurrentVersion != o.Version+1 {
			t.Errorf("%s: %d %s", tc.name, status, body)
		}
	}
	if cur := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", o.ID), nil, tk); cur.Header.Get("ETag") != fmt.Sprintf(`"v%d"`, o.Version+1) {
		t.Fatalf("a refused edit changed the order: %q", cur.Header.Get("ETag"))
	}
	if status, _, body := e.patchIfMatch(t, tk, o.ID, "", map[string]any{"subject": map[string]any{"name": "广州市示例科技有限公司"}}); status != http.StatusOK {
		t.Fatalf("patch without If-Match: %d %s", status, body)
	}
	if status, _, body := e.patchIfMatch(t, tk, o.ID, "*", map[string]any{"subject": map[string]any{"name": "广州市示例科技有限公司"}}); status != http.StatusOK {
		t.Fatalf("patch with If-Match *: %d %s", status, body)
	}

	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/orders/%d/abandon", e.client.Base(), o.ID), nil)
	req.Header.Set("Authorization", "Bearer "+tk)
	req.Header.Set("If-Match", etag)
	if res := e.client.Send(req); res.Status != http.StatusPreconditionFailed || res.ErrorCode() != "VERSION_MISMATCH" {
		t.Fatalf("abandon from an old version: %d %s", res.Status, res.Body)
	}
	cur := e.client.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", o.ID), nil, tk)
	req, _ = http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/v1/orders/%d/abandon", e.client.Base(), o.ID), nil)
	req.Header.Set("Authorization", "Bearer "+tk)
	req.Header.Set("If-Match", cur.Header.Get("ETag"))
	if res := e.client.Send(req); res.Status != http.StatusOK {
		t.Fatalf("abandon from the current version: %d %s", res.Status, res.Body)
	}
}
