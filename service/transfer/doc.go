// Package transfer owns the account-to-account flows' authorizations: a migration (迁移) needs the
// target account's consent, requested by SMS code and granted or denied once; Start opens a transfer
// or migration order through the filing rules and sends the request.
package transfer
