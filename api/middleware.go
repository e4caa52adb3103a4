package api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// Context keys set by the middleware.
const (
	ctxRequestID = "request_id"
	ctxLogger    = "logger"
	ctxPrincipal = "principal"
)

// withRequestID takes a sane X-Request-Id from the client or makes one, and echoes it. Made ids
// are a random per-process prefix and a counter: unique without reading randomness per request.
func withRequestID() gin.HandlerFunc {
	ids := newRequestIDs()
	return func(c *gin.Context) {
		id := c.GetHeader("X-Request-Id")
		if !saneRequestID(id) {
			id = ids.next()
		}
		c.Set(ctxRequestID, id)
		c.Header("X-Request-Id", id)
		c.Next()
	}
}

// saneRequestID reports whether a client's X-Request-Id may be echoed and logged: 1 to 64
// printable ASCII characters without spaces.
func saneRequestID(id string) bool {
	return len(id) > 0 && len(id) <= 64 && !strings.ContainsFunc(id, func(r rune) bool { return r < 0x21 || r > 0x7e })
}

// requestIDs makes 24-hex-digit request ids: 12 random digits chosen at start, then a counter.
type requestIDs struct {
	prefix [6]byte
	n      atomic.Uint64
}

func newRequestIDs() *requestIDs {
	g := &requestIDs{}
	_, _ = rand.Read(g.prefix[:])
	return g
}

func (g *requestIDs) next() string {
	var raw [12]byte
	copy(raw[:6], g.prefix[:])
	n := g.n.Add(1)
	for i := 11; i >= 6; i-- {
		raw[i] = byte(n)
		n >>= 8
	}
	return hex.EncodeToString(raw[:])
}

// bearerToken is the credential of an "Authorization: Bearer …" header; the scheme name is
// case-insensitive (RFC 9110, section 11.1), so "bearer" and "BEARER" work too.
func bearerToken(c *gin.Context) (string, bool) {
	scheme, raw, ok := strings.Cut(strings.TrimSpace(c.GetHeader("Authorization")), " ")
	raw = strings.TrimSpace(raw)
	return raw, ok && strings.EqualFold(scheme, "Bearer") && raw != ""
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// probeRoutes are polled by orchestrators every few seconds; their successes are not logged.
var probeRoutes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// withLogging gives the request a logger carrying its id and logs one line when it ends (successful
// probes excepted). Query strings are not logged: they may carry phone numbers. The per-request
// work is kept small: the request's logger is only built when a handler asks for it, the line only
// formatted when its level is enabled, and the duration histogram's series are looked up once.
func withLogging(log *slog.Logger, requests *prometheus.HistogramVec) gin.HandlerFunc {
	series := &requestSeries{vec: requests}
	return func(c *gin.Context) {
		start := time.Now()
		c.Set(ctxLogger, log)
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		status := c.Writer.Status()
		elapsed := time.Since(start)
		series.observer(c.Request.Method, route, status).Observe(elapsed.Seconds())
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		ctx := c.Request.Context()
		if (probeRoutes[route] && status < 400) || !log.Enabled(ctx, level) {
			return
		}
		log.LogAttrs(ctx, level, "request", slog.String("request_id", requestID(c)), slog.String("method", c.Request.Method),
			slog.String("route", route), slog.Int("status", status), slog.Int64("duration_ms", elapsed.Milliseconds()),
			slog.String("ip", c.ClientIP()))
	}
}

// requestSeries caches the histogram's observer per method, route and status, sparing the label
// hashing of HistogramVec.WithLabelValues on every request. Routes come from the route table, so
// the set stays small.
type requestSeries struct {
	vec  *prometheus.HistogramVec
	seen sync.Map // seriesKey → prometheus.Observer
}

type seriesKey struct {
	method, route string
	status        int
}

func (s *requestSeries) observer(method, route string, status int) prometheus.Observer {
	k := seriesKey{method, route, status}
	if o, ok := s.seen.Load(k); ok {
		return o.(prometheus.Observer)
	}
	o := s.vec.WithLabelValues(method, route, strconv.Itoa(status))
	s.seen.Store(k, o)
	return o
}

// withRecovery turns a panic into a logged 500 with the standard envelope.
func withRecovery() gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if p := recover(); p != nil {
				if err, ok := p.(error); ok && errors.Is(err, http.ErrAbortHandler) {
					panic(p)
				}
				writeError(c, fmt.Errorf("panic: %v", p))
			}
		}()
		c.Next()
	}
}

// withBodyLimit caps request bodies; multipart upload routes set their own larger cap.
func withBodyLimit(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		if c.Request.Body != nil && !strings.HasPrefix(c.ContentType(), "multipart/") {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		}
		c.Next()
	}
}

// authenticate requires a valid access token and stores the caller's Principal.
func authenticate(tokens *Tokens) gin.HandlerFunc {
	return func(c *gin.Context) {
		raw, ok := bearerToken(c)
		if !ok {
			writeError(c, kernel.ErrUnauthenticated)
			return
		}
		p, err := tokens.ParseAccess(raw)
		if err != nil {
			writeError(c, err)
			return
		}
		c.Set(ctxPrincipal, p)
		c.Next()
	}
}

// requireRole lets only callers whose role allows want through (admins pass reviewer routes).
func requireRole(want account.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !principal(c).Role.Allows(want) {
			writeError(c, kernel.ErrForbidden)
			return
		}
		c.Next()
	}
}

func principal(c *gin.Context) Principal {
	p, _ := c.Get(ctxPrincipal)
	pr, _ := p.(Principal)
	return pr
}

// limitByIP applies a shared per-IP limit to a group of routes. It is a coarse guard, so it fails
// open: while Redis is unreachable the routes keep working (the limits that protect codes and
// passwords are enforced again in the service and fail closed).
func limitByIP(l kernel.Limiter, name string, limit kernel.Limit) gin.HandlerFunc {
	return func(c *gin.Context) {
		wait, ok, err := l.Allow(c.Request.Context(), "ip:"+name+":"+c.ClientIP(), limit)
		if err != nil {
			loggerFrom(c).Warn("per-IP rate limit unavailable; letting the request through", "limit", name, "err", err)
			c.Next()
			return
		}
		if !ok {
			writeError(c, &kernel.RateLimitError{Limit: "ip", RetryAfter: wait})
			return
		}
		c.Next()
	}
}
