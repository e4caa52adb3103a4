// Package kernel is what every bounded context of the domain shares and nothing more: the clock,
// the sentinel errors the api maps to HTTP, field problem codes, the rate-limiter interface,
// masking of personal data for display, and random tokens and their hashes.
package kernel
