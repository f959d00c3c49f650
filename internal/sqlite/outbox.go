package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
)

// DueNotices returns up to limit unsent notices whose next attempt is due
// at now, oldest first, across workspaces (the dispatcher serves them all).
func (s *Store) DueNotices(ctx context.Context, now time.Time, limit int) ([]bot.Queued, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, workspace, body, attempts FROM outbox
		WHERE sent_at IS NULL AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?`, stamp(now), limit)
	if err != nil {
		return nil, fmt.Errorf("sqlite: due notices: %w", err)
	}
	defer rows.Close()
	var out []bot.Queued
	for rows.Next() {
		var q bot.Queued
		var body string
		if err := rows.Scan(&q.ID, &q.Workspace, &body, &q.Attempts); err != nil {
			return nil, fmt.Errorf("sqlite: due notices: %w", err)
		}
		if err := json.Unmarshal([]byte(body), &q.Notice); err != nil {
			return nil, fmt.Errorf("sqlite: decode notice %d: %w", q.ID, err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// MarkSent records that a notice went out; it will not be returned again.
func (s *Store) MarkSent(ctx context.Context, id int64, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE outbox SET sent_at = ?, attempts = attempts + 1 WHERE id = ? AND sent_at IS NULL`,
		stamp(at), id)
	if err != nil {
		return fmt.Errorf("sqlite: mark notice %d sent: %w", id, err)
	}
	return nil
}

// MarkFailed records a failed attempt and when to try again.
func (s *Store) MarkFailed(ctx context.Context, id int64, cause error, retryAt time.Time) error {
	msg := cause.Error()
	if len(msg) > 500 { // keep the row small; the full cause is in the log
		msg = msg[:500]
		for !utf8.ValidString(msg) {
			msg = msg[:len(msg)-1]
		}
	}
	_, err := s.write.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt = ?
		WHERE id = ? AND sent_at IS NULL`, msg, stamp(retryAt), id)
	if err != nil {
		return fmt.Errorf("sqlite: mark notice %d failed: %w", id, err)
	}
	return nil
}

// OutboxDepth counts unsent notices and the age of the oldest.
func (s *Store) OutboxDepth(ctx context.Context, now time.Time) (int, time.Duration, error) {
	var n int
	var oldest *string
	if err := s.read.QueryRowContext(ctx, `SELECT count(*), min(created_at) FROM outbox WHERE sent_at IS NULL`).Scan(&n, &oldest); err != nil {
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
