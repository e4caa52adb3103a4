//go:build !linux

package main

import "os/exec"

// dieWithParent is a no-op where the kernel offers no parent-death signal; close kills the child.
func dieWithParent(*exec.Cmd) {}
