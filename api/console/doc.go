// Package console is the reviewers' browser console at /console: password login, the review
// queue with filters, the order view with its diff against the filed record, claim, the
// first-review decision with the reason catalogue and field comments, the hand-off to the bureau
// and its result, and the post-filing inspections.
//
// Pages are rendered on the server from embedded templates; there is no script and no build step.
// Every action is a plain HTML form that calls the same service methods as the JSON API, so the
// business rules live in service/review and service/inspection only.
//
// Login uses the staff account's phone number and password (account.Accounts.Login). The access
// and refresh tokens it yields are kept in HttpOnly, SameSite=Strict cookies scoped to /console
// (Secure when the request came over https); an expired access token is renewed from the refresh
// token on the next request. Every POST carries a CSRF token that must equal the value of a
// separate random cookie (double submit) and, when the browser sends an Origin header, come from
// this host. Pages are sent with a Content-Security-Policy that allows nothing but this origin's
// style sheet and forms posting back to it.
package console
