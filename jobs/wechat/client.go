// Package wechat is a client for the WeChat mini-program server API: code2session for wx.login
// codes, the stable access token, and the phone number behind a getPhoneNumber code. It turns
// WeChat's error codes into the account package's errors.
package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
)

// Config names the mini-program and where WeChat's API is.
type Config struct {
	AppID   string
	Secret  string
	APIBase string // https://api.weixin.qq.com; a test server in tests
}

// Client calls WeChat's API. It satisfies account.WeChat. The access token is cached until shortly
// before it expires; the stable-token endpoint hands every caller the same token, so API replicas
// that each cache one do not invalidate each other's.
type Client struct {
	cfg  Config
	http *http.Client
	now  kernel.Clock

	mu      sync.Mutex
	token   string
	expires time.Time
}

// New returns a client for cfg using hc.
func New(cfg Config, hc *http.Client, now kernel.Clock) *Client {
	cfg.APIBase = strings.TrimRight(cfg.APIBase, "/")
	return &Client{cfg: cfg, http: hc, now: now}
}

// apiError is the error part every WeChat answer may carry.
type apiError struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

// WeChat error codes this client understands.
const (
	errBusy          = -1
	errTokenInvalid  = 40001
	errCodeInvalid   = 40029
	errTokenExpired  = 42001
	errRateLimited   = 45011
	errCodeUsed      = 40163
	errPhoneCodeBad  = 40013 // an invalid appid, also answered for some malformed phone codes
	rateLimitBackoff = 60 * time.Second
)

// err maps a non-zero errcode to the account package's errors.
func (e apiError) err(call string) error {
	switch e.ErrCode {
	case 0:
		return nil
	case errCodeInvalid, errPhoneCodeBad:
		return fmt.Errorf("wechat %s: %d %s: %w", call, e.ErrCode, e.ErrMsg, account.ErrWeChatCodeInvalid)
	case errCodeUsed:
		return fmt.Errorf("wechat %s: %d %s: %w", call, e.ErrCode, e.ErrMsg, account.ErrWeChatCodeUsed)
	case errRateLimited:
		return &kernel.RateLimitError{Limit: "wechat", RetryAfter: rateLimitBackoff}
	case errBusy:
		return fmt.Errorf("wechat %s: busy: %w", call, account.ErrWeChatUnavailable)
	}
	return fmt.Errorf("wechat %s: %d %s: %w", call, e.ErrCode, e.ErrMsg, account.ErrWeChatUnavailable)
}

// Code2Session exchanges a wx.login code for the user's openid (and unionid when the mini-program
// is bound to an open-platform account). The session key is not kept.
func (c *Client) Code2Session(ctx context.Context, code string) (account.WeChatIdentity, error) {
	q := url.Values{"appid": {c.cfg.AppID}, "secret": {c.cfg.Secret}, "js_code": {code}, "grant_type": {"authorization_code"}}
	var out struct {
		apiError
		OpenID  string `json:"openid"`
		UnionID string `json:"unionid"`
	}
	if err := c.call(ctx, http.MethodGet, "/sns/jscode2session?"+q.Encode(), nil, &out); err != nil {
		return account.WeChatIdentity{}, err
	}
	if err := out.err("code2session"); err != nil {
		return account.WeChatIdentity{}, err
	}
	if out.OpenID == "" {
		return account.WeChatIdentity{}, fmt.Errorf("wechat code2session: no openid: %w", account.ErrWeChatUnavailable)
	}
	return account.WeChatIdentity{OpenID: out.OpenID, UnionID: out.UnionID}, nil
}

// PhoneNumber returns the mainland phone number a getPhoneNumber code stands for. An access token
// WeChat calls invalid or expired is renewed once.
func (c *Client) PhoneNumber(ctx context.Context, code string) (string, error) {
	for attempt := 0; ; attempt++ {
		token, err := c.accessToken(ctx, attempt > 0)
		if err != nil {
			return "", err
		}
		var out struct {
			apiError
			PhoneInfo struct {
				PurePhoneNumber string `json:"purePhoneNumber"`
				CountryCode     string `json:"countryCode"`
			} `json:"phone_info"`
		}
		body, _ := json.Marshal(map[string]string{"code": code})
		path := "/wxa/business/getuserphonenumber?access_token=" + url.QueryEscape(token)
		if err := c.call(ctx, http.MethodPost, path, body, &out); err != nil {
			return "", err
		}
		if (out.ErrCode == errTokenInvalid || out.ErrCode == errTokenExpired) && attempt == 0 {
			continue
		}
		if err := out.err("getuserphonenumber"); err != nil {
			return "", err
		}
		if out.PhoneInfo.CountryCode != "86" || out.PhoneInfo.PurePhoneNumber == "" {
			return "", fmt.Errorf("wechat phone number outside the mainland: %w", account.ErrWeChatPhoneUnsupported)
		}
		return out.PhoneInfo.PurePhoneNumber, nil
	}
}

// accessToken returns the cached stable access token, fetching one when there is none, it is about
// to expire, or renew is set (WeChat refused the cached one).
func (c *Client) accessToken(ctx context.Context, renew bool) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !renew && c.token != "" && c.now().Before(c.expires) {
		return c.token, nil
	}
	body, _ := json.Marshal(map[string]any{"grant_type": "client_credential", "appid": c.cfg.AppID,
		"secret": c.cfg.Secret, "force_refresh": false})
	var out struct {
		apiError
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := c.call(ctx, http.MethodPost, "/cgi-bin/stable_token", body, &out); err != nil {
		return "", err
	}
	if err := out.err("stable_token"); err != nil {
		return "", err
	}
	if out.AccessToken == "" {
		return "", fmt.Errorf("wechat stable_token: no token: %w", account.ErrWeChatUnavailable)
	}
	c.token = out.AccessToken
	c.expires = c.now().Add(time.Duration(out.ExpiresIn)*time.Second - 5*time.Minute)
	return c.token, nil
}

// call sends one request and decodes the JSON answer into out. Transport failures and non-200
// answers are ErrWeChatUnavailable.
func (c *Client) call(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.APIBase+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		err = ue.Err // its URL carries the secret, a token or a code
	}
	if err != nil {
		return fmt.Errorf("wechat %s: %w: %w", redact(path), account.ErrWeChatUnavailable, err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("wechat %s: HTTP %d: %w", redact(path), res.StatusCode, account.ErrWeChatUnavailable)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		return fmt.Errorf("wechat %s: decode: %w: %w", redact(path), account.ErrWeChatUnavailable, err)
	}
	return nil
}

// redact keeps the path of a request for error messages, never its query (secret, token, code).
func redact(path string) string {
	p, _, _ := strings.Cut(path, "?")
	return p
}
