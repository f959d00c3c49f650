package testkit_test

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/testkit"
)

// TestServeDiesWithTheTest: a test process that dies without running its
// cleanups (a `go test -timeout` panic) takes the serve it started with
// it. This test runs itself twice over: as the dying test, and as its
// serve (an HTTP server answering /readyz).
func TestServeDiesWithTheTest(t *testing.T) {
	switch os.Getenv("TESTKIT_HELPER") {
	case "serve":
		http.HandleFunc("/readyz", func(http.ResponseWriter, *http.Request) {})
		_ = http.ListenAndServe(os.Getenv("COLLABOT_HTTP_ADDR"), nil)
		os.Exit(0)
	case "parent":
		p := testkit.ServeArgv(t, []string{os.Args[0], "-test.run=^TestServeDiesWithTheTest$"}, testkit.FreeAddr(t),
			[]string{"TESTKIT_HELPER=serve"})
		fmt.Printf("serve %d\n", p.Cmd.Process.Pid)
		os.Exit(3) // no cleanup runs
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeDiesWithTheTest$")
	cmd.Env = append(os.Environ(), "TESTKIT_HELPER=parent")
	out, _ := cmd.CombinedOutput()
	var pid int
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "serve "); ok {
			pid, _ = strconv.Atoi(v)
		}
	}
	if pid == 0 {
		t.Fatalf("the dying test started no serve:\n%s", out)
	}
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	for deadline := time.Now().Add(5 * time.Second); !gone(pid); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve %d still running 5 s after its test died", pid)
		}
	}
}

// gone reports whether pid has exited (a zombie nobody reaped yet counts).
func gone(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return strings.HasPrefix(rest, "Z")
}
