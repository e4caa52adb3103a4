package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/beian/beian/service/account"
	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
)

// Cookies of the console, all scoped to /console, HttpOnly and SameSite=Strict.
const (
	accessCookie  = "beian_console"
	refreshCookie = "beian_console_refresh"
	csrfCookie    = "beian_console_csrf"
	cookiePath    = "/console"
	ctxStaff      = "console_staff"
	ctxCSRF       = "console_csrf"
)

func secure(ctx *gin.Context) bool {
	return ctx.Request.TLS != nil || ctx.GetHeader("X-Forwarded-Proto") == "https"
}

func setCookie(ctx *gin.Context, name, value string, maxAge int) {
	http.SetCookie(ctx.Writer, &http.Cookie{Name: name, Value: value, Path: cookiePath, MaxAge: maxAge,
		HttpOnly: true, Secure: secure(ctx), SameSite: http.SameSiteStrictMode})
}

func (c *Console) setSession(ctx *gin.Context, s account.Session) {
	setCookie(ctx, accessCookie, s.AccessToken, 0)
	setCookie(ctx, refreshCookie, s.RefreshToken, 0)
}

func clearSession(ctx *gin.Context) {
	setCookie(ctx, accessCookie, "", -1)
	setCookie(ctx, refreshCookie, "", -1)
}

// csrfToken returns the request's CSRF token, setting a fresh cookie when there is none.
func (c *Console) csrfToken(ctx *gin.Context) string {
	if v, ok := ctx.Get(ctxCSRF); ok {
		return v.(string)
	}
	if v, err := ctx.Cookie(csrfCookie); err == nil && len(v) >= 32 {
		ctx.Set(ctxCSRF, v)
		return v
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	v := base64.RawURLEncoding.EncodeToString(b)
	setCookie(ctx, csrfCookie, v, 0)
	ctx.Set(ctxCSRF, v)
	return v
}

// checkCSRF refuses a form whose csrf field does not match the CSRF cookie, or that a browser
// says came from another origin.
func (c *Console) checkCSRF(ctx *gin.Context) {
	cookie, err := ctx.Cookie(csrfCookie)
	form := ctx.PostForm("csrf")
	ok := err == nil && len(cookie) >= 32 && subtle.ConstantTimeCompare([]byte(cookie), []byte(form)) == 1
	if origin := ctx.GetHeader("Origin"); ok && origin != "" {
		u, perr := url.Parse(origin)
		ok = perr == nil && u.Host == ctx.Request.Host
	}
	if !ok {
		c.render(ctx, http.StatusForbidden, "error.html", map[string]any{
			"Message": "页面已过期或请求来源不正确，请刷新页面后重试。", "Back": "/console"})
		ctx.Abort()
		return
	}
	ctx.Next()
}

func staffOf(ctx *gin.Context) (Staff, bool) {
	v, ok := ctx.Get(ctxStaff)
	if !ok {
		return Staff{}, false
	}
	s, ok := v.(Staff)
	return s, ok
}

func staff(ctx *gin.Context) Staff {
	s, _ := staffOf(ctx)
	return s
}

// authenticate admits reviewers and admins by the access cookie, renewing an expired access
// token from the refresh cookie; anyone else is sent to the login page.
func (c *Console) authenticate(ctx *gin.Context) {
	s, err := c.staffFromCookies(ctx)
	if err == nil && !s.Role.Allows(account.RoleReviewer) {
		err = kernel.ErrForbidden
	}
	if err != nil {
		clearSession(ctx)
		ctx.Redirect(http.StatusSeeOther, "/console/login")
		ctx.Abort()
		return
	}
	ctx.Set(ctxStaff, s)
	ctx.Next()
}

func (c *Console) staffFromCookies(ctx *gin.Context) (Staff, error) {
	if raw, err := ctx.Cookie(accessCookie); err == nil && raw != "" {
		if s, err := c.cfg.ParseAccess(raw); err == nil {
			return s, nil
		}
	}
	raw, err := ctx.Cookie(refreshCookie)
	if err != nil || raw == "" {
		return Staff{}, kernel.ErrUnauthenticated
	}
	sess, err := c.cfg.Sessions.Refresh(ctx.Request.Context(), raw)
	if err != nil {
		return Staff{}, err
	}
	c.setSession(ctx, sess)
	return Staff{UserID: sess.User.ID, Role: sess.User.Role}, nil
}

func (c *Console) loginPage(ctx *gin.Context) {
	c.render(ctx, http.StatusOK, "login.html", nil)
}

func (c *Console) login(ctx *gin.Context) {
	phone := strings.TrimSpace(ctx.PostForm("phone"))
	sess, err := c.cfg.Logins.Login(ctx.Request.Context(), account.LoginRequest{Phone: phone,
		Password: ctx.PostForm("password"), IP: ctx.ClientIP()})
	if err == nil && !sess.User.Role.Allows(account.RoleReviewer) {
		_ = c.cfg.Sessions.Close(ctx.Request.Context(), sess.RefreshToken)
		err = kernel.ErrForbidden
	}
	if err != nil {
		status, msg := c.cfg.Describe(err)
		if errors.Is(err, kernel.ErrForbidden) {
			msg = "该账号不是审核人员，不能登录审核后台。"
		}
		c.render(ctx, status, "login.html", map[string]any{"Error": msg, "Phone": phone})
		return
	}
	c.setSession(ctx, sess)
	ctx.Redirect(http.StatusSeeOther, "/console")
}

func (c *Console) logout(ctx *gin.Context) {
	if raw, err := ctx.Cookie(refreshCookie); err == nil && raw != "" {
		_ = c.cfg.Sessions.Close(ctx.Request.Context(), raw)
	}
	clearSession(ctx)
	ctx.Redirect(http.StatusSeeOther, "/console/login")
}
