package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/jpeg"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/verification"
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
	mux.HandleFunc("POST /verification-scans", l.bareScanOverHTTP)
	mux.HandleFunc("POST /materials", l.bareUploadOverHTTP)
	return mux
}

// bareScanTokens inserts n unused tokens of one verification, for the bare scans, and returns
// them with their hashes (what the database keeps).
func (l *load) bareScanTokens(ctx context.Context, verificationID int64, n int) (tokens, hashes []string, err error) {
	tokens, hashes = make([]string, n), make([]string, n)
	now := time.Now().UTC()
	for start := 0; start < n; start += 500 {
		end := min(n, start+500)
		var q strings.Builder
		q.WriteString("INSERT INTO verification_tokens (verification_id, token_hash, token_enc, expires_at, created_at) VALUES ")
		args := make([]any, 0, 4*(end-start))
		for i := start; i < end; i++ {
			if tokens[i], err = kernel.RandomToken(); err != nil {
				return nil, nil, err
			}
			hashes[i] = kernel.HashToken(tokens[i])
			if i > start {
				q.WriteString(",")
			}
			q.WriteString("(?, ?, x'00', ?, ?)")
			args = append(args, verificationID, hashes[i], now.Add(time.Hour), now)
		}
		if _, err := l.sqlDB.ExecContext(ctx, q.String(), args...); err != nil {
			return nil, nil, err
		}
	}
	return tokens, hashes, nil
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

// bareScanOverHTTP is the floor of a scan served over HTTP: the request's JSON, the same
// per-address limit in Redis as the server's scan route (the server's own limiter, from the
// X-Forwarded-For address the load sends), the token's hash, the single-use statement of
// bareScan (returning the token's id), and a verification session signed by the server's own
// Tokens, written back as JSON. It does less than the server's scan: no verification row changes
// state and no order is read.
func (l *load) bareScanOverHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Token == "" {
		http.Error(w, `{"code":"VALIDATION_FAILED"}`, http.StatusBadRequest)
		return
	}
	_, ok, err := l.a.Limiter.Allow(r.Context(), "ip:bare-scan:"+r.Header.Get("X-Forwarded-For"),
		kernel.Limit{Count: 30, Per: time.Minute})
	if err != nil || !ok {
		http.Error(w, `{"code":"RATE_LIMITED"}`, http.StatusTooManyRequests)
		return
	}
	// One statement both uses the token and returns its id (LAST_INSERT_ID(expr) sets the id the
	// OK packet carries), which the session names.
	now := time.Now().UTC()
	res, err := l.sqlDB.ExecContext(r.Context(), `UPDATE verification_tokens SET used_at = ?, id = LAST_INSERT_ID(id)
		WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?`, now, kernel.HashToken(body.Token), now)
	var id, n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err == nil {
		id, err = res.LastInsertId()
	}
	if err != nil || n != 1 {
		http.Error(w, `{"code":"QR_USED"}`, http.StatusConflict)
		return
	}
	session, exp, err := l.a.Tokens.IssueVerificationSession(verification.VerificationSession{TokenID: id}, now)
	if err != nil {
		http.Error(w, `{"code":"INTERNAL"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"session_token": session, "session_expires_in": int(exp.Sub(now).Seconds())})
}

// bareUploadDir is where bareUploadOverHTTP stores files; the load removes it when it ends.
var bareUploadDir = filepath.Join(os.TempDir(), "beian-load-bare-uploads")

// bareUploadOverHTTP is the floor of an upload served over HTTP: the same JWT check as the server,
// the multipart body read into memory, its SHA-256, and the file stored durably by the server's
// own local store (blob.Local: written, fsynced, renamed into place, the directory fsynced). It
// does less than the server's upload: no check of the image, no encryption, no row.
func (l *load) bareUploadOverHTTP(w http.ResponseWriter, r *http.Request) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if _, err := l.a.Tokens.ParseAccess(raw); !ok || err != nil {
		http.Error(w, `{"code":"UNAUTHENTICATED"}`, http.StatusUnauthorized)
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		http.Error(w, `{"code":"VALIDATION_FAILED"}`, http.StatusBadRequest)
		return
	}
	var file []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			http.Error(w, `{"code":"VALIDATION_FAILED"}`, http.StatusBadRequest)
			return
		}
		if part.FormName() == "file" {
			if file, err = io.ReadAll(part); err != nil {
				http.Error(w, `{"code":"VALIDATION_FAILED"}`, http.StatusBadRequest)
				return
			}
		}
	}
	sum := sha256.Sum256(file)
	name := hex.EncodeToString(sum[:8]) + "-" + strconv.FormatInt(bareUploads.Add(1), 10)
	if err := l.bareFiles.Put(r.Context(), name, file); err != nil {
		http.Error(w, `{"code":"INTERNAL"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{"sha256": hex.EncodeToString(sum[:]), "size": len(file)})
}

var bareUploads atomic.Int64

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
