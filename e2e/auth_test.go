package e2e

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/api/apitest"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/account"
	"github.com/golang-jwt/jwt/v5"
)

func TestLoginWithSMSCodeThenMe(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tk := e.login(t, "13800138000")
	if tk.TokenType != "Bearer" || tk.ExpiresIn != 900 || tk.RefreshToken == "" {
		t.Fatalf("tokens = %+v", tk)
	}
	var me struct {
		Phone string `json:"phone"`
		Role  string `json:"role"`
	}
	res := e.client.Do(http.MethodGet, "/api/v1/me", nil, tk.AccessToken)
	res.JSON(t, &me)
	if res.Status != http.StatusOK || me.Phone != "138****8000" || me.Role != "applicant" {
		t.Fatalf("me: %d %s", res.Status, res.Body)
	}
}

func TestOneCodeLogsInExactlyOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newTestEnv(t)
	const phone = "13800138001"
	code := e.requestCode(t, phone)
	var wg sync.WaitGroup
	statuses := make([]int, 50)
	for i := range statuses {
		wg.Go(func() {
			statuses[i] = e.client.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": phone, "code": code}, "").Status
		})
	}
	wg.Wait()
	won := 0
	for _, s := range statuses {
		switch s {
		case http.StatusOK:
			won++
		case http.StatusUnprocessableEntity:
		default:
			t.Errorf("unexpected status %d", s)
		}
	}
	if won != 1 {
		t.Fatalf("%d logins succeeded with one code, want exactly 1", won)
	}
}

func TestWrongCodesLockTheCode(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	const phone = "13800138002"
	code := e.requestCode(t, phone)
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	for i := 1; i <= account.CodeMaxWrong; i++ {
		res := e.client.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": phone, "code": wrong}, "")
		if res.Status != http.StatusUnprocessableEntity || res.ErrorCode() != "SMS_CODE_INVALID" {
			t.Fatalf("wrong try %d: %d %s", i, res.Status, res.Body)
		}
	}
	res := e.client.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": phone, "code": code}, "")
	if res.Status != http.StatusTooManyRequests || res.ErrorCode() != "SMS_CODE_LOCKED" {
		t.Fatalf("6th try with the right code: %d %s, want 429 SMS_CODE_LOCKED", res.Status, res.Body)
	}
	var env struct {
		Error struct {
			RetryAfter *int `json:"retry_after"`
		} `json:"error"`
	}
	res.JSON(t, &env)
	if env.Error.RetryAfter == nil || *env.Error.RetryAfter != 60 || res.Header.Get("Retry-After") != "60" {
		t.Fatalf("lockout without retry_after: %s (Retry-After %q)", res.Body, res.Header.Get("Retry-After"))
	}
}

func TestResendWithinAMinuteIsRefused(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	body := map[string]string{"phone": "13800138003", "purpose": "login"}
	if res := e.client.Do(http.MethodPost, "/api/v1/auth/sms-codes", body, ""); res.Status != http.StatusAccepted {
		t.Fatalf("first code: %d %s", res.Status, res.Body)
	}
	res := e.client.Do(http.MethodPost, "/api/v1/auth/sms-codes", body, "")
	var env struct {
		Error struct {
			Code       string `json:"code"`
			RetryAfter int    `json:"retry_after"`
		} `json:"error"`
	}
	res.JSON(t, &env)
	if res.Status != http.StatusTooManyRequests || env.Error.Code != "RATE_LIMITED" ||
		env.Error.RetryAfter < 1 || env.Error.RetryAfter > 60 || res.Header.Get("Retry-After") != strconv.Itoa(env.Error.RetryAfter) {
		t.Fatalf("resend: %d %s (Retry-After %q)", res.Status, res.Body, res.Header.Get("Retry-After"))
	}
}

func (e *testEnv) refresh(t *testing.T, rt string) (apitest.Response, tokens) {
	t.Helper()
	res := e.client.Do(http.MethodPost, "/api/v1/auth/refresh", map[string]string{"refresh_token": rt}, "")
	var tk tokens
	if res.Status == http.StatusOK {
		res.JSON(t, &tk)
	}
	return res, tk
}

// TestRefreshRotatesAndReuseRevokesTheFamily: a just-rotated token presented again within the
// grace window gets the same new pair; after the window it revokes the family.
func TestRefreshRotatesAndReuseRevokesTheFamily(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	first := e.login(t, "13800138004")
	res, second := e.refresh(t, first.RefreshToken)
	if res.Status != http.StatusOK || second.RefreshToken == first.RefreshToken {
		t.Fatalf("first refresh: %d", res.Status)
	}
	e.clock.Advance(20 * time.Second)
	res, again := e.refresh(t, first.RefreshToken)
	if res.Status != http.StatusOK || again.RefreshToken != second.RefreshToken || again.AccessToken != second.AccessToken {
		t.Fatalf("retry within the grace window: %d %s, want the same pair", res.Status, res.Body)
	}
	e.clock.Advance(11 * time.Second)
	res, _ = e.refresh(t, first.RefreshToken)
	if res.Status != http.StatusUnauthorized || res.ErrorCode() != "TOKEN_REUSED" {
		t.Fatalf("reuse after the grace window: %d %s", res.Status, res.Body)
	}
	if res, _ := e.refresh(t, second.RefreshToken); res.Status != http.StatusUnauthorized {
		t.Fatalf("the family's newest token still works after reuse: %d", res.Status)
	}
}

// TestRefreshReplayAfterTheSuccessorMovedOn: within the window, an old token whose successor was
// itself rotated is reuse, not a retry.
func TestRefreshReplayAfterTheSuccessorMovedOn(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	first := e.login(t, "13800138005")
	_, second := e.refresh(t, first.RefreshToken)
	if res, _ := e.refresh(t, second.RefreshToken); res.Status != http.StatusOK {
		t.Fatalf("second refresh: %d %s", res.Status, res.Body)
	}
	if res, _ := e.refresh(t, first.RefreshToken); res.Status != http.StatusUnauthorized || res.ErrorCode() != "TOKEN_REUSED" {
		t.Fatalf("grandparent token: %d %s", res.Status, res.Body)
	}
}

// TestRefreshRace: many concurrent refreshes of one token rotate it once and all get the same
// pair; the family stays usable.
func TestRefreshRace(t *testing.T) {
	t.Parallel()
	dbtest.Races(t)
	e := newTestEnv(t)
	first := e.login(t, "13800138006")
	const n = 10
	got := make([]tokens, n)
	statuses := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, tk := e.refresh(t, first.RefreshToken)
			statuses[i], got[i] = res.Status, tk
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		if statuses[i] != http.StatusOK || got[i].RefreshToken != got[0].RefreshToken || got[i].AccessToken != got[0].AccessToken {
			t.Fatalf("refresh %d: %d %+v, want the pair of refresh 0 %+v", i, statuses[i], got[i], got[0])
		}
	}
	if res, _ := e.refresh(t, got[0].RefreshToken); res.Status != http.StatusOK {
		t.Fatalf("the new token after the race: %d %s", res.Status, res.Body)
	}
}

func TestLogoutRevokesTheRefreshToken(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tk := e.login(t, "13800138005")
	if res := e.client.Do(http.MethodPost, "/api/v1/auth/logout", map[string]string{"refresh_token": tk.RefreshToken}, ""); res.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", res.Status, res.Body)
	}
	res := e.client.Do(http.MethodPost, "/api/v1/auth/refresh", map[string]string{"refresh_token": tk.RefreshToken}, "")
	if res.Status != http.StatusUnauthorized {
		t.Fatalf("refresh after logout: %d", res.Status)
	}
}

func TestBadAccessTokensAreRefused(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	good := e.login(t, "13800138006").AccessToken
	secret := []byte(e.app.Config.JWTSecret)
	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	now := time.Now()
	base := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": "beian", "aud": "beian-api", "sub": "1", "role": "admin",
			"iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
	}
	expired := base()
	expired["iat"], expired["exp"] = now.Add(-time.Hour).Unix(), now.Add(-time.Minute).Unix()
	wrongAud := base()
	wrongAud["aud"] = "beian-verify"
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + strings.TrimRight(parts[1], "A") + "B." + parts[2]
	tests := []struct {
		name, token string
	}{
		{"expired", sign(jwt.SigningMethodHS256, secret, expired)},
		{"tampered payload", tampered},
		{"alg none", sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, base())},
		{"other key", sign(jwt.SigningMethodHS256, []byte("another-secret-another-secret-xx"), base())},
		{"HS512", sign(jwt.SigningMethodHS512, secret, base())},
		{"wrong audience", sign(jwt.SigningMethodHS256, secret, wrongAud)},
		{"garbage", "not-a-jwt"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := e.client.Do(http.MethodGet, "/api/v1/me", nil, tc.token)
			if res.Status != http.StatusUnauthorized || res.ErrorCode() != "UNAUTHENTICATED" {
				t.Fatalf("%d %s", res.Status, res.Body)
			}
		})
	}
}

func TestReviewerRoutesNeedTheRole(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	applicant := e.login(t, "13800138007")
	if res := e.client.Do(http.MethodGet, "/api/v1/review/reason-codes", nil, applicant.AccessToken); res.Status != http.StatusForbidden {
		t.Fatalf("applicant on a reviewer route: %d %s", res.Status, res.Body)
	}
	if _, err := e.app.Staff.EnsureUser(t.Context(), "13800138008", account.RoleReviewer, "reviewer-pass-1"); err != nil {
		t.Fatal(err)
	}
	res := e.client.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": "13800138008", "password": "reviewer-pass-1"}, "")
	var tk tokens
	res.JSON(t, &tk)
	if res = e.client.Do(http.MethodGet, "/api/v1/review/reason-codes?scope=first_review", nil, tk.AccessToken); res.Status != http.StatusOK {
		t.Fatalf("reviewer: %d %s", res.Status, res.Body)
	}
}

func TestPasswordLogin(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tk := e.login(t, "13800138009")
	if res := e.client.Do(http.MethodPut, "/api/v1/me/password", map[string]string{"new_password": "short"}, tk.AccessToken); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("weak password: %d %s", res.Status, res.Body)
	}
	if res := e.client.Do(http.MethodPut, "/api/v1/me/password", map[string]string{"new_password": "long-enough-1"}, tk.AccessToken); res.Status != http.StatusNoContent {
		t.Fatalf("set password: %d %s", res.Status, res.Body)
	}
	login := func(pw string) int {
		return e.client.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": "13800138009", "password": pw}, "").Status
	}
	if s := login("wrong-password"); s != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", s)
	}
	if s := login("long-enough-1"); s != http.StatusOK {
		t.Fatalf("right password: %d", s)
	}
}

func TestBadInputIsA4xx(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tests := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"malformed json", `{"phone":`, http.StatusBadRequest, "INVALID_JSON"},
		{"bad phone", `{"phone":"12345","purpose":"login"}`, http.StatusUnprocessableEntity, "VALIDATION_FAILED"},
		{"bad purpose", `{"phone":"13800138010","purpose":"x"}`, http.StatusUnprocessableEntity, "VALIDATION_FAILED"},
		{"huge body", `{"phone":"` + strings.Repeat("1", 2<<20) + `"}`, http.StatusRequestEntityTooLarge, "BODY_TOO_LARGE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, e.client.Base()+"/api/v1/auth/sms-codes", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/json")
			res := e.client.Send(req)
			if res.Status != tc.status || res.ErrorCode() != tc.code {
				t.Fatalf("%d %s", res.Status, res.Body)
			}
		})
	}
}

// TestPasswordLockoutCountsFailuresPerAccountAndIP: successful logins never count; wrong passwords
// lock out password logins of that account from that IP only, with 429 and retry_after.
func TestPasswordLockoutCountsFailuresPerAccountAndIP(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t, "BEIAN_TRUSTED_PROXIES=127.0.0.1")
	const phone, pw = "13800138019", "long-enough-1"
	tk := e.login(t, phone)
	if res := e.client.Do(http.MethodPut, "/api/v1/me/password", map[string]string{"new_password": pw}, tk.AccessToken); res.Status != http.StatusNoContent {
		t.Fatalf("set password: %d %s", res.Status, res.Body)
	}
	login := func(ip, password string) apitest.Response {
		b, _ := json.Marshal(map[string]string{"phone": phone, "password": password})
		req, _ := http.NewRequest(http.MethodPost, e.client.Base()+"/api/v1/auth/login", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", ip)
		return e.client.Send(req)
	}
	for i := range account.PasswordFailures + 5 {
		if res := login("198.51.100.1", pw); res.Status != http.StatusOK {
			t.Fatalf("owner's login %d: %d %s", i, res.Status, res.Body)
		}
	}
	for i := range account.PasswordFailures {
		if res := login("203.0.113.9", "guess-"+strconv.Itoa(i)); res.Status != http.StatusUnauthorized || res.ErrorCode() != "BAD_CREDENTIALS" {
			t.Fatalf("stranger's guess %d: %d %s", i, res.Status, res.Body)
		}
	}
	res := login("203.0.113.9", pw)
	var env struct {
		Error struct {
			RetryAfter int `json:"retry_after"`
		} `json:"error"`
	}
	res.JSON(t, &env)
	if res.Status != http.StatusTooManyRequests || res.ErrorCode() != "RATE_LIMITED" || env.Error.RetryAfter < 1 {
		t.Fatalf("the stranger's IP after %d failures: %d %s", account.PasswordFailures, res.Status, res.Body)
	}
	if res := login("198.51.100.1", pw); res.Status != http.StatusOK {
		t.Fatalf("the owner is locked out by a stranger: %d %s", res.Status, res.Body)
	}
}

// TestBearerSchemeIsCaseInsensitive: "bearer" and "BEARER" name the same scheme.
func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	tk := e.login(t, "13800138020").AccessToken
	for _, scheme := range []string{"Bearer", "bearer", "BEARER"} {
		req, _ := http.NewRequest(http.MethodGet, e.client.Base()+"/api/v1/me", nil)
		req.Header.Set("Authorization", scheme+" "+tk)
		if res := e.client.Send(req); res.Status != http.StatusOK {
			t.Errorf("%s: %d %s", scheme, res.Status, res.Body)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, e.client.Base()+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Basic "+tk)
	if res := e.client.Send(req); res.Status != http.StatusUnauthorized {
		t.Errorf("Basic: %d %s", res.Status, res.Body)
	}
}
