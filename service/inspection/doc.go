// Package inspection owns post-filing checks (备案核查): a reviewer opens one against a filed subject
// or service with reasons and a deadline, the applicant is notified and answers, a reviewer resolves
// it, and an overdue check cancels this provider's access once.
package inspection
