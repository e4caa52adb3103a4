package kernel

import "time"

// Clock tells the time. Use cases take one so tests can move time without sleeping.
type Clock func() time.Time

// SystemClock is the wall clock in UTC, truncated to microseconds (what MySQL DATETIME(6) keeps).
func SystemClock() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
