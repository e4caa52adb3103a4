package api

import (
	"net/http"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/transfer"
	"github.com/gin-gonic/gin"
)

// authorizationDTO is a migration authorization request as its target account sees it.
type authorizationDTO struct {
	ID        int64   `json:"id"`
	OrderID   int64   `json:"order_id"`
	Status    string  `json:"status"`
	ExpiresAt string  `json:"expires_at"`
	DecidedAt *string `json:"decided_at,omitempty"`
	CreatedAt string  `json:"created_at"`
}

func toAuthorizationDTO(a transfer.Authorization) authorizationDTO {
	out := authorizationDTO{ID: a.ID, OrderID: a.OrderID, Status: string(a.Status), ExpiresAt: rfc3339(a.ExpiresAt),
		CreatedAt: rfc3339(a.CreatedAt)}
	if a.DecidedAt != nil {
		s := rfc3339(*a.DecidedAt)
		out.DecidedAt = &s
	}
	return out
}

type transferResponse struct {
	Order         orderDTO          `json:"order"`
	Authorization *authorizationDTO `json:"authorization,omitempty"`
}

type grantRequest struct {
	Code string `json:"code"`
}

type flowHandlers struct {
	orders *filing.Orders
	auth   *transfer.Authorizations
}

// start: POST /transfers {type: transfer | migrate, target_phone, service_ids}
func (h flowHandlers) start(c *gin.Context) {
	var req createOrderRequest
	if !bindJSON(c, &req) {
		return
	}
	o, a, err := h.auth.Start(c.Request.Context(), h.orders, principal(c).UserID,
		filing.NewOrder{Type: req.Type, ServiceIDs: req.ServiceIDs, TargetPhone: req.TargetPhone})
	if err != nil {
		writeError(c, err)
		return
	}
	out := transferResponse{Order: toOrderDTO(o)}
	if a != nil {
		dto := toAuthorizationDTO(*a)
		out.Authorization = &dto
	}
	c.JSON(http.StatusCreated, out)
}

// list: GET /authorizations (requests addressed to the caller)
func (h flowHandlers) list(c *gin.Context) {
	list, err := h.auth.List(c.Request.Context(), principal(c).UserID)
	if err != nil {
		writeError(c, err)
		return
	}
	out := make([]authorizationDTO, len(list))
	for i, a := range list {
		out[i] = toAuthorizationDTO(a)
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// grant: POST /authorizations/{id}/grant {code}
func (h flowHandlers) grant(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req grantRequest
	if !bindJSON(c, &req) {
		return
	}
	a, err := h.auth.Grant(c.Request.Context(), principal(c).UserID, id, req.Code)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAuthorizationDTO(a))
}

// deny: POST /authorizations/{id}/deny
func (h flowHandlers) deny(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	a, err := h.auth.Deny(c.Request.Context(), principal(c).UserID, id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toAuthorizationDTO(a))
}

func registerFlows(user *gin.RouterGroup, orders *filing.Orders, auth *transfer.Authorizations) {
	h := flowHandlers{orders: orders, auth: auth}
	user.POST("/transfers", h.start)
	user.GET("/authorizations", h.list)
	user.POST("/authorizations/:id/grant", h.grant)
	user.POST("/authorizations/:id/deny", h.deny)
}
