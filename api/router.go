// Package api is beian's HTTP interface: the gin router, middleware, DTOs, the error table and the
// OpenAPI document the service serves at /openapi.json.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/beian/beian/api/h5"
	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/inspection"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/review"
	"github.com/beian/beian/service/transfer"
	"github.com/beian/beian/service/verification"
	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// Deps is everything the router needs; package app builds it.
type Deps struct {
	Accounts       *account.Accounts
	Sessions       *account.Sessions
	Tokens         *Tokens
	Limiter        kernel.Limiter
	DevInbox       devInbox // nil outside development: the /dev routes are then absent
	Ready          func(ctx context.Context) error
	Registry       *prometheus.Registry
	Log            *slog.Logger
	BodyMaxBytes   int64
	TrustedProxies []string
	Orders         *filing.Orders
	Materials      *filing.Materials
	Subjects       *filing.Subjects
	UploadMaxBytes int64 // the largest material file accepted
	Reviews        *review.Reviews
	Inspections    *inspection.Inspections
	Authorizations *transfer.Authorizations
	SMSChecks      *review.SMSChecks

	// JobsUI is the asynq monitor, mounted at /admin/jobs for admins; nil leaves it out.
	JobsUI            http.Handler
	Verifications     *verification.Verifications
	FacePhotoMaxBytes int64  // the largest face photo accepted (multipart part size)
	ProviderName      string // shown on the browser pages as the provider asking for the filing
	// Outbox lists outbox rows and re-queues failed ones for admins; nil leaves the routes out.
	Outbox outboxAdmin
	// Idempotency keeps the answers to POSTs sent with an Idempotency-Key; nil turns the header off.
	Idempotency IdempotencyStore
}

// NewRouter builds the HTTP handler with every route of the API.
func NewRouter(d Deps) (http.Handler, error) {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	if err := r.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, err
	}
	spec, err := openAPIJSON()
	if err != nil {
		return nil, err
	}
	requests := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "beian_http_request_duration_seconds",
		Help: "HTTP requests by method, route and status."}, []string{"method", "route", "status"})
	if err := d.Registry.Register(requests); err != nil {
		return nil, err
	}
	r.Use(withRequestID(), withLogging(d.Log, requests), withRecovery(), withBodyLimit(d.BodyMaxBytes))
	r.NoRoute(func(c *gin.Context) {
		abort(c, http.StatusNotFound, errorBody{Code: codeRouteNotFound, Message: "接口不存在"})
	})
	r.NoMethod(func(c *gin.Context) {
		abort(c, http.StatusMethodNotAllowed, errorBody{Code: "METHOD_NOT_ALLOWED", Message: "不支持该请求方法"})
	})
	r.HandleMethodNotAllowed = true

	registerOps(r, d.Ready, d.Registry)
	r.GET("/openapi.json", func(c *gin.Context) { c.Data(http.StatusOK, "application/json", spec) })

	v1 := r.Group("/api/v1")
	dict, err := newCatalogHandlers()
	if err != nil {
		return nil, err
	}
	v1.GET("/catalog", dict.catalog)
	v1.GET("/catalog/provinces/:code", dict.province)
	idem := idempotent(d.Idempotency, max(d.BodyMaxBytes, d.UploadMaxBytes+uploadOverhead))
	auth := authHandlers{accounts: d.Accounts, sessions: d.Sessions}
	public := v1.Group("/auth", limitByIP(d.Limiter, "auth", kernel.Limit{Count: 120, Per: time.Minute}))
	public.POST("/sms-codes", idem, auth.requestCode)
	public.POST("/login", auth.login)
	public.POST("/wechat", auth.wechatLogin)
	public.POST("/refresh", auth.refresh)
	public.POST("/logout", auth.logout)

	user := v1.Group("", authenticate(d.Tokens), idem)
	user.GET("/me", auth.me)
	user.PUT("/me/password", auth.changePassword)

	registerFiling(user, d)
	verify := newVerificationHandlers(d.Verifications, d.FacePhotoMaxBytes)
	user.POST("/orders/:id/verifications", verify.request)
	user.GET("/verifications/:id", verify.get)
	user.GET("/verifications/:id/qr.png", verify.qrImage)
	v1.POST("/verification-scans", limitByIP(d.Limiter, "verification-scan", kernel.Limit{Count: 30, Per: time.Minute}), verify.scan)
	session := v1.Group("/verification-sessions", authenticateVerification(d.Tokens), idem)
	session.POST("/face", verify.face)
	session.POST("/confirm", verify.confirm)

	pages, err := h5.New(d.Verifications, d.ProviderName, d.Log)
	if err != nil {
		return nil, err
	}
	pages.Register(r)
	if err := mountConsole(r, d); err != nil {
		return nil, err
	}

	registerSMSCheckRoutes(user, d.SMSChecks)
	user.POST("/orders/:id/reactivate", reactivate(d.Orders))

	reviewer := user.Group("/review", requireRole(account.RoleReviewer))
	reviewer.GET("/reason-codes", reasonCodes)
	registerReview(reviewer, d.Reviews)
	registerInspections(user, reviewer, d.Inspections)
	registerFlows(user, d.Orders, d.Authorizations)

	if d.JobsUI != nil {
		mountJobsUI(r, d.Tokens, d.JobsUI)
		v1.POST("/admin/console-session", authenticate(d.Tokens), requireRole(account.RoleAdmin), consoleSession(d.Tokens))
	}
	if d.Outbox != nil {
		registerOutbox(user.Group("/admin", requireRole(account.RoleAdmin)), d.Outbox)
	}
	if d.DevInbox != nil {
		v1.GET("/dev/sms", devSMS(d.DevInbox))
	}
	return newHealthzFastPath(r, requests), nil
}
