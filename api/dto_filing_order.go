package api

import (
	"errors"
	"time"

	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/filing"
)

type createOrderRequest struct {
	Type        string  `json:"type"`
	ServiceIDs  []int64 `json:"service_ids"`
	TargetPhone string  `json:"target_phone"`
}

// orderDTO is an order with its proposal, personal data masked.
type orderDTO struct {
	ID          int64        `json:"id"`
	Type        string       `json:"type"`
	Status      string       `json:"status"`
	Province    string       `json:"province"`
	SubjectID   int64        `json:"subject_id,omitempty"`
	Editable    bool         `json:"editable"`
	Version     int          `json:"version"`
	Subject     subjectDTO   `json:"subject"`
	Services    []serviceDTO `json:"services"`
	Agreements  []string     `json:"agreements"`
	CreatedAt   time.Time    `json:"created_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	SubmittedAt *time.Time   `json:"submitted_at,omitempty"`
}

func toOrderDTO(o filing.Order) orderDTO {
	p := toProposalDTO(o.Proposal, masker{on: true})
	d := orderDTO{ID: o.ID, Type: string(o.Type), Status: string(o.Status), Province: o.Province(), SubjectID: o.SubjectID,
		Editable: o.Status.Editable(), Version: o.Version, Subject: p.Subject, Services: p.Services, Agreements: p.Agreements,
		CreatedAt: o.CreatedAt.UTC(), UpdatedAt: o.UpdatedAt.UTC()}
	if o.SubmittedAt != nil {
		t := o.SubmittedAt.UTC()
		d.SubmittedAt = &t
	}
	return d
}

type orderPageDTO struct {
	Items      []orderDTO `json:"items"`
	NextCursor *string    `json:"next_cursor"`
}

type orderEventDTO struct {
	ID        int64    `json:"id"`
	Event     string   `json:"event"`
	ActorKind string   `json:"actor_kind"`
	From      string   `json:"from"`
	To        string   `json:"to"`
	Reasons   []string `json:"reasons"`
	// ReasonDetails are the reasons' catalogue entries: title and guidance for the applicant.
	ReasonDetails []reasonDTO       `json:"reason_details"`
	Comment       string            `json:"comment"`
	FieldComments []fieldCommentDTO `json:"field_comments"`
	At            time.Time         `json:"at"`
}

// fieldCommentDTO is a reviewer's note on one proposal field.
type fieldCommentDTO struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func toFieldCommentDTOs(list []filing.FieldComment) []fieldCommentDTO {
	out := make([]fieldCommentDTO, len(list))
	for i, c := range list {
		out[i] = fieldCommentDTO{Field: c.Field, Message: c.Message}
	}
	return out
}

func toOrderEventDTO(e filing.OrderEvent) orderEventDTO {
	d := orderEventDTO{ID: e.ID, Event: string(e.Event), ActorKind: string(e.Actor.Kind), From: string(e.From),
		To: string(e.To), Reasons: nonNil(e.Reasons), ReasonDetails: []reasonDTO{}, Comment: e.Comment,
		FieldComments: toFieldCommentDTOs(e.FieldComments), At: e.At.UTC()}
	for _, code := range e.Reasons {
		if r, ok := catalog.ReasonByCode(code); ok {
			d.ReasonDetails = append(d.ReasonDetails, toReasonDTO(r))
		}
	}
	return d
}

type requirementItemDTO struct {
	Kind    string `json:"kind"`
	Key     string `json:"key"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type requirementsDTO struct {
	Complete bool                 `json:"complete"`
	Items    []requirementItemDTO `json:"items"`
	// Comments are the reviewer's field comments from the decision that sent the order back.
	Comments []fieldCommentDTO `json:"comments"`
}

func toRequirementItems(items []filing.Requirement) []requirementItemDTO {
	out := make([]requirementItemDTO, len(items))
	for i, r := range items {
		out[i] = requirementItemDTO{Kind: string(r.Kind), Key: r.Key, Code: r.Code, Message: r.Message}
	}
	return out
}

type materialDTO struct {
	ID        int64     `json:"id"`
	OrderID   int64     `json:"order_id"`
	Kind      string    `json:"kind"`
	MediaType string    `json:"media_type"`
	Size      int64     `json:"size"`
	SHA256    string    `json:"sha256"`
	Width     int       `json:"width"`
	Height    int       `json:"height"`
	CreatedAt time.Time `json:"created_at"`
}

func toMaterialDTO(m filing.Material) materialDTO {
	return materialDTO{ID: m.ID, OrderID: m.OrderID, Kind: m.Key.String(), MediaType: m.MediaType, Size: m.Size,
		SHA256: m.SHA256, Width: m.Width, Height: m.Height, CreatedAt: m.CreatedAt.UTC()}
}

// filedSubjectDTO is the account's filed subject.
type filedSubjectDTO struct {
	ID        int64      `json:"id"`
	Status    string     `json:"status"`
	Subject   subjectDTO `json:"subject"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

func toFiledSubjectDTO(s filing.Subject) filedSubjectDTO {
	return filedSubjectDTO{ID: s.ID, Status: string(s.Status), Subject: toSubjectDTO(s.Info, masker{on: true}),
		CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC()}
}

// filedServiceDTO is one filed service.
type filedServiceDTO struct {
	ID        int64      `json:"id"`
	SubjectID int64      `json:"subject_id"`
	Status    string     `json:"status"`
	Service   serviceDTO `json:"service"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

func toFiledServiceDTO(s filing.FiledService) filedServiceDTO {
	info := s.Info
	info.ID, info.FiledID = 0, 0
	return filedServiceDTO{ID: s.ID, SubjectID: s.SubjectID, Status: string(s.Status),
		Service: toServiceDTO(info, masker{on: true}), CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC()}
}

// filingDetails are the error envelope's filing extras: the blocking order, the rule that refused
// an order type, or the unmet requirements.
type filingDetails struct {
	OrderID      int64                `json:"order_id,omitempty"`
	Reason       string               `json:"reason,omitempty"`
	Requirements []requirementItemDTO `json:"requirements,omitempty"`
	Domains      []string             `json:"domains,omitempty"`
	// CurrentVersion is the order's version when an If-Match precondition failed.
	CurrentVersion int `json:"current_version,omitempty"`
}

// addFilingDetails fills the filing extras of an error body from err.
func addFilingDetails(err error, b *errorBody) {
	var busy *filing.OrderInProgressError
	var rule *filing.RuleError
	var reqs *filing.RequirementsError
	var stale *filing.VersionMismatchError
	var claims *filing.DomainClaimError
	switch {
	case errors.As(err, &stale):
		b.CurrentVersion = stale.Current
	case errors.As(err, &claims):
		b.Domains = claims.Domains
	case errors.As(err, &busy):
		b.OrderID = busy.OrderID
	case errors.As(err, &rule):
		b.Reason, b.Message = rule.Reason, rule.Message()
	case errors.As(err, &reqs):
		b.Requirements = toRequirementItems(reqs.Requirements.Items)
	}
}
