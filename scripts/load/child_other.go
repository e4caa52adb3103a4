//go:build !linux

package main

import "os/exec"

// detach is a no-op where the kernel offers no parent-death signal; close kills the child.
func detach(*exec.Cmd) {}
