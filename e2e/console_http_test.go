package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/service/account"
)

// consoleClient is a cookie-keeping browser stand-in that does not follow redirects.
type consoleClient struct {
	t    *testing.T
	base string
	http *http.Client
}

func newConsoleClient(t *testing.T, base string) *consoleClient {
	jar, _ := cookiejar.New(nil)
	return &consoleClient{t: t, base: base, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *consoleClient) do(method, path string, form url.Values, header map[string]string) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a page's form.
func (c *consoleClient) csrf(page string) string {
	c.t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		c.t.Fatalf("no CSRF field in\n%s", page)
	}
	return m[1]
}

// TestConsoleSessionAndCSRF: the console sends strangers to the login page, refuses a wrong
// password and an applicant account, sets its session cookies HttpOnly and SameSite=Strict, and
// refuses a form without the CSRF token or from another origin.
func TestConsoleSessionAndCSRF(t *testing.T) {
	t.Parallel()
	e := newFilingEnv(t)
	tk := e.login(t, "13800138440").AccessToken
	id := e.completeOrder(t, tk)
	e.submit(t, tk, id)
	const reviewer = "13900139440"
	if _, err := e.app.Staff.EnsureUser(context.Background(), reviewer, account.RoleReviewer, reviewerPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Staff.EnsureUser(context.Background(), "13800138441", account.RoleApplicant, reviewerPassword); err != nil {
		t.Fatal(err)
	}
	c := newConsoleClient(t, e.client.Base())

	res, _ := c.do(http.MethodGet, "/console", nil, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/login" {
		t.Fatalf("a stranger at /console: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	res, page := c.do(http.MethodGet, "/console/login", nil, nil)
	csp := res.Header.Get("Content-Security-Policy")
	if res.StatusCode != http.StatusOK || !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("login page: %d, CSP %q", res.StatusCode, csp)
	}
	token := c.csrf(page)
	login := func(phone, password, csrf string) (*http.Response, string) {
		return c.do(http.MethodPost, "/console/login", url.Values{"phone": {phone}, "password": {password}, "csrf": {csrf}}, nil)
	}
	if res, _ := login(reviewer, reviewerPassword, ""); res.StatusCode != http.StatusForbidden {
		t.Fatalf("login without the CSRF token: %d", res.StatusCode)
	}
	if res, page := login(reviewer, "wrong-password", token); res.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "手机号或密码错误") {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	if res, page := login("13800138441", reviewerPassword, token); res.StatusCode != http.StatusForbidden || !strings.Contains(page, "不是审核人员") {
		t.Fatalf("an applicant's login: %d", res.StatusCode)
	}
	res, _ = login(reviewer, reviewerPassword, token)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("reviewer login: %d", res.StatusCode)
	}
	for _, ck := range res.Cookies() {
		if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/console" {
			t.Fatalf("cookie %s: HttpOnly=%v SameSite=%v Path=%s", ck.Name, ck.HttpOnly, ck.SameSite, ck.Path)
		}
	}

	claim := fmt.Sprintf("/console/orders/%d/claim", id)
	if res, _ := c.do(http.MethodPost, claim, url.Values{"csrf": {"forged-token-forged-token-forged-token"}}, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("claim with a forged CSRF token: %d", res.StatusCode)
	}
	if res, _ := c.do(http.MethodPost, claim, url.Values{"csrf": {token}}, map[string]string{"Origin": "https://evil.example"}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("claim from another origin: %d", res.StatusCode)
	}
	if got := e.orderStatus(t, tk, id); got != "pending_review" {
		t.Fatalf("refused forms changed the order: %s", got)
	}
	if res, _ := c.do(http.MethodPost, claim, url.Values{"csrf": {token}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim with the token: %d", res.StatusCode)
	}
	if res, page := c.do(http.MethodPost, fmt.Sprintf("/console/orders/%d/decision", id), url.Values{"csrf": {token}, "outcome": {"reject"}}, nil); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "REASON_REQUIRED") {
		t.Fatalf("a rejection without reasons: %d\n%s", res.StatusCode, page)
	}
	res, page = c.do(http.MethodGet, "/console/orders/99999", nil, nil)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(page, "请求的资源不存在") {
		t.Fatalf("an unknown order: %d", res.StatusCode)
	}
	e.clock.Advance(e.app.Config.AccessTTL + time.Minute)
	res, _ = c.do(http.MethodGet, "/console", nil, nil)
	if res.StatusCode != http.StatusOK || !slices.ContainsFunc(res.Cookies(), func(ck *http.Cookie) bool { return ck.Name == "beian_console" && ck.Value != "" }) {
		t.Fatalf("with an expired access token the refresh cookie should renew the session: %d %v", res.StatusCode, res.Cookies())
	}
	if res, _ := c.do(http.MethodPost, "/console/logout", url.Values{"csrf": {token}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	if res, _ := c.do(http.MethodGet, "/console", nil, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after logout: %d", res.StatusCode)
	}
}
