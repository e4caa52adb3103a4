package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/config"
	"github.com/beian/beian/jobs/redistest"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/service/notify"
)

// baseEnv is a development configuration on a fresh SQLite file.
func baseEnv(t *testing.T) []string {
	dir := t.TempDir()
	return []string{"BEIAN_DATABASE_URL=sqlite://" + filepath.Join(dir, "beian.db"), "BEIAN_FILES_DIR=" + filepath.Join(dir, "files")}
}

// unreachableRedis is a loopback address nothing listens on.
func unreachableRedis(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "redis://" + addr + "/0"
}

func TestMigrateAndAdminNeedNoRedis(t *testing.T) {
	env := baseEnv(t)
	redisSettings := map[string][]string{
		"none configured": nil,
		"unreachable":     {"BEIAN_REDIS_URL=" + unreachableRedis(t)},
	}
	for name, extra := range redisSettings {
		t.Run(name, func(t *testing.T) {
			environ := append(append([]string{}, env...), extra...)
			commands := [][]string{
				{"migrate"},
				{"admin", "create-user", "--phone", "13800138000", "--role", "admin"},
			}
			for _, args := range commands {
				var out bytes.Buffer
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				err := run(ctx, args, environ, &out)
				cancel()
				if err != nil {
					t.Fatalf("beian %s: %v\n%s", strings.Join(args, " "), err, out.String())
				}
				if strings.Contains(out.String(), `"level":"ERROR"`) || strings.Contains(out.String(), "EMBEDDED REDIS") {
					t.Errorf("beian %s touched Redis or logged an error:\n%s", strings.Join(args, " "), out.String())
				}
			}
			id := failedNotification(t, environ)
			outputs := []struct {
				args []string
				want string
			}{
				{[]string{"admin", "outbox", "list", "--state", "failed"}, "138****8000\tfailed\t1\t"},
				{[]string{"admin", "outbox", "requeue", strconv.FormatInt(id, 10)}, "is pending again"},
				{[]string{"admin", "outbox", "list", "--state", "pending"}, "138****8000\tpending\t0\t"},
			}
			for _, o := range outputs {
				var out bytes.Buffer
				if err := run(context.Background(), o.args, environ, &out); err != nil || !strings.Contains(out.String(), o.want) {
					t.Fatalf("beian %s: %v\n%s", strings.Join(o.args, " "), err, out.String())
				}
			}
			if err := run(context.Background(), []string{"admin", "outbox", "requeue", strconv.FormatInt(id, 10)}, environ, io.Discard); err == nil {
				t.Fatal("a row that is not failed was re-queued")
			}
			if err := run(context.Background(), []string{"admin", "outbox", "requeue", "x"}, environ, io.Discard); err == nil {
				t.Fatal("a bad id was accepted")
			}
		})
	}
}

// failedNotification writes an outbox row and marks it failed after one try, as a worker would.
func failedNotification(t *testing.T, environ []string) int64 {
	t.Helper()
	cfg, err := config.Load(environ)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := cfg.DataKeyBytes()
	cipher, err := repository.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	db, _, err := repository.Open(string(cfg.DatabaseURL))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	}()
	outbox := repository.NewOutboxRepo(db, cipher)
	ctx := context.Background()
	now := time.Now()
	ids, err := outbox.Add(ctx, notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode,
		Recipient: "13800138000", Params: map[string]string{"code": "123456", "minutes": "5"}, CreatedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := outbox.ClaimNotification(ctx, ids[0], now, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := outbox.FinishNotification(ctx, ids[0], notify.NotificationFailed, now, "provider refused"); err != nil {
		t.Fatal(err)
	}
	return ids[0]
}

func TestShutdownLogsNoError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	environ := append(append(baseEnv(t), "BEIAN_HTTP_ADDR="+addr), redistest.New(t).Env()...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, environ, &lockedWriter{w: &out}) }()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v", err)
		}
	}
	time.Sleep(200 * time.Millisecond) // let the worker, scheduler and relay get going
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no exit within 30s of the signal")
	}
	if strings.Contains(out.String(), `"level":"ERROR"`) {
		t.Fatalf("shutdown logged an error:\n%s", out.String())
	}
}

// lockedWriter serialises writes from the server's goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
