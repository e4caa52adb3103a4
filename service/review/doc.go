// Package review owns what happens to an order after submission: the reviewers' queue and claims,
// first-review decisions with catalogue reasons, the masked review view, the hand-over to the bureau
// with its MIIT SMS check (SMSChecks), and the bureau's result with the filing numbers it issues.
package review
