package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
)

// IdempotencyStore keeps one record per caller scope and Idempotency-Key. Claim stores pending
// under key unless something is there already (then it returns that and false); Finish replaces
// the claim with the final record; Release drops the claim.
type IdempotencyStore interface {
	Claim(ctx context.Context, key string, pending []byte, hold time.Duration) ([]byte, bool, error)
	Finish(ctx context.Context, key string, record []byte, keep time.Duration) error
	Release(ctx context.Context, key string) error
}

// Idempotency timings: a finished answer is kept a day; a claim is held at most while one request
// can run (a crashed replica frees the key after that).
const (
	idempotencyKeep = 24 * time.Hour
	idempotencyHold = 2 * time.Minute
)

// Codes of the Idempotency-Key contract.
const (
	codeIdempotencyReused     = "IDEMPOTENCY_KEY_REUSED"
	codeIdempotencyInProgress = "IDEMPOTENCY_IN_PROGRESS"
)

// replayedHeaders are the response headers a replay repeats besides the body.
var replayedHeaders = []string{"Content-Type", "Location", "ETag"}

// idempotencyRecord is the stored form of one key: the hash of the first request and, once it
// finished, its answer.
type idempotencyRecord struct {
	Hash    string            `json:"hash"`
	Done    bool              `json:"done"`
	Status  int               `json:"status,omitempty"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    []byte            `json:"body,omitempty"`
}

// idempotent makes a POST with an Idempotency-Key header safe to retry. The first request with a
// key runs and its answer is stored for a day under the caller (the account, the verification
// session, or else the client IP) and the key; a retry with the same method, path and body gets
// that answer again, byte for byte, marked Idempotency-Replayed: true. The same key with another
// body is 422 IDEMPOTENCY_KEY_REUSED; a retry while the first is still running is 409
// IDEMPOTENCY_IN_PROGRESS. Answers that a retry may change are not stored: 5xx, 401, 408, 429.
// A multipart body is compared by its parts, so a client that picks a new boundary on each retry
// still matches. maxBody bounds the body read for hashing.
func idempotent(store IdempotencyStore, maxBody int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		key := c.GetHeader("Idempotency-Key")
		if store == nil || c.Request.Method != http.MethodPost || key == "" {
			c.Next()
			return
		}
		if len(key) > 255 || strings.ContainsFunc(key, func(r rune) bool { return r < 0x20 || r > 0x7e }) {
			writeError(c, kernel.FieldErrors{"Idempotency-Key": kernel.CodeInvalid})
			return
		}
		body, err := io.ReadAll(io.LimitReader(c.Request.Body, maxBody+1))
		if err != nil || int64(len(body)) > maxBody {
			abort(c, http.StatusRequestEntityTooLarge, errorBody{Code: codeBodyTooLarge, Message: "请求内容过大"})
			return
		}
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
		hash := requestHash(c.Request.Method, c.Request.URL.Path, c.ContentType(), c.GetHeader("Content-Type"), body)
		scoped := idempotencyScope(c) + ":" + key
		if !claimIdempotencyKey(c, store, scoped, hash) {
			return
		}
		rec := &recordingWriter{ResponseWriter: c.Writer}
		c.Writer = rec
		defer finishIdempotencyKey(c, store, scoped, hash, rec)
		c.Next()
	}
}

// claimIdempotencyKey claims scoped for this request, or answers the request from what is stored
// and returns false.
func claimIdempotencyKey(c *gin.Context, store IdempotencyStore, scoped, hash string) bool {
	pending, _ := json.Marshal(idempotencyRecord{Hash: hash})
	raw, claimed, err := store.Claim(c.Request.Context(), scoped, pending, idempotencyHold)
	if err != nil {
		writeError(c, err)
		return false
	}
	if claimed {
		return true
	}
	var prev idempotencyRecord
	if err := json.Unmarshal(raw, &prev); err != nil {
		writeError(c, fmt.Errorf("idempotency record: %w", err))
		return false
	}
	switch {
	case prev.Hash != hash:
		abort(c, http.StatusUnprocessableEntity, errorBody{Code: codeIdempotencyReused,
			Message: "该幂等键已用于内容不同的请求，请为新请求使用新的幂等键"})
	case !prev.Done:
		c.Header("Retry-After", "1")
		abort(c, http.StatusConflict, errorBody{Code: codeIdempotencyInProgress, Message: "相同的请求正在处理中，请稍后重试"})
	default:
		for k, v := range prev.Headers {
			c.Header(k, v)
		}
		c.Header("Idempotency-Replayed", "true")
		c.Writer.WriteHeader(prev.Status)
		_, _ = c.Writer.Write(prev.Body)
		c.Abort()
	}
	return false
}

// finishIdempotencyKey stores the answer the handler gave, or frees the key when the answer is one
// a retry may change. It runs even if the client went away.
func finishIdempotencyKey(c *gin.Context, store IdempotencyStore, scoped, hash string, rec *recordingWriter) {
	ctx := context.WithoutCancel(c.Request.Context())
	status := rec.Status()
	if !storableStatus(status) {
		if err := store.Release(ctx, scoped); err != nil {
			loggerFrom(c).Warn("idempotency key not released; retries wait for the claim to lapse", "err", err)
		}
		return
	}
	out := idempotencyRecord{Hash: hash, Done: true, Status: status, Headers: map[string]string{}, Body: rec.body.Bytes()}
	for _, h := range replayedHeaders {
		if v := rec.Header().Get(h); v != "" {
			out.Headers[h] = v
		}
	}
	b, err := json.Marshal(out)
	if err == nil {
		err = store.Finish(ctx, scoped, b, idempotencyKeep)
	}
	if err != nil {
		loggerFrom(c).Error("idempotency answer not stored; a retry will run the request again", "err", err)
		_ = store.Release(ctx, scoped)
	}
}

func storableStatus(s int) bool {
	switch {
	case s >= 500, s == http.StatusUnauthorized, s == http.StatusRequestTimeout, s == http.StatusTooManyRequests:
		return false
	}
	return s >= 200
}

// idempotencyScope names whose keys these are: the account, the verification session, or the IP.
func idempotencyScope(c *gin.Context) string {
	if p := principal(c); p.UserID > 0 {
		return "u" + strconv.FormatInt(p.UserID, 10)
	}
	if s := verifySession(c); s.VerificationID > 0 {
		return "v" + strconv.FormatInt(s.VerificationID, 10)
	}
	return "ip" + c.ClientIP()
}

// requestHash fingerprints a request by method, path and body; a multipart body by its parts'
// names, file names and contents, so the boundary does not count.
func requestHash(method, path, mediaType, contentType string, body []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", method, path)
	if strings.HasPrefix(mediaType, "multipart/") {
		if sum, err := multipartHash(contentType, body); err == nil {
			h.Write(sum)
			return hex.EncodeToString(h.Sum(nil))
		}
	}
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func multipartHash(contentType string, body []byte) ([]byte, error) {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil || params["boundary"] == "" {
		return nil, errors.New("no boundary")
	}
	h := sha256.New()
	r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			return h.Sum(nil), nil
		}
		if err != nil {
			return nil, err
		}
		part := sha256.New()
		if _, err := io.Copy(part, p); err != nil {
			return nil, err
		}
		fmt.Fprintf(h, "%q %q %x\n", p.FormName(), p.FileName(), part.Sum(nil))
	}
}

// recordingWriter passes a response through and keeps a copy of its body.
type recordingWriter struct {
	gin.ResponseWriter
	body bytes.Buffer
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

func (w *recordingWriter) WriteString(s string) (int, error) {
	w.body.WriteString(s)
	return w.ResponseWriter.WriteString(s)
}
