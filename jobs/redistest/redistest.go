// Package redistest gives each test its own Redis: a database index of the real server named by
// BEIAN_TEST_REDIS_URL (leased through a key in DB 0, flushed before and after use — asynq has no
// key prefix, so tests cannot share one), the whole Redis Cluster named by BEIAN_TEST_REDIS_CLUSTER
// (a cluster has only database 0, so tests take turns on it), or an in-process miniredis when neither
// variable is set. A server that is named but unreachable fails the test; it never falls back silently.
package redistest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// EnvRedis names the variable that selects a real Redis for tests, e.g. redis://127.0.0.1:6379/0.
const EnvRedis = "BEIAN_TEST_REDIS_URL"

// EnvCluster names the variable that selects a real Redis Cluster for tests: its nodes' addresses,
// comma-separated (scripts/redis-cluster.sh prints them). It takes precedence over EnvRedis.
const EnvCluster = "BEIAN_TEST_REDIS_CLUSTER"

// Server is a test's Redis.
type Server struct {
	URL          string               // redis://host:port/db for BEIAN_REDIS_URL; empty on a cluster
	ClusterAddrs []string             // the cluster's nodes for BEIAN_REDIS_CLUSTER_ADDRS; nil otherwise
	Mini         *miniredis.Miniredis // nil on a real server
}

// Env is the configuration that points beian at this Redis.
func (s Server) Env() []string {
	if len(s.ClusterAddrs) > 0 {
		return []string{"BEIAN_REDIS_CLUSTER_ADDRS=" + strings.Join(s.ClusterAddrs, ",")}
	}
	return []string{"BEIAN_REDIS_URL=" + s.URL}
}

// Client opens a client on this Redis, closed at cleanup.
func (s Server) Client(t testing.TB) redis.UniversalClient {
	t.Helper()
	var c redis.UniversalClient
	if len(s.ClusterAddrs) > 0 {
		c = redis.NewClusterClient(&redis.ClusterOptions{Addrs: s.ClusterAddrs})
	} else {
		opt, err := redis.ParseURL(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		c = redis.NewClient(opt)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// New leases a Redis for t and releases it at cleanup.
func New(t testing.TB) Server {
	t.Helper()
	if addrs := os.Getenv(EnvCluster); addrs != "" {
		return leaseCluster(t, strings.Split(addrs, ","))
	}
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

// clusterLease is the key a test holds while it has the cluster.
const clusterLease = "beian:test:cluster-lease"

// leaseCluster waits until no other test (of any package) holds the cluster, takes it, and empties
// every master before and after the test.
func leaseCluster(t testing.TB, addrs []string) Server {
	t.Helper()
	ctx := context.Background()
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	if err := c.Ping(ctx).Err(); err != nil {
		c.Close()
		t.Fatalf("%s: Redis Cluster unreachable: %v", EnvCluster, err)
	}
	holder := fmt.Sprintf("%d:%s", os.Getpid(), t.Name())
	deadline := time.Now().Add(5 * time.Minute)
	for {
		ok, err := c.SetNX(ctx, clusterLease, holder, 10*time.Minute).Result()
		if err != nil {
			c.Close()
			t.Fatalf("%s: lease the cluster: %v", EnvCluster, err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			c.Close()
			t.Fatalf("%s: the cluster was busy for 5 minutes", EnvCluster)
		}
		time.Sleep(50 * time.Millisecond)
	}
	flush := func() error {
		return c.ForEachMaster(ctx, func(ctx context.Context, m *redis.Client) error {
			// Everything but the lease, which lives on one of the masters.
			var cursor uint64
			for {
				keys, next, err := m.Scan(ctx, cursor, "*", 500).Result()
				if err != nil {
					return err
				}
				for _, k := range keys {
					if k != clusterLease {
						if err := m.Del(ctx, k).Err(); err != nil {
							return err
						}
					}
				}
				if cursor = next; cursor == 0 {
					return nil
				}
			}
		})
	}
	if err := flush(); err != nil {
		t.Fatalf("empty the cluster: %v", err)
	}
	t.Cleanup(func() {
		_ = flush()
		c.Del(ctx, clusterLease)
		c.Close()
	})
	return Server{ClusterAddrs: addrs}
}
