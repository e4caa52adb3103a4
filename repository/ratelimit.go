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

// NewRedisLimiter returns a limiter on rdb. Concurrent checks of one process go to Redis together,
// in one pipeline (see pipelinedScripts).
func NewRedisLimiter(rdb redis.UniversalClient) *RedisLimiter {
	return &RedisLimiter{l: redis_rate.NewLimiter(newPipelinedScripts(rdb))}
}

// Every rate-limited request runs redis_rate's GCRA script once, and under load one round trip of
// its own made that a sixth of a scan's CPU in the server (a write and a read system call each)
// and most of Redis's. pipelinedScripts runs concurrent script calls as one pipeline instead, with
// the same combiner as the database batches: a call arriving alone costs one round trip as before;
// calls arriving while a pipeline is out go in the next one. Each script still runs on its own in
// Redis (atomically, with its own result), so limits hold exactly as before, across replicas too.

// maxScriptPipeline bounds the script calls of one pipeline.
const maxScriptPipeline = 128

// scriptPipelineTimeout bounds one pipeline's round trip.
const scriptPipelineTimeout = 5 * time.Second

// pipelinedScripts is the client redis_rate runs its script on (its rediser): EvalSha calls are
// pipelined, the rest goes straight to the client.
type pipelinedScripts struct {
	redis.UniversalClient
	calls *combiner[evalShaCall, *redis.Cmd]
}

type evalShaCall struct {
	sha  string
	keys []string
	args []any
}

func newPipelinedScripts(rdb redis.UniversalClient) *pipelinedScripts {
	p := &pipelinedScripts{UniversalClient: rdb}
	p.calls = newCombiner(maxScriptPipeline, 1, scriptPipelineTimeout, p.pipeline)
	return p
}

// EvalSha runs the script in the next pipeline and returns its command, done. A script Redis does
// not know (NOSCRIPT) fails like an unpipelined EvalSha, and redis_rate then sends it with Eval.
func (p *pipelinedScripts) EvalSha(ctx context.Context, sha string, keys []string, args ...any) *redis.Cmd {
	cmd, err := p.calls.do(ctx, evalShaCall{sha: sha, keys: keys, args: args})
	if err != nil {
		cmd = redis.NewCmd(ctx)
		cmd.SetErr(err)
	}
	return cmd
}

// pipeline sends calls in one pipeline; each call gets its own command, with its own result or
// error.
func (p *pipelinedScripts) pipeline(ctx context.Context, calls []evalShaCall) ([]outcome[*redis.Cmd], error) {
	pipe := p.Pipeline()
	outs := make([]outcome[*redis.Cmd], len(calls))
	for i, c := range calls {
		outs[i].val = pipe.EvalSha(ctx, c.sha, c.keys, c.args...)
	}
	_, _ = pipe.Exec(ctx) // every command carries its own error
	return outs, nil
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
