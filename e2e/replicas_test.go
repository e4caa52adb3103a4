package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/beian/beian/api/apitest"
	"github.com/beian/beian/app"
	"github.com/beian/beian/config"
	"github.com/beian/beian/jobs/redistest"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/clocktest"
	"github.com/beian/beian/service/face/facetest"
	"github.com/beian/beian/service/kernel"
)

// envS3 names an S3-compatible store for tests (scripts/s3-server.sh prints one); unset, the replicas
// share a directory instead, as they would share a mounted volume.
const envS3 = "BEIAN_TEST_S3_URL"

// TestTwoAPIReplicasAndAWorker runs beian as three processes on one database, one Redis and one blob
// store, as an operator runs it behind a load balancer: API replicas A and B (`serve`) and a worker.
// An applicant's order is created and its materials uploaded through A; B reads the order and the
// material bytes; the two people verify with their QR codes and face photos, each request going to
// the other replica than the one before; a reviewer approves through B what was submitted through A.
// Every SMS is sent by the worker process.
func TestTwoAPIReplicasAndAWorker(t *testing.T) {
	t.Parallel()
	db := dbtest.New(t)
	rd := redistest.New(t)
	environ := append([]string{"BEIAN_DATABASE_URL=" + db.URL, "BEIAN_MIGRATE_ON_START=false"}, rd.Env()...)
	if s3 := os.Getenv(envS3); s3 != "" {
		environ = append(environ, "BEIAN_BLOB_URL="+withPrefix(t, s3))
	} else {
		environ = append(environ, "BEIAN_FILES_DIR="+t.TempDir())
	}
	a := startProcess(t, app.RoleServe, environ)
	b := startProcess(t, app.RoleServe, environ)
	startProcess(t, app.RoleWorker, environ)

	// The test's own handle on the same configuration plays the operator: it creates the reviewer
	// account (as `beian admin create-user` does) and knows the QR base URL.
	cfg, err := config.Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(testLogWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	handle, err := app.Open(context.Background(), cfg, quiet, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { handle.Close() })
	onA := &filingEnv{testEnv: &testEnv{app: handle, client: a, clock: clocktest.New(kernel.SystemClock())}}
	onB := &filingEnv{testEnv: &testEnv{app: handle, client: b, clock: onA.clock}}

	token := onA.login(t, "13800138500").AccessToken
	o := onA.createOrder(t, token, map[string]any{"type": "new_filing"})
	onA.patch(t, token, o.ID, gdEnterprisePatch())
	var materialID int64
	for _, kind := range []string{"subject_certificate", "principal_id", "service_principal_id:1", "commitment_letter"} {
		res := onA.upload(t, token, o.ID, kind, colourScan(t))
		if res.Status != http.StatusCreated {
			t.Fatalf("upload %s through A: %d %s", kind, res.Status, res.Body)
		}
		var m struct {
			ID int64 `json:"id"`
		}
		res.JSON(t, &m)
		materialID = m.ID
	}
	if res := b.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", o.ID), nil, token); res.Status != http.StatusOK {
		t.Fatalf("the order through B: %d %s", res.Status, res.Body)
	}
	if res := b.Do(http.MethodGet, fmt.Sprintf("/api/v1/materials/%d/content", materialID), nil, token); res.Status != http.StatusOK || len(res.Body) == 0 {
		t.Fatalf("material bytes uploaded through A, read through B: %d (%d bytes)", res.Status, len(res.Body))
	}

	for _, person := range []map[string]any{{"role": "subject_principal"}, {"role": "service_principal", "service_id": 1}} {
		res := b.Do(http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/verifications", o.ID), person, token)
		var q struct {
			QRURL string `json:"qr_url"`
		}
		res.JSON(t, &q)
		raw, ok := strings.CutPrefix(q.QRURL, cfg.VerifyPageURL())
		if res.Status != http.StatusCreated || !ok {
			t.Fatalf("QR through B for %v: %d %s", person, res.Status, res.Body)
		}
		res = a.Do(http.MethodPost, "/api/v1/verification-scans", map[string]string{"token": raw}, "")
		var s scanSummary
		res.JSON(t, &s)
		if res.Status != http.StatusOK {
			t.Fatalf("scan through A: %d %s", res.Status, res.Body)
		}
		if res := b.Send(onB.faceUpload(t, s.SessionToken, facetest.Portrait(t, 1080))); res.Status != http.StatusOK {
			t.Fatalf("face photo through B: %d %s", res.Status, res.Body)
		}
		if res := a.Do(http.MethodPost, "/api/v1/verification-sessions/confirm", nil, s.SessionToken); res.Status != http.StatusOK {
			t.Fatalf("confirm through A (photo stored by B): %d %s", res.Status, res.Body)
		}
	}
	if r := onB.requirements(t, token, o.ID); !r.Complete {
		t.Fatalf("requirements through B after both verifications: %v", r.keys())
	}
	onA.submit(t, token, o.ID)

	const reviewer = "13900139500"
	if _, err := app.EnsureStaffUser(context.Background(), cfg, quiet, reviewer, account.RoleReviewer, reviewerPassword); err != nil {
		t.Fatal(err)
	}
	res := a.Do(http.MethodPost, "/api/v1/auth/login", map[string]string{"phone": reviewer, "password": reviewerPassword}, "")
	var tk tokens
	res.JSON(t, &tk)
	if res.Status != http.StatusOK {
		t.Fatalf("reviewer login through A: %d %s", res.Status, res.Body)
	}
	onA.mustReview(t, tk.AccessToken, o.ID, "claim", nil)
	onB.mustReview(t, tk.AccessToken, o.ID, "decision", map[string]any{"outcome": "approve"})
	onA.mustReview(t, tk.AccessToken, o.ID, "bureau-submission", nil)
	for person, phone := range map[string]string{"subject_principal": subjectPrincipalPhone, "service_principal": servicePrincipalPhone} {
		if s, code := onB.verifySMS(t, token, o.ID, person, onA.inboxCode(t, phone)); s != http.StatusOK {
			t.Fatalf("SMS check of the %s through B (code read through A): %d %s", person, s, code)
		}
	}
	onB.mustReview(t, tk.AccessToken, o.ID, "bureau-result", map[string]any{"approved": true})
	var got orderBody
	a.Do(http.MethodGet, fmt.Sprintf("/api/v1/orders/%d", o.ID), nil, token).JSON(t, &got)
	if got.Status != "approved" {
		t.Fatalf("order after the bureau's approval through B, read through A: %s", got.Status)
	}
}

// withPrefix gives each run its own key prefix in the test bucket.
func withPrefix(t *testing.T, s3 string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	u, q, _ := strings.Cut(s3, "?")
	u = strings.TrimSuffix(u, "/") + "/replicas-" + hex.EncodeToString(b)
	if q != "" {
		u += "?" + q
	}
	return u
}

// startProcess runs the test binary as one beian process with environ on a free loopback port and
// waits until it answers /readyz. It is stopped with SIGTERM at cleanup, and its log is kept for a
// failing test.
func startProcess(t *testing.T, role app.Role, environ []string) *apitest.Client {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), append([]string{envProcess + "=" + string(role), "BEIAN_HTTP_ADDR=" + addr}, environ...)...)
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var exitErr error
	go func() { exitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
			if err := exitErr; err != nil {
				t.Errorf("%s process exited with %v:\n%s", role, err, out.String())
			}
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			t.Errorf("%s process did not stop within 20s of SIGTERM:\n%s", role, out.String())
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-done:
			t.Fatalf("%s process exited at start: %v\n%s", role, exitErr, out.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s process not ready within 30s:\n%s", role, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return apitest.New(t, base)
}

// syncBuffer is a strings.Builder a child process writes while the test may read it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
