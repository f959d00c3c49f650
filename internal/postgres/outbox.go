package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
)

// DueNotices returns up to limit unsent notices whose next attempt is due
// at now, oldest first, across the store's workspaces. It only reads: a
// dispatcher uses Claim, so that two of them never send one row twice.
func (s *Store) DueNotices(ctx context.Context, now time.Time, limit int) ([]bot.Queued, error) {
	var most any = limit
	if limit < 0 {
		most = nil // every row, as SQLite reads a negative limit (LIMIT NULL is LIMIT ALL)
	}
	scope, arg := s.scoped(3)
	rows, err := s.pool.Query(ctx, `SELECT id, workspace, body, attempts FROM outbox
		WHERE sent_at IS NULL AND next_attempt <= $1 AND `+scope+` ORDER BY next_attempt, id LIMIT $2::bigint`, now, most, arg)
	if err != nil {
		return nil, fmt.Errorf("postgres: due notices: %w", err)
	}
	out, err := pgx.CollectRows(rows, scanQueued)
	if err != nil {
		return nil, fmt.Errorf("postgres: due notices: %w", err)
	}
	return out, nil
}

func scanQueued(row pgx.CollectableRow) (bot.Queued, error) {
	var q bot.Queued
	var body []byte
	if err := row.Scan(&q.ID, &q.Workspace, &body, &q.Attempts); err != nil {
		return q, err
	}
	if err := json.Unmarshal(body, &q.Notice); err != nil {
		return q, fmt.Errorf("decode notice %d: %w", q.ID, err)
	}
	return q, nil
}

// claimQuery takes the due rows and pushes their next attempt to the end
// of the hold in one statement: replies first (the outbox_replies index),
// then the rest for what the replies left of the limit, each oldest
// first. FOR UPDATE SKIP LOCKED makes claimers on other connections and
// hosts pass over the rows being claimed instead of waiting for them, and
// a row another claimer moved meanwhile fails the recheck of next_attempt
// once its lock is free: every row goes to one claimer.
//
// The order comes back as columns (the UPDATE's RETURNING has none of
// its own) and is restored by the caller. The ids are also given as an
// array, so the update finds its rows by key: the planner cannot tell how
// many a limit computed by a subquery leaves, and would otherwise read
// the whole table to join them (migration 0002 has the indexes).
const claimQuery = `WITH replies AS (
		SELECT id, next_attempt FROM outbox
		WHERE sent_at IS NULL AND kind = 'reply' AND next_attempt <= $1 AND %[1]s
		ORDER BY next_attempt, id LIMIT $2 FOR UPDATE SKIP LOCKED
	), rest AS (
		SELECT id, next_attempt FROM outbox
		WHERE sent_at IS NULL AND kind <> 'reply' AND next_attempt <= $1 AND %[1]s
		ORDER BY next_attempt, id LIMIT $2 - (SELECT count(*) FROM replies) FOR UPDATE SKIP LOCKED
	), picked AS (
		SELECT id, next_attempt, 0 AS rank FROM replies UNION ALL SELECT id, next_attempt, 1 FROM rest
	)
	UPDATE outbox o SET next_attempt = $3 FROM picked p
	WHERE o.id = p.id AND o.id = ANY(ARRAY(SELECT id FROM picked))
	RETURNING o.id, o.workspace, o.body, o.attempts, p.rank, p.next_attempt`

// Claim takes up to limit unsent notices due at now, replies (the answers
// to what people just said) first, then the rest, each oldest first, and
// pushes their next attempt to now+hold in the same statement, so that
// no other dispatcher (another replica on another host, the scheduler
// beside a chat) sees them meanwhile. The claimer then marks each sent,
// failed or deferred; one that crashed leaves its rows to come back after
// hold.
func (s *Store) Claim(ctx context.Context, now time.Time, limit int, hold time.Duration) ([]bot.Queued, error) {
	if limit <= 0 {
		return nil, nil
	}
	// Only the store's own workspaces: a dispatcher sends with its
	// deployment's tokens, so another tenant's row must never reach it.
	scope, arg := s.scoped(4)
	rows, err := s.pool.Query(ctx, fmt.Sprintf(claimQuery, scope), now, limit, now.Add(hold), arg)
	if err != nil {
		return nil, fmt.Errorf("postgres: claim notices: %w", err)
	}
	type claimed struct {
		q    bot.Queued
		rank int
		due  time.Time
	}
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (claimed, error) {
		var c claimed
		var body []byte
		if err := row.Scan(&c.q.ID, &c.q.Workspace, &body, &c.q.Attempts, &c.rank, &c.due); err != nil {
			return c, err
		}
		if err := json.Unmarshal(body, &c.q.Notice); err != nil {
			return c, fmt.Errorf("decode notice %d: %w", c.q.ID, err)
		}
		return c, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: claim notices: %w", err)
	}
	if len(got) == 0 {
		return nil, nil
	}
	slices.SortFunc(got, func(a, b claimed) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return cmp.Compare(a.q.ID, b.q.ID)
	})
	out := make([]bot.Queued, len(got))
	for i, c := range got {
		out[i] = c.q
	}
	return out, nil
}

// MarkSent records that a notice went out, counting the attempt; it will
// not be returned again. Marking a row already sent changes nothing.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2 AND sent_at IS NULL`,
		at, id); err != nil {
		return fmt.Errorf("postgres: mark notice %d sent: %w", id, err)
	}
	return nil
}

// maxCause bounds the stored error: the row stays small and the full
// cause is in the log.
const maxCause = 500

// cause is the text of a failure as the row keeps it: at most maxCause
// bytes, cut between characters, and text PostgreSQL accepts (valid
// UTF-8 without NUL), so that no error an adapter returns makes the
// mark itself fail.
func cause(err error) string {
	if err == nil {
		err = errors.New("unknown error")
	}
	msg := strings.ToValidUTF8(err.Error(), "\uFFFD")
	msg = strings.ReplaceAll(msg, "\x00", "\uFFFD")
	if len(msg) > maxCause {
		cut := maxCause
		for cut > 0 && !utf8.RuneStart(msg[cut]) { // do not cut a character in half
			cut--
		}
		msg = msg[:cut]
	}
	return msg
}

// MarkFailed records a failed attempt, its cause (an error string, which
// adapters keep free of tokens) and when to try again.
func (s *Store) MarkFailed(ctx context.Context, id int64, failure error, retryAt time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt = $2
		WHERE id = $3 AND sent_at IS NULL`, cause(failure), retryAt, id); err != nil {
		return fmt.Errorf("postgres: mark notice %d failed: %w", id, err)
	}
	return nil
}

// Defer moves an unsent notice's next attempt without counting one: the
// dispatcher never tried it (its channel was over the rate limit).
func (s *Store) Defer(ctx context.Context, id int64, until time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE outbox SET next_attempt = $1 WHERE id = $2 AND sent_at IS NULL`,
		until, id); err != nil {
		return fmt.Errorf("postgres: defer notice %d: %w", id, err)
	}
	return nil
}

// DeferAll moves many unsent notices' next attempts at once, without
// counting attempts: the dispatcher scheduling the rows a rate limit keeps
// back, each for its own slot, in one statement instead of one per row.
// Rows already sent are left alone.
func (s *Store) DeferAll(ctx context.Context, until map[int64]time.Time) error {
	if len(until) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(until))
	for id := range until {
		ids = append(ids, id)
	}
	slices.Sort(ids) // rows locked in one order: two DeferAlls never deadlock
	at := make([]time.Time, len(ids))
	for i, id := range ids {
		at[i] = until[id]
	}
	if _, err := s.pool.Exec(ctx, `UPDATE outbox SET next_attempt = slot.at
		FROM unnest($1::bigint[], $2::timestamptz[]) AS slot(id, at)
		WHERE outbox.id = slot.id AND outbox.sent_at IS NULL`, ids, at); err != nil {
		return fmt.Errorf("postgres: defer %d notices: %w", len(until), err)
	}
	return nil
}

// OutboxDepth counts the store's workspaces' unsent notices and the age
// of the oldest.
func (s *Store) OutboxDepth(ctx context.Context, now time.Time) (int, time.Duration, error) {
	var n int
	var oldest *time.Time
	scope, arg := s.scoped(1)
	if err := s.pool.QueryRow(ctx, `SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL AND `+scope,
		arg).Scan(&n, &oldest); err != nil {
		return 0, 0, fmt.Errorf("postgres: outbox depth: %w", err)
	}
	if oldest == nil {
		return n, 0, nil
	}
	return n, now.Sub(*oldest), nil
}
