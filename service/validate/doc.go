// Package validate holds pure validators for the values an ICP filing carries: certificate
// numbers, contacts, domains, IP addresses, filing numbers, App feature data and service names.
//
// Every validator returns nil or an error that wraps ErrInvalid, so callers test failures with
// errors.Is(err, validate.ErrInvalid). The message says what is wrong in lowercase English and never
// repeats personal data such as an ID number, so it is safe to log and to show.
//
// Validators check, they do not repair: callers normalise first (NormalizeMobile, NormalizeHex,
// trimming) and store exactly what was validated.
package validate

import "errors"

// ErrInvalid is wrapped by every error this package returns.
var ErrInvalid = errors.New("invalid value")

// invalidError carries a specific message and unwraps to ErrInvalid.
type invalidError struct{ msg string }

func (e *invalidError) Error() string { return e.msg }

func (e *invalidError) Unwrap() error { return ErrInvalid }

// invalid builds an error wrapping ErrInvalid with the given message.
func invalid(msg string) error { return &invalidError{msg: msg} }
