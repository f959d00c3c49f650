package testkit

import (
	"context"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/database"
)

// FreeAddr is a loopback address nothing listens on (yet).
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Process is a `collabot serve` started by Serve: the real binary, its
// output in Log.
type Process struct {
	Cmd  *exec.Cmd
	Log  *SyncBuffer
	done chan struct{}
}

// Serve runs `bin serve` with vars added to the environment, its HTTP
// listener on addr, and waits until /readyz answers 200. The process is
// killed when the test ends if it is still running.
func Serve(t testing.TB, bin, addr string, vars []string) *Process {
	t.Helper()
	return ServeArgv(t, []string{bin, "serve"}, addr, vars)
}

// ServeArgv is Serve for a serve started through another command, such
// as `ip netns exec <ns> collabot serve` for a replica on a host of its
// own: argv must exec serve in the same process, so that Kill reaches it.
// addr must be reachable from the test.
func ServeArgv(t testing.TB, argv []string, addr string, vars []string) *Process {
	t.Helper()
	cmd := exec.Command(argv[0], argv[1:]...)
	// A PostgreSQL address in the test's own environment would win over
	// the COLLABOT_DB a test passes: it is cleared unless vars set it.
	cmd.Env = append(os.Environ(), "COLLABOT_DATABASE_URL=")
	cmd.Env = append(cmd.Env, append(vars, "COLLABOT_HTTP_ADDR="+addr)...)
	p := &Process{Cmd: cmd, Log: &SyncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.Log, p.Log
	dieWithTest(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(p.Kill)
	deadline := time.Now().Add(time.Minute)
	for {
		if res, err := http.Get("http://" + addr + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("serve exited at start:\n%s", p.Log.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve not ready within a minute:\n%s", p.Log.String())
		}
		time.Sleep(10 * time.Millisecond) // polling a process we cannot be told about
	}
}

// Kill is kill -9; it returns once the process is gone.
func (p *Process) Kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.Cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Term sends SIGTERM.
func (p *Process) Term(t testing.TB) {
	if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
}

// Wait waits for the process to exit, at most a minute (then it fails the
// test), and returns its exit code.
func (p *Process) Wait(t testing.TB) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(time.Minute):
		t.Fatalf("serve did not exit within a minute:\n%s", p.Log.String())
	}
	return p.Cmd.ProcessState.ExitCode()
}

// ReminderChanges counts the demo workspace's COL-1 reminder changes in
// the database at db by the value set: one per `remind COL-1 … <value>`
// applied, so a test that gives each event a value of its own sees a lost
// event and a doubled one alike.
func ReminderChanges(t testing.TB, db string) map[string]int {
	t.Helper()
	ctx := context.Background()
	store, err := database.Open(ctx, db, database.Options{Log: Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	counts := map[string]int{}
	err = store.View(ctx, "demo", func(tx bot.Tx) error {
		entries, err := tx.Timeline(ctx, 1)
		for _, e := range entries {
			if e.Action == "reminder_changed" {
				counts[e.Note]++
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return counts
}
