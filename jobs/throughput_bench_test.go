package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian/beian/jobs"
	"github.com/beian/beian/jobs/redistest"
	"github.com/beian/beian/repository"
	"github.com/beian/beian/repository/dbtest"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/notify"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// The two benchmarks below are one comparison: run them together, on real servers, e.g.
//
//	BEIAN_TEST_MYSQL_DSN=mysql://root@127.0.0.1:3306/ BEIAN_TEST_REDIS_URL=redis://127.0.0.1:6379/0 \
//	  go test -run '^$' -bench 'Notifications100k|BareAsynq100k' -benchtime 1x ./jobs/
//
// and read the ratio of their ns/op (one op = 100,000 messages). The 20k pair is the same comparison
// at a fifth of the size, for shorter runs.

type countingDevSMS struct {
	inner notify.SMSSender
	n     atomic.Int64
}

func (c *countingDevSMS) SendSMS(ctx context.Context, m notify.SMSMessage) error {
	err := c.inner.SendSMS(ctx, m)
	c.n.Add(1)
	return err
}

func benchRedis(b *testing.B) *redis.Client {
	srv := redistest.New(b)
	opt, err := redis.ParseURL(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	b.Cleanup(func() { rdb.Close() })
	return rdb
}

// BenchmarkNotifications100k: outbox rows written in batches of 500 → dispatched to asynq → the
// worker claims each row, renders it, sends it through the development log sender, records it.
func BenchmarkNotifications100k(b *testing.B) { benchNotifications(b, 100_000) }

// BenchmarkNotifications20k is BenchmarkNotifications100k with 20,000 messages.
func BenchmarkNotifications20k(b *testing.B) { benchNotifications(b, 20_000) }

func benchNotifications(b *testing.B, messages int64) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for b.Loop() {
		b.StopTimer()
		db := dbtest.New(b)
		rdb := benchRedis(b)
		cipher, _ := repository.NewCipher(make([]byte, 32))
		outbox := repository.NewOutboxRepo(db.Gorm, cipher)
		sms := &countingDevSMS{inner: jobs.NewDevSMS(rdb, log, kernel.SystemClock)}
		n := notify.NewNotifications(outbox, repository.NewUserRepo(db.Gorm), sms, noEmail{}, time.Minute, kernel.SystemClock)
		enqueuer := jobs.NewEnqueuer(asynq.NewClientFromRedisClient(rdb), asynq.NewInspectorFromRedisClient(rdb), n, log)
		worker := jobs.NewWorker(&jobs.Redis{Client: rdb}, jobs.Services{Notifications: n}, log, jobs.WorkerOptions{Concurrency: 20, TaskCheckInterval: 5 * time.Millisecond})
		b.StartTimer()
		if err := worker.Start(); err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		for i := int64(0); i < messages; i += 500 {
			ns := make([]notify.Notification, 500)
			for j := range ns {
				ns[j] = notify.Notification{Channel: notify.ChannelSMS, Template: notify.TemplateLoginCode,
					Recipient: "13800138000", Params: map[string]string{"code": "123456", "minutes": "5"}, CreatedAt: kernel.SystemClock()}
			}
			ids, err := outbox.Add(ctx, ns...)
			if err != nil {
				b.Fatal(err)
			}
			refs := make([]notify.NotificationRef, len(ids))
			for j, id := range ids {
				refs[j] = notify.NotificationRef{ID: id, Channel: notify.ChannelSMS}
			}
			if err := enqueuer.Dispatch(ctx, refs...); err != nil {
				b.Fatal(err)
			}
		}
		for sms.n.Load() < messages {
			time.Sleep(5 * time.Millisecond)
		}
		worker.Shutdown(ctx)
	}
}

type noopHandler struct{ n *atomic.Int64 }

func (h noopHandler) ProcessTask(context.Context, *asynq.Task) error {
	h.n.Add(1)
	return nil
}

// BenchmarkBareAsynq100k: the floor — 100,000 no-op tasks enqueued one by one and processed by an
// asynq server with the same concurrency.
func BenchmarkBareAsynq100k(b *testing.B) { benchBareAsynq(b, 100_000) }

// BenchmarkBareAsynq20k is BenchmarkBareAsynq100k with 20,000 tasks.
func BenchmarkBareAsynq20k(b *testing.B) { benchBareAsynq(b, 20_000) }

func benchBareAsynq(b *testing.B, messages int64) {
	for b.Loop() {
		b.StopTimer()
		rdb := benchRedis(b)
		var done atomic.Int64
		srv := asynq.NewServerFromRedisClient(rdb, asynq.Config{Concurrency: 20, TaskCheckInterval: 5 * time.Millisecond,
			LogLevel: asynq.ErrorLevel})
		mux := asynq.NewServeMux()
		mux.Handle("bench:noop", noopHandler{&done})
		client := asynq.NewClientFromRedisClient(rdb)
		b.StartTimer()
		if err := srv.Start(mux); err != nil {
			b.Fatal(err)
		}
		for range messages {
			if _, err := client.Enqueue(asynq.NewTask("bench:noop", []byte(`{"outbox_id":1}`))); err != nil {
				b.Fatal(err)
			}
		}
		for done.Load() < messages {
			time.Sleep(5 * time.Millisecond)
		}
		srv.Shutdown()
	}
}
