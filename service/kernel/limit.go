package kernel

import (
	"context"
	"time"
)

// Limiter is a shared (multi-replica) rate limiter. Allow consumes one unit of key under limit and
// says how long to wait when refused.
type Limiter interface {
	Allow(ctx context.Context, key string, limit Limit) (retryAfter time.Duration, ok bool, err error)
}

// Limit is Count events per Per.
type Limit struct {
	Count int
	Per   time.Duration
}
