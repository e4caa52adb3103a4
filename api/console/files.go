package console

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
)

// fileCSP is the policy of a served material or photo: nothing runs, nothing is fetched.
const fileCSP = "default-src 'none'; img-src 'self'; sandbox"

// sendFile answers with a personal file: never cached, never sniffed, images inline and anything
// else (PDF) as a download.
func sendFile(ctx *gin.Context, mediaType, name string, data []byte) {
	h := ctx.Writer.Header()
	h.Set("Content-Security-Policy", fileCSP)
	h.Set("Cache-Control", "no-store")
	disposition := "attachment"
	if mediaType == "image/jpeg" || mediaType == "image/png" {
		disposition = "inline"
	}
	h.Set("Content-Disposition", fmt.Sprintf("%s; filename=%q", disposition, name))
	ctx.Data(http.StatusOK, mediaType, data)
}

// material serves one material of the order; the review use case records the view first.
func (c *Console) material(ctx *gin.Context) {
	id, ok := orderID(ctx)
	mid, err := strconv.ParseInt(ctx.Param("material"), 10, 64)
	if !ok || err != nil || mid <= 0 {
		c.fail(ctx, kernel.ErrNotFound, "/console")
		return
	}
	m, data, err := c.cfg.Reviews.Material(ctx.Request.Context(), staff(ctx).UserID, id, mid)
	if err != nil {
		c.fail(ctx, err, fmt.Sprintf("/console/orders/%d", id))
		return
	}
	sendFile(ctx, m.MediaType, fmt.Sprintf("order-%d-%s", id, m.Key), data)
}

// photo serves the confirmed face photo of a responsible person (role, and service_id for a
// service principal); the review use case records the view first.
func (c *Console) photo(ctx *gin.Context) {
	id, ok := orderID(ctx)
	role, err := filing.ParsePrincipalRole(ctx.Param("role"))
	if !ok || err != nil {
		c.fail(ctx, kernel.ErrNotFound, "/console")
		return
	}
	person := filing.PersonRef{Role: role}
	if role == filing.RoleServicePrincipal {
		person.ServiceID, err = strconv.ParseInt(ctx.Query("service_id"), 10, 64)
		if err != nil || person.ServiceID <= 0 {
			c.fail(ctx, kernel.ErrNotFound, fmt.Sprintf("/console/orders/%d", id))
			return
		}
	}
	data, err := c.cfg.Reviews.VerificationPhoto(ctx.Request.Context(), staff(ctx).UserID, id, person)
	if err != nil {
		c.fail(ctx, err, fmt.Sprintf("/console/orders/%d", id))
		return
	}
	sendFile(ctx, "image/jpeg", fmt.Sprintf("order-%d-%s.jpg", id, role), data)
}
