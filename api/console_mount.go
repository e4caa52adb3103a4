package api

import (
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/beian/beian/api/console"
	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
)

// mountConsole serves the reviewers' browser console at /console on the same services as the
// review API, with the auth routes' rate limit on its login form.
func mountConsole(r *gin.Engine, d Deps) error {
	c, err := console.New(console.Config{
		Logins:   d.Accounts,
		Sessions: d.Sessions,
		ParseAccess: func(raw string) (console.Staff, error) {
			p, err := d.Tokens.ParseAccess(raw)
			return console.Staff{UserID: p.UserID, Role: p.Role}, err
		},
		Describe:    describeError,
		Reviews:     d.Reviews,
		Inspections: d.Inspections,
		Log:         d.Log,
		Now:         time.Now,
		LoginGuard:  limitByIP(d.Limiter, "auth", kernel.Limit{Count: 120, Per: time.Minute}),
	})
	if err != nil {
		return err
	}
	c.Register(r)
	return nil
}

// describeError is the status and Chinese message the error table gives err, for pages that show
// errors to a person rather than as JSON. Field errors name their fields.
func describeError(err error) (int, string) {
	var fe kernel.FieldErrors
	var rl *kernel.RateLimitError
	switch {
	case errors.As(err, &fe):
		fields := make([]string, 0, len(fe))
		for f, code := range fe {
			fields = append(fields, f+"："+code)
		}
		sort.Strings(fields)
		return http.StatusUnprocessableEntity, "提交的信息有误（" + strings.Join(fields, "；") + "）"
	case errors.As(err, &rl):
		return http.StatusTooManyRequests, "操作过于频繁，请稍后再试"
	}
	for _, e := range errorTable() {
		if errors.Is(err, e.err) {
			return e.status, e.message
		}
	}
	return http.StatusInternalServerError, "服务器内部错误，请稍后重试"
}
