package jobs_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/jobs"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// countingSMS records how often each message id reached the "provider".
type countingSMS struct {
	mu    sync.Mutex
	count map[string]int
}

func (c *countingSMS) SendSMS(_ context.Context, m notify.SMSMessage) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.count[m.ID]++
	return nil
}

func (c *countingSMS) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.count))
	for k, v := range c.count {
		out[k] = v
	}
	return out
}

type noEmail struct{}

func (noEmail) SendEmail(context.Context, notify.Email) error { return nil }

// redisProcess is a redis-server of the test's own on a spare loopback port.
type redisProcess struct {
	t    *testing.T
	port string
	cmd  *exec.Cmd
}

func startRedis(t *testing.T, port string) *redisProcess {
	t.Helper()
	if port == "" {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port = strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		l.Close()
	}
	cmd := exec.Command("redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatalf("start redis-server (is it installed?): %v", err)
	}
	p := &redisProcess{t: t, port: port, cmd: cmd}
	t.Cleanup(p.kill)
	c := redis.NewClient(&redis.Options{Addr: p.addr()})
	defer c.Close()
	for i := 0; c.Ping(context.Background()).Err() != nil; i++ {
		if i > 200 {
			t.Fatal("redis-server did not come up")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return p
}

func (p *redisProcess) addr() string { return "127.0.0.1:" + p.port }

func (p *redisProcess) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
}

func TestEveryNotificationIsDeliveredOnceAcrossARedisRestart(t *testing.T) {
	const total, batch = 10_000, 100
	db := dbtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cipher, err := repository.NewCipher(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	outbox := repository.NewOutboxRepo(db.Gorm, cipher)
	sms := &countingSMS{count: map[string]int{}}
	notifications := notify.NewNotifications(outbox, repository.NewUserRepo(db.Gorm), sms, noEmail{}, 30*time.Second, kernel.SystemClock)
	rp := startRedis(t, "")
	rdb := redis.NewClient(&redis.Options{Addr: rp.addr(), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	enqueuer := jobs.NewEnqueuer(asynq.NewClientFromRedisClient(rdb), asynq.NewInspectorFromRedisClient(rdb), notifications, log)
	worker := jobs.NewWorker(&jobs.Redis{Client: rdb}, jobs.Services{Notifications: notifications}, log, jobs.WorkerOptions{Concurrency: 20, TaskCheckInterval: 10 * time.Millisecond})
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	defer worker.Shutdown(context.Background())
	go jobs.NewRelay(notifications, enqueuer, log, 100*time.Millisecond, time.Second).Run(ctx)

	// One message among them can never be sent (its template is gone): it must end failed.
	poisoned, err := outbox.Add(ctx, notify.Notification{Channel: notify.ChannelSMS, Template: "withdrawn_template",
		Recipient: "13800138000", CreatedAt: kernel.SystemClock()})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < total; i += batch {
		if i == 3_000 {
			rp.kill() // mid-burst: queued tasks vanish with it (no persistence)
		}
		if i == 6_000 {
			rp = startRedis(t, rp.port)
		}
		ns := make([]notify.Notification, batch)
		for j := range ns {
			ns[j] = notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode,
				Recipient: "13800138000", Params: map[string]string{"code": fmt.Sprintf("%06d", i+j), "minutes": "5"},
				CreatedAt: kernel.SystemClock()}
		}
		ids, err := outbox.Add(ctx, ns...)
		if err != nil {
			t.Fatalf("write batch %d: %v", i, err)
		}
		refs := make([]notify.NotificationRef, len(ids))
		for j, id := range ids {
			refs[j] = notify.NotificationRef{ID: id, Channel: notify.ChannelSMS}
		}
		_ = enqueuer.Dispatch(ctx, refs...) // fails while Redis is down; the relay catches up
	}

	// Wait while deliveries make progress (slow machines and -race are fine); give up on a stall.
	for last, stalled := 0, time.Now(); len(sms.snapshot()) < total; time.Sleep(100 * time.Millisecond) {
		if n := len(sms.snapshot()); n > last {
			last, stalled = n, time.Now()
		} else if time.Since(stalled) > time.Minute {
			break
		}
	}
	time.Sleep(2 * time.Second) // let any duplicate that was going to happen happen
	got := sms.snapshot()
	if len(got) != total {
		t.Fatalf("%d of %d notifications delivered", len(got), total)
	}
	for id, n := range got {
		if n != 1 {
			t.Errorf("notification %s delivered %d times", id, n)
		}
	}
	failed, err := notifications.List(ctx, string(notify.NotificationFailed), "", 10)
	if err != nil || len(failed.Items) != 1 || failed.Items[0].ID != poisoned[0] {
		t.Fatalf("failed rows %+v (%v), want only the poisoned one, %d", failed.Items, err, poisoned[0])
	}
}
