package console

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/inspection"
	"github.com/beian/beian/service/review"
	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// contentSecurityPolicy allows this origin's style sheet, images and form targets only.
const contentSecurityPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// Logins opens and ends staff sessions.
type Logins interface {
	Login(ctx context.Context, req account.LoginRequest) (account.Session, error)
}

// Sessions renews and closes sessions by refresh token.
type Sessions interface {
	Refresh(ctx context.Context, raw string) (account.Session, error)
	Close(ctx context.Context, raw string) error
}

// Reviews is the part of review.Reviews the console calls.
type Reviews interface {
	Queue(ctx context.Context, q review.QueueQuery) (review.QueuePage, error)
	View(ctx context.Context, orderID int64) (review.ReviewView, error)
	Claim(ctx context.Context, reviewerID, orderID int64) (review.Claim, error)
	Decide(ctx context.Context, reviewerID, orderID int64, d review.Decision) (filing.Order, error)
	HandToBureau(ctx context.Context, reviewerID, orderID int64) (filing.Order, error)
	RecordBureauResult(ctx context.Context, actor filing.Actor, orderID int64, res review.BureauResult) (filing.Order, error)
	Material(ctx context.Context, reviewerID, orderID, materialID int64) (filing.Material, []byte, error)
	VerificationPhoto(ctx context.Context, reviewerID, orderID int64, person filing.PersonRef) ([]byte, error)
}

// Inspections is the part of inspection.Inspections the console calls.
type Inspections interface {
	Open(ctx context.Context, reviewerID int64, in inspection.NewInspection) (inspection.Inspection, error)
	List(ctx context.Context, accountID int64, status, cursor string, limit int) (inspection.InspectionPage, error)
	Resolve(ctx context.Context, reviewerID, id int64, comment string) (inspection.Inspection, error)
}

// Staff is the signed-in console user.
type Staff struct {
	UserID int64
	Role   account.Role
}

// Config carries the console's collaborators. ParseAccess checks an access token; Describe turns
// a service error into the HTTP status and Chinese message of the API's error table.
type Config struct {
	Logins      Logins
	Sessions    Sessions
	ParseAccess func(raw string) (Staff, error)
	Describe    func(err error) (int, string)
	Reviews     Reviews
	Inspections Inspections
	Log         *slog.Logger
	Now         func() time.Time
	// LoginGuard runs before a login attempt (the API's rate limit); nil for none.
	LoginGuard gin.HandlerFunc
}

// Console serves the reviewers' pages.
type Console struct {
	cfg   Config
	pages map[string]*template.Template
}

var pageNames = []string{"login.html", "queue.html", "order.html", "inspections.html", "error.html"}

// New parses the embedded templates.
func New(cfg Config) (*Console, error) {
	c := &Console{cfg: cfg, pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name)
		if err != nil {
			return nil, err
		}
		c.pages[name] = t
	}
	return c, nil
}

// Register mounts the console under /console.
func (c *Console) Register(r gin.IRouter) {
	static, _ := fs.Sub(staticFiles, "static")
	fileServer := http.StripPrefix("/console/static/", http.FileServer(http.FS(static)))
	g := r.Group("/console", c.headers)
	g.GET("/static/*path", func(ctx *gin.Context) {
		ctx.Header("Cache-Control", "public, max-age=300")
		fileServer.ServeHTTP(ctx.Writer, ctx.Request)
	})
	g.GET("/login", c.loginPage)
	login := []gin.HandlerFunc{c.checkCSRF, c.login}
	if c.cfg.LoginGuard != nil {
		login = append([]gin.HandlerFunc{c.cfg.LoginGuard}, login...)
	}
	g.POST("/login", login...)

	staff := g.Group("", c.authenticate)
	staff.GET("", c.queue)
	staff.POST("/logout", c.checkCSRF, c.logout)
	staff.GET("/orders/:id", c.withOrder(c.order))
	staff.GET("/orders/:id/materials/:material", c.material)
	staff.GET("/orders/:id/photos/:role", c.photo)
	staff.POST("/orders/:id/claim", c.checkCSRF, c.withOrder(c.claim))
	staff.POST("/orders/:id/decision", c.checkCSRF, c.withOrder(c.decide))
	staff.POST("/orders/:id/bureau-submission", c.checkCSRF, c.withOrder(c.handToBureau))
	staff.POST("/orders/:id/bureau-result", c.checkCSRF, c.withOrder(c.bureauResult))
	staff.GET("/inspections", c.inspections)
	staff.POST("/inspections", c.checkCSRF, c.openInspection)
	staff.POST("/inspections/:id/resolve", c.checkCSRF, c.resolveInspection)
}

func (c *Console) headers(ctx *gin.Context) {
	h := ctx.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	ctx.Next()
}

// render writes a page; data is the page's own fields, to which the layout adds the staff member
// and the CSRF token.
func (c *Console) render(ctx *gin.Context, status int, name string, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	data["CSRF"] = c.csrfToken(ctx)
	if s, ok := staffOf(ctx); ok {
		data["Staff"] = s
	}
	ctx.Header("Content-Type", "text/html; charset=utf-8")
	ctx.Header("Cache-Control", "no-store")
	ctx.Status(status)
	if err := c.pages[name].ExecuteTemplate(ctx.Writer, "layout", data); err != nil {
		c.cfg.Log.ErrorContext(ctx.Request.Context(), "render console page", "page", name, "err", err)
	}
}

// fail shows err as the API's error table describes it, with a link back.
func (c *Console) fail(ctx *gin.Context, err error, back string) {
	status, msg := c.cfg.Describe(err)
	if status >= http.StatusInternalServerError {
		c.cfg.Log.ErrorContext(ctx.Request.Context(), "console request failed", "err", err)
	}
	c.render(ctx, status, "error.html", map[string]any{"Message": msg, "Back": back})
}
