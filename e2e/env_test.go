package e2e

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/api/apitest"
	"github.com/beian/beian/app"
	"github.com/beian/beian/config"
	"github.com/beian/beian/jobs"
	"github.com/beian/beian/jobs/redistest"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/clocktest"
	"github.com/beian/beian/service/kernel"
)

// testEnv is the whole service on a test database and Redis: API, worker and relay.
type testEnv struct {
	app    *app.App
	client *apitest.Client
	clock  *clocktest.Clock
}

type testLogWriter struct{ t testing.TB }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func newTestEnv(t *testing.T, extraEnv ...string) *testEnv {
	t.Helper()
	return newTestEnvWith(t, app.Options{}, extraEnv...)
}

// newTestEnvWith is newTestEnv with app options (e.g. a faked verification status); its clock is
// always the test clock.
func newTestEnvWith(t *testing.T, opts app.Options, extraEnv ...string) *testEnv {
	t.Helper()
	db := dbtest.New(t)
	rd := redistest.New(t)
	// The listener comes first so that the QR codes can point at this server's /v/ pages.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	environ := append(append([]string{"BEIAN_DATABASE_URL=" + db.URL, "BEIAN_FILES_DIR=" + t.TempDir(),
		"BEIAN_PUBLIC_URL=http://" + l.Addr().String()}, rd.Env()...), extraEnv...)
	cfg, err := config.Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	clock := clocktest.New(kernel.SystemClock())
	ctx, cancel := context.WithCancel(context.Background())
	opts.Now = clock.Now
	a, err := app.Open(ctx, cfg, log, opts)
	if err != nil {
		t.Fatal(err)
	}
	worker := jobs.NewWorker(a.Redis, a.WorkerServices(), log, jobs.WorkerOptions{TaskCheckInterval: 10 * time.Millisecond})
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	h, err := a.Router()
	if err != nil {
		t.Fatal(err)
	}
	srv := &httptest.Server{Listener: l, Config: &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}}
	srv.Start()
	t.Cleanup(func() {
		cancel()
		srv.Close()
		worker.Shutdown(context.Background())
		a.Close()
	})
	return &testEnv{app: a, client: apitest.New(t, srv.URL), clock: clock}
}

// requestCode asks for a login code and reads it from the development inbox.
func (e *testEnv) requestCode(t *testing.T, phone string) string {
	t.Helper()
	res := e.client.Do(http.MethodPost, "/api/v1/auth/sms-codes", map[string]string{"phone": phone, "purpose": "login"}, "")
	if res.Status != http.StatusAccepted {
		t.Fatalf("sms-codes: %d %s", res.Status, res.Body)
	}
	return e.inboxCode(t, phone)
}

// inboxCode waits (bounded) for the newest SMS to phone and returns its code.
func (e *testEnv) inboxCode(t *testing.T, phone string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var inbox struct {
			Messages []struct {
				Code string `json:"code"`
			} `json:"messages"`
		}
		e.client.Do(http.MethodGet, "/api/v1/dev/sms?phone="+phone, nil, "").JSON(t, &inbox)
		for _, m := range inbox.Messages { // newest first; order notices carry no code
			if m.Code != "" {
				return m.Code
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no SMS reached %s", phone)
	return ""
}

type tokens struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// login logs phone in with a fresh SMS code.
func (e *testEnv) login(t *testing.T, phone string) tokens {
	t.Helper()
	code := e.requestCode(t, phone)
	res := e.client.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": phone, "code": code}, "")
	if res.Status != http.StatusOK {
		t.Fatalf("login: %d %s", res.Status, res.Body)
	}
	var tk tokens
	res.JSON(t, &tk)
	return tk
}
