package sqlite

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

var gcLog io.Writer = io.Discard

// openMigrated is a store on a new file, migrated, closed after the test.
func openMigrated(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "gc.db"), slog.New(slog.NewTextHandler(gcLog, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// hold keeps the writer busy in an Apply of its own until the returned
// function is called, so that what is applied meanwhile queues up and
// goes in one batch.
func hold(t *testing.T, s *Store) (release func()) {
	t.Helper()
	started, gate := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Apply(context.Background(), "acme", "", func(bot.Tx) error {
			close(started)
			<-gate
			return nil
		})
	}()
	<-started
	return func() {
		close(gate)
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// queued waits until n requests wait for the writer.
func queued(t *testing.T, s *Store, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(s.w.queue) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests queued, want %d", len(s.w.queue), n)
		}
		time.Sleep(time.Millisecond) // polling a queue length with a deadline
	}
}

func remind(ctx context.Context, tx bot.Tx, slot string) error {
	_, err := tx.RecordReminder(ctx, bot.Reminder{Timer: "t", Entity: "e", Slot: slot, Collab: 1})
	return err
}

func slots(t *testing.T, s *Store) map[string]bool {
	t.Helper()
	got := map[string]bool{}
	err := s.View(context.Background(), "acme", func(tx bot.Tx) error {
		rs, err := tx.Reminders(context.Background(), "t", "")
		for _, r := range rs {
			got[r.Slot] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Events applied together each keep their own outcome: a refusal, a
// duplicate, a conflict and a panic roll back only their own event's
// writes, and every caller hears its own result after the one commit.
func TestGroupCommitIsolatesEvents(t *testing.T) {
	ctx := context.Background()
	s := openMigrated(t)
	if err := s.Apply(ctx, "acme", "ev-seen", func(tx bot.Tx) error { return remind(ctx, tx, "seen") }); err != nil {
		t.Fatal(err)
	}
	refused := bot.Refuse(bot.CodeInvalid, "refuse.invalid", nil)
	cases := []struct {
		event string
		fn    func(bot.Tx) error
		want  error // nil: committed
		panic bool
	}{
		{"ev-ok-1", func(tx bot.Tx) error { return remind(ctx, tx, "ok-1") }, nil, false},
		{"ev-refused", func(tx bot.Tx) error { remind(ctx, tx, "refused"); return refused }, refused, false},
		{"ev-seen", func(tx bot.Tx) error { return remind(ctx, tx, "dup") }, bot.ErrDuplicateEvent, false},
		{"ev-conflict", func(tx bot.Tx) error { remind(ctx, tx, "conflict"); return bot.ErrConflict }, bot.ErrConflict, false},
		{"ev-panic", func(tx bot.Tx) error { remind(ctx, tx, "panic"); panic("boom") }, nil, true},
		{"", func(tx bot.Tx) error { return remind(ctx, tx, "ok-2") }, nil, false},
	}
	events0, batches0 := s.GroupStats()
	release := hold(t, s)
	var wg sync.WaitGroup
	errs := make([]error, len(cases))
	panics := make([]any, len(cases))
	for i, c := range cases {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			errs[i] = s.Apply(ctx, "acme", c.event, c.fn)
		})
		queued(t, s, i+1) // in this order
	}
	release()
	wg.Wait()
	for i, c := range cases {
		if c.panic {
			if panics[i] != "boom" {
				t.Errorf("%s: panic %v, want boom again in the caller", c.event, panics[i])
			}
			continue
		}
		if !errors.Is(errs[i], c.want) || (c.want == nil) != (errs[i] == nil) {
			t.Errorf("%s: %v, want %v", c.event, errs[i], c.want)
		}
	}
	got := slots(t, s)
	want := map[string]bool{"seen": true, "ok-1": true, "ok-2": true}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("recorded %v, want %v", got, want)
	}
	events, batches := s.GroupStats()
	if events-events0 != 7 || batches-batches0 != 2 {
		t.Errorf("%d events in %d transactions, want 7 in 2 (the held one, then the rest together)", events-events0, batches-batches0)
	}
	// The refused and the panicked event were not recorded: their
	// redeliveries run.
	for _, ev := range []string{"ev-refused", "ev-panic", "ev-conflict"} {
		if err := s.Apply(ctx, "acme", ev, func(tx bot.Tx) error { return nil }); err != nil {
			t.Errorf("redelivered %s: %v", ev, err)
		}
	}
}

// A full queue refuses an inbound event at once, and an event whose
// caller gave up, or whose ack deadline passed, while it queued is
// refused unrecorded, all as overloaded; the rest commit.
func TestGroupCommitOverload(t *testing.T) {
	ctx := context.Background()
	s := openMigrated(t)
	release := hold(t, s)

	due := make(chan error, 1)
	go func() {
		// Admitted (the queue is empty), its deadline past by its turn.
		due <- s.Apply(bot.WithAckDeadline(ctx, time.Now().Add(-time.Millisecond)), "acme", "ev-due",
			func(tx bot.Tx) error { return remind(ctx, tx, "due") })
	}()
	queued(t, s, 1)

	late, cancel := context.WithCancel(ctx)
	lateErr := make(chan error, 1)
	go func() {
		lateErr <- s.Apply(late, "acme", "ev-late", func(tx bot.Tx) error { return remind(ctx, tx, "late") })
	}()
	queued(t, s, 2)
	cancel()

	var wg sync.WaitGroup
	for i := 2; i < QueueSize; i++ {
		wg.Go(func() {
			if err := s.Apply(ctx, "acme", fmt.Sprint("ev-", i), func(tx bot.Tx) error { return remind(ctx, tx, fmt.Sprint(i)) }); err != nil {
				t.Errorf("event %d: %v", i, err)
			}
		})
	}
	queued(t, s, QueueSize)
	err := s.Apply(ctx, "acme", "ev-over", func(tx bot.Tx) error { return remind(ctx, tx, "over") })
	if !errors.Is(err, bot.ErrOverloaded) {
		t.Errorf("full queue: %v, want overloaded", err)
	}
	release()
	wg.Wait()
	if err := <-lateErr; !errors.Is(err, bot.ErrOverloaded) || !errors.Is(err, context.Canceled) {
		t.Errorf("given up while queued: %v, want overloaded", err)
	}
	if err := <-due; !errors.Is(err, bot.ErrOverloaded) {
		t.Errorf("ack deadline passed while queued: %v, want overloaded", err)
	}
	got := slots(t, s)
	if len(got) != QueueSize-2 || got["late"] || got["over"] || got["due"] {
		t.Errorf("%d recorded (late %v, over %v, due %v), want %d", len(got), got["late"], got["over"], got["due"], QueueSize-2)
	}
	// No refused event was recorded: their redeliveries run.
	for _, ev := range []string{"ev-late", "ev-over", "ev-due"} {
		if err := s.Apply(ctx, "acme", ev, func(bot.Tx) error { return nil }); err != nil {
			t.Errorf("redelivered %s: %v", ev, err)
		}
	}
}

// A caller whose context interrupts its own statement makes SQLite
// abandon the whole transaction; the batch is then applied again event
// by event, so the others still commit and only the interrupted one fails.
func TestGroupCommitInterruptedEvent(t *testing.T) {
	ctx := context.Background()
	var logged strings.Builder
	gcLog = &logged
	defer func() { gcLog = io.Discard }()
	s := openMigrated(t)
	release := hold(t, s)
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() {
		errs[0] = s.Apply(ctx, "acme", "ev-a", func(tx bot.Tx) error { return remind(ctx, tx, "a") })
	})
	queued(t, s, 1)
	slow, cancel := context.WithCancel(ctx)
	defer cancel()
	wg.Go(func() {
		errs[1] = s.Apply(slow, "acme", "ev-slow", func(tx bot.Tx) error {
			time.AfterFunc(50*time.Millisecond, cancel)
			// A long write, interrupted when its context ends.
			_, err := tx.(*txn).tx.ExecContext(slow, `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 1000000000)
				INSERT INTO inbound_events (workspace, event, at) SELECT 'acme', 'x' || x, '' FROM n`)
			return err
		})
	})
	queued(t, s, 2)
	wg.Go(func() {
		errs[2] = s.Apply(ctx, "acme", "ev-b", func(tx bot.Tx) error { return remind(ctx, tx, "b") })
	})
	queued(t, s, 3)
	release()
	wg.Wait()
	if errs[0] != nil || errs[2] != nil || errs[1] == nil {
		t.Errorf("results %v, want only the interrupted event to fail", errs)
	}
	if got := slots(t, s); !got["a"] || !got["b"] || len(got) != 2 {
		t.Errorf("recorded %v, want a and b", got)
	}
	if err := s.Apply(ctx, "acme", "ev-slow", func(bot.Tx) error { return nil }); err != nil {
		t.Errorf("the interrupted event was recorded after all: %v", err)
	}
	if !strings.Contains(logged.String(), "applying one by one") {
		t.Errorf("the batch was not applied again one by one; log:\n%s", logged.String())
	}
}

// An inbound event whose budget the queued work would mostly eat is
// refused at once rather than at the end of its budget; writes without
// an event (the scheduler's) still wait their turn.
func TestGroupCommitRefusesWhatCannotBeRecordedInTime(t *testing.T) {
	s := openMigrated(t)
	ctx := context.Background()
	s.w.perEvent.Store(int64(600 * time.Millisecond)) // a writer this slow per event
	release := hold(t, s)
	queuedErr := make(chan error, 1)
	go func() {
		queuedErr <- s.Apply(ctx, "acme", "ev-0", func(tx bot.Tx) error { return remind(ctx, tx, "0") })
	}()
	queued(t, s, 1)
	budget := bot.WithAckDeadline(ctx, time.Now().Add(time.Second))
	start := time.Now()
	err := s.Apply(budget, "acme", "ev-1", func(tx bot.Tx) error { return remind(ctx, tx, "1") })
	if !errors.Is(err, bot.ErrOverloaded) || time.Since(start) > 100*time.Millisecond {
		t.Errorf("%v after %s, want overloaded at once", err, time.Since(start))
	}
	writes := make(chan error, 1)
	go func() {
		writes <- s.Apply(budget, "acme", "", func(tx bot.Tx) error { return remind(ctx, tx, "2") })
	}()
	queued(t, s, 2)
	release()
	if err := <-queuedErr; err != nil {
		t.Errorf("the event queued first: %v", err)
	}
	if err := <-writes; err != nil {
		t.Errorf("a write without an event: %v", err)
	}
	// The queue empty again, the same budget is admitted.
	if err := s.Apply(bot.WithAckDeadline(ctx, time.Now().Add(time.Second)), "acme", "ev-1", func(tx bot.Tx) error { return remind(ctx, tx, "1") }); err != nil {
		t.Errorf("the refused event's redelivery: %v", err)
	}
	if got := slots(t, s); !got["0"] || !got["1"] || !got["2"] {
		t.Errorf("recorded %v", got)
	}
}
