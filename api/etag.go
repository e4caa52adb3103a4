package api

import (
	"context"
	"strconv"
	"strings"

	"github.com/beian/beian/service/filing"
	"github.com/gin-gonic/gin"
)

// orderETag is an order's entity tag: its version, which every change of the order raises.
func orderETag(version int) string { return `"v` + strconv.Itoa(version) + `"` }

// writeOrder answers with an order and its ETag, the body encoded once per version of the order.
func (h filingHandlers) writeOrder(c *gin.Context, status int, o filing.Order) {
	body, err := h.bodies.body(o)
	if err != nil {
		writeError(c, err)
		return
	}
	c.Header("ETag", orderETag(o.Version))
	c.Data(status, "application/json; charset=utf-8", body)
}

// ifMatch turns an If-Match header into the order-version condition of the request's context. No
// header (or "*") leaves the edit unconditional. One entity tag is understood, strong or weak
// (`"v7"`, `W/"v7"`); anything else can match no version, so the edit fails with the current one.
func ifMatch(c *gin.Context) context.Context {
	ctx := c.Request.Context()
	h := strings.TrimSpace(c.GetHeader("If-Match"))
	if h == "" || h == "*" {
		return ctx
	}
	tag := strings.TrimPrefix(h, "W/")
	v, err := strconv.Atoi(strings.TrimPrefix(strings.Trim(tag, `"`), "v"))
	if err != nil || v < 1 || tag != orderETag(v) {
		v = -1
	}
	return filing.IfVersion(ctx, v)
}
