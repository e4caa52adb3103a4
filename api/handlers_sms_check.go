package api

import (
	"net/http"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/review"
	"github.com/gin-gonic/gin"
)

type smsCheckRequest struct {
	Code string `json:"code"`
}

type smsCheckPersonDTO struct {
	Persons  []string `json:"persons"`
	Phone    string   `json:"phone"`
	Verified bool     `json:"verified"`
}

type smsCheckResponse struct {
	OrderID  int64               `json:"order_id"`
	Status   string              `json:"status"`
	Deadline *string             `json:"deadline,omitempty"`
	Checks   []smsCheckPersonDTO `json:"checks"`
}

func toSMSCheckResponse(o filing.Order) smsCheckResponse {
	out := smsCheckResponse{OrderID: o.ID, Status: string(o.Status), Checks: []smsCheckPersonDTO{}}
	if o.DeadlineAt != nil {
		d := o.DeadlineAt.UTC().Format("2006-01-02T15:04:05.999999Z07:00")
		out.Deadline = &d
	}
	if o.SMS != nil {
		for _, c := range o.SMS.Checks {
			out.Checks = append(out.Checks, smsCheckPersonDTO{Persons: c.Persons, Phone: kernel.MaskPhone(c.Phone), Verified: c.VerifiedAt != nil})
		}
	}
	return out
}

type smsCheckHandlers struct{ checks *review.SMSChecks }

// verify: POST /orders/{id}/sms-checks/{person}/verify {code}
func (h smsCheckHandlers) verify(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req smsCheckRequest
	if !bindJSON(c, &req) {
		return
	}
	o, err := h.checks.Verify(c.Request.Context(), principal(c).UserID, id, c.Param("person"), req.Code)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toSMSCheckResponse(o))
}

// resend: POST /orders/{id}/sms-checks/{person}/resend
func (h smsCheckHandlers) resend(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	if err := h.checks.Resend(c.Request.Context(), principal(c).UserID, id, c.Param("person")); err != nil {
		writeError(c, err)
		return
	}
	c.Status(http.StatusAccepted)
}

func registerSMSCheckRoutes(user *gin.RouterGroup, checks *review.SMSChecks) {
	h := smsCheckHandlers{checks: checks}
	user.POST("/orders/:id/sms-checks/:person/verify", h.verify)
	user.POST("/orders/:id/sms-checks/:person/resend", h.resend)
}

// reactivate: POST /orders/{id}/reactivate brings an expired order back to draft.
func reactivate(orders *filing.Orders) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := pathID(c, "id")
		if !ok {
			return
		}
		o, err := orders.Reactivate(c.Request.Context(), principal(c).UserID, id)
		if err != nil {
			writeError(c, err)
			return
		}
		c.JSON(http.StatusOK, toOrderDTO(o))
	}
}
