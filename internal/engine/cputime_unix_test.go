//go:build unix

package engine_test

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user and system) the process used so far:
// on a shared machine, whose disk's fsync times swing by 2x from one
// minute to the next, the CPU a step costs beside a commit tells the
// engine's own work apart from the disk's.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
