package account

import (
	"fmt"
	"time"
)

// Role is what an account may do.
type Role string

// Roles.
const (
	RoleApplicant Role = "applicant"
	RoleReviewer  Role = "reviewer"
	RoleAdmin     Role = "admin"
)

// ParseRole accepts exactly the three role names.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleApplicant, RoleReviewer, RoleAdmin:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q", s)
}

// Allows reports whether this role may use a route meant for want. Admins may do what reviewers do.
func (r Role) Allows(want Role) bool {
	return r == want || (r == RoleAdmin && want == RoleReviewer)
}

// User is an account, identified by its mainland mobile number.
type User struct {
	ID           int64
	Phone        string
	Role         Role
	PasswordHash string
	CreatedAt    time.Time
}
