// Package notify owns notifications: the outbox row written with the change that causes it, the
// Chinese message templates, and delivery through the SMS and e-mail sender interfaces at most once
// per row. Addresses of the form AccountRecipient are resolved to the account's phone when sent.
package notify
