package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/gin-gonic/gin"
)

// filingHandlers serve the applicant's subject, services, orders and materials.
type filingHandlers struct {
	orders    *filing.Orders
	materials *filing.Materials
	subjects  *filing.Subjects
	uploadMax int64
	bodies    *orderBodies
}

// uploadOverhead is what a multipart body may carry beyond the file: boundaries, headers, the kind.
const uploadOverhead = 64 << 10

// registerFiling adds the filing routes to the authenticated group.
func registerFiling(g *gin.RouterGroup, d Deps) {
	h := filingHandlers{orders: d.Orders, materials: d.Materials, subjects: d.Subjects, uploadMax: d.UploadMaxBytes,
		bodies: newOrderBodies()}
	g.GET("/subject", h.subject)
	g.GET("/services", h.services)
	g.GET("/services/:id", h.service)
	g.POST("/orders", h.createOrder)
	g.GET("/orders", h.listOrders)
	g.GET("/orders/:id", h.order)
	g.PATCH("/orders/:id", h.patchOrder)
	g.GET("/orders/:id/requirements", h.requirements)
	g.POST("/orders/:id/submit", h.transition((*filing.Orders).Submit))
	g.POST("/orders/:id/withdraw", h.transition((*filing.Orders).Withdraw))
	g.POST("/orders/:id/abandon", h.transition((*filing.Orders).Abandon))
	g.GET("/orders/:id/events", h.events)
	g.POST("/orders/:id/materials", limitUpload(h.uploadMax+uploadOverhead), h.upload)
	g.GET("/orders/:id/materials", h.listMaterials)
	g.DELETE("/orders/:id/materials/:mid", h.deleteMaterial)
	g.GET("/materials/:mid/content", h.materialContent)
}

// pathID reads a positive id path parameter; anything else is answered 404 (no such resource).
func pathID(c *gin.Context, name string) (int64, bool) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		writeError(c, kernel.ErrNotFound)
		return 0, false
	}
	return id, true
}

func (h filingHandlers) subject(c *gin.Context) {
	s, err := h.subjects.Subject(c.Request.Context(), principal(c).UserID)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toFiledSubjectDTO(s))
}

func (h filingHandlers) services(c *gin.Context) {
	list, err := h.subjects.Services(c.Request.Context(), principal(c).UserID)
	if err != nil {
		writeError(c, err)
		return
	}
	out := make([]filedServiceDTO, len(list))
	for i, s := range list {
		out[i] = toFiledServiceDTO(s)
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

func (h filingHandlers) service(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	s, err := h.subjects.Service(c.Request.Context(), principal(c).UserID, id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toFiledServiceDTO(s))
}

func (h filingHandlers) createOrder(c *gin.Context) {
	var req createOrderRequest
	if !bindJSON(c, &req) {
		return
	}
	o, err := h.orders.Create(c.Request.Context(), principal(c).UserID,
		filing.NewOrder{Type: req.Type, ServiceIDs: req.ServiceIDs, TargetPhone: req.TargetPhone})
	if err != nil {
		writeError(c, err)
		return
	}
	h.writeOrder(c, http.StatusCreated, o)
}

func (h filingHandlers) listOrders(c *gin.Context) {
	limit, ok := pageLimit(c)
	if !ok {
		return
	}
	page, err := h.orders.List(c.Request.Context(), principal(c).UserID, c.Query("cursor"), limit)
	if err != nil {
		writeError(c, err)
		return
	}
	out := orderPageDTO{Items: make([]orderDTO, len(page.Orders)), NextCursor: nextCursor(page.NextCursor)}
	for i, o := range page.Orders {
		out.Items[i] = toOrderDTO(o)
	}
	c.JSON(http.StatusOK, out)
}

func (h filingHandlers) order(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	o, err := h.orders.Get(c.Request.Context(), principal(c).UserID, id)
	if err != nil {
		writeError(c, err)
		return
	}
	h.writeOrder(c, http.StatusOK, o)
}

func (h filingHandlers) patchOrder(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			abort(c, http.StatusRequestEntityTooLarge, errorBody{Code: codeBodyTooLarge, Message: "请求内容过大"})
			return
		}
		writeError(c, err)
		return
	}
	o, err := h.orders.Patch(ifMatch(c), principal(c).UserID, id, proposalPatch(body))
	if err != nil {
		writeError(c, err)
		return
	}
	h.writeOrder(c, http.StatusOK, o)
}

func (h filingHandlers) requirements(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	r, err := h.orders.Requirements(c.Request.Context(), principal(c).UserID, id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, requirementsDTO{Complete: r.Complete, Items: toRequirementItems(r.Items), Comments: toFieldCommentDTOs(r.Comments)})
}

// transition serves submit, withdraw and abandon: one use-case method each.
func (h filingHandlers) transition(do func(*filing.Orders, context.Context, int64, int64) (filing.Order, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, ok := pathID(c, "id")
		if !ok {
			return
		}
		o, err := do(h.orders, ifMatch(c), principal(c).UserID, id)
		if err != nil {
			writeError(c, err)
			return
		}
		h.writeOrder(c, http.StatusOK, o)
	}
}

func (h filingHandlers) events(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	list, err := h.orders.Events(c.Request.Context(), principal(c).UserID, id)
	if err != nil {
		writeError(c, err)
		return
	}
	out := make([]orderEventDTO, len(list))
	for i, e := range list {
		out[i] = toOrderEventDTO(e)
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}
