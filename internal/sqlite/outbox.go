package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
)

// DueNotices returns up to limit unsent notices whose next attempt is due
// at now, oldest first, across the store's workspaces. It only reads: a
// dispatcher uses Claim, so that two of them never send one row twice.
func (s *Store) DueNotices(ctx context.Context, now time.Time, limit int) ([]bot.Queued, error) {
	scope, arg := s.scoped()
	rows, err := s.read.QueryContext(ctx, `SELECT id, workspace, body, attempts FROM outbox
		WHERE sent_at IS NULL AND next_attempt <= ? AND `+scope+` ORDER BY next_attempt, id LIMIT ?`, stamp(now), arg, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due notices: %w", err)
	}
	return scanQueued(rows, "due notices")
}

// Claim takes up to limit unsent notices due at now, replies (the answers
// to what people just said) first, then the rest, each oldest first, and
// pushes their next attempt to now+hold in the same write transaction, so
// another dispatcher (a second replica, the scheduler beside a chat) does
// not see them meanwhile. The claimer then marks each sent, failed or
// deferred; one that crashed leaves its rows to come back after hold.
func (s *Store) Claim(ctx context.Context, now time.Time, limit int, hold time.Duration) ([]bot.Queued, error) {
	if limit <= 0 {
		return nil, nil
	}
	tx, err := s.write.BeginTx(ctx, nil) // BEGIN IMMEDIATE: claimers in other processes queue here
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim notices: %w", err)
	}
	defer tx.Rollback()
	// Only the store's own workspaces: a dispatcher sends with its
	// deployment's tokens, so another tenant's row must never reach it.
	// Replies first (outbox_replies), then the rest, each oldest first.
	scope, arg := s.scoped()
	rows, err := tx.QueryContext(ctx, `SELECT id, workspace, body, attempts FROM outbox
		WHERE sent_at IS NULL AND kind = 'reply' AND next_attempt <= ? AND `+scope+` ORDER BY next_attempt, id LIMIT ?`,
		stamp(now), arg, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: claim notices: %w", err)
	}
	out, err := scanQueued(rows, "claim notices")
	if err != nil {
		return nil, err
	}
	if len(out) < limit { // every due reply is in out
		rows, err := tx.QueryContext(ctx, `SELECT id, workspace, body, attempts FROM outbox
			WHERE sent_at IS NULL AND next_attempt <= ? AND kind <> 'reply' AND `+scope+` ORDER BY next_attempt, id LIMIT ?`,
			stamp(now), arg, limit-len(out))
		if err != nil {
			return nil, fmt.Errorf("sqlite: claim notices: %w", err)
		}
		rest, err := scanQueued(rows, "claim notices")
		if err != nil {
			return nil, err
		}
		out = append(out, rest...)
	}
	if len(out) == 0 {
		return nil, nil
	}
	var ids strings.Builder
	ids.WriteByte('[')
	for i, q := range out {
		if i > 0 {
			ids.WriteByte(',')
		}
		ids.WriteString(strconv.FormatInt(q.ID, 10))
	}
	ids.WriteByte(']')
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_attempt = ?
		WHERE id IN (SELECT value FROM json_each(?))`, stamp(now.Add(hold)), ids.String()); err != nil {
		return nil, fmt.Errorf("sqlite: claim notices: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("sqlite: claim notices: %w", err)
	}
	return out, nil
}

func scanQueued(rows *sql.Rows, what string) ([]bot.Queued, error) {
	defer rows.Close()
	var out []bot.Queued
	for rows.Next() {
		var q bot.Queued
		var body string
		if err := rows.Scan(&q.ID, &q.Workspace, &body, &q.Attempts); err != nil {
			return nil, fmt.Errorf("sqlite: %s: %w", what, err)
		}
		if err := json.Unmarshal([]byte(body), &q.Notice); err != nil {
			return nil, fmt.Errorf("sqlite: decode notice %d: %w", q.ID, err)
		}
		out = append(out, q)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return out, nil
}

// MarkSent records that a notice went out, counting the attempt; it will
// not be returned again. Marking a row already sent changes nothing.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ? AND sent_at IS NULL`,
		stamp(at), id)
	if err != nil {
		return fmt.Errorf("sqlite: mark notice %d sent: %w", id, err)
	}
	return nil
}

// maxCause bounds the stored error: the row stays small and the full
// cause is in the log.
const maxCause = 500

// MarkFailed records a failed attempt, its cause (an error string, which
// adapters keep free of tokens) and when to try again.
func (s *Store) MarkFailed(ctx context.Context, id int64, cause error, retryAt time.Time) error {
	if cause == nil {
		cause = errors.New("unknown error")
	}
	msg := cause.Error()
	if len(msg) > maxCause {
		cut := maxCause
		for cut > 0 && !utf8.RuneStart(msg[cut]) { // do not cut a character in half
			cut--
		}
		msg = msg[:cut]
	}
	_, err := s.write.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?
		WHERE id = ? AND sent_at IS NULL`, msg, stamp(retryAt), id)
	if err != nil {
		return fmt.Errorf("sqlite: mark notice %d failed: %w", id, err)
	}
	return nil
}

// Defer moves an unsent notice's next attempt without counting one: the
// dispatcher never tried it (its channel was over the rate limit).
func (s *Store) Defer(ctx context.Context, id int64, until time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE outbox SET next_attempt = ? WHERE id = ? AND sent_at IS NULL`,
		stamp(until), id)
	if err != nil {
		return fmt.Errorf("sqlite: defer notice %d: %w", id, err)
	}
	return nil
}

// DeferAll moves many unsent notices' next attempts at once, without
// counting attempts: the dispatcher scheduling the rows a rate limit keeps
// back, each for its own slot, in one statement and one commit instead of
// one per row. Rows already sent are left alone.
func (s *Store) DeferAll(ctx context.Context, until map[int64]time.Time) error {
	if len(until) == 0 {
		return nil
	}
	var slots strings.Builder
	slots.WriteByte('[')
	first := true
	for id, at := range until {
		if !first {
			slots.WriteByte(',')
		}
		first = false
		slots.WriteByte('[')
		slots.WriteString(strconv.FormatInt(id, 10))
		slots.WriteString(`,"`)
		slots.WriteString(stamp(at))
		slots.WriteString(`"]`)
	}
	slots.WriteByte(']')
	_, err := s.write.ExecContext(ctx, `UPDATE outbox SET next_attempt = slot.at
		FROM (SELECT value->>0 AS id, value->>1 AS at FROM json_each(?)) AS slot
		WHERE outbox.id = slot.id AND outbox.sent_at IS NULL`, slots.String())
	if err != nil {
		return fmt.Errorf("sqlite: defer %d notices: %w", len(until), err)
	}
	return nil
}

// OutboxDepth counts the store's workspaces' unsent notices and the age
// of the oldest.
func (s *Store) OutboxDepth(ctx context.Context, now time.Time) (int, time.Duration, error) {
	var n int
	var oldest *string
	scope, arg := s.scoped()
	if err := s.read.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL AND `+scope, arg).Scan(&n, &oldest); err != nil {
		return 0, 0, fmt.Errorf("sqlite: outbox depth: %w", err)
	}
	if oldest == nil {
		return n, 0, nil
	}
	t, err := unstamp(*oldest)
	if err != nil {
		return 0, 0, err
	}
	return n, now.Sub(t), nil
}
