package filing

import "fmt"

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
