package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/sqlite"
)

// enqueue writes n notices to workspace acme, due at t0, and returns
// their ids in order.
func enqueue(t testing.TB, s *sqlite.Store, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		for i := range n {
			if _, err := tx.Enqueue(ctx, bot.Notice{Key: fmt.Sprintf("test/%d", i), Kind: "ack_requested", To: "ben", At: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := s.DueNotices(ctx, t0, n+1)
	if err != nil || len(due) != n {
		t.Fatalf("enqueued %d, due %d: %v", n, len(due), err)
	}
	ids := make([]int64, n)
	for i, q := range due {
		ids[i] = q.ID
	}
	return ids
}

func ids(qs []bot.Queued) []int64 {
	var out []int64
	for _, q := range qs {
		out = append(out, q.ID)
	}
	return out
}

// row reads what the store keeps about one notice, straight from the file.
type row struct {
	attempts  int
	lastError string
	next      string
	sent      bool
}

func readRow(t *testing.T, s *sqlite.Store, id int64) row {
	t.Helper()
	db, err := sql.Open("sqlite", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var r row
	var sent sql.NullString
	err = db.QueryRow(`SELECT attempts, last_error, next_attempt, sent_at FROM outbox WHERE id = ?`, id).
		Scan(&r.attempts, &r.lastError, &r.next, &sent)
	if err != nil {
		t.Fatal(err)
	}
	r.sent = sent.Valid
	return r
}

func TestClaim(t *testing.T) {
	ctx := context.Background()
	s := open(t, "")
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

func TestMarkAndDefer(t *testing.T) {
	ctx := context.Background()
	s := open(t, "")
	all := enqueue(t, s, 3)
	sent, failed, deferred := all[0], all[1], all[2]

	long := strings.Repeat("é", 400) // 800 bytes: the cut must fall between characters
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

	if r := readRow(t, s, sent); !r.sent || r.attempts != 1 || r.lastError != "" {
		t.Errorf("sent row %+v: want sent once, its first stamp kept, no error", r)
	}
	if r := readRow(t, s, failed); r.sent || r.attempts != 2 || r.lastError != "unknown error" {
		t.Errorf("failed row %+v: want two attempts counted", r)
	}
	if r := readRow(t, s, deferred); r.sent || r.attempts != 0 {
		t.Errorf("deferred row %+v: a deferral is not an attempt", r)
	}
	if due, _ := s.DueNotices(ctx, t0.Add(2*time.Minute), 10); !slices.Equal(ids(due), []int64{failed, deferred}) {
		t.Errorf("due at +2m: %v", ids(due))
	}

	if err := s.MarkFailed(ctx, failed, errors.New(long), t0); err != nil {
		t.Fatal(err)
	}
	r := readRow(t, s, failed)
	if len(r.lastError) > 500 || len(r.lastError) < 490 || !utf8.ValidString(r.lastError) {
		t.Errorf("stored cause is %d bytes, valid UTF-8 %v; want ≤ 500, cut between characters", len(r.lastError), utf8.ValidString(r.lastError))
	}
}

// TestConcurrentClaimsAreDisjoint has two processes' worth of stores on
// one file claim at once: every row goes to exactly one of them.
func TestConcurrentClaimsAreDisjoint(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shared.db")
	stores := []*sqlite.Store{open(t, path), open(t, path)}
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

// TestDeferAll: one call schedules many rows, each for its own slot, with
// no attempt counted, and leaves a sent row alone.
func TestDeferAll(t *testing.T) {
	ctx := context.Background()
	s := open(t, "")
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
	if r := readRow(t, s, all[3]); !r.sent || r.attempts != 1 {
		t.Errorf("sent row %+v changed", r)
	}
}

// TestClaimRepliesFirst: an answer to what someone just said is claimed
// before notices that fell due earlier (a wave waiting for the rate), and
// found by its own index, not by reading the wave.
func TestClaimRepliesFirst(t *testing.T) {
	ctx := context.Background()
	s := open(t, "")
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
	db, err := sql.Open("sqlite", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var plan strings.Builder
	rows, err := db.Query(`EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE sent_at IS NULL AND kind = 'reply' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT 5`, "x")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	rows.Close()
	if !strings.Contains(plan.String(), "outbox_replies") {
		t.Errorf("the reply query does not use outbox_replies:\n%s", plan.String())
	}
}
