package filing

import (
	"slices"
	"strconv"
	"strings"
)

// FieldComment is a reviewer's note on one field of an order's proposal, so the app can mark the
// field: Field is a path such as "subject.name", "subject.principal.mobile", "services.1.domains"
// (1 is the service's id within the order) or "agreements".
type FieldComment struct {
	Field   string
	Message string
}

var (
	subjectFields = []string{"nature", "cert_type", "cert_number", "name", "province", "cert_address",
		"contact_address", "principal_is_legal_rep", "principal", "filing_number"}
	serviceFields = []string{"kind", "name", "domains", "home_url", "ips", "access_mode", "platforms",
		"pre_approvals", "content_types", "languages", "principal", "filing_number"}
	personFields = []string{"name", "doc_type", "doc_number", "doc_long_term", "doc_valid_from", "doc_valid_to",
		"mobile", "emergency_phone", "email"}
)

// HasField reports whether path names a field of the proposal: a subject field, a field of one of
// its services (by id), a field of a principal, or the agreements. The whole subject, a whole
// service ("services.1") and a principal as a whole count too.
func (p Proposal) HasField(path string) bool {
	parts := strings.Split(path, ".")
	switch parts[0] {
	case "agreements":
		return len(parts) == 1
	case "subject":
		return len(parts) == 1 || hasField(parts[1:], subjectFields)
	case "services":
		if len(parts) < 2 {
			return false
		}
		id, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil || !slices.ContainsFunc(p.Services, func(s ServiceInfo) bool { return s.ID == id }) {
			return false
		}
		return len(parts) == 2 || hasField(parts[2:], serviceFields)
	}
	return false
}

func hasField(parts, fields []string) bool {
	if !slices.Contains(fields, parts[0]) {
		return false
	}
	switch {
	case len(parts) == 1:
		return true
	case parts[0] == "principal" && len(parts) == 2:
		return slices.Contains(personFields, parts[1])
	}
	return false
}

// LastReviewComments are the field comments of the reviewer decision that put the order where it
// is now: those of the last event when a reviewer made it; nil once anything has happened since.
func LastReviewComments(o Order, events []OrderEvent) []FieldComment {
	if len(events) == 0 {
		return nil
	}
	if e := events[len(events)-1]; e.Actor.Kind == ActorReviewer && e.To == o.Status {
		return e.FieldComments
	}
	return nil
}
