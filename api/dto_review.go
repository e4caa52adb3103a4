package api

import (
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/review"
)

// queueItemDTO is one order in the reviewer queue.
type queueItemDTO struct {
	ID             int64      `json:"id"`
	Type           string     `json:"type"`
	Status         string     `json:"status"`
	Province       string     `json:"province"`
	WaitingSince   time.Time  `json:"waiting_since"`
	SubmittedAt    *time.Time `json:"submitted_at,omitempty"`
	ClaimedBy      int64      `json:"claimed_by,omitempty"`
	ClaimExpiresAt *time.Time `json:"claim_expires_at,omitempty"`
}

func toQueueItemDTO(it review.QueueItem) queueItemDTO {
	return queueItemDTO{ID: it.ID, Type: string(it.Type), Status: string(it.Status), Province: it.Province,
		WaitingSince: it.Since.UTC(), SubmittedAt: utcPtr(it.SubmittedAt), ClaimedBy: it.ClaimedBy,
		ClaimExpiresAt: utcPtr(it.ClaimExpires)}
}

type queuePageDTO struct {
	Items      []queueItemDTO `json:"items"`
	NextCursor *string        `json:"next_cursor"`
}

func toQueuePageDTO(p review.QueuePage) queuePageDTO {
	out := queuePageDTO{Items: make([]queueItemDTO, len(p.Items)), NextCursor: nextCursor(p.NextCursor)}
	for i, it := range p.Items {
		out.Items[i] = toQueueItemDTO(it)
	}
	return out
}

// claimDTO is a reviewer's claim; ReviewerID is 0 when nobody holds a live claim.
type claimDTO struct {
	OrderID    int64      `json:"order_id"`
	ReviewerID int64      `json:"reviewer_id"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
}

func toClaimDTO(c review.Claim) claimDTO {
	d := claimDTO{OrderID: c.OrderID, ReviewerID: c.ReviewerID}
	if c.ReviewerID != 0 {
		t := c.ExpiresAt.UTC()
		d.ExpiresAt = &t
	}
	return d
}

type fieldChangeDTO struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

type personRefDTO struct {
	Role      string `json:"role"`
	ServiceID int64  `json:"service_id,omitempty"`
}

// reviewOrderDTO is the reviewer's view of an order, personal data masked.
type reviewOrderDTO struct {
	Order                  orderDTO         `json:"order"`
	Claim                  claimDTO         `json:"claim"`
	Changes                []fieldChangeDTO `json:"changes"`
	Materials              []materialDTO    `json:"materials"`
	ConfirmedVerifications []personRefDTO   `json:"confirmed_verifications"`
	Events                 []orderEventDTO  `json:"events"`
}

func toReviewOrderDTO(v review.ReviewView) reviewOrderDTO {
	d := reviewOrderDTO{Order: toOrderDTO(v.Order), Claim: toClaimDTO(v.Claim), Changes: []fieldChangeDTO{},
		Materials: make([]materialDTO, len(v.Materials)), ConfirmedVerifications: make([]personRefDTO, len(v.Confirmed)),
		Events: make([]orderEventDTO, len(v.Events))}
	for _, c := range v.Changes {
		d.Changes = append(d.Changes, fieldChangeDTO(c))
	}
	for i, m := range v.Materials {
		d.Materials[i] = toMaterialDTO(m)
	}
	for i, p := range v.Confirmed {
		d.ConfirmedVerifications[i] = personRefDTO{Role: string(p.Role), ServiceID: p.ServiceID}
	}
	for i, e := range v.Events {
		d.Events[i] = toOrderEventDTO(e)
	}
	return d
}

type decisionRequest struct {
	Outcome       string            `json:"outcome"`
	Reasons       []string          `json:"reasons"`
	Comment       string            `json:"comment"`
	FieldComments []fieldCommentDTO `json:"field_comments"`
}

func (r decisionRequest) toService() review.Decision {
	comments := make([]filing.FieldComment, len(r.FieldComments))
	for i, c := range r.FieldComments {
		comments[i] = filing.FieldComment{Field: c.Field, Message: c.Message}
	}
	return review.Decision{Outcome: r.Outcome, Reasons: r.Reasons, Comment: r.Comment, FieldComments: comments}
}

type bureauResultRequest struct {
	Approved *bool    `json:"approved"`
	Reasons  []string `json:"reasons"`
	Comment  string   `json:"comment"`
}
