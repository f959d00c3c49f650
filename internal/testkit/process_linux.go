package testkit

import (
	"os/exec"
	"syscall"
)

// dieWithTest has the kernel kill cmd when the test process dies, however
// it dies: a `go test -timeout` panic runs no cleanup, and a replica left
// running would hold its namespace, its database and its leases.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
