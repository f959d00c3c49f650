package main

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/internal/redis/redistest"
)

// TestLeaseHolderDiesMidTick: two replicas share one SQLite file and
// Redis. Replica A takes the scheduler's lease, records the reminders due
// at 10:30 (ben's overdue acknowledgement) and dies before delivering
// them: it never renews nor releases. Replica B takes the scan and the
// outbox over once A's lease expires, finds the reminders already
// recorded and delivers them: ben gets his reminder once, within the
// lease's time, and no later scan sends it again.
func TestLeaseHolderDiesMidTick(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	defer func(ttl time.Duration, scan string, p func(string) string) {
		leaseTTL, scanSpec, redisPrefix = ttl, scan, p
	}(leaseTTL, scanSpec, redisPrefix)
	leaseTTL, scanSpec = time.Second, "@every 100ms"
	redisPrefix = func(string) string { return prefix }

	at := time.Date(2026, 11, 24, 10, 30, 0, 0, shanghai(t)) // ben's acknowledgement was due at 10:00
	clock := console.NewClock(at)
	p := newPlatforms(t, clock)
	seedCollab(t, p.vars["COLLABOT_DB"])
	p.vars["COLLABOT_REDIS_URL"] = url
	delete(p.vars, "COLLABOT_SLACK_BOT_TOKEN") // DingTalk alone: ben is there
	delete(p.vars, "COLLABOT_SLACK_APP_TOKEN")

	// Replica A: the lease, one tick, then nothing.
	a := buildService(t, p.vars, clock)
	ctx := context.Background()
	if ok, err := a.leases[1].Acquire(ctx); err != nil || !ok {
		t.Fatalf("replica A could not take the scheduler's lease: %v %v", ok, err)
	}
	if _, err := a.leases[0].Acquire(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := a.runner.Scheduler.Tick(ctx, clock.Now(), false)
	if err != nil || rep.Count("sent") == 0 {
		t.Fatalf("replica A's tick: %+v, %v", rep, err)
	}
	died := time.Now()

	// Replica B runs as serve does.
	startService(t, p.vars, clock)
	var tookOver time.Duration
	p.dingtalk.WaitFor(t, "ben's reminder", func(v *dingtest.View) bool {
		for _, m := range dingtest.SentTo(v.Sent(), ben.StaffID) {
			if strings.Contains(m.Title+m.Text, "对接确认已到期") {
				tookOver = time.Since(died)
				return true
			}
		}
		return false
	})
	if tookOver < leaseTTL/2 {
		t.Errorf("replica B delivered %v after A died, while A's lease (%v) still held", tookOver, leaseTTL)
	}
	if tookOver > leaseTTL+2*time.Second {
		t.Errorf("replica B delivered %v after A died; want within the lease's %v and a scan", tookOver, leaseTTL)
	}
	// Let B scan and drain a few more times: nothing is sent twice.
	scans := time.After(5 * leaseTTL / 2)
	<-scans
	reminders := 0
	for _, m := range dingtest.SentTo(p.dingtalk.Sent(), ben.StaffID) {
		if strings.Contains(m.Title+m.Text, "对接确认已到期") {
			reminders++
		}
	}
	if reminders != 1 {
		t.Errorf("ben got his reminder %d times, want once", reminders)
	}
	t.Logf("replica B took over and delivered %v after A died (lease %v)", tookOver.Round(time.Millisecond), leaseTTL)
}

// TestLeaseTTL: COLLABOT_LEASE_TTL sets how long a replica's leases last
// in Redis (so how soon another takes over after a kill -9), and a value
// too short to renew within is refused at start.
func TestLeaseTTL(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	clock := console.NewClock(time.Date(2026, 11, 24, 10, 30, 0, 0, shanghai(t)))
	p := newPlatforms(t, clock)
	p.vars["COLLABOT_REDIS_URL"], p.vars["COLLABOT_REDIS_PREFIX"] = url, prefix
	p.vars["COLLABOT_LEASE_TTL"] = "5s"
	s := buildService(t, p.vars, clock)
	ctx := context.Background()
	if ok, err := s.leases[1].Acquire(ctx); err != nil || !ok {
		t.Fatalf("taking the scheduler's lease: %v %v", ok, err)
	}
	left, err := redistest.Conn(t, url).PTTL(ctx, prefix+"lease:scheduler").Result()
	if err != nil || left <= 0 || left > 5*time.Second {
		t.Errorf("the scheduler's lease lasts %v (%v), want at most the 5s asked for", left, err)
	}

	for _, bad := range []string{"1s", "soon"} {
		p.vars["COLLABOT_LEASE_TTL"] = bad
		e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(k string) string { return p.vars[k] }}
		if _, err := e.flags("serve", nil, nil); err != nil {
			t.Fatal(err)
		}
		if s, err := newService(ctx, e, clock); err == nil || !strings.Contains(err.Error(), "COLLABOT_LEASE_TTL") {
			if s != nil {
				s.close()
			}
			t.Errorf("COLLABOT_LEASE_TTL=%s: %v, want it refused", bad, err)
		}
	}
}
