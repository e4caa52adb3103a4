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
