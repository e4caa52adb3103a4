package kernel

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Sentinel errors. The api package maps each to an HTTP status and a stable code in one table;
// repositories translate driver errors into ErrNotFound and ErrConflict.
var (
	ErrNotFound        = errors.New("not found")
	ErrConflict        = errors.New("conflict")
	ErrUnauthenticated = errors.New("unauthenticated")
	ErrForbidden       = errors.New("forbidden")
	ErrRateLimited     = errors.New("rate limited")
	// ErrUnavailable means a backing service (Redis, the database) did not answer; retrying later helps.
	ErrUnavailable = errors.New("service temporarily unavailable")
)

// FieldErrors reports invalid input field by field: field name → problem code (SCREAMING_SNAKE).
// It wraps nothing; check it with errors.As.
type FieldErrors map[string]string

// Error lists the fields in a stable order.
func (f FieldErrors) Error() string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + f[k]
	}
	return "invalid input: " + strings.Join(parts, ", ")
}

// OrNil returns nil when no field is invalid, so callers can `return fe.OrNil()`.
func (f FieldErrors) OrNil() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

// RateLimitError says when the caller may try again. It wraps ErrRateLimited.
type RateLimitError struct {
	Limit      string // which limit: "sms_resend", "sms_daily", "ip", "password"
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited (%s), retry after %s", e.Limit, e.RetryAfter)
}

// Unwrap lets errors.Is(err, ErrRateLimited) match.
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// Field problem codes every package uses in FieldErrors; packages add their own.
const (
	CodeMissing = "MISSING" // not given / not uploaded / not confirmed / not accepted
	CodeInvalid = "INVALID" // given but malformed
)

// RowError is one record a sweep over many could not handle. Sweeps go on with the next record
// and return every RowError joined (errors.Join), so one bad record never blocks the others.
type RowError struct {
	Kind string // what the record is: "order", "inspection"
	ID   int64
	Err  error
}

func (e *RowError) Error() string { return fmt.Sprintf("%s %d: %v", e.Kind, e.ID, e.Err) }

// Unwrap exposes the cause to errors.Is and errors.As.
func (e *RowError) Unwrap() error { return e.Err }
