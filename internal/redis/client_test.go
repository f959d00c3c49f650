package redis_test

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/collabot/collabot/internal/redis"
)

func TestOpenMalformedURLHidesPassword(t *testing.T) {
	tests := []struct {
		url    string
		secret []string // none of these may appear in the error
	}{
		{"redis://:hunter2@127.0.0.1:notaport/0", []string{"hunter2"}},
		{"redis://user:hunter2%zz@127.0.0.1:6379/0", []string{"hunter2", "%zz"}},
		{"redis://:hunter2@127.0.0.1:6379/notadb", []string{"hunter2"}},
		{"http://:hunter2@127.0.0.1:6379/0", []string{"hunter2"}},
		{"redis://:hunter2@127.0.0.1:6379/0?dial_timeout=soon", []string{"hunter2"}},
		{"redis://:p@ss:w0rd@127.0.0.1:x/0", []string{"p@ss:w0rd", "ss:w0rd"}},
	}
	for _, tt := range tests {
		_, err := redis.Open(context.Background(), tt.url, "", quiet())
		if err == nil {
			t.Errorf("%s: no error", tt.url)
			continue
		}
		for _, s := range tt.secret {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error reveals %q: %v", s, err)
			}
		}
		t.Logf("%s: %v", tt.url, err)
		if !strings.HasPrefix(err.Error(), "redis: malformed url") {
			t.Errorf("error = %v", err)
		}
	}
}

// TestOpenWithoutRedisIsDegraded: an unreachable Redis is not an error;
// the client warns once and every call falls back.
func TestOpenWithoutRedisIsDegraded(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nobody listens there now
	var log logs
	c := open(t, "redis://:hunter2@"+addr+"/0", "", slogTo(&log))
	if c.Healthy() {
		t.Error("healthy without Redis")
	}
	h := newCounter()
	d := c.Dedupe(h, redis.DedupeOptions{})
	for range 3 {
		if r, err := d.Handle(context.Background(), msg("Ev1")); err != nil || len(r) != 1 {
			t.Fatalf("degraded Handle = %v, %v", r, err)
		}
	}
	if h.count("Ev1") != 3 {
		t.Errorf("handler called %d times, want every delivery (the store dedupes)", h.count("Ev1"))
	}
	if n := log.count(slog.LevelWarn, "redis unreachable"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, &log)
	}
	if strings.Contains(log.String(), "hunter2") {
		t.Error("the log reveals the password")
	}
}
