// Package e2e holds the end-to-end tests: the whole service, built by package app on a test database
// and Redis, driven over HTTP as the mobile app, the responsible person's phone and the reviewers'
// tools drive it. Its only non-test file is this one.
package e2e
