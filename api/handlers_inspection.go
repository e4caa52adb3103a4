package api

import (
	"net/http"
	"time"

	"github.com/beian/beian/service/inspection"
	"github.com/gin-gonic/gin"
)

// inspectionDTO is a post-filing check as the applicant and reviewers see it.
type inspectionDTO struct {
	ID            int64    `json:"id"`
	SubjectID     int64    `json:"subject_id"`
	ServiceID     *int64   `json:"service_id,omitempty"`
	Target        string   `json:"target"`
	Reasons       []string `json:"reasons"`
	Comment       string   `json:"comment"`
	Deadline      string   `json:"deadline"`
	Status        string   `json:"status"`
	AnswerNote    string   `json:"answer_note,omitempty"`
	AnswerOrderID *int64   `json:"answer_order_id,omitempty"`
	AnsweredAt    *string  `json:"answered_at,omitempty"`
	ResolvedAt    *string  `json:"resolved_at,omitempty"`
	CreatedAt     string   `json:"created_at"`
}

func toInspectionDTO(in inspection.Inspection) inspectionDTO {
	out := inspectionDTO{ID: in.ID, SubjectID: in.SubjectID, Target: in.Target, Reasons: in.Reasons, Comment: in.Comment,
		Deadline: rfc3339(in.DeadlineAt), Status: string(in.Status), AnswerNote: in.AnswerNote, CreatedAt: rfc3339(in.CreatedAt)}
	if out.Reasons == nil {
		out.Reasons = []string{}
	}
	if in.ServiceID != 0 {
		out.ServiceID = &in.ServiceID
	}
	if in.AnswerOrderID != 0 {
		out.AnswerOrderID = &in.AnswerOrderID
	}
	if in.AnsweredAt != nil {
		s := rfc3339(*in.AnsweredAt)
		out.AnsweredAt = &s
	}
	if in.ResolvedAt != nil {
		s := rfc3339(*in.ResolvedAt)
		out.ResolvedAt = &s
	}
	return out
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

type inspectionPageDTO struct {
	Items      []inspectionDTO `json:"items"`
	NextCursor *string         `json:"next_cursor"`
}

type openInspectionRequest struct {
	SubjectID int64     `json:"subject_id"`
	ServiceID int64     `json:"service_id"`
	Reasons   []string  `json:"reasons"`
	Deadline  time.Time `json:"deadline"`
	Comment   string    `json:"comment"`
}

type answerInspectionRequest struct {
	Note    string `json:"note"`
	OrderID int64  `json:"order_id"`
}

type resolveInspectionRequest struct {
	Comment string `json:"comment"`
}

type inspectionHandlers struct{ inspections *inspection.Inspections }

// open: POST /review/inspections
func (h inspectionHandlers) open(c *gin.Context) {
	var req openInspectionRequest
	if !bindJSON(c, &req) {
		return
	}
	in, err := h.inspections.Open(c.Request.Context(), principal(c).UserID, inspection.NewInspection{SubjectID: req.SubjectID,
		ServiceID: req.ServiceID, Reasons: req.Reasons, DeadlineAt: req.Deadline, Comment: req.Comment})
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, toInspectionDTO(in))
}

// list serves GET /review/inspections (every account's, reviewer) and GET /inspections (the caller's).
func (h inspectionHandlers) list(all bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		limit, ok := pageLimit(c)
		if !ok {
			return
		}
		account := principal(c).UserID
		if all {
			account = 0
		}
		page, err := h.inspections.List(c.Request.Context(), account, c.Query("status"), c.Query("cursor"), limit)
		if err != nil {
			writeError(c, err)
			return
		}
		out := inspectionPageDTO{Items: make([]inspectionDTO, len(page.Items)), NextCursor: nextCursor(page.NextCursor)}
		for i, in := range page.Items {
			out.Items[i] = toInspectionDTO(in)
		}
		c.JSON(http.StatusOK, out)
	}
}

// answer: POST /inspections/{id}/answer {note, order_id}
func (h inspectionHandlers) answer(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req answerInspectionRequest
	if !bindJSON(c, &req) {
		return
	}
	in, err := h.inspections.Answer(c.Request.Context(), principal(c).UserID, id, req.Note, req.OrderID)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toInspectionDTO(in))
}

// resolve: POST /review/inspections/{id}/resolve {comment}
func (h inspectionHandlers) resolve(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req resolveInspectionRequest
	if !bindJSON(c, &req) {
		return
	}
	in, err := h.inspections.Resolve(c.Request.Context(), principal(c).UserID, id, req.Comment)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toInspectionDTO(in))
}

// registerInspections mounts the applicant's routes on user and the reviewer's on reviewer.
func registerInspections(user, reviewer *gin.RouterGroup, inspections *inspection.Inspections) {
	h := inspectionHandlers{inspections: inspections}
	user.GET("/inspections", h.list(false))
	user.POST("/inspections/:id/answer", h.answer)
	reviewer.POST("/inspections", h.open)
	reviewer.GET("/inspections", h.list(true))
	reviewer.POST("/inspections/:id/resolve", h.resolve)
}
