package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/api"
	"github.com/beian/beian/app"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/blob"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/imaging/imagingtest"
)

// load holds what every row shares: the server under test, the logged-in account and its editable
// order, and the bare baselines' database handle and HTTP server.
type load struct {
	s        settings
	a        *app.App
	client   *http.Client
	token    string
	userID   int64
	orderID  int64
	sqlDB    *sql.DB
	bareURL  string
	bareProc *exec.Cmd
	cipher   *repository.Cipher
	// bareFiles keeps the bare server's uploads.
	bareFiles *blob.Local
	photo     []byte
}

func newLoad(ctx context.Context, s settings, a *app.App) (*load, error) {
	l := &load{s: s, a: a, client: newClient(s.conc)}
	var err error
	p, err := l.loginOnce()
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	l.userID = p.UserID
	if l.orderID, err = l.draftOrder(); err != nil {
		return nil, fmt.Errorf("order: %w", err)
	}
	if err := l.openBare(); err != nil {
		return nil, err
	}
	if err := l.startBareServer(); err != nil {
		return nil, err
	}
	l.photo = colourPhoto(1920, 1080)
	return l, ctx.Err()
}

func (l *load) close() {
	if l.bareProc != nil {
		_ = l.bareProc.Process.Kill()
		_ = l.bareProc.Wait()
	}
	_ = l.sqlDB.Close()
	_ = os.RemoveAll(bareUploadDir)
}

// startBareServer runs the bare HTTP baseline in a child process of its own, as the server under
// test runs in its own, so that neither shares a Go runtime with the load clients.
func (l *load) startBareServer() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	l.bareURL = "http://" + addr
	l.bareProc = exec.Command(os.Args[0], "-bare-serve", addr)
	l.bareProc.Stdout, l.bareProc.Stderr = os.Stderr, os.Stderr
	detach(l.bareProc)
	if err := l.bareProc.Start(); err != nil {
		return err
	}
	for range 100 {
		if res, err := http.Get(l.bareURL + "/healthz"); err == nil {
			res.Body.Close()
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the bare server did not start")
}

// serveBare is the child process of startBareServer: the bare baseline server on addr.
func serveBare(ctx context.Context, a *app.App, addr string) error {
	l := &load{a: a}
	if err := l.openBare(); err != nil {
		return err
	}
	var err error
	if l.bareFiles, err = blob.NewLocal(bareUploadDir); err != nil {
		return err
	}
	// The API's own server settings (timeouts), so that the baselines differ from the server in
	// the handler only.
	srv := app.NewHTTPServer(addr, l.bareMux())
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	return srv.ListenAndServe()
}

// openBare opens what the baselines use: database/sql with the server's driver settings and the
// server's cipher.
func (l *load) openBare() error {
	key, err := l.a.Config.DataKeyBytes()
	if err != nil {
		return err
	}
	if l.cipher, err = repository.NewCipher(key); err != nil {
		return err
	}
	bareGorm, _, err := repository.Open(string(l.a.Config.DatabaseURL))
	if err != nil {
		return err
	}
	l.sqlDB, err = bareGorm.DB()
	return err
}

func (l *load) request(method, path string, body any) (*http.Request, error) {
	var r *bytes.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(b)
	} else {
		r = bytes.NewReader(nil)
	}
	req, err := http.NewRequest(method, l.s.base+path, r)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+l.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// loginOnce logs in, or reuses the access token kept in -token-file while it is valid (a login
// code can be asked for once a minute only). A kept token is used only if the server still takes
// it: after the database was made afresh, its account is gone (or another one) and the token is
// refused, so the script logs in again.
func (l *load) loginOnce() (api.Principal, error) {
	if l.s.tokenFile != "" {
		if b, err := os.ReadFile(l.s.tokenFile); err == nil {
			if exp, err := l.a.Tokens.AccessExpiry(string(b)); err == nil && time.Until(exp) > 5*time.Minute {
				l.token = string(b)
				if p, err := l.a.Tokens.ParseAccess(l.token); err == nil && l.tokenTaken() {
					return p, nil
				}
			}
		}
	}
	var err error
	if l.token, err = login(l.client, l.s.base, l.s.phone); err != nil {
		return api.Principal{}, err
	}
	if l.s.tokenFile != "" {
		if err := os.WriteFile(l.s.tokenFile, []byte(l.token), 0o600); err != nil {
			return api.Principal{}, err
		}
	}
	p, err := l.a.Tokens.ParseAccess(l.token)
	if err != nil {
		return api.Principal{}, fmt.Errorf("the server's access token does not verify with this script's settings "+
			"(run both with the same BEIAN_* variables, BEIAN_JWT_SECRET above all): %w", err)
	}
	return p, nil
}

// tokenTaken reports whether the server answers GET /me with l.token.
func (l *load) tokenTaken() bool {
	req, err := l.request(http.MethodGet, "/api/v1/me", nil)
	if err != nil {
		return false
	}
	_, err = expect(l.client, req, http.StatusOK)
	return err == nil
}

// draftOrder returns the account's in-flight draft, creating and filling one when there is none.
func (l *load) draftOrder() (int64, error) {
	if o, err := l.a.Orders.List(context.Background(), l.userID, "", 1); err == nil && len(o.Orders) == 1 &&
		o.Orders[0].Status == filing.StatusDraft && o.Orders[0].Proposal.Subject.Principal.Name != "" {
		return o.Orders[0].ID, nil
	}
	req, err := l.request(http.MethodPost, "/api/v1/orders", map[string]any{"type": "new_filing"})
	if err != nil {
		return 0, err
	}
	body, err := expect(l.client, req, http.StatusCreated)
	if err != nil {
		return 0, err
	}
	var o struct{ ID int64 }
	if err := json.Unmarshal(body, &o); err != nil {
		return 0, err
	}
	if req, err = l.request(http.MethodPatch, fmt.Sprintf("/api/v1/orders/%d", o.ID), enterprisePatch()); err != nil {
		return 0, err
	}
	_, err = expect(l.client, req, http.StatusOK)
	return o.ID, err
}

// cloneOrders copies the draft n times as orders of the same account that are not in flight (so
// the one-in-flight rule does not apply) and returns their ids. Each clone can carry its own
// verification.
func (l *load) cloneOrders(ctx context.Context, n int) ([]int64, error) {
	ids := make([]int64, n)
	_, err := each(8, n, func(i int) error {
		res, err := l.sqlDB.ExecContext(ctx, `INSERT INTO orders (account_id, type, status, province, subject_id, in_flight,
			proposal_enc, version, created_at, updated_at) SELECT account_id, type, status, province, subject_id, NULL,
			proposal_enc, version, created_at, updated_at FROM orders WHERE id = ?`, l.orderID)
		if err == nil {
			ids[i], err = res.LastInsertId()
		}
		return err
	})
	return ids, err
}

// issueQRs gives each order a verification of its subject principal and returns the
// verifications' ids and their QR URLs. One at a time: concurrent issues on MariaDB can deadlock
// on the foreign-key and gap locks of their inserts.
func (l *load) issueQRs(ctx context.Context, orders []int64) ([]int64, []string, error) {
	ids, urls := make([]int64, len(orders)), make([]string, len(orders))
	_, err := each(1, len(orders), func(i int) error {
		q, err := l.a.Verifications.RequestQR(ctx, l.userID, orders[i], filing.PersonRef{Role: filing.RoleSubjectPrincipal})
		ids[i], urls[i] = q.VerificationID, q.URL
		return err
	})
	return ids, urls, err
}

// colourPhoto is a w×h colour JPEG (quality 90) with smooth gradients and some texture, so that
// its entropy-coded data is of a realistic size (the photo of the upload benchmarks).
func colourPhoto(w, h int) []byte {
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, imagingtest.GradientImage(w, h), &jpeg.Options{Quality: 90})
	return buf.Bytes()
}

func login(client *http.Client, base, phone string) (string, error) {
	post := func(path, body string) (*http.Response, error) {
		return client.Post(base+path, "application/json", strings.NewReader(body))
	}
	var asked time.Time
	for {
		asked = time.Now().Add(-time.Second)
		res, err := post("/api/v1/auth/sms-codes", fmt.Sprintf(`{"phone":%q,"purpose":"login"}`, phone))
		if err != nil {
			return "", err
		}
		res.Body.Close()
		if res.StatusCode != http.StatusTooManyRequests {
			break
		}
		wait, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		fmt.Fprintf(os.Stderr, "load: a login code was sent recently; waiting %d s for the next\n", wait)
		time.Sleep(time.Duration(wait+1) * time.Second)
	}
	var code string
	for i := 0; i < 600 && code == ""; i++ {
		time.Sleep(50 * time.Millisecond)
		r, err := client.Get(base + "/api/v1/dev/sms?phone=" + phone)
		if err != nil {
			return "", err
		}
		var inbox struct {
			Messages []struct {
				Code   string
				SentAt time.Time `json:"sent_at"`
			} `json:"messages"`
		}
		err = json.NewDecoder(r.Body).Decode(&inbox)
		r.Body.Close()
		if err == nil && len(inbox.Messages) > 0 && inbox.Messages[0].SentAt.After(asked) {
			code = inbox.Messages[0].Code
		}
	}
	if code == "" {
		return "", errors.New("no code in the development inbox (is BEIAN_ENV=development with the log SMS provider?)")
	}
	res, err := post("/api/v1/auth/login", fmt.Sprintf(`{"phone":%q,"code":%q}`, phone, code))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var tk struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tk); err != nil || tk.AccessToken == "" {
		return "", fmt.Errorf("login answered %d", res.StatusCode)
	}
	return tk.AccessToken, nil
}

// enterprisePatch is a complete Guangdong enterprise with one website, as an applicant fills it in.
func enterprisePatch() map[string]any {
	person := func(name, id, mobile, email string) map[string]any {
		return map[string]any{"name": name, "doc_type": 2, "doc_number": id, "doc_long_term": true,
			"doc_valid_from": "2015-01-01", "mobile": mobile, "emergency_phone": "020-12345678", "email": email}
	}
	return map[string]any{
		"subject": map[string]any{
			"nature": 4, "cert_type": 1, "cert_number": "91440101MA5CJQ4N59", "name": "广州市示例科技有限公司", "province": "44",
			"cert_address": "广州市天河区示例路1号", "contact_address": "广州市天河区示例路1号5楼",
			"principal_is_legal_rep": true,
			"principal":              person("张三丰", "440106198001011230", "13800138100", "zhang@example.com"),
		},
		"services": []any{map[string]any{
			"kind": "website", "name": "示例科技官网", "domains": []string{"example.cn"}, "home_url": "https://www.example.cn",
			"ips": []string{"203.0.113.10"}, "access_mode": 16, "content_types": 128, "languages": []int{1},
			"principal": person("李四", "110105199005152462", "13800138101", "li@example.com"),
		}},
	}
}
