package e2e

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/beian/beian/api/apitest"
	"github.com/beian/beian/app"
	"github.com/beian/beian/config"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
)

// TestRedisOutageDegradesGracefully runs the API against a Redis that is not there: what needs
// Redis answers 503 with the standard envelope, and what needs only the database keeps working.
func TestRedisOutageDegradesGracefully(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0") // a port nobody listens on once closed
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := l.Addr().String()
	l.Close()
	db := dbtest.New(t)
	cfg, err := config.Load([]string{"BEIAN_DATABASE_URL=" + db.URL, "BEIAN_REDIS_URL=redis://" + deadAddr + "/0",
		"BEIAN_FILES_DIR=" + t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	h, err := a.Router()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := apitest.New(t, srv.URL)

	u, err := repository.NewUserRepo(a.DB).CreateUser(context.Background(), account.User{Phone: "13800138090", Role: account.RoleApplicant, CreatedAt: kernel.SystemClock()})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := a.Tokens.IssueAccess(u, kernel.SystemClock())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path string
		body               any
		token              string
		status             int
		code               string
	}{
		{"health", http.MethodGet, "/healthz", nil, "", http.StatusOK, ""},
		{"readiness names the outage", http.MethodGet, "/readyz", nil, "", http.StatusServiceUnavailable, "NOT_READY"},
		{"an SMS code needs the shared limits", http.MethodPost, "/api/v1/auth/sms-codes", map[string]string{"phone": "13800138090", "purpose": "login"}, "", http.StatusServiceUnavailable, "UNAVAILABLE"},
		{"database-only reads work", http.MethodGet, "/api/v1/me", nil, token, http.StatusOK, ""},
		{"orders can be opened", http.MethodPost, "/api/v1/orders", map[string]string{"type": "new_filing"}, token, http.StatusCreated, ""},
	}
	for _, tc := range tests {
		res := c.Do(tc.method, tc.path, tc.body, tc.token)
		if res.Status != tc.status || res.ErrorCode() != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, res.Status, res.Body, tc.status, tc.code)
		}
	}
}
