package reliability_test

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// relay forwards TCP connections from an address a replica can reach to
// a service on the test's loopback (the Slack fake, Redis, a database
// server), which a replica in a network namespace of its own cannot
// reach directly. Each replica gets relays of its own, so that one
// replica can be cut off from a service while the others are not, and so
// that the test can see what one replica has in flight.
type relay struct {
	t      testing.TB
	listen string // where it listens, fixed once the first listener took a port
	to     string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
	// waiting counts the connections on which the replica sent something
	// the service has not answered yet: for HTTP, requests in flight.
	waiting atomic.Int64
	sent    atomic.Int64 // requests (sends) that went through
}

// newRelay listens on host (an IP the replica can reach) and forwards to
// the service at to. It is closed when the test ends.
func newRelay(t testing.TB, host, to string) *relay {
	t.Helper()
	r := &relay{t: t, listen: net.JoinHostPort(host, "0"), to: to, conns: map[net.Conn]bool{}}
	r.Restore()
	t.Cleanup(r.Cut)
	return r
}

// Addr is the address to give the replica.
func (r *relay) Addr() string { return r.listen }

// InFlight reports whether the replica has a request out that the
// service has not answered.
func (r *relay) InFlight() bool { return r.waiting.Load() > 0 }

// Requests counts what the replica sent and waited for an answer to.
func (r *relay) Requests() int64 { return r.sent.Load() }

// Cut stops accepting and closes every open connection: the replica finds
// the service gone, as a network partition that resets connections would
// show it.
func (r *relay) Cut() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ln != nil {
		r.ln.Close()
		r.ln = nil
	}
	for c := range r.conns {
		c.Close()
		delete(r.conns, c)
	}
}

// Restore listens again on the same address.
func (r *relay) Restore() {
	r.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ln != nil {
		return
	}
	ln, err := net.Listen("tcp", r.listen)
	if err != nil {
		r.t.Fatalf("relay to %s: %v", r.to, err)
	}
	r.ln, r.listen = ln, ln.Addr().String()
	go r.accept(ln)
}

func (r *relay) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return // cut, or the test is over
		}
		go r.serve(c)
	}
}

// serve copies both ways until either side closes, then closes both.
func (r *relay) serve(c net.Conn) {
	s, err := net.Dial("tcp", r.to)
	if err != nil {
		c.Close()
		return
	}
	if !r.track(c, s) {
		return
	}
	var waiting atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		copyNoting(s, c, func() {
			if waiting.CompareAndSwap(false, true) {
				r.waiting.Add(1)
				r.sent.Add(1)
			}
		})
		c.Close()
		s.Close()
	})
	copyNoting(c, s, func() {
		if waiting.CompareAndSwap(true, false) {
			r.waiting.Add(-1)
		}
	})
	c.Close()
	s.Close()
	wg.Wait()
	if waiting.Load() {
		r.waiting.Add(-1)
	}
	r.mu.Lock()
	delete(r.conns, c)
	delete(r.conns, s)
	r.mu.Unlock()
}

// track keeps both ends for Cut, unless the relay was cut meanwhile.
func (r *relay) track(c, s net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ln == nil {
		c.Close()
		s.Close()
		return false
	}
	r.conns[c], r.conns[s] = true, true
	return true
}

// copyNoting is io.Copy calling read after each read from src that got
// something.
func copyNoting(dst io.Writer, src io.Reader, read func()) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			read()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}
