package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/beian/beian/service/account"
)

func TestJobMonitorIsForAdminsOnly(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	get := func(auth, cookie string) int {
		req, _ := http.NewRequest(http.MethodGet, e.client.Base()+"/admin/jobs", nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		return e.client.Send(req).Status
	}
	applicant := e.login(t, "13800138070").AccessToken
	if s := get("", ""); s != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d", s)
	}
	if s := get(applicant, ""); s != http.StatusForbidden {
		t.Fatalf("applicant: %d", s)
	}
	if res := e.client.Do(http.MethodPost, "/api/v1/admin/console-session", nil, applicant); res.Status != http.StatusForbidden {
		t.Fatalf("applicant console session: %d", res.Status)
	}
	if _, err := e.app.Staff.EnsureUser(t.Context(), "13800138071", account.RoleAdmin, "admin-password-1"); err != nil {
		t.Fatal(err)
	}
	var tk tokens
	e.client.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": "13800138071", "password": "admin-password-1"}, "").JSON(t, &tk)
	res := e.client.Do(http.MethodPost, "/api/v1/admin/console-session", nil, tk.AccessToken)
	cookie := res.Header.Get("Set-Cookie")
	if res.Status != http.StatusNoContent || !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Strict") {
		t.Fatalf("console session: %d %q", res.Status, cookie)
	}
	if s := get("", strings.SplitN(cookie, ";", 2)[0]); s != http.StatusOK {
		t.Fatalf("admin with the console cookie: %d", s)
	}
}
