package redistest

import (
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Instance is a private redis-server for one test, on a port of its own,
// which the test can stop and start again (same port, empty data) to
// simulate an outage.
type Instance struct {
	t    testing.TB
	bin  string
	dir  string
	port int

	mu  sync.Mutex
	cmd *exec.Cmd
}

// Server starts a private redis-server (no persistence). It is stopped
// when the test ends. Without the binary the test is skipped, or fails
// when COLLABOT_REQUIRE_REDIS=1.
func Server(t testing.TB) *Instance {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		unavailable(t, "no redis-server binary (%v): install redis-server to run outage tests", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &Instance{t: t, bin: bin, dir: t.TempDir(), port: port}
	t.Cleanup(s.Stop)
	s.Start()
	return s
}

// URL is the server's address.
func (s *Instance) URL() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", s.port) }

// Start starts the server if it is stopped and waits until it answers.
func (s *Instance) Start() {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return
	}
	cmd := exec.Command(s.bin, "--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", s.dir, "--loglevel", "warning")
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("redistest: start redis-server: %v", err)
	}
	s.cmd = cmd
	// A refused connection returns at once: poll until it answers.
	deadline := time.Now().Add(10 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		err := ping(s.URL())
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("redistest: redis-server on port %d does not answer: %v", s.port, err)
		}
		<-tick.C
	}
}

// Stop kills the server, as a crash would, and waits until it is gone.
func (s *Instance) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}
