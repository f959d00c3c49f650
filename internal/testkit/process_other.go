//go:build !linux

package testkit

import "os/exec"

// dieWithTest: only Linux has a parent-death signal; elsewhere a test that
// panics may leave its serve running.
func dieWithTest(*exec.Cmd) {}
