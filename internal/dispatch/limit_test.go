package dispatch

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

var t0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func TestMemoryLimiter(t *testing.T) {
	type take struct {
		at   time.Duration // after t0
		ok   bool
		next time.Duration // when refused
	}
	perSecond := Rate{Every: time.Second, Burst: 1}
	tests := []struct {
		name  string
		rate  Rate
		hold  time.Duration // a hold until t0+hold, if any
		takes []take
	}{
		{"one a second", perSecond, 0, []take{
			{0, true, 0}, {500 * time.Millisecond, false, time.Second}, {time.Second, true, 0},
			{1999 * time.Millisecond, false, 2 * time.Second}, {5 * time.Second, true, 0}, {5 * time.Second, false, 6 * time.Second},
		}},
		{"a burst of three", Rate{Every: time.Second, Burst: 3}, 0, []take{
			{0, true, 0}, {0, true, 0}, {0, true, 0}, {0, false, time.Second}, {time.Second, true, 0}, {time.Second, false, 2 * time.Second},
		}},
		{"unlimited", Rate{}, 0, []take{{0, true, 0}, {0, true, 0}, {0, true, 0}}},
		{"a hold on an unlimited key", Rate{}, 30 * time.Second, []take{
			{0, false, 30 * time.Second}, {29 * time.Second, false, 30 * time.Second}, {30 * time.Second, true, 0},
		}},
		{"a hold, then the rate", perSecond, 30 * time.Second, []take{
			{10 * time.Second, false, 30 * time.Second}, {30 * time.Second, true, 0}, {30 * time.Second, false, 31 * time.Second},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMemory()
			ctx := context.Background()
			if tt.hold > 0 {
				m.Hold(ctx, "k", t0.Add(tt.hold))
				m.Hold(ctx, "k", t0.Add(time.Second)) // never shortens a hold
			}
			for i, tk := range tt.takes {
				ok, next, err := m.Take(ctx, "k", tt.rate, t0.Add(tk.at))
				if err != nil || ok != tk.ok || (!ok && !next.Equal(t0.Add(tk.next))) {
					t.Errorf("take %d at +%s: %v, next +%s, %v; want %v, next +%s", i, tk.at, ok, next.Sub(t0), err, tk.ok, tk.next)
				}
			}
			if ok, _, _ := m.Take(ctx, "other", tt.rate, t0); !ok {
				t.Error("another key was limited too")
			}
		})
	}
}

func TestMemoryLimiterConcurrent(t *testing.T) {
	m := NewMemory()
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if ok, _, _ := m.Take(context.Background(), "k", Rate{Every: time.Minute, Burst: 5}, t0); ok {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if allowed.Load() != 5 {
		t.Errorf("%d allowed at once, want the burst of 5", allowed.Load())
	}
}

func TestMemoryLimiterForgetsIdleKeys(t *testing.T) {
	m := NewMemory()
	ctx := context.Background()
	for i := range sweepEvery - 1 {
		m.Take(ctx, fmt.Sprint("channel:", i), Rate{Every: time.Second, Burst: 1}, t0)
	}
	m.Hold(ctx, "held", t0.Add(time.Hour))
	m.Take(ctx, "late", Rate{Every: time.Second, Burst: 1}, t0.Add(time.Minute)) // the sweep
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.cells) != 2 || m.cells["held"] == nil || m.cells["late"] == nil {
		t.Errorf("%d cells after the sweep, want the held and the fresh one", len(m.cells))
	}
}

// TestPacerWaitsForHolds: a post made outside the dispatcher waits for a
// hold the dispatcher put on its channel, and a hold it reports holds the
// dispatcher's rows too.
func TestPacerWaitsForHolds(t *testing.T) {
	ctx := context.Background()
	lim := NewMemory()
	p := NewPacer(lim, bot.Slack, bot.SystemClock)
	start := time.Now()
	if err := p.Wait(ctx, "C1"); err != nil || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("an unheld channel waited %v, %v", time.Since(start), err)
	}
	if err := lim.Hold(ctx, "channel:slack:C1", start.Add(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if err := p.Wait(ctx, "C1"); err != nil || time.Since(start) < 300*time.Millisecond {
		t.Errorf("a held channel was let through after %v, %v", time.Since(start), err)
	}
	p.Hold(ctx, "@U0AMY", time.Now().Add(time.Minute))
	if ok, _, _ := lim.Take(ctx, "channel:slack:@U0AMY", Rate{}, time.Now()); ok {
		t.Error("the dispatcher does not see the pacer's hold")
	}
}

func TestDingTalkLimit(t *testing.T) {
	for _, tt := range []struct {
		app, group float64
		want       Limit
	}{
		{20, 20, Limit{Channel: Rate{Every: 3 * time.Second, Burst: 1}, Workspace: Rate{Every: 100 * time.Millisecond, Burst: 10}}},
		{40, 30, Limit{Channel: Rate{Every: 2 * time.Second, Burst: 1}, Workspace: Rate{Every: 50 * time.Millisecond, Burst: 20}}},
		{1, 0, Limit{Workspace: Rate{Every: 2 * time.Second, Burst: 1}}},
	} {
		if got := DingTalkLimit(tt.app, tt.group); got != tt.want {
			t.Errorf("DingTalkLimit(%v, %v) = %+v, want %+v", tt.app, tt.group, got, tt.want)
		}
	}
	if got := DefaultLimits()[bot.DingTalk]; got != DingTalkLimit(20, 20) {
		t.Errorf("default DingTalk limit %+v", got)
	}
}

// TestMemoryRoom: Room says how many Take would allow now, spending none.
func TestMemoryRoom(t *testing.T) {
	ctx := context.Background()
	m := NewMemory()
	rate := Rate{Every: time.Second, Burst: 3}
	room := func(at time.Time) (int, time.Time) {
		n, next, err := m.Room(ctx, "k", rate, at)
		if err != nil {
			t.Fatal(err)
		}
		return n, next
	}
	if n, _ := room(t0); n != 3 {
		t.Errorf("fresh key: room %d, want the burst 3", n)
	}
	for range 3 {
		if ok, _, _ := m.Take(ctx, "k", rate, t0); !ok {
			t.Fatal("take refused within the burst")
		}
	}
	if n, next := room(t0); n != 0 || !next.Equal(t0.Add(time.Second)) {
		t.Errorf("spent: room %d until %v, want 0 until +1s", n, next)
	}
	if n, _ := room(t0.Add(2500 * time.Millisecond)); n != 2 {
		t.Errorf("2.5 s later: room %d, want 2", n)
	}
	if n, _ := room(t0.Add(time.Hour)); n != 3 {
		t.Errorf("an hour later: room %d, want 3", n)
	}
	_ = m.Hold(ctx, "k", t0.Add(2*time.Hour))
	if n, next := room(t0.Add(time.Hour)); n != 0 || !next.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("held: room %d until %v", n, next)
	}
	if n, _, _ := m.Room(ctx, "free", Rate{}, t0); n < 1000 {
		t.Errorf("unlimited key: room %d", n)
	}
}
