package redis_test

import (
	"context"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/dispatch"
	"github.com/collabot/collabot/internal/redis/redistest"
)

// step is one call to a limiter: a Take at t (with the case's rate), or
// a Hold until hold when hold is set.
type step struct {
	t    time.Duration
	hold time.Duration
}

// base is the dispatcher's (injected) clock, nowhere near Redis's.
var base = time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)

// TestLimiterMatchesMemory: the shared limiter answers exactly as the
// in-process one over the same calls.
func TestLimiterMatchesMemory(t *testing.T) {
	ms := time.Millisecond
	takes := func(every time.Duration, n int) []step {
		var s []step
		for i := range n {
			s = append(s, step{t: time.Duration(i) * every})
		}
		return s
	}
	tests := []struct {
		name  string
		rate  dispatch.Rate
		steps []step
	}{
		{"one a second, asked at once", dispatch.Rate{Every: time.Second, Burst: 1}, takes(0, 4)},
		{"one a second, asked each 400 ms", dispatch.Rate{Every: time.Second, Burst: 1}, takes(400*ms, 10)},
		{"burst of 10 then steady", dispatch.Rate{Every: 200 * ms, Burst: 10}, append(takes(0, 12), takes(100*ms, 20)...)},
		{"burst 0 means 1", dispatch.Rate{Every: 3 * time.Second, Burst: 0}, takes(time.Second, 8)},
		{"idle long enough to refill", dispatch.Rate{Every: 100 * ms, Burst: 3},
			[]step{{t: 0}, {t: 0}, {t: 0}, {t: 0}, {t: 10 * time.Second}, {t: 10 * time.Second}, {t: 10 * time.Second}, {t: 10 * time.Second}}},
		{"unlimited", dispatch.Rate{}, takes(0, 5)},
		{"held, unlimited", dispatch.Rate{}, []step{{t: 0}, {hold: 2 * time.Second}, {t: ms}, {t: 1999 * ms}, {t: 2 * time.Second}}},
		{"held, then a shorter hold", dispatch.Rate{Every: 500 * ms, Burst: 2},
			[]step{{t: 0}, {hold: 5 * time.Second}, {hold: 2 * time.Second}, {t: 3 * time.Second}, {t: 5 * time.Second}, {t: 5 * time.Second}, {t: 5 * time.Second}}},
		{"microsecond rates", dispatch.Rate{Every: 1500 * time.Microsecond, Burst: 2}, takes(700*time.Microsecond, 12)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			shared := open(t, redistest.URL(t), redistest.Prefix(t), nil).Limiter()
			mem := dispatch.NewMemory()
			for i, s := range tt.steps {
				if s.hold != 0 {
					until := base.Add(s.hold)
					if err := shared.Hold(ctx, "k", until); err != nil {
						t.Fatal(err)
					}
					_ = mem.Hold(ctx, "k", until)
					continue
				}
				now := base.Add(s.t)
				gotOK, gotNext, err := shared.Take(ctx, "k", tt.rate, now)
				if err != nil {
					t.Fatal(err)
				}
				wantOK, wantNext, _ := mem.Take(ctx, "k", tt.rate, now)
				if gotOK != wantOK || !gotNext.Equal(wantNext) {
					t.Errorf("step %d at +%v: redis %v %v, memory %v %v", i, s.t, gotOK, gotNext.Sub(base), wantOK, wantNext.Sub(base))
				}
			}
		})
	}
}

// TestLimiterSharedByReplicas: two replicas draw on one budget per key.
func TestLimiterSharedByReplicas(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	ctx := context.Background()
	a, b := open(t, url, prefix, nil).Limiter(), open(t, url, prefix, nil).Limiter()
	rate := dispatch.Rate{Every: time.Second, Burst: 3}
	// From 0 to 900 ms the key may send its burst of 3, whoever asks; at
	// 1 s one more.
	sent := 0
	for i := range 11 {
		l := a
		if i%2 == 1 {
			l = b
		}
		ok, _, err := l.Take(ctx, "channel:slack:C1", rate, base.Add(time.Duration(i)*100*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			sent++
		}
	}
	if sent != 4 {
		t.Errorf("two replicas sent %d in 0..1 s, want 4", sent)
	}
	// Another key has its own budget.
	if ok, _, _ := b.Take(ctx, "channel:slack:C2", rate, base); !ok {
		t.Error("C2 limited by C1's sending")
	}
	// A hold asked by one replica stops the other; a shorter one later does
	// not shorten it.
	if err := a.Hold(ctx, "workspace:slack:acme", base.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := b.Hold(ctx, "workspace:slack:acme", base.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	ok, next, err := b.Take(ctx, "workspace:slack:acme", dispatch.Rate{}, base.Add(20*time.Second))
	if err != nil || ok || !next.Equal(base.Add(30*time.Second)) {
		t.Errorf("during the hold: %v %v %v, want refused until +30s", ok, next.Sub(base), err)
	}
	if ok, _, _ := a.Take(ctx, "workspace:slack:acme", dispatch.Rate{}, base.Add(30*time.Second)); !ok {
		t.Error("refused once the hold passed")
	}
}

// TestLimiterKeysExpire: a key lives while it is owed or held, no longer,
// whatever the distance between the dispatcher's clock and Redis's.
func TestLimiterKeysExpire(t *testing.T) {
	url, prefix := redistest.URL(t), redistest.Prefix(t)
	rdb := redistest.Conn(t, url)
	ctx := context.Background()
	l := open(t, url, prefix, nil).Limiter()
	for i := range 3 {
		if ok, _, err := l.Take(ctx, "a", dispatch.Rate{Every: 2 * time.Second, Burst: 5}, base); err != nil || !ok {
			t.Fatalf("take %d: %v %v", i, ok, err)
		}
	}
	// Three sent at once: the cell is owed until +6 s.
	if ttl := rdb.PTTL(ctx, prefix+"rate:a").Val(); ttl <= 5*time.Second || ttl > 6*time.Second {
		t.Errorf("PTTL after three takes = %v, want about 6s", ttl)
	}
	if err := l.Hold(ctx, "a", base.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if ttl := rdb.PTTL(ctx, prefix+"rate:a").Val(); ttl < 59*time.Minute {
		t.Errorf("PTTL of a held key = %v, want at least the hour floor", ttl)
	}
	// An unlimited key that is not held writes nothing.
	if ok, _, _ := l.Take(ctx, "b", dispatch.Rate{}, base); !ok {
		t.Fatal("unlimited refused")
	}
	if n := rdb.Exists(ctx, prefix+"rate:b").Val(); n != 0 {
		t.Error("an unlimited take left a key")
	}
}
