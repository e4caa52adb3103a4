package api

import (
	"time"

	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
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

// confirmationDTO is the confirmed verification of one responsible person as a reviewer sees it:
// whom it verified (masked), when, the checker's verdict, and whether that is still the person
// the order names.
type confirmationDTO struct {
	Role             string    `json:"role"`
	ServiceID        int64     `json:"service_id,omitempty"`
	MaskedName       string    `json:"masked_name"`
	MaskedDocNumber  string    `json:"masked_doc_number"`
	ConfirmedAt      time.Time `json:"confirmed_at"`
	IdentityVerified bool      `json:"identity_verified"`
	MatchesOrder     bool      `json:"matches_order"`
}

func toConfirmationDTO(o filing.Order, c filing.Confirmation) confirmationDTO {
	current, ok := filing.PersonOf(o, c.Person)
	return confirmationDTO{Role: string(c.Person.Role), ServiceID: c.Person.ServiceID, MaskedName: kernel.MaskName(c.Who.Name),
		MaskedDocNumber: kernel.MaskID(c.Who.DocNumber), ConfirmedAt: c.ConfirmedAt.UTC(), IdentityVerified: c.IdentityVerified,
		MatchesOrder: ok && c.Who.Is(current)}
}

// reviewOrderDTO is the reviewer's view of an order, personal data masked.
type reviewOrderDTO struct {
	Order                  orderDTO          `json:"order"`
	Claim                  claimDTO          `json:"claim"`
	Changes                []fieldChangeDTO  `json:"changes"`
	Materials              []materialDTO     `json:"materials"`
	ConfirmedVerifications []confirmationDTO `json:"confirmed_verifications"`
	Events                 []orderEventDTO   `json:"events"`
}

func toReviewOrderDTO(v review.ReviewView) reviewOrderDTO {
	d := reviewOrderDTO{Order: toOrderDTO(v.Order), Claim: toClaimDTO(v.Claim), Changes: []fieldChangeDTO{},
		Materials: make([]materialDTO, len(v.Materials)), ConfirmedVerifications: make([]confirmationDTO, len(v.Confirmed)),
		Events: make([]orderEventDTO, len(v.Events))}
	for _, c := range v.Changes {
		d.Changes = append(d.Changes, fieldChangeDTO(c))
	}
	for i, m := range v.Materials {
		d.Materials[i] = toMaterialDTO(m)
	}
	for i, p := range v.Confirmed {
		d.ConfirmedVerifications[i] = toConfirmationDTO(v.Order, p)
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
