package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/postgres/pgtest"
	"github.com/collabot/collabot/internal/storetest"
)

// TestMarkFailedKeepsAnyCause: a platform's error text may hold what
// PostgreSQL's text refuses (NUL, bytes that are not UTF-8); recording
// the failure must not fail on it, or the row would be retried at once
// with its attempt uncounted.
func TestMarkFailedKeepsAnyCause(t *testing.T) {
	ctx := context.Background()
	s := copyStore(t, pgtest.Fresh(t))
	id := storetest.Enqueue(t, s, 1)[0]
	for _, cause := range []string{"nul\x00byte", "not utf-8: \xff\xfe", storetest.LongCause + "\x00"} {
		if err := s.MarkFailed(ctx, id, errors.New(cause), storetest.T0.Add(time.Minute)); err != nil {
			t.Errorf("cause %q: %v", cause, err)
		}
	}
	due, err := s.DueNotices(ctx, storetest.T0.Add(time.Minute), 10)
	if err != nil || len(due) != 1 || due[0].Attempts != 3 {
		t.Fatalf("due %+v, %v; want the row with three failures counted", due, err)
	}
}

// TestDueNoticesLimit: a limit of none reads nothing and a negative one
// every due row, as SQLite reads them.
func TestDueNoticesLimit(t *testing.T) {
	ctx := context.Background()
	s := copyStore(t, pgtest.Fresh(t))
	storetest.Enqueue(t, s, 3)
	for limit, want := range map[int]int{0: 0, -1: 3, 2: 2} {
		if due, err := s.DueNotices(ctx, storetest.T0, limit); err != nil || len(due) != want {
			t.Errorf("limit %d: %d rows, %v; want %d", limit, len(due), err, want)
		}
	}
}
