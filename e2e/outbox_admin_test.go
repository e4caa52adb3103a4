package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/notify"
)

type outboxRowBody struct {
	ID        int64  `json:"id"`
	Recipient string `json:"recipient"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	LastError string `json:"last_error"`
}

type outboxPageBody struct {
	Items      []outboxRowBody `json:"items"`
	NextCursor string          `json:"next_cursor"`
}

// adminToken creates an admin and logs in with the password.
func (e *testEnv) adminToken(t *testing.T, phone string) string {
	t.Helper()
	if _, err := e.app.Staff.EnsureUser(t.Context(), phone, account.RoleAdmin, "admin-password-1"); err != nil {
		t.Fatal(err)
	}
	var tk tokens
	e.client.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": phone, "password": "admin-password-1"}, "").JSON(t, &tk)
	return tk.AccessToken
}

func TestAdminsListFailedNotificationsAndRequeueThem(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	ctx := context.Background()
	// A message whose template no longer exists fails permanently at its first send.
	outbox := repository.NewOutboxRepo(e.app.DB, e.cipher(t))
	ids, err := outbox.Add(ctx, notify.Notification{Channel: notify.ChannelSMS, Template: "withdrawn_template",
		Recipient: "13800138090", Params: map[string]string{"code": "123456"}, CreatedAt: e.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.app.Enqueuer.Dispatch(ctx, notify.NotificationRef{ID: ids[0], Channel: notify.ChannelSMS}); err != nil {
		t.Fatal(err)
	}
	admin := e.adminToken(t, "13800138091")
	var page outboxPageBody
	for deadline := time.Now().Add(10 * time.Second); len(page.Items) == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the notification did not fail")
		}
		res := e.client.Do(http.MethodGet, "/api/v1/admin/outbox?state=failed", nil, admin)
		if res.Status != http.StatusOK {
			t.Fatalf("list: %d %s", res.Status, res.Body)
		}
		res.JSON(t, &page)
	}
	got := page.Items[0]
	if got.ID != ids[0] || got.Recipient != "138****8090" || got.Attempts != 1 || got.LastError == "" {
		t.Fatalf("failed row %+v", got)
	}

	applicant := e.login(t, "13800138092").AccessToken
	checks := []struct {
		name, method, path, token string
		status                    int
		code                      string
	}{
		{"applicant lists", http.MethodGet, "/api/v1/admin/outbox", applicant, http.StatusForbidden, "FORBIDDEN"},
		{"applicant requeues", http.MethodPost, "/api/v1/admin/outbox/" + itoa(ids[0]) + "/requeue", applicant, http.StatusForbidden, "FORBIDDEN"},
		{"anonymous", http.MethodGet, "/api/v1/admin/outbox", "", http.StatusUnauthorized, ""},
		{"unknown state", http.MethodGet, "/api/v1/admin/outbox?state=lost", admin, http.StatusUnprocessableEntity, ""},
		{"bad cursor", http.MethodGet, "/api/v1/admin/outbox?cursor=x", admin, http.StatusUnprocessableEntity, ""},
		{"missing row", http.MethodPost, "/api/v1/admin/outbox/999999/requeue", admin, http.StatusNotFound, ""},
	}
	for _, c := range checks {
		res := e.client.Do(c.method, c.path, nil, c.token)
		if res.Status != c.status || (c.code != "" && res.ErrorCode() != c.code) {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}

	res := e.client.Do(http.MethodPost, "/api/v1/admin/outbox/"+itoa(ids[0])+"/requeue", nil, admin)
	var row outboxRowBody
	res.JSON(t, &row)
	if res.Status != http.StatusOK || row.State != "pending" || row.Attempts != 0 {
		t.Fatalf("requeue: %d %s", res.Status, res.Body)
	}
	// It goes out again (and fails again: the template is still gone), so the worker tried it once more.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var p outboxPageBody
		e.client.Do(http.MethodGet, "/api/v1/admin/outbox?state=failed", nil, admin).JSON(t, &p)
		if len(p.Items) == 1 && p.Items[0].Attempts == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the requeued row was not sent again: %+v", p)
		}
	}
	if res := e.client.Do(http.MethodPost, "/api/v1/admin/outbox/"+itoa(ids[0])+"/requeue", nil, admin); res.Status != http.StatusOK {
		t.Fatalf("a second requeue of the failed row: %d %s", res.Status, res.Body)
	}

	metrics := string(e.client.Do(http.MethodGet, "/metrics", nil, "").Body)
	for _, want := range []string{`beian_outbox_notifications{state="failed"}`, `beian_outbox_notifications{state="pending"}`} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
