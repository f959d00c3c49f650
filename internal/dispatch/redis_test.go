package dispatch_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/dispatch"
	"github.com/collabot/collabot/internal/redis"
	"github.com/collabot/collabot/internal/redis/redistest"
)

// TestReplicasShareRedisLimits: two dispatchers (two replicas) drain one
// outbox under one workspace limit kept in the real Redis. Redis cannot
// say how many may go, so each claims by what it was told itself and the
// other's sends surprise it: it must still never exceed the limit
// together, deliver each row once, finish at the limit's pace and keep
// back each row only a few times. The drains run in lockstep, the worst
// case for that surprise.
func TestReplicasShareRedisLimits(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	c := newClock()
	out := &memOutbox{}
	const n = 60
	for i := range n {
		out.add(notice(key(i), fmt.Sprintf("p%02d", i), fmt.Sprintf("slack:U%02d", i)))
	}
	limits := dispatch.Limits{bot.Slack: {Channel: dispatch.Rate{Every: time.Second, Burst: 1},
		Workspace: dispatch.Rate{Every: 100 * time.Millisecond, Burst: 5}}}
	s := newSender(bot.Slack, c)
	var ds []*dispatch.Dispatcher
	for range 2 {
		cl, err := redis.Open(context.Background(), url, prefix, quietLog())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cl.Close() })
		ds = append(ds, newDispatcher(t, dispatch.Options{Outbox: out, Senders: []bot.Sender{s}, Clock: c,
			Limits: limits, Limiter: cl.Limiter(), Batch: 20}))
	}
	for end := t0.Add(time.Minute); c.Now().Before(end) && out.unsent() > 0; c.Add(50 * time.Millisecond) {
		for _, d := range ds {
			if _, err := d.Drain(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	}
	got := s.deliveries()
	if ids := byID(got); len(ids) != n {
		t.Fatalf("%d of %d delivered", len(ids), n)
	}
	for id, k := range byID(got) {
		if k != 1 {
			t.Errorf("row %d delivered %d times", id, k)
		}
	}
	// GCRA: in any window of W at most Burst + W/Every.
	var at []time.Time
	for _, dl := range got {
		at = append(at, dl.at)
	}
	slices.SortFunc(at, time.Time.Compare)
	for i := range at {
		j := i
		for j < len(at) && at[j].Sub(at[i]) < time.Second {
			j++
		}
		if j-i > 5+10 {
			t.Fatalf("%d sends within a second from +%s, over the limit", j-i, at[i].Sub(t0))
		}
	}
	if last := at[len(at)-1].Sub(t0); last > 7*time.Second {
		t.Errorf("the last went at +%s, want about (60-5)/10 s", last)
	}
	// Alone, a dispatcher keeps a row back at most once; two that learn of
	// each other's sends only through refusals, a few times.
	total := 0
	for _, r := range out.rows {
		total += r.deferred
		if r.deferred > 4 {
			t.Errorf("row %d kept back %d times", r.q.ID, r.deferred)
		}
	}
	if avg := float64(total) / n; avg > 2 {
		t.Errorf("rows kept back %.2f times on average, want ≤ 2", avg)
	}
	t.Logf("rows kept back %.2f times on average", float64(total)/n)
}
