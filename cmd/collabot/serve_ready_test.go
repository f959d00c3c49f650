package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/internal/testkit"
)

// TestReadyzAnswers200FromTheStart: while Slack's auth.test is slow to
// answer, serve does not answer HTTP yet (requests wait in the backlog)
// rather than answer /readyz 503; its first answer is 200.
func TestReadyzAnswers200FromTheStart(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	p := newPlatforms(t, clock)
	p.slack.SetLatency("auth.test", 300*time.Millisecond)
	s := buildServiceLogged(t, p.vars, clock, &testkit.SyncBuffer{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.run(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	client := &http.Client{Timeout: 30 * time.Second}
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := client.Get("http://" + ln.Addr().String() + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			return
		}
		t.Errorf("/readyz = %d during start-up:\n%s", res.StatusCode, body)
		if time.Now().After(deadline) {
			t.Fatal("never ready")
		}
		time.Sleep(10 * time.Millisecond) // a prober's interval
	}
}
