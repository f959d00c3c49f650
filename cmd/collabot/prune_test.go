package main

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
)

// TestPruneRound: serve's prune deletes expired event ids and sent
// notices of its workspace in batches until none is left, and keeps
// recent ones, unsent ones and another deployment's (issue 14, build 6).
func TestPruneRound(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t))
	clock := console.NewClock(now)
	p := newPlatforms(t, clock)
	s := buildService(t, p.vars, clock)
	db, err := sql.Open("sqlite", p.vars["COLLABOT_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	old, recent := stampOf(now.AddDate(0, -2, 0)), stampOf(now.Add(-time.Hour))
	seed := []struct {
		query string
		args  []any
	}{
		// 1,100 expired event ids (three batches), 5 recent, 20 of another workspace.
		{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 1100)
			INSERT INTO inbound_events (workspace, event, at) SELECT 'demo', 'slack:Old' || i, ? FROM n`, []any{old}},
		{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 5)
			INSERT INTO inbound_events (workspace, event, at) SELECT 'demo', 'slack:New' || i, ? FROM n`, []any{recent}},
		{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 20)
			INSERT INTO inbound_events (workspace, event, at) SELECT 'other', 'slack:Old' || i, ? FROM n`, []any{old}},
		// 600 notices sent long ago, one sent recently, one never sent, 20 of another workspace.
		{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 600)
			INSERT INTO outbox (workspace, key, collab, recipient, kind, body, created_at, next_attempt, sent_at)
			SELECT 'demo', 'old/' || i, 1, 'ben', 'ack_requested', '{}', ?1, ?1, ?1 FROM n`, []any{old}},
		{`INSERT INTO outbox (workspace, key, collab, recipient, kind, body, created_at, next_attempt, sent_at)
			VALUES ('demo', 'recent', 1, 'ben', 'ack_requested', '{}', ?1, ?1, ?1), ('demo', 'unsent', 1, 'ben', 'ack_requested', '{}', ?2, ?2, NULL)`, []any{recent, old}},
		{`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 20)
			INSERT INTO outbox (workspace, key, collab, recipient, kind, body, created_at, next_attempt, sent_at)
			SELECT 'other', 'old/' || i, 1, 'ben', 'ack_requested', '{}', ?1, ?1, ?1 FROM n`, []any{old}},
	}
	for _, q := range seed {
		if _, err := db.Exec(q.query, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	defer func(g time.Duration) { pruneGap = g }(pruneGap)
	pruneGap = time.Millisecond
	events, sent, err := s.pruneRound(context.Background(), s.e.cfg.Retention.EventsAge(), s.e.cfg.Retention.SentAge())
	if err != nil || events != 1100 || sent != 600 {
		t.Fatalf("pruned %d events and %d notices (%v), want 1100 and 600", events, sent, err)
	}
	left := func(q string) int {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := left(`SELECT count(*) FROM inbound_events`); n != 25 {
		t.Errorf("%d event ids left, want 5 recent and 20 of the other workspace", n)
	}
	if n := left(`SELECT count(*) FROM outbox`); n != 22 {
		t.Errorf("%d notices left, want the recent, the unsent and 20 of the other workspace", n)
	}
}

func stampOf(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z") }
