package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hibiken/asynq"
	"github.com/skip2/go-qrcode"
)

// bareMux is the hand-written floor of the HTTP rows: net/http's mux, the same JWT check as the
// server (the server's own Tokens), database/sql with the same driver settings, the same row and
// the same decryption of the proposal, written back as JSON.
func (l *load) bareMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	mux.HandleFunc("GET /orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		p, err := l.a.Tokens.ParseAccess(raw)
		if !ok || err != nil {
			http.Error(w, `{"code":"UNAUTHENTICATED"}`, http.StatusUnauthorized)
			return
		}
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			http.Error(w, `{"code":"NOT_FOUND"}`, http.StatusNotFound)
			return
		}
		var o struct {
			ID        int64           `json:"id"`
			AccountID int64           `json:"-"`
			Type      string          `json:"type"`
			Status    string          `json:"status"`
			Province  string          `json:"province"`
			Version   int             `json:"version"`
			Proposal  json.RawMessage `json:"proposal"`
			CreatedAt time.Time       `json:"created_at"`
			UpdatedAt time.Time       `json:"updated_at"`
		}
		var enc []byte
		err = l.sqlDB.QueryRowContext(r.Context(), `SELECT id, account_id, type, status, province, version, proposal_enc,
			created_at, updated_at FROM orders WHERE id = ?`, id).Scan(&o.ID, &o.AccountID, &o.Type, &o.Status, &o.Province,
			&o.Version, &enc, &o.CreatedAt, &o.UpdatedAt)
		if err != nil || o.AccountID != p.UserID {
			http.Error(w, `{"code":"NOT_FOUND"}`, http.StatusNotFound)
			return
		}
		if o.Proposal, err = l.cipher.Open("orders.proposal", enc); err != nil {
			http.Error(w, `{"code":"INTERNAL"}`, http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_ = json.NewEncoder(w).Encode(o)
	})
	return mux
}

// bareScanTokens inserts n unused tokens of one verification, for the bare conditional UPDATE.
func (l *load) bareScanTokens(ctx context.Context, verificationID int64, n int) ([]string, error) {
	hashes := make([]string, n)
	now := time.Now().UTC()
	for start := 0; start < n; start += 500 {
		end := min(n, start+500)
		var q strings.Builder
		q.WriteString("INSERT INTO verification_tokens (verification_id, token_hash, token_enc, expires_at, created_at) VALUES ")
		args := make([]any, 0, 4*(end-start))
		for i := start; i < end; i++ {
			b := make([]byte, 32)
			_, _ = rand.Read(b)
			hashes[i] = hex.EncodeToString(b)
			if i > start {
				q.WriteString(",")
			}
			q.WriteString("(?, ?, x'00', ?, ?)")
			args = append(args, verificationID, hashes[i], now.Add(time.Hour), now)
		}
		if _, err := l.sqlDB.ExecContext(ctx, q.String(), args...); err != nil {
			return nil, err
		}
	}
	return hashes, nil
}

// bareScan is the single-use statement a scan cannot do without.
func (l *load) bareScan(ctx context.Context, hash string) error {
	now := time.Now().UTC()
	res, err := l.sqlDB.ExecContext(ctx, `UPDATE verification_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL
		AND revoked_at IS NULL AND expires_at > ?`, now, hash, now)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("bare scan changed %d rows: %v", n, err)
	}
	return nil
}

// bareQR is qrcode.Encode of a URL like the server's, at the default size.
func bareQR(url string) error {
	_, err := qrcode.Encode(url, qrcode.Medium, 256)
	return err
}

// bareUpload decodes the photo and encodes it again, as a re-encoding upload path would.
func bareUpload(photo []byte) error {
	img, err := jpeg.Decode(bytes.NewReader(photo))
	if err != nil {
		return err
	}
	var out bytes.Buffer
	return jpeg.Encode(&out, img, &jpeg.Options{Quality: 92})
}

// bareAsynq enqueues n no-op tasks one by one and processes them with an asynq server of the
// worker's concurrency on a queue of its own, returning tasks per second end to end.
func (l *load) bareAsynq(ctx context.Context, n, concurrency int) (float64, error) {
	const queue = "load_bare"
	var done atomic.Int64
	srv := asynq.NewServerFromRedisClient(l.a.Redis.Client, asynq.Config{Concurrency: concurrency,
		Queues: map[string]int{queue: 1}, LogLevel: asynq.ErrorLevel})
	mux := asynq.NewServeMux()
	mux.HandleFunc("load:noop", func(context.Context, *asynq.Task) error { done.Add(1); return nil })
	start := time.Now()
	if err := srv.Start(mux); err != nil {
		return 0, err
	}
	defer srv.Shutdown()
	for range n {
		if _, err := l.a.Queue.EnqueueContext(ctx, asynq.NewTask("load:noop", []byte(`{"outbox_id":1}`)), asynq.Queue(queue)); err != nil {
			return 0, err
		}
	}
	deadline := time.Now().Add(10 * time.Minute)
	for done.Load() < int64(n) {
		if time.Now().After(deadline) {
			return 0, errors.New("bare asynq: tasks not processed within 10 minutes")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
