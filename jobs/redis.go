// Package jobs runs beian's background work on asynq: one task type per notification channel and
// deadline, the worker server, the outbox relay, and the development SMS and e-mail senders.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/beian/beian/config"
	"github.com/redis/go-redis/v9"
)

// Redis is the one client the queue, the worker, the rate limits and the development inbox share.
type Redis struct {
	Client   redis.UniversalClient
	open     func() redis.UniversalClient // another client to the same server; nil: share Client
	embedded *miniredis.Miniredis
	stop     chan struct{}
}

// OpenRedis connects to the configured Redis: a URL, Sentinel, or Cluster. With none configured it
// starts an embedded in-process server (development only; config refuses it in production).
func OpenRedis(cfg config.Redis, log *slog.Logger) (*Redis, error) {
	var open func() redis.UniversalClient
	switch {
	case len(cfg.SentinelAddrs) > 0:
		open = func() redis.UniversalClient {
			return redis.NewFailoverClient(&redis.FailoverOptions{MasterName: cfg.SentinelMaster,
				SentinelAddrs: cfg.SentinelAddrs, Password: string(cfg.Password)})
		}
	case len(cfg.ClusterAddrs) > 0:
		open = func() redis.UniversalClient {
			return redis.NewClusterClient(&redis.ClusterOptions{Addrs: cfg.ClusterAddrs, Password: string(cfg.Password)})
		}
	case cfg.URL != "":
		if _, err := redis.ParseURL(string(cfg.URL)); err != nil {
			return nil, errors.New("BEIAN_REDIS_URL: cannot parse")
		}
		open = func() redis.UniversalClient {
			opt, _ := redis.ParseURL(string(cfg.URL))
			if cfg.Password != "" {
				opt.Password = string(cfg.Password)
			}
			return redis.NewClient(opt)
		}
	default:
		return StartEmbeddedRedis(log)
	}
	return &Redis{Client: open(), open: open}, nil
}

// ownClient is a new client to the same server for a user that closes its client itself (the
// asynq scheduler); it is Client itself when no way to open another is known.
func (r *Redis) ownClient() (c redis.UniversalClient, own bool) {
	if r.open == nil {
		return r.Client, false
	}
	return r.open(), true
}

// StartEmbeddedRedis runs an in-process Redis-compatible server (miniredis). Its keys only expire
// when its clock is moved, so a ticker moves it along with the wall clock.
func StartEmbeddedRedis(log *slog.Logger) (*Redis, error) {
	m := miniredis.NewMiniRedis()
	if err := m.Start(); err != nil {
		return nil, fmt.Errorf("start embedded redis: %w", err)
	}
	log.Warn("EMBEDDED REDIS IN USE: queue and rate-limit state live in this process only and vanish on exit; set BEIAN_REDIS_URL for anything but local development")
	addr := m.Addr()
	open := func() redis.UniversalClient { return redis.NewClient(&redis.Options{Addr: addr}) }
	r := &Redis{Client: open(), open: open, embedded: m, stop: make(chan struct{})}
	go r.tick()
	return r, nil
}

func (r *Redis) tick() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	last := time.Now()
	for {
		select {
		case <-r.stop:
			return
		case now := <-t.C:
			r.embedded.FastForward(now.Sub(last))
			last = now
		}
	}
}

// Ping checks Redis answers.
func (r *Redis) Ping(ctx context.Context) error { return r.Client.Ping(ctx).Err() }

// Close closes the client and stops an embedded server.
func (r *Redis) Close() error {
	err := r.Client.Close()
	if r.embedded != nil {
		close(r.stop)
		r.embedded.Close()
	}
	return err
}
