package filing

import (
	"context"
	"errors"
	"fmt"
)

// ErrVersionMismatch: the caller edited an order from a version that is no longer current.
var ErrVersionMismatch = errors.New("order version mismatch")

// VersionMismatchError carries the order's current version. It wraps ErrVersionMismatch.
type VersionMismatchError struct {
	OrderID       int64
	Want, Current int
}

func (e *VersionMismatchError) Error() string {
	return fmt.Sprintf("order %d is at version %d, not %d", e.OrderID, e.Current, e.Want)
}

// Unwrap lets errors.Is(err, ErrVersionMismatch) match.
func (e *VersionMismatchError) Unwrap() error { return ErrVersionMismatch }

type ifVersionKey struct{}

// IfVersion makes the order edits run with ctx (Patch, Submit, Withdraw, Abandon) conditional: the
// edit applies only while the order is at version v, checked under the order's row lock, and
// fails with *VersionMismatchError otherwise. A context without it edits whatever is current.
func IfVersion(ctx context.Context, v int) context.Context {
	return context.WithValue(ctx, ifVersionKey{}, v)
}

// checkIfVersion applies the condition IfVersion put on ctx to the locked order o.
func checkIfVersion(ctx context.Context, o *Order) error {
	want, ok := ctx.Value(ifVersionKey{}).(int)
	if !ok || want == o.Version {
		return nil
	}
	return &VersionMismatchError{OrderID: o.ID, Want: want, Current: o.Version}
}
