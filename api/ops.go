package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// healthOK is /healthz's constant answer, encoded once.
var healthOK = []byte(`{"status":"ok"}`)

// registerOps adds /healthz, /readyz and /metrics to r.
func registerOps(r gin.IRoutes, ready func(context.Context) error, reg *prometheus.Registry) {
	r.GET("/healthz", func(c *gin.Context) { c.Data(http.StatusOK, "application/json; charset=utf-8", healthOK) })
	r.GET("/readyz", readyHandler(ready))
	r.GET("/metrics", gin.WrapH(promhttp.HandlerFor(reg, promhttp.HandlerOpts{})))
}

// NewOpsRouter serves only the operational endpoints, for processes that run no API (`beian worker`).
func NewOpsRouter(ready func(context.Context) error, reg *prometheus.Registry, log *slog.Logger) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(withRequestID(), withRecovery())
	registerOps(r, ready, reg)
	return r
}

// readyHandler answers 200 when check passes within 2 s, else 503 NOT_READY.
func readyHandler(check func(ctx context.Context) error) gin.HandlerFunc {
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := check(ctx); err != nil {
			loggerFrom(c).Warn("not ready", "err", err)
			abort(c, http.StatusServiceUnavailable, errorBody{Code: "NOT_READY", Message: "服务暂不可用"})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	}
}
