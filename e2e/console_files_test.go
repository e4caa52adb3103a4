package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/service/account"
)

// TestConsoleFileViewsAreRecorded: a reviewer opens a material and a verification photo from the
// order page; each is served without caching under a sandboxing policy, and each opening is
// listed on the order page. A photo of a person without a confirmed verification is not found
// and leaves no record.
func TestConsoleFileViewsAreRecorded(t *testing.T) {
	t.Parallel()
	e := &filingEnv{testEnv: newTestEnv(t)}
	tk := e.login(t, "13800138450").AccessToken
	id := e.verifiedOrder(t, tk)
	e.submit(t, tk, id)
	const reviewer = "13900139450"
	if _, err := e.app.Staff.EnsureUser(context.Background(), reviewer, account.RoleReviewer, reviewerPassword); err != nil {
		t.Fatal(err)
	}
	c := newConsoleClient(t, e.client.Base())
	_, page := c.do(http.MethodGet, "/console/login", nil, nil)
	if res, _ := c.do(http.MethodPost, "/console/login", url.Values{"phone": {reviewer}, "password": {reviewerPassword}, "csrf": {c.csrf(page)}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	orderPath := fmt.Sprintf("/console/orders/%d", id)
	_, page = c.do(http.MethodGet, orderPath, nil, nil)
	m := regexp.MustCompile(`href="(` + orderPath + `/materials/\d+)"`).FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, orderPath+"/photos/subject_principal") {
		t.Fatalf("the order page links no material or photo:\n%s", page)
	}

	open := func(path, wantType string) {
		t.Helper()
		res, body := c.do(http.MethodGet, path, nil, nil)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != wantType || len(body) == 0 {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if !strings.Contains(res.Header.Get("Content-Security-Policy"), "sandbox") || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("GET %s headers: %v", path, res.Header)
		}
	}
	open(m[1], "image/png")
	open(orderPath+"/photos/subject_principal", "image/jpeg")
	open(orderPath+"/photos/service_principal?service_id=1", "image/jpeg")
	if res, _ := c.do(http.MethodGet, orderPath+"/photos/service_principal?service_id=2", nil, nil); res.StatusCode != http.StatusNotFound {
		t.Fatalf("the photo of a service the order does not have: %d", res.StatusCode)
	}

	_, page = c.do(http.MethodGet, orderPath, nil, nil)
	views := page[strings.Index(page, `id="views"`):]
	for _, want := range []string{"材料 #", "人脸照片 subject_principal", "人脸照片 service_principal:1"} {
		if !strings.Contains(views, want) {
			t.Fatalf("the view log lacks %q:\n%s", want, views)
		}
	}
	if n := strings.Count(views, "审核员 #"); n != 3 {
		t.Fatalf("%d views recorded, want 3", n)
	}
}
