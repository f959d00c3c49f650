package redis_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/redis"
	"github.com/collabot/collabot/internal/redis/redistest"
)

// eventually polls cond every 10 ms until it holds or within passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Since(start) > within {
			t.Fatalf("%s: not within %v", what, within)
		}
		<-tick.C
	}
	return time.Since(start)
}

func TestLeaseOneHolderAtATime(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	ctx := context.Background()
	const ttl = 300 * time.Millisecond
	a := open(t, url, prefix, nil).Lease("tick", "replica-a", ttl)
	b := open(t, url, prefix, nil).Lease("tick", "replica-b", ttl)
	must := func(ok bool, err error) bool {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !must(a.Acquire(ctx)) {
		t.Fatal("A cannot take a free lease")
	}
	if must(b.Acquire(ctx)) {
		t.Fatal("B took A's lease")
	}
	if !must(a.Acquire(ctx)) {
		t.Fatal("A cannot take its own lease again")
	}
	if must(b.Renew(ctx)) {
		t.Fatal("B renewed A's lease")
	}
	if err := b.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if h, err := b.Holder(ctx); err != nil || h != "replica-a" {
		t.Fatalf("after B's release the holder is %q (%v), want replica-a", h, err)
	}
	// A is killed: it stops renewing. B gets the lease once it expires.
	took := eventually(t, 2*ttl, "B acquires after A stops renewing", func() bool { return must(b.Acquire(ctx)) })
	t.Logf("B took over after %v (ttl %v)", took.Round(time.Millisecond), ttl)
	if must(a.Renew(ctx)) {
		t.Error("A renewed a lease B holds")
	}
	if err := a.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if h, _ := a.Holder(ctx); h != "replica-b" {
		t.Errorf("A's late release removed B's lease: holder %q", h)
	}
	if err := b.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if h, _ := a.Holder(ctx); h != "" {
		t.Errorf("after B's release the holder is %q", h)
	}
}

// TestLeaseDoKeepsAndRenews: Do keeps the lease between runs, renews it
// while a run outlasts the TTL, and the other replica skips meanwhile.
func TestLeaseDoKeepsAndRenews(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	ctx := context.Background()
	const ttl = 150 * time.Millisecond
	a := open(t, url, prefix, nil).Lease("dispatch", "replica-a", ttl)
	b := open(t, url, prefix, nil).Lease("dispatch", "replica-b", ttl)
	for i := range 3 {
		ran, err := a.Do(ctx, func(ctx context.Context) error {
			// B is refused while A works, even past the TTL.
			deadline := time.Now().Add(3 * ttl)
			tick := time.NewTicker(ttl / 4)
			defer tick.Stop()
			for time.Now().Before(deadline) {
				if ran, _ := b.Do(ctx, func(context.Context) error { return nil }); ran {
					return errors.New("B ran while A held the lease")
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-tick.C:
				}
			}
			return nil
		})
		if !ran || err != nil {
			t.Fatalf("run %d: ran %v, err %v", i, ran, err)
		}
		if h, _ := a.Holder(ctx); h != "replica-a" {
			t.Fatalf("after run %d the holder is %q: the lease was not kept", i, h)
		}
	}
}

// TestLeaseDoStopsWhenLost: if another holder has the lease (ours expired
// during a pause), the renewal notices and cancels the work.
func TestLeaseDoStopsWhenLost(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	rdb := redistest.Conn(t, url)
	const ttl = 300 * time.Millisecond
	a := open(t, url, prefix, nil).Lease("tick", "replica-a", ttl)
	var cause atomic.Value
	start := time.Now()
	ran, err := a.Do(context.Background(), func(ctx context.Context) error {
		rdb.Set(ctx, prefix+"lease:tick", "replica-b", time.Minute)
		select {
		case <-ctx.Done():
			cause.Store(context.Cause(ctx))
			return ctx.Err()
		case <-time.After(5 * time.Second):
			return errors.New("not cancelled")
		}
	})
	if !ran || !errors.Is(err, redis.ErrLeaseLost) {
		t.Fatalf("Do = %v, %v; want ran and ErrLeaseLost", ran, err)
	}
	if c, _ := cause.Load().(error); !errors.Is(c, redis.ErrLeaseLost) {
		t.Errorf("cause = %v", c)
	}
	if elapsed := time.Since(start); elapsed > ttl {
		t.Errorf("cancelled after %v, want within a renewal period (%v)", elapsed, ttl/3)
	}
	if h, _ := a.Holder(context.Background()); h != "replica-b" {
		t.Errorf("holder = %q, want replica-b untouched", h)
	}
}

// TestLeaseDoWithoutRedis: correctness never depends on the lease, so
// with Redis down the work runs anyway, with one warning.
func TestLeaseDoWithoutRedis(t *testing.T) {
	srv := redistest.Server(t)
	var log logs
	c := open(t, srv.URL(), "", slogTo(&log))
	l := c.Lease("tick", "replica-a", time.Second)
	srv.Stop()
	ctx := context.Background()
	runs := 0
	for range 3 {
		ran, err := l.Do(ctx, func(context.Context) error { runs++; return nil })
		if !ran || err != nil {
			t.Fatalf("Do = %v, %v; want it to run", ran, err)
		}
	}
	if runs != 3 {
		t.Errorf("fn ran %d times, want 3", runs)
	}
	if n := log.count(slogWarn, "redis unreachable"); n != 1 {
		t.Errorf("%d warnings, want 1:\n%s", n, &log)
	}
	if c.Healthy() {
		t.Error("Healthy with Redis down")
	}
	srv.Start()
	eventually(t, 5*time.Second, "recovery", func() bool { return c.Ping(ctx) == nil })
	if ran, err := l.Do(ctx, func(context.Context) error { return nil }); !ran || err != nil {
		t.Fatalf("after recovery Do = %v, %v", ran, err)
	}
	if h, _ := l.Holder(ctx); h != "replica-a" {
		t.Errorf("after recovery the holder is %q", h)
	}
}
