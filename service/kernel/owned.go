package kernel

import (
	"fmt"
)

// ownedBy passes err on, or makes another account's record ErrNotFound, so that a caller cannot
// tell it from a record that does not exist.
func OwnedBy(err error, owner, accountID int64, what string, id int64) error {
	if err == nil && owner != accountID {
		err = ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("%s %d: %w", what, id, err)
	}
	return nil
}
