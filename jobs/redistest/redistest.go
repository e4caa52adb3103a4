// Package redistest gives each test its own Redis: a database index of the real server named by
// BEIAN_TEST_REDIS_URL (leased through a key in DB 0, flushed before and after use — asynq has no
// key prefix, so tests cannot share one), or an in-process miniredis when the variable is unset.
// A URL that is set but unreachable fails the test; it never falls back silently.
package redistest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// EnvRedis names the variable that selects a real Redis for tests, e.g. redis://127.0.0.1:6379/0.
const EnvRedis = "BEIAN_TEST_REDIS_URL"

// Server is a test's Redis.
type Server struct {
	URL  string               // redis://host:port/db for BEIAN_REDIS_URL
	Mini *miniredis.Miniredis // nil on a real server
}

// New leases a Redis for t and releases it at cleanup.
func New(t testing.TB) Server {
	t.Helper()
	raw := os.Getenv(EnvRedis)
	if raw == "" {
		m := miniredis.RunT(t)
		return Server{URL: "redis://" + m.Addr() + "/0", Mini: m}
	}
	opt, err := redis.ParseURL(raw)
	if err != nil {
		t.Fatalf("%s: %v", EnvRedis, err)
	}
	ctx := context.Background()
	lock := redis.NewClient(&redis.Options{Addr: opt.Addr, Password: opt.Password, DB: 0})
	t.Cleanup(func() { lock.Close() })
	if err := lock.Ping(ctx).Err(); err != nil {
		t.Fatalf("%s: Redis unreachable: %v", EnvRedis, err)
	}
	dbCount := 16
	if v, err := lock.ConfigGet(ctx, "databases").Result(); err == nil {
		fmt.Sscan(v["databases"], &dbCount)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		for db := 1; db < dbCount; db++ {
			key := fmt.Sprintf("beian:test:lease:%d", db)
			ok, err := lock.SetNX(ctx, key, os.Getpid(), 10*time.Minute).Result()
			if err != nil {
				t.Fatalf("%s: lease a database: %v", EnvRedis, err)
			}
			if ok {
				return lease(t, opt, db, lock, key)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: no free Redis database for 2 minutes", EnvRedis)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func lease(t testing.TB, opt *redis.Options, db int, lock *redis.Client, key string) Server {
	ctx := context.Background()
	c := redis.NewClient(&redis.Options{Addr: opt.Addr, Password: opt.Password, DB: db})
	if err := c.FlushDB(ctx).Err(); err != nil {
		t.Fatalf("flush redis db %d: %v", db, err)
	}
	t.Cleanup(func() {
		c.FlushDB(ctx)
		c.Close()
		lock.Del(ctx, key)
	})
	u := fmt.Sprintf("redis://%s/%d", opt.Addr, db)
	if opt.Password != "" {
		u = fmt.Sprintf("redis://:%s@%s/%d", opt.Password, opt.Addr, db)
	}
	return Server{URL: u}
}
