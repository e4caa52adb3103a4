// Package account owns accounts and how people sign in: SMS login codes (hashed, single use,
// rate-limited), passwords, access and rotating refresh tokens (Sessions), and the provider's staff
// accounts that operators create (Staff).
package account
