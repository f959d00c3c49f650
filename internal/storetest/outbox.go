package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

func testClaim(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	all := enqueue(t, s, 5)
	const hold = 2 * time.Minute

	got, err := s.Claim(ctx, t0, 3, hold)
	if err != nil || !slices.Equal(ids(got), all[:3]) {
		t.Fatalf("first claim %v, %v; want %v", ids(got), err, all[:3])
	}
	if got[0].Workspace != "acme" || got[0].Notice.Kind != "ack_requested" || got[0].Attempts != 0 {
		t.Errorf("claimed %+v", got[0])
	}
	got, _ = s.Claim(ctx, t0, 10, hold)
	if !slices.Equal(ids(got), all[3:]) {
		t.Fatalf("second claim %v, want the rest %v", ids(got), all[3:])
	}
	if got, _ := s.Claim(ctx, t0.Add(hold-time.Nanosecond), 10, hold); len(got) != 0 {
		t.Fatalf("claimed rows came back before their hold: %v", ids(got))
	}

	// The claimer settles three rows and crashes before the other two.
	if err := s.MarkSent(ctx, all[0], t0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, all[1], errors.New("boom"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Defer(ctx, all[2], t0.Add(10*time.Second)); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Claim(ctx, t0.Add(hold), 10, hold)
	if want := []int64{all[2], all[3], all[4]}; !slices.Equal(ids(got), want) {
		t.Fatalf("after the hold claimed %v, want the deferred and the abandoned rows %v", ids(got), want)
	}
	for _, q := range got {
		if err := s.MarkSent(ctx, q.ID, t0.Add(hold)); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := s.Claim(ctx, t0.Add(time.Hour), 10, hold); !slices.Equal(ids(got), all[1:2]) {
		t.Fatalf("an hour later claimed %v, want the failed row %v", ids(got), all[1:2])
	}
	if n, _, err := s.OutboxDepth(ctx, t0); err != nil || n != 1 {
		t.Errorf("depth %d, %v; want the failed row unsent", n, err)
	}
	if got, err := s.Claim(ctx, t0, 0, hold); err != nil || len(got) != 0 {
		t.Errorf("claim of none: %v, %v", got, err)
	}
}

// LongCause is an 800-byte error text: a store keeping the cause of a
// failure cuts it between characters.
var LongCause = strings.Repeat("é", 400)

// Settle queues three notices and settles them as a dispatcher may, in
// every order it may: one sent (then settled again, which changes
// nothing), one failed twice (the second time without a cause, the first
// with LongCause), one deferred twice. A store's own tests look at the
// rows as kept.
func Settle(t testing.TB, s store.Backend) (sent, failed, deferred int64) {
	t.Helper()
	ctx := context.Background()
	all := enqueue(t, s, 3)
	sent, failed, deferred = all[0], all[1], all[2]
	long := LongCause
	steps := []struct {
		name string
		do   func() error
	}{
		{"sent", func() error { return s.MarkSent(ctx, sent, t0) }},
		{"sent again", func() error { return s.MarkSent(ctx, sent, t0.Add(time.Hour)) }},
		{"failed after sent", func() error { return s.MarkFailed(ctx, sent, errors.New("late"), t0) }},
		{"deferred after sent", func() error { return s.Defer(ctx, sent, t0.Add(time.Hour)) }},
		{"failed", func() error { return s.MarkFailed(ctx, failed, errors.New(long), t0.Add(time.Minute)) }},
		{"failed without a cause", func() error { return s.MarkFailed(ctx, failed, nil, t0.Add(2*time.Minute)) }},
		{"deferred", func() error { return s.Defer(ctx, deferred, t0.Add(time.Minute)) }},
		{"deferred again", func() error { return s.Defer(ctx, deferred, t0.Add(2*time.Minute)) }},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
	}
	return sent, failed, deferred
}

// testMarkAndDefer: a sent row stays sent whatever comes after; a failure
// counts an attempt, a deferral does not.
func testMarkAndDefer(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	sent, failed, deferred := Settle(t, s)
	due, err := s.DueNotices(ctx, t0.Add(2*time.Minute), 10)
	if err != nil || !slices.Equal(ids(due), []int64{failed, deferred}) {
		t.Fatalf("due at +2m: %v, %v; want the failed and the deferred row", ids(due), err)
	}
	if due[0].Attempts != 2 || due[1].Attempts != 0 {
		t.Errorf("attempts %d and %d; want two failures counted, a deferral not", due[0].Attempts, due[1].Attempts)
	}
	if _, err := s.Attempt(ctx, sent, t0.Add(time.Hour)); !errors.Is(err, store.ErrSent) {
		t.Errorf("attempting the sent row: %v, want ErrSent", err)
	}
	if n, _, err := s.OutboxDepth(ctx, t0.Add(time.Hour)); err != nil || n != 2 {
		t.Errorf("depth %d, %v; want the two unsent", n, err)
	}
	if err := s.MarkFailed(ctx, failed, errors.New(LongCause), t0); err != nil {
		t.Errorf("a long cause: %v", err)
	}
}

// testConcurrentClaimsAreDisjoint has two processes' worth of stores on
// one file claim at once: every row goes to exactly one of them.
func testConcurrentClaimsAreDisjoint(t *testing.T, db DB) {
	ctx := context.Background()
	stores := []store.Backend{open(t, db), open(t, db)}
	const n = 300
	all := enqueue(t, stores[0], n)

	var mu sync.Mutex
	owner := map[int64]int{}
	var wg sync.WaitGroup
	for w, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				got, err := s.Claim(ctx, t0, 7, time.Hour)
				if err != nil {
					t.Error(err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, q := range got {
					if prev, ok := owner[q.ID]; ok {
						t.Errorf("row %d claimed by store %d and again by store %d", q.ID, prev, w)
					}
					owner[q.ID] = w
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(owner) != len(all) {
		t.Errorf("%d of %d rows claimed", len(owner), len(all))
	}
	per := [2]int{}
	for _, w := range owner {
		per[w]++
	}
	t.Logf("claims per store: %v", per)
}

// testDeferAll: one call schedules many rows, each for its own slot, with
// no attempt counted, and leaves a sent row alone.
func testDeferAll(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	all := enqueue(t, s, 4)
	if err := s.MarkSent(ctx, all[3], t0); err != nil {
		t.Fatal(err)
	}
	slots := map[int64]time.Time{all[0]: t0.Add(3 * time.Second), all[1]: t0.Add(time.Second), all[3]: t0.Add(time.Hour)}
	if err := s.DeferAll(ctx, slots); err != nil {
		t.Fatal(err)
	}
	if err := s.DeferAll(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		at   time.Duration
		want []int64
	}{
		{0, []int64{all[2]}},
		{time.Second, []int64{all[1]}},
		{3 * time.Second, []int64{all[0]}},
	} {
		got, err := s.Claim(ctx, t0.Add(step.at), 10, time.Hour)
		if err != nil || !slices.Equal(ids(got), step.want) {
			t.Errorf("at +%s claimed %v, %v; want %v", step.at, ids(got), err, step.want)
		}
		for _, q := range got {
			if q.Attempts != 0 {
				t.Errorf("row %d: %d attempts after a deferral", q.ID, q.Attempts)
			}
		}
	}
	if got, err := s.Claim(ctx, t0.Add(2*time.Hour), 10, time.Hour); err != nil || slices.Contains(ids(got), all[3]) {
		t.Errorf("the sent row came back: %v, %v", ids(got), err)
	}
	if _, err := s.Attempt(ctx, all[3], t0.Add(2*time.Hour)); !errors.Is(err, store.ErrSent) {
		t.Errorf("the sent row is no longer sent: %v", err)
	}
}

// testClaimRepliesFirst: an answer to what someone just said is claimed
// before notices that fell due earlier (a wave waiting for the rate), and
// found by its own index, not by reading the wave.
func testClaimRepliesFirst(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	wave := enqueue(t, s, 5)
	m := bot.Message{Platform: bot.Slack, Workspace: "acme", Channel: "D0BEN", From: bot.Identity{Platform: bot.Slack, ID: "U0BEN"}, Text: "list"}
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		_, err := tx.Enqueue(ctx, bot.ReplyNotice("ev1", m, []bot.Reply{{Body: "ok"}}, t0.Add(time.Second)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Claim(ctx, t0.Add(time.Second), 2, time.Minute)
	if err != nil || len(got) != 2 || got[0].Notice.Kind != bot.KindReply || got[1].ID != wave[0] {
		t.Fatalf("claimed %v, %v; want the reply, then the oldest notice %d", ids(got), err, wave[0])
	}
	got, _ = s.Claim(ctx, t0.Add(time.Second), 10, time.Minute)
	if !slices.Equal(ids(got), wave[1:]) {
		t.Errorf("then claimed %v, want the rest of the wave %v", ids(got), wave[1:])
	}
}
