package repository

import (
	"context"
	"fmt"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// RedisLimiter is a GCRA rate limiter in Redis (go-redis/redis_rate), shared by every API replica;
// it satisfies service.Limiter.
type RedisLimiter struct{ l *redis_rate.Limiter }

// NewRedisLimiter returns a limiter on rdb.
func NewRedisLimiter(rdb redis.UniversalClient) *RedisLimiter {
	return &RedisLimiter{l: redis_rate.NewLimiter(rdb)}
}

// Allow takes one unit of key; limit.Count units may be spent at once and they refill over limit.Per.
func (r *RedisLimiter) Allow(ctx context.Context, key string, limit kernel.Limit) (time.Duration, bool, error) {
	res, err := r.l.Allow(ctx, "beian:rl:"+key, redis_rate.Limit{Rate: limit.Count, Burst: limit.Count, Period: limit.Per})
	if err != nil {
		return 0, false, fmt.Errorf("rate limit %s: %w: %w", key, kernel.ErrUnavailable, err)
	}
	return res.RetryAfter, res.Allowed > 0, nil
}

// Peek reports whether one unit of key is available, without taking it, and if not how long until
// it is: for limits that count failures only (take a unit after a failure, peek before trying).
func (r *RedisLimiter) Peek(ctx context.Context, key string, limit kernel.Limit) (time.Duration, bool, error) {
	res, err := r.l.AllowN(ctx, "beian:rl:"+key, redis_rate.Limit{Rate: limit.Count, Burst: limit.Count, Period: limit.Per}, 0)
	if err != nil {
		return 0, false, fmt.Errorf("rate limit %s: %w: %w", key, kernel.ErrUnavailable, err)
	}
	if res.Remaining >= 1 {
		return 0, true, nil
	}
	// With no unit left the bucket is full up to the last unit; one unit frees one interval
	// after the bucket would be empty, minus the Count-1 intervals the other units take.
	interval := limit.Per / time.Duration(limit.Count)
	return max(res.ResetAfter-time.Duration(limit.Count-1)*interval, time.Second), false, nil
}
