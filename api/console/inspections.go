package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/inspection"
	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
)

// inspections lists every account's post-filing checks, newest first, with the form to open one.
func (c *Console) inspections(ctx *gin.Context) {
	page, err := c.cfg.Inspections.List(ctx.Request.Context(), 0, ctx.Query("status"), ctx.Query("cursor"), 20)
	if err != nil {
		c.fail(ctx, err, "/console/inspections")
		return
	}
	next := ""
	if page.NextCursor != "" {
		next = "/console/inspections?status=" + ctx.Query("status") + "&cursor=" + page.NextCursor
	}
	c.render(ctx, http.StatusOK, "inspections.html", map[string]any{"Items": page.Items, "Next": next,
		"Status": ctx.Query("status"), "Reasons": catalog.ReasonsIn(catalog.ScopeInspection),
		"Done": ctx.Query("done") != ""})
}

func formInt(ctx *gin.Context, name string, fe kernel.FieldErrors) int64 {
	s := strings.TrimSpace(ctx.PostForm(name))
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		fe[name] = kernel.CodeInvalid
	}
	return n
}

func (c *Console) openInspection(ctx *gin.Context) {
	fe := kernel.FieldErrors{}
	in := inspection.NewInspection{SubjectID: formInt(ctx, "subject_id", fe), ServiceID: formInt(ctx, "service_id", fe),
		Reasons: ctx.PostFormArray("reasons"), Comment: ctx.PostForm("comment")}
	deadline, err := time.ParseInLocation("2006-01-02", ctx.PostForm("deadline"), china)
	if err != nil {
		fe["deadline"] = kernel.CodeInvalid
	}
	in.DeadlineAt = deadline.Add(24*time.Hour - time.Second)
	if len(fe) > 0 {
		c.fail(ctx, fe, "/console/inspections")
		return
	}
	if _, err := c.cfg.Inspections.Open(ctx.Request.Context(), staff(ctx).UserID, in); err != nil {
		c.fail(ctx, err, "/console/inspections")
		return
	}
	ctx.Redirect(http.StatusSeeOther, "/console/inspections?done=1")
}

func (c *Console) resolveInspection(ctx *gin.Context) {
	id, ok := orderID(ctx)
	if !ok {
		c.fail(ctx, kernel.ErrNotFound, "/console/inspections")
		return
	}
	if _, err := c.cfg.Inspections.Resolve(ctx.Request.Context(), staff(ctx).UserID, id, ctx.PostForm("comment")); err != nil {
		c.fail(ctx, err, fmt.Sprintf("/console/inspections#i%d", id))
		return
	}
	ctx.Redirect(http.StatusSeeOther, "/console/inspections?done=1")
}
