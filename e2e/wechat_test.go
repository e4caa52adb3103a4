package e2e

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeWeChat speaks the documented JSON of WeChat's mini-program server API: jscode2session,
// stable_token and getuserphonenumber, with their error codes. Codes are single use.
type fakeWeChat struct {
	mu          sync.Mutex
	openIDs     map[string]string // wx.login code → openid
	phones      map[string]string // getPhoneNumber code → phone number
	used        map[string]bool
	tokenCalls  int
	badRequests []string
}

func newFakeWeChat(t *testing.T) (*fakeWeChat, *httptest.Server) {
	f := &fakeWeChat{openIDs: map[string]string{}, phones: map[string]string{}, used: map[string]bool{}}
	mux := http.NewServeMux()
	answer := func(w http.ResponseWriter, v any) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(v)
	}
	mux.HandleFunc("GET /sns/jscode2session", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f.mu.Lock()
		defer f.mu.Unlock()
		if q.Get("appid") != "wx-test-app" || q.Get("secret") != "wx-test-secret" || q.Get("grant_type") != "authorization_code" {
			f.badRequests = append(f.badRequests, r.URL.Path)
		}
		code := q.Get("js_code")
		switch {
		case code == "busy":
			answer(w, map[string]any{"errcode": -1, "errmsg": "system error"})
		case code == "limited":
			answer(w, map[string]any{"errcode": 45011, "errmsg": "api minute-quota reach limit"})
		case f.used[code]:
			answer(w, map[string]any{"errcode": 40163, "errmsg": "code been used"})
		case f.openIDs[code] == "":
			answer(w, map[string]any{"errcode": 40029, "errmsg": "invalid code"})
		default:
			f.used[code] = true
			answer(w, map[string]any{"openid": f.openIDs[code], "session_key": "c2Vzc2lvbg=="})
		}
	})
	mux.HandleFunc("POST /cgi-bin/stable_token", func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		_ = json.NewDecoder(r.Body).Decode(&in)
		f.mu.Lock()
		defer f.mu.Unlock()
		if in["appid"] != "wx-test-app" || in["secret"] != "wx-test-secret" || in["grant_type"] != "client_credential" {
			f.badRequests = append(f.badRequests, r.URL.Path)
		}
		f.tokenCalls++
		answer(w, map[string]any{"access_token": "stable-token", "expires_in": 7200})
	})
	mux.HandleFunc("POST /wxa/business/getuserphonenumber", func(w http.ResponseWriter, r *http.Request) {
		var in struct{ Code string }
		_ = json.NewDecoder(r.Body).Decode(&in)
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.URL.Query().Get("access_token") != "stable-token" {
			answer(w, map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
			return
		}
		phone, ok := f.phones[in.Code]
		if !ok || f.used[in.Code] {
			answer(w, map[string]any{"errcode": 40029, "errmsg": "invalid code"})
			return
		}
		f.used[in.Code] = true
		answer(w, map[string]any{"errcode": 0, "errmsg": "ok", "phone_info": map[string]any{
			"phoneNumber": phone, "purePhoneNumber": phone, "countryCode": "86"}})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return f, srv
}

// TestWeChatLogin: an unknown WeChat user is asked for a phone code, is bound to the account of that
// phone and logged in; afterwards the wx.login code alone logs in. WeChat's error codes come back
// as clear 4xx/503 answers; the access token is fetched once and reused.
func TestWeChatLogin(t *testing.T) {
	t.Parallel()
	wx, srv := newFakeWeChat(t)
	for code, openID := range map[string]string{"c1": "o-alice", "c2": "o-alice", "c3": "o-alice", "c4": "o-bob", "c6": "o-carol"} {
		wx.openIDs[code] = openID
	}
	wx.phones["p-alice"], wx.phones["p-bob"] = "13800138330", "13800138331"
	e := newTestEnv(t, "BEIAN_WECHAT_APPID=wx-test-app", "BEIAN_WECHAT_SECRET=wx-test-secret", "BEIAN_WECHAT_API_BASE="+srv.URL)
	// Bob already has an account from an SMS login; WeChat binds to it.
	bobSMS := e.login(t, "13800138331")
	login := func(body map[string]string) (int, string, tokens) {
		res := e.client.Do(http.MethodPost, "/api/v1/auth/wechat", body, "")
		var tk tokens
		if res.Status == http.StatusOK {
			res.JSON(t, &tk)
		}
		return res.Status, res.ErrorCode(), tk
	}
	if s, code, _ := login(map[string]string{"code": "c1"}); s != http.StatusConflict || code != "WECHAT_PHONE_REQUIRED" {
		t.Fatalf("unbound user without a phone code: %d %s", s, code)
	}
	s, code, alice := login(map[string]string{"code": "c2", "phone_code": "p-alice"})
	if s != http.StatusOK || alice.AccessToken == "" || alice.RefreshToken == "" {
		t.Fatalf("binding login: %d %s", s, code)
	}
	var me struct {
		ID    int64  `json:"id"`
		Phone string `json:"phone"`
	}
	e.client.Do(http.MethodGet, "/api/v1/me", nil, alice.AccessToken).JSON(t, &me)
	if me.Phone != "138****8330" {
		t.Fatalf("alice's account: %+v", me)
	}
	if s, code, _ := login(map[string]string{"code": "c3"}); s != http.StatusOK {
		t.Fatalf("bound user: %d %s", s, code)
	}
	if s, code, bob := login(map[string]string{"code": "c4", "phone_code": "p-bob"}); s != http.StatusOK {
		t.Fatalf("bob binding: %d %s", s, code)
	} else {
		var bobMe, smsMe struct{ ID int64 }
		e.client.Do(http.MethodGet, "/api/v1/me", nil, bob.AccessToken).JSON(t, &bobMe)
		e.client.Do(http.MethodGet, "/api/v1/me", nil, bobSMS.AccessToken).JSON(t, &smsMe)
		if bobMe.ID != smsMe.ID {
			t.Fatalf("WeChat bound bob to account %d, his SMS account is %d", bobMe.ID, smsMe.ID)
		}
	}
	tests := []struct {
		name   string
		body   map[string]string
		status int
		code   string
	}{
		{"a used code (40163)", map[string]string{"code": "c1"}, http.StatusUnprocessableEntity, "WECHAT_CODE_USED"},
		{"an unknown code (40029)", map[string]string{"code": "nope"}, http.StatusUnprocessableEntity, "WECHAT_CODE_INVALID"},
		{"a bad phone code", map[string]string{"code": "c6", "phone_code": "nope"}, http.StatusUnprocessableEntity, "WECHAT_CODE_INVALID"},
		{"rate limited (45011)", map[string]string{"code": "limited"}, http.StatusTooManyRequests, "RATE_LIMITED"},
		{"WeChat busy (-1)", map[string]string{"code": "busy"}, http.StatusServiceUnavailable, "WECHAT_UNAVAILABLE"},
		{"no code", map[string]string{}, http.StatusUnprocessableEntity, "VALIDATION_FAILED"},
	}
	for _, tc := range tests {
		if s, code, _ := login(tc.body); s != tc.status || code != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, s, code, tc.status, tc.code)
		}
	}
	wx.mu.Lock()
	defer wx.mu.Unlock()
	if wx.tokenCalls != 1 || len(wx.badRequests) != 0 {
		t.Fatalf("stable_token fetched %d times (want 1); malformed requests: %v", wx.tokenCalls, wx.badRequests)
	}
}

// TestWeChatLoginOff: without BEIAN_WECHAT_APPID the route answers 503, not a 500.
func TestWeChatLoginOff(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	res := e.client.Do(http.MethodPost, "/api/v1/auth/wechat", map[string]string{"code": "c1"}, "")
	if res.Status != http.StatusServiceUnavailable || res.ErrorCode() != "WECHAT_UNAVAILABLE" || strings.Contains(string(res.Body), "configured") {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
}
