package filing

import (
	"fmt"
	"time"
)

// PrincipalRole says which responsible person of an order is meant.
type PrincipalRole string

// Principal roles: the subject's principal (主体负责人) and a service's principal (互联网信息服务负责人).
const (
	RoleSubjectPrincipal PrincipalRole = "subject_principal"
	RoleServicePrincipal PrincipalRole = "service_principal"
)

// ParsePrincipalRole accepts the two role names.
func ParsePrincipalRole(s string) (PrincipalRole, error) {
	switch r := PrincipalRole(s); r {
	case RoleSubjectPrincipal, RoleServicePrincipal:
		return r, nil
	}
	return "", fmt.Errorf("unknown principal role %q", s)
}

// PersonRef names one responsible person of an order: the subject principal (ServiceID 0), or the
// principal of the order's service with that id (OrderService.ID: positive, unique within the order,
// never reused after the service is removed from the order).
type PersonRef struct {
	Role      PrincipalRole
	ServiceID int64
}

// String is "subject_principal" or "service_principal:ID", the form used in requirement keys.
func (p PersonRef) String() string {
	if p.Role == RoleSubjectPrincipal {
		return string(p.Role)
	}
	return fmt.Sprintf("%s:%d", p.Role, p.ServiceID)
}

// VerifiedPerson is whom an authenticity verification verified: the name and document the order
// named for the person when the QR code was requested. Name and DocNumber are personal data.
type VerifiedPerson struct {
	Name      string
	DocType   int
	DocNumber string
}

// Is reports whether p, as the order names them now, is the verified person: the same document
// (type and number) under the same name. Changing either voids the verification for the order.
func (v VerifiedPerson) Is(p Person) bool {
	return v.DocNumber != "" && v.DocType == p.DocType && v.DocNumber == p.DocNumber && v.Name == p.Name
}

// VerifiedPersonOf is the identity a verification of p records.
func VerifiedPersonOf(p Person) VerifiedPerson {
	return VerifiedPerson{Name: p.Name, DocType: p.DocType, DocNumber: p.DocNumber}
}

// Confirmation is the confirmed authenticity verification of one responsible person of an order.
// A newer QR code for the same person leaves it in place until the new verification is confirmed.
type Confirmation struct {
	Person           PersonRef
	Who              VerifiedPerson
	ConfirmedAt      time.Time
	IdentityVerified bool // a face verifier matched the photo to the document, beyond the offline check
}

// PersonOf is the responsible person ref names in o as it stands: the subject principal or the
// principal of the service with ref.ServiceID. False when the order has no such service.
func PersonOf(o Order, ref PersonRef) (Person, bool) {
	if ref.Role == RoleSubjectPrincipal {
		return o.Proposal.Subject.Principal, true
	}
	s, ok := o.Proposal.Service(ref.ServiceID)
	return s.Principal, ok
}
