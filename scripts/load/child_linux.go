package main

import (
	"os/exec"
	"syscall"
)

// detach has the kernel kill the child when this process ends, however it ends, and starts it in
// a session of its own, as the server under test runs. With the kernel's scheduler autogroups
// (sched_autogroup_enabled, on by default) a child left in this process's session is scheduled in
// one group with the load clients, which made the bare server's requests about a fifth cheaper
// in CPU than the same binary serving from a session of its own: a bias for the baseline.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Setsid: true}
}
