package sqlite_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/internal/sqlite"
	"github.com/collabot/collabot/internal/storetest"
)

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

// TestOutboxRowsAsStored: what the contract's settling of rows leaves in
// the file (storetest's MarkAndDefer and DeferAll check what a caller
// sees): a sent row keeps its first stamp and no error, a failure without
// a cause says so, and a long cause is cut between characters.
func TestOutboxRowsAsStored(t *testing.T) {
	ctx := t.Context()
	s := open(t, "")
	sent, failed, deferred := storetest.Settle(t, s)
	if r := readRow(t, s, sent); !r.sent || r.attempts != 1 || r.lastError != "" {
		t.Errorf("sent row %+v: want sent once, its first stamp kept, no error", r)
	}
	if r := readRow(t, s, failed); r.sent || r.attempts != 2 || r.lastError != "unknown error" {
		t.Errorf("failed row %+v: want two attempts counted", r)
	}
	if r := readRow(t, s, deferred); r.sent || r.attempts != 0 {
		t.Errorf("deferred row %+v: a deferral is not an attempt", r)
	}
	if err := s.DeferAll(ctx, map[int64]time.Time{sent: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if r := readRow(t, s, sent); !r.sent || r.attempts != 1 {
		t.Errorf("sent row %+v changed by DeferAll", r)
	}
	if err := s.MarkFailed(ctx, failed, errors.New(storetest.LongCause), t0); err != nil {
		t.Fatal(err)
	}
	r := readRow(t, s, failed)
	if len(r.lastError) > 500 || len(r.lastError) < 490 || !utf8.ValidString(r.lastError) {
		t.Errorf("stored cause is %d bytes, valid UTF-8 %v; want ≤ 500, cut between characters", len(r.lastError), utf8.ValidString(r.lastError))
	}
}

// TestReplyClaimUsesItsIndex: an answer to what someone just said is
// found by its own index, not by reading a wave of notices waiting for
// the rate (storetest's ClaimRepliesFirst checks the order).
func TestReplyClaimUsesItsIndex(t *testing.T) {
	s := open(t, "")
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
