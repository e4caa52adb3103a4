package repository

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/redis/go-redis/v9"
)

// RedisIdempotency keeps the records behind Idempotency-Key in Redis, one key per caller scope and
// client key; the records are opaque bytes the api layer encodes. Redis rather than a table: the
// records expire on their own after a day, claiming a key for an in-flight request is one SET NX
// (atomic across every API replica, and on a Redis Cluster since it touches one key), and the
// records are a cache of answers already given, so losing them loses the deduplication of retries,
// never a filing. Records are sealed with the data key: a stored answer may carry a QR token or
// other values the database itself keeps only hashed or encrypted.
type RedisIdempotency struct {
	rdb    redis.UniversalClient
	cipher *Cipher
}

// NewRedisIdempotency returns a store on rdb that seals records with cipher.
func NewRedisIdempotency(rdb redis.UniversalClient, cipher *Cipher) *RedisIdempotency {
	return &RedisIdempotency{rdb: rdb, cipher: cipher}
}

const idempotencyColumn = "idempotency_record"

func idempotencyKey(key string) string { return "beian:idem:" + key }

// Claim stores pending under key for at most hold unless key is already there. It returns true
// when this call claimed the key, and otherwise the value already stored.
func (s *RedisIdempotency) Claim(ctx context.Context, key string, pending []byte, hold time.Duration) ([]byte, bool, error) {
	for range 3 {
		ok, err := s.rdb.SetNX(ctx, idempotencyKey(key), s.cipher.Seal(idempotencyColumn, pending), hold).Result()
		if err != nil {
			return nil, false, fmt.Errorf("idempotency claim: %w: %w", kernel.ErrUnavailable, err)
		}
		if ok {
			return nil, true, nil
		}
		raw, err := s.rdb.Get(ctx, idempotencyKey(key)).Bytes()
		if errors.Is(err, redis.Nil) {
			continue // the holder released it between the two calls; claim again
		}
		if err != nil {
			return nil, false, fmt.Errorf("idempotency read: %w: %w", kernel.ErrUnavailable, err)
		}
		plain, err := s.cipher.Open(idempotencyColumn, raw)
		if err != nil {
			return nil, false, fmt.Errorf("idempotency record: %w", err)
		}
		return plain, false, nil
	}
	return nil, false, fmt.Errorf("idempotency claim kept vanishing: %w", kernel.ErrUnavailable)
}

// Finish replaces the claim on key with the final record, kept for keep.
func (s *RedisIdempotency) Finish(ctx context.Context, key string, record []byte, keep time.Duration) error {
	if err := s.rdb.Set(ctx, idempotencyKey(key), s.cipher.Seal(idempotencyColumn, record), keep).Err(); err != nil {
		return fmt.Errorf("idempotency finish: %w: %w", kernel.ErrUnavailable, err)
	}
	return nil
}

// Release drops the claim on key so that a retry runs the request again.
func (s *RedisIdempotency) Release(ctx context.Context, key string) error {
	if err := s.rdb.Del(ctx, idempotencyKey(key)).Err(); err != nil {
		return fmt.Errorf("idempotency release: %w: %w", kernel.ErrUnavailable, err)
	}
	return nil
}
