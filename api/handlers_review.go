package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/review"
	"github.com/gin-gonic/gin"
)

// reviewHandlers serve the provider staff: queue, order view, claims, decisions and the bureau.
type reviewHandlers struct{ reviews *review.Reviews }

// registerReview adds the reviewer routes to the reviewer group.
func registerReview(g *gin.RouterGroup, reviews *review.Reviews) {
	h := reviewHandlers{reviews: reviews}
	g.GET("/orders", h.queue)
	g.GET("/orders/:id", h.view)
	g.POST("/orders/:id/claim", h.claim)
	g.POST("/orders/:id/decision", h.decide)
	g.POST("/orders/:id/bureau-submission", h.handToBureau)
	g.POST("/orders/:id/bureau-result", h.bureauResult)
}

// queueQuery reads the queue's query string; malformed numbers and times are field errors.
func queueQuery(c *gin.Context) (review.QueueQuery, error) {
	q := review.QueueQuery{Status: c.Query("status"), Province: c.Query("province"), Type: c.Query("type"),
		Cursor: c.Query("cursor")}
	fe := kernel.FieldErrors{}
	if s := c.Query("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			fe["limit"] = kernel.CodeInvalid
		}
		q.Limit = n
	}
	if s := c.Query("waiting_since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			fe["waiting_since"] = kernel.CodeInvalid
		}
		q.WaitingSince = &t
	}
	return q, fe.OrNil()
}

func (h reviewHandlers) queue(c *gin.Context) {
	q, err := queueQuery(c)
	if err != nil {
		writeError(c, err)
		return
	}
	page, err := h.reviews.Queue(c.Request.Context(), q)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toQueuePageDTO(page))
}

func (h reviewHandlers) view(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	v, err := h.reviews.View(c.Request.Context(), id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toReviewOrderDTO(v))
}

func (h reviewHandlers) claim(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	cl, err := h.reviews.Claim(c.Request.Context(), principal(c).UserID, id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toClaimDTO(cl))
}

func (h reviewHandlers) decide(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req decisionRequest
	if !bindJSON(c, &req) {
		return
	}
	o, err := h.reviews.Decide(c.Request.Context(), principal(c).UserID, id, req.toService())
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toOrderDTO(o))
}

func (h reviewHandlers) handToBureau(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	o, err := h.reviews.HandToBureau(c.Request.Context(), principal(c).UserID, id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toOrderDTO(o))
}

func (h reviewHandlers) bureauResult(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req bureauResultRequest
	if !bindJSON(c, &req) {
		return
	}
	if req.Approved == nil {
		writeError(c, kernel.FieldErrors{"approved": "MISSING"})
		return
	}
	actor := filing.Actor{Kind: filing.ActorReviewer, ID: principal(c).UserID}
	o, err := h.reviews.RecordBureauResult(c.Request.Context(), actor, id,
		review.BureauResult{Approved: *req.Approved, Reasons: req.Reasons, Comment: req.Comment})
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toOrderDTO(o))
}
