package api

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestAClientThatLeftIsNotAServerError: when the request's context ends before the handler is done,
// the error it returns is logged at INFO and answered 499, not logged as an ERROR and answered 500; a
// context error while the client is still there stays a 500.
func TestAClientThatLeftIsNotAServerError(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	r := gin.New()
	r.Use(func(c *gin.Context) { c.Set(ctxLogger, log) })
	r.GET("/gone", func(c *gin.Context) {
		ctx, cancel := context.WithCancel(c.Request.Context())
		cancel() // the client hangs up while the order is being read
		c.Request = c.Request.WithContext(ctx)
		writeError(c, fmt.Errorf("read order: %w", ctx.Err()))
	})
	r.GET("/stale", func(c *gin.Context) {
		writeError(c, fmt.Errorf("call a dependency: %w", context.DeadlineExceeded))
	})

	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/gone", nil))
	if rec.Code != statusClientClosedRequest || strings.Contains(buf.String(), `"level":"ERROR"`) {
		t.Fatalf("client gone: %d, log %s", rec.Code, buf.String())
	}
	buf.Reset()
	rec = httptest.NewRecorder()
	r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/stale", nil))
	if rec.Code != http.StatusInternalServerError || !strings.Contains(buf.String(), `"level":"ERROR"`) {
		t.Fatalf("an internal deadline with the client still there: %d, log %s", rec.Code, buf.String())
	}
}
