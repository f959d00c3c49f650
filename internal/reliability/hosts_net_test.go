package reliability_test

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/collabot/collabot/internal/testkit"
)

// host is where one replica runs: a network namespace of its own with an
// address of its own (mode "netns"), or this machine's loopback, as a
// separate process (mode "processes").
type host struct {
	name string
	ns   string // the network namespace; "" on loopback
	ip   string // the replica's address
	gw   string // the address on the test's side the replica reaches it by
}

// Host placement modes, for the table.
const (
	modeNetns     = "netns"
	modeProcesses = "processes"
)

// placeHosts makes n hosts: network namespaces joined to this one by veth
// pairs where the machine allows it (root, iproute2), else loopback. It
// says which, and why when it fell back. Everything it made is removed
// when the test ends, however it ends.
func placeHosts(t *testing.T, n int) (hosts []host, mode, why string) {
	t.Helper()
	if os.Getenv("COLLABOT_HOSTS_LOOPBACK") == "1" {
		return loopbackHosts(n), modeProcesses, "COLLABOT_HOSTS_LOOPBACK=1"
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return loopbackHosts(n), modeProcesses, "no ip command"
	}
	// Names and subnets of this run's own, so that two runs on one
	// machine do not meet: 10.77.<k>.0/24 per host, none another holds.
	removeLeftovers(t)
	pid := os.Getpid()
	base, err := freeSubnets(pid, n)
	if err != nil {
		return loopbackHosts(n), modeProcesses, err.Error()
	}
	for i := range n {
		h := host{name: fmt.Sprintf("host%d", i+1), ns: fmt.Sprintf("collabot-%d-%d", pid, i+1),
			ip: fmt.Sprintf("10.77.%d.2", base+i+1), gw: fmt.Sprintf("10.77.%d.1", base+i+1)}
		if err := h.create(t, fmt.Sprintf("cbt%d-%d", pid%100000, i+1)); err != nil {
			return loopbackHosts(n), modeProcesses, err.Error()
		}
		hosts = append(hosts, h)
	}
	return hosts, modeNetns, ""
}

// removeLeftovers deletes the namespaces of earlier runs that died
// without cleaning up (collabot-<pid>-<i>, the pid gone); those of a run
// still going are left alone.
func removeLeftovers(t *testing.T) {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		rest, ok := strings.CutPrefix(name, "collabot-")
		if !ok {
			continue
		}
		owner, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(owner)
		if !ok || err != nil || pid <= 0 || alive(pid) {
			continue
		}
		if err := ip("netns", "del", name); err != nil {
			t.Logf("leftover namespace %s not removed: %v", name, err)
		} else {
			t.Logf("removed leftover namespace %s (process %d gone)", name, pid)
		}
	}
}

// alive reports whether a process pid exists (one we may not signal
// exists too).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// freeSubnets is the k before n subnets 10.77.<k+1..k+n>.0/24 no address
// on this machine is in, starting from one the pid picks.
func freeSubnets(pid, n int) (int, error) {
	const slots = 80 // 10.77.1–240
	for try := range slots {
		base := ((pid + try) % slots) * n
		free := true
		for i := range n {
			out, err := exec.Command("ip", "-o", "addr", "show", "to", fmt.Sprintf("10.77.%d.0/24", base+i+1)).Output()
			if err != nil {
				return 0, fmt.Errorf("ip addr show: %w", err)
			}
			if strings.TrimSpace(string(out)) != "" {
				free = false
				break
			}
		}
		if free {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no free 10.77.x.0/24 subnets for %d hosts", n)
}

func loopbackHosts(n int) []host {
	hosts := make([]host, n)
	for i := range hosts {
		hosts[i] = host{name: fmt.Sprintf("host%d", i+1), ip: "127.0.0.1", gw: "127.0.0.1"}
	}
	return hosts
}

// create makes h's namespace and the veth pair (veth on this side, in
// the namespace its peer) and registers their removal.
func (h host) create(t *testing.T, veth string) error {
	peer := veth + "p"
	if err := ip("netns", "add", h.ns); err != nil {
		return err
	}
	t.Cleanup(func() {
		if err := ip("netns", "del", h.ns); err != nil {
			t.Errorf("removing %s: %v", h.ns, err)
		}
	})
	if err := ip("link", "add", veth, "type", "veth", "peer", "name", peer); err != nil {
		return err
	}
	t.Cleanup(func() { _ = ip("link", "del", veth) }) // gone with the namespace already, as a rule
	for _, args := range [][]string{
		{"link", "set", peer, "netns", h.ns},
		{"addr", "add", h.gw + "/24", "dev", veth},
		{"link", "set", veth, "up"},
		{"-n", h.ns, "addr", "add", h.ip + "/24", "dev", peer},
		{"-n", h.ns, "link", "set", peer, "up"},
		{"-n", h.ns, "link", "set", "lo", "up"},
	} {
		if err := ip(args...); err != nil {
			return err
		}
	}
	return nil
}

func ip(args ...string) error {
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("ip %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// listen is an address for the replica's HTTP listener: in a namespace
// of its own the host's address has every port free.
func (h host) listen(t *testing.T) string {
	if h.ns != "" {
		return net.JoinHostPort(h.ip, "8080")
	}
	return freeAddr(t)
}

// reach relays a service on the test's loopback (host:port) to an address
// this host can dial.
func (h host) reach(t *testing.T, to string) *relay { return newRelay(t, h.gw, to) }

// serve starts serve on h with vars, its listener on addr, until ready.
func (h host) serve(t *testing.T, addr string, vars []string) *testkit.Process {
	t.Helper()
	argv := []string{bin, "serve"}
	if h.ns != "" {
		argv = append([]string{"ip", "netns", "exec", h.ns}, argv...) // ip execs serve: the same process
	}
	return testkit.ServeArgv(t, argv, addr, append(vars, "COLLABOT_LOG_FORMAT=json"))
}
