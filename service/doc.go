// Package service is beian's domain: entities, rules, the order state machine and the use cases.
//
// It imports the standard library and small pure libraries only. Storage, queues, HTTP and token
// formats live in the repository, jobs and api packages, which depend on this one through the small
// interfaces declared next to the use cases that need them.
package service
