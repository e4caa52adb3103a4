package api

import (
	"net/http"
	"time"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
)

// adminCookie carries an admin's access token to browser-only pages such as the job monitor,
// which cannot send an Authorization header. It is scoped to /admin, HttpOnly and SameSite=Strict.
const adminCookie = "beian_admin"

// consoleSession (admin only) sets the admin cookie from the caller's bearer token.
func consoleSession(tokens *Tokens) gin.HandlerFunc {
	return func(c *gin.Context) {
		raw, _ := bearerToken(c)
		exp, err := tokens.AccessExpiry(raw)
		if err != nil {
			writeError(c, err)
			return
		}
		secure := c.Request.TLS != nil || c.GetHeader("X-Forwarded-Proto") == "https"
		http.SetCookie(c.Writer, &http.Cookie{Name: adminCookie, Value: raw, Path: "/admin",
			MaxAge: int(time.Until(exp).Seconds()), HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
		c.Status(http.StatusNoContent)
	}
}

// adminOnly admits an admin by bearer token or admin cookie; anyone else gets 401/403.
func adminOnly(tokens *Tokens) gin.HandlerFunc {
	return func(c *gin.Context) {
		raw, ok := bearerToken(c)
		if !ok {
			if ck, err := c.Cookie(adminCookie); err == nil {
				raw = ck
			}
		}
		p, err := tokens.ParseAccess(raw)
		if err != nil {
			writeError(c, kernel.ErrUnauthenticated)
			return
		}
		if p.Role != account.RoleAdmin {
			writeError(c, kernel.ErrForbidden)
			return
		}
		c.Next()
	}
}

// mountJobsUI serves the asynq monitor (asynqmon) at /admin/jobs for admins.
func mountJobsUI(r *gin.Engine, tokens *Tokens, ui http.Handler) {
	h := gin.WrapH(ui)
	g := r.Group("/admin/jobs", adminOnly(tokens))
	g.Any("", h)
	g.Any("/*path", h)
}
