package h5

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/beian/beian/service/face"
	"github.com/beian/beian/service/verification"
	"github.com/gin-gonic/gin"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// contentSecurityPolicy allows this origin's script, style and API, and the photo preview drawn
// from a blob: URL; nothing inline, no frames.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; " +
	"connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// Previewer reads a QR token without consuming it.
type Previewer interface {
	Preview(ctx context.Context, token string) (verification.Preview, error)
}

// Pages renders the verification page.
type Pages struct {
	codes    Previewer
	provider string
	log      *slog.Logger
	page     *template.Template
}

// New parses the embedded templates. provider is the name the page shows as the one asking for
// the verification.
func New(codes Previewer, provider string, log *slog.Logger) (*Pages, error) {
	page, err := template.ParseFS(templateFiles, "templates/page.html")
	if err != nil {
		return nil, err
	}
	return &Pages{codes: codes, provider: provider, log: log, page: page}, nil
}

// Register mounts GET /v/:token and the static files under /h5/static/.
func (p *Pages) Register(r gin.IRoutes) {
	static, _ := fs.Sub(staticFiles, "static")
	fileServer := http.StripPrefix("/h5/static/", http.FileServer(http.FS(static)))
	r.GET("/h5/static/*path", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=300")
		c.Header("X-Content-Type-Options", "nosniff")
		fileServer.ServeHTTP(c.Writer, c.Request)
	})
	r.GET("/v/:token", p.show)
}

// pageData feeds templates/page.html. State is ready, used, revoked, expired, not_found or error.
type pageData struct {
	State       string
	Token       string
	Provider    string
	PersonName  string
	OrderType   string
	ServiceName string
	ExpiresAt   string
	MaxAttempts int
	Tips        []string
}

// photoTips are shown before the camera opens; the checker's own reasons come back per photo.
var photoTips = []string{
	face.ReasonBackgroundNotWhite.Message(),
	face.ReasonFaceOccluded.Message(),
	face.ReasonTooDark.Message(),
	face.ReasonBlurred.Message(),
}

var china = time.FixedZone("CST", 8*3600)

func (p *Pages) show(c *gin.Context) {
	token := c.Param("token")
	data := pageData{Token: token, Provider: p.provider, MaxAttempts: verification.FaceAttemptsPerSession, Tips: photoTips}
	status := http.StatusOK
	pv, err := p.codes.Preview(c.Request.Context(), token)
	switch {
	case err == nil:
		data.State = "ready"
		data.PersonName, data.ServiceName = pv.MaskedName, pv.ServiceName
		data.OrderType = pv.OrderType.Label()
		data.ExpiresAt = pv.ExpiresAt.In(china).Format("15:04")
	case errors.Is(err, verification.ErrQRUsed):
		data.State, status = "used", http.StatusGone
	case errors.Is(err, verification.ErrQRRevoked):
		data.State, status = "revoked", http.StatusGone
	case errors.Is(err, verification.ErrQRExpired):
		data.State, status = "expired", http.StatusGone
	case errors.Is(err, verification.ErrQRNotFound):
		data.State, status = "not_found", http.StatusNotFound
	default:
		p.log.ErrorContext(c.Request.Context(), "verification page", "err", err)
		data.State, status = "error", http.StatusInternalServerError
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	if err := p.page.Execute(c.Writer, data); err != nil {
		p.log.ErrorContext(c.Request.Context(), "render verification page", "err", err)
	}
}
