package sqlite

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// prepared reports whether the cache holds a compiled statement for q.
func prepared(c *stmtCache, q string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.ready[q]
	return ok
}

// A statement runs unprepared the first time, is compiled once the writer
// is between batches, and later transactions borrow the compiled one;
// the results are the same either way.
func TestStatementsPreparedOnceThenBorrowed(t *testing.T) {
	ctx := context.Background()
	s := openMigrated(t)
	insert := `INSERT INTO reminders (workspace, timer, entity, slot, collab, at) VALUES (?, 't', 'e', ?, 1, ?)`
	for i := range 3 {
		err := s.Apply(ctx, "acme", fmt.Sprintf("ev-%d", i), func(tx bot.Tx) error {
			if i > 0 && !prepared(s.wstmts, insert) {
				t.Errorf("apply %d: the insert run before is still not compiled", i)
			}
			_, err := tx.(*txn).tx.ExecContext(ctx, insert, "acme", fmt.Sprint(i), stamp(time.Now()))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := slots(t, s); len(got) != 3 {
		t.Errorf("recorded %v, want 3 slots", got)
	}
	// Reads the same way on the read pool.
	q := `SELECT count(*) FROM inbound_events WHERE workspace = ? AND event = ?`
	for i := range 3 {
		err := s.View(ctx, "acme", func(tx bot.Tx) error {
			if i > 0 && !prepared(s.rstmts, q) {
				t.Errorf("view %d: the read run before is still not compiled", i)
			}
			seen, err := tx.Recorded(ctx, "ev-1")
			if err == nil && !seen {
				t.Errorf("view %d: ev-1 not recorded", i)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Past its bound the cache compiles nothing more: queries built from
// filters have many spellings and must not grow it without end.
func TestStatementCacheBounded(t *testing.T) {
	s := openMigrated(t)
	c := newStmtCache(s.read)
	c.max = 2
	t.Cleanup(c.close)
	for i := range 5 {
		if c.get(fmt.Sprintf("SELECT %d", i)) != nil {
			t.Fatalf("text %d: prepared before it was ever run", i)
		}
	}
	c.prepare()
	n := 0
	for i := range 5 {
		if c.get(fmt.Sprintf("SELECT %d", i)) != nil {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d texts compiled, want the bound, 2", n)
	}
}

// The writer checkpoints when idle after checkpointEvents events, well
// before SQLite's automatic checkpoint would inside a commit.
func TestWriterCheckpointsWhenIdle(t *testing.T) {
	ctx := context.Background()
	s := openMigrated(t)
	s.checkpoint() // the migrations' pages
	size := func() int64 {
		fi, err := os.Stat(s.Path())
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	for i := range checkpointEvents {
		if err := s.Apply(ctx, "acme", fmt.Sprintf("ev-%d", i), func(tx bot.Tx) error { return remind(ctx, tx, fmt.Sprint(i)) }); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for size() <= before {
		if time.Now().After(deadline) {
			t.Fatalf("database file still %d bytes: nothing checkpointed", before)
		}
		time.Sleep(10 * time.Millisecond) // the writer checkpoints after answering; polled with a deadline
	}
}
