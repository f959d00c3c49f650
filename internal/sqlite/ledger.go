package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/collabot/collabot/bot"
)

// The reminder ledger and the reads the scheduler makes on every scan.

func (t *txn) RecordReminder(ctx context.Context, r bot.Reminder) (bool, error) {
	if err := t.writable(); err != nil {
		return false, err
	}
	r, err := r.Recordable(t.now())
	if err != nil {
		return false, fmt.Errorf("sqlite: %w", err)
	}
	res, err := t.tx.ExecContext(ctx, `INSERT INTO reminders (workspace, timer, entity, slot, collab, at, outcome)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, t.ws, r.Timer, r.Entity, r.Slot, r.Collab, stamp(r.At), r.Outcome)
	if err != nil {
		return false, fmt.Errorf("sqlite: record reminder %s/%s/%s: %w", r.Timer, r.Entity, r.Slot, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func (t *txn) Reminders(ctx context.Context, timer, slotPrefix string) ([]bot.Reminder, error) {
	// The ledger's key starts with (workspace, timer, …), so this is a
	// range scan; the prefix match is on the few rows of that timer.
	rows, err := t.tx.QueryContext(ctx, `SELECT entity, slot, collab, at, outcome FROM reminders
		WHERE workspace = ? AND timer = ? AND substr(slot, 1, ?) = ?`, t.ws, timer, len(slotPrefix), slotPrefix)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reminders of %s: %w", timer, err)
	}
	defer rows.Close()
	var out []bot.Reminder
	for rows.Next() {
		r := bot.Reminder{Timer: timer}
		var at string
		if err := rows.Scan(&r.Entity, &r.Slot, &r.Collab, &at, &r.Outcome); err != nil {
			return nil, fmt.Errorf("sqlite: reminders of %s: %w", timer, err)
		}
		if r.At, err = unstamp(at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (t *txn) Record(ctx context.Context, entries ...bot.TimelineEntry) error {
	if err := t.writable(); err != nil {
		return err
	}
	for _, e := range entries {
		if err := t.timeline(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (t *txn) timeline(ctx context.Context, e bot.TimelineEntry) error {
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO timeline (workspace, collab, at, actor, action, subject, note)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, t.ws, e.Collab, stamp(e.At), e.Actor, e.Action, e.Subject, e.Note); err != nil {
		return fmt.Errorf("sqlite: timeline of %s: %w", e.Collab, err)
	}
	return nil
}

func (t *txn) Versions(ctx context.Context, status ...bot.CollabStatus) (map[bot.CollabID]int, error) {
	q := `SELECT id, version FROM collaborations WHERE workspace = ?`
	args := []any{t.ws}
	if len(status) > 0 {
		q += ` AND status IN (?` + strings.Repeat(`, ?`, len(status)-1) + `)`
		for _, s := range status {
			args = append(args, s)
		}
	}
	rows, err := t.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions: %w", err)
	}
	defer rows.Close()
	out := map[bot.CollabID]int{}
	for rows.Next() {
		var id bot.CollabID
		var v int
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("sqlite: versions: %w", err)
		}
		out[id] = v
	}
	return out, rows.Err()
}

func (t *txn) Posted(ctx context.Context, day string) ([]bot.Posted, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT collab, person FROM progress WHERE workspace = ? AND day = ?`, t.ws, day)
	if err != nil {
		return nil, fmt.Errorf("sqlite: progress on %s: %w", day, err)
	}
	defer rows.Close()
	var out []bot.Posted
	for rows.Next() {
		var p bot.Posted
		if err := rows.Scan(&p.Collab, &p.Person); err != nil {
			return nil, fmt.Errorf("sqlite: progress on %s: %w", day, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
