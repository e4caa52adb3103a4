package repository

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian/beian/jobs/redistest"
	"github.com/beian/beian/service/kernel"
	"github.com/redis/go-redis/v9"
)

// TestLimiterHoldsUnderRace races many checks of one key from two limiters on two clients (two
// replicas), their calls pipelined together: exactly the limit's count is allowed. Keys of their
// own, checked twice each at once, are allowed exactly once each.
func TestLimiterHoldsUnderRace(t *testing.T) {
	srv := redistest.New(t)
	limiters := []*RedisLimiter{NewRedisLimiter(srv.Client(t)), NewRedisLimiter(srv.Client(t))}
	ctx := context.Background()
	shared := kernel.Limit{Count: 37, Per: time.Hour}
	own := kernel.Limit{Count: 1, Per: time.Hour}
	const callers, keys = 200, 100
	var sharedAllowed atomic.Int32
	ownAllowed := make([]atomic.Int32, keys)
	var wg sync.WaitGroup
	for i := range callers {
		l := limiters[i%2]
		wg.Go(func() {
			_, ok, err := l.Allow(ctx, "race:shared", shared)
			if err != nil {
				t.Error(err)
			}
			if ok {
				sharedAllowed.Add(1)
			}
		})
		wg.Go(func() {
			_, ok, err := l.Allow(ctx, fmt.Sprintf("race:own:%d", i%keys), own)
			if err != nil {
				t.Error(err)
			}
			if ok {
				ownAllowed[i%keys].Add(1)
			}
		})
	}
	wg.Wait()
	if got := sharedAllowed.Load(); got != int32(shared.Count) {
		t.Errorf("shared key allowed %d times, want %d", got, shared.Count)
	}
	for k := range ownAllowed {
		if got := ownAllowed[k].Load(); got != 1 {
			t.Errorf("key %d allowed %d times, want 1", k, got)
		}
	}
	wait, ok, err := limiters[0].Allow(ctx, "race:shared", shared)
	if err != nil || ok || wait <= 0 {
		t.Errorf("after the limit: wait %v, allowed %v, err %v; want a wait and no", wait, ok, err)
	}
}

// TestLimiterLoadsItsScriptAgain checks calls pipelined together after Redis forgot the script
// (a restart, SCRIPT FLUSH): each call's NOSCRIPT makes it send the script itself, and every call
// is answered.
func TestLimiterLoadsItsScriptAgain(t *testing.T) {
	rdb := redistest.New(t).Client(t)
	l := NewRedisLimiter(rdb)
	ctx := context.Background()
	limit := kernel.Limit{Count: 1000, Per: time.Hour}
	if _, _, err := l.Allow(ctx, "flush", limit); err != nil {
		t.Fatal(err)
	}
	if err := rdb.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if _, ok, err := l.Allow(ctx, "flush", limit); err != nil || !ok {
				t.Errorf("allowed %v, err %v", ok, err)
			}
		})
	}
	wg.Wait()
}

// TestLimiterUnavailable: with Redis gone every pipelined call fails as unavailable, each with
// its own error, and none is allowed.
func TestLimiterUnavailable(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: time.Second})
	t.Cleanup(func() { rdb.Close() })
	l := NewRedisLimiter(rdb)
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, ok, err := l.Allow(context.Background(), "down", kernel.Limit{Count: 5, Per: time.Minute})
			if ok || !errors.Is(err, kernel.ErrUnavailable) {
				t.Errorf("allowed %v, err %v; want unavailable", ok, err)
			}
		})
	}
	wg.Wait()
}
