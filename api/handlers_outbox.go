package api

import (
	"context"
	"net/http"
	"time"

	"github.com/beian/beian/service/notify"
	"github.com/gin-gonic/gin"
)

// outboxAdmin is what the admin outbox routes call: the listing and the re-queue of a failed row.
type outboxAdmin interface {
	Outbox(ctx context.Context, state, cursor string, limit int) (notify.NotificationPage, error)
	Requeue(ctx context.Context, id int64) (notify.Notification, error)
}

// outboxDTO is one outbox row for admins: the recipient masked, no parameters (they may hold codes).
type outboxDTO struct {
	ID        int64      `json:"id"`
	Channel   string     `json:"channel"`
	Template  string     `json:"template"`
	Recipient string     `json:"recipient"`
	State     string     `json:"state"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
}

type outboxPageDTO struct {
	Items      []outboxDTO `json:"items"`
	NextCursor string      `json:"next_cursor"`
}

func toOutboxDTO(n notify.Notification) outboxDTO {
	return outboxDTO{ID: n.ID, Channel: string(n.Channel), Template: n.Template, Recipient: n.Recipient, State: string(n.Status),
		Attempts: n.Attempts, LastError: n.LastError, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt, SentAt: n.SentAt}
}

type outboxHandlers struct{ outbox outboxAdmin }

// list: GET /admin/outbox?state=&limit=&cursor=
func (h outboxHandlers) list(c *gin.Context) {
	limit, ok := pageLimit(c)
	if !ok {
		return
	}
	page, err := h.outbox.Outbox(c.Request.Context(), c.Query("state"), c.Query("cursor"), limit)
	if err != nil {
		writeError(c, err)
		return
	}
	out := outboxPageDTO{Items: make([]outboxDTO, len(page.Items)), NextCursor: page.NextCursor}
	for i, n := range page.Items {
		out.Items[i] = toOutboxDTO(n)
	}
	c.JSON(http.StatusOK, out)
}

// requeue: POST /admin/outbox/{id}/requeue
func (h outboxHandlers) requeue(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	n, err := h.outbox.Requeue(c.Request.Context(), id)
	if err != nil {
		writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, toOutboxDTO(n))
}

// registerOutbox mounts the outbox routes on admin (a group that admits admins only).
func registerOutbox(admin *gin.RouterGroup, outbox outboxAdmin) {
	h := outboxHandlers{outbox: outbox}
	admin.GET("/outbox", h.list)
	admin.POST("/outbox/:id/requeue", h.requeue)
}
