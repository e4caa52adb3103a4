package account

import (
	"context"
	"errors"
	"fmt"

	"github.com/beian/beian/service/kernel"
	"github.com/beian/beian/service/validate"
)

// Staff manages the provider's own accounts (reviewers and admins) for operators. It needs only
// the user store: `beian admin` runs it without Redis.
type Staff struct {
	users UserStore
	now   kernel.Clock
}

// NewStaff wires the operator use case.
func NewStaff(users UserStore, now kernel.Clock) *Staff { return &Staff{users: users, now: now} }

// EnsureUser creates the account for phone with role, or gives an existing one that role
// (used by `beian admin create-user`). A non-empty password is set too.
func (s *Staff) EnsureUser(ctx context.Context, phone string, role Role, password string) (User, error) {
	phone = validate.NormalizeMobile(phone)
	if validate.Mobile(phone) != nil {
		return User{}, kernel.FieldErrors{"phone": "INVALID_PHONE"}
	}
	u, err := s.users.UserByPhone(ctx, phone)
	if errors.Is(err, kernel.ErrNotFound) {
		u, err = s.users.CreateUser(ctx, User{Phone: phone, Role: role, CreatedAt: s.now()})
	} else if err == nil && u.Role != role {
		err = s.users.SetRole(ctx, u.ID, role)
		u.Role = role
	}
	if err != nil {
		return User{}, fmt.Errorf("ensure user %s: %w", kernel.MaskPhone(phone), err)
	}
	if password != "" {
		hash, err := HashPassword(password)
		if err != nil {
			return User{}, err
		}
		if err := s.users.SetPassword(ctx, u.ID, hash); err != nil {
			return User{}, err
		}
	}
	return u, nil
}
