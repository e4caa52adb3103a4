package e2e

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/beian/beian/service/account"
)

const reviewerPassword = "review-pass-2026"

// reviewerToken creates a reviewer account with a password and logs it in.
func (e *filingEnv) reviewerToken(t *testing.T, phone string) string {
	t.Helper()
	if _, err := e.app.Staff.EnsureUser(context.Background(), phone, account.RoleReviewer, reviewerPassword); err != nil {
		t.Fatalf("reviewer %s: %v", phone, err)
	}
	res := e.client.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": phone, "password": reviewerPassword}, "")
	if res.Status != http.StatusOK {
		t.Fatalf("reviewer login: %d %s", res.Status, res.Body)
	}
	var tk tokens
	res.JSON(t, &tk)
	return tk.AccessToken
}

// reviewPost posts to /api/v1/review/orders/{id}/{action} and returns status and error code.
func (e *filingEnv) reviewPost(t *testing.T, token string, id int64, action string, body any) (int, string) {
	t.Helper()
	res := e.client.Do(http.MethodPost, fmt.Sprintf("/api/v1/review/orders/%d/%s", id, action), body, token)
	return res.Status, res.ErrorCode()
}

// mustReview posts a review action and fails the test unless it answers 200.
func (e *filingEnv) mustReview(t *testing.T, token string, id int64, action string, body any) {
	t.Helper()
	if s, code := e.reviewPost(t, token, id, action, body); s != http.StatusOK {
		t.Fatalf("%s on order %d: %d %s", action, id, s, code)
	}
}

// claimAndDecide claims the order for the reviewer and records the decision.
func (e *filingEnv) claimAndDecide(t *testing.T, token string, id int64, decision map[string]any) {
	t.Helper()
	e.mustReview(t, token, id, "claim", nil)
	e.mustReview(t, token, id, "decision", decision)
}

// appService is a complete App whose principal is gdEnterprisePatch's website principal, so the
// SMS check has two codes: the subject principal's and the service principal's.
func appService() map[string]any {
	return map[string]any{
		"kind": "app", "name": "示例科技应用", "access_mode": 16, "content_types": 128, "languages": []int{1},
		"platforms": []any{map[string]any{"platform": "android", "package": "cn.example.app",
			"public_key": "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAexample", "md5": "0123456789abcdef0123456789abcdef"}},
		"principal": person("李四", webManagerID, "13800138101", "li@example.com"),
	}
}

// orderBody with status, as the reviewer and applicant order views return it.
type fieldComment struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

type orderEventsBody struct {
	Items []struct {
		Event         string         `json:"event"`
		Reasons       []string       `json:"reasons"`
		Comment       string         `json:"comment"`
		FieldComments []fieldComment `json:"field_comments"`
		ReasonDetails []struct {
			Code     string `json:"code"`
			Title    string `json:"title"`
			Guidance string `json:"guidance"`
		} `json:"reason_details"`
	} `json:"items"`
}
