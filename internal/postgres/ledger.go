package postgres

import (
	"context"
	"fmt"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
)

// The reminder ledger and the reads the scheduler makes on every scan.

// RecordReminder records a timer firing once: the ledger's key is what
// keeps a reminder single when replicas on several hosts scan at once.
// A concurrent insert of the same key waits for the other transaction
// and, when that one commits, inserts nothing: this one reports false
// and its caller does not send.
func (t *txn) RecordReminder(ctx context.Context, r bot.Reminder) (bool, error) {
	if err := t.writable(); err != nil {
		return false, err
	}
	r, err := r.Recordable(t.now())
	if err != nil {
		return false, fmt.Errorf("postgres: %w", err)
	}
	tag, err := t.tx.Exec(ctx, `INSERT INTO reminders (workspace, timer, entity, slot, collab, at, outcome)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (workspace, timer, entity, slot) DO NOTHING`,
		t.ws, r.Timer, r.Entity, r.Slot, r.Collab, r.At, r.Outcome)
	if err != nil {
		return false, fmt.Errorf("postgres: record reminder %s/%s/%s: %w", r.Timer, r.Entity, r.Slot, err)
	}
	return tag.RowsAffected() > 0, nil
}

func (t *txn) Reminders(ctx context.Context, timer, slotPrefix string) ([]bot.Reminder, error) {
	// The key starts with (workspace, timer, …): a range scan, and the
	// prefix is matched on that timer's rows.
	rows, err := t.tx.Query(ctx, `SELECT entity, slot, collab, at, outcome FROM reminders
		WHERE workspace = $1 AND timer = $2 AND left(slot, length($3)) = $3`, t.ws, timer, slotPrefix)
	if err != nil {
		return nil, fmt.Errorf("postgres: reminders of %s: %w", timer, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (bot.Reminder, error) {
		r := bot.Reminder{Timer: timer}
		err := row.Scan(&r.Entity, &r.Slot, &r.Collab, &r.At, &r.Outcome)
		r.At = r.At.UTC()
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: reminders of %s: %w", timer, err)
	}
	return out, nil
}

func (t *txn) Record(ctx context.Context, entries ...bot.TimelineEntry) error {
	if err := t.writable(); err != nil {
		return err
	}
	for _, e := range entries {
		if _, err := t.tx.Exec(ctx, `INSERT INTO timeline (workspace, collab, at, actor, action, subject, note)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, t.ws, e.Collab, e.At, text(string(e.Actor)), text(e.Action), text(e.Subject), text(e.Note)); err != nil {
			return fmt.Errorf("postgres: timeline of %s: %w", e.Collab, err)
		}
	}
	return nil
}

func (t *txn) Versions(ctx context.Context, status ...bot.CollabStatus) (map[bot.CollabID]int, error) {
	st := make([]string, len(status))
	for i, s := range status {
		st[i] = string(s)
	}
	rows, err := t.tx.Query(ctx, `SELECT id, version FROM collaborations
		WHERE workspace = $1 AND (cardinality($2::text[]) = 0 OR status = ANY($2::text[]))`, t.ws, st)
	if err != nil {
		return nil, fmt.Errorf("postgres: versions: %w", err)
	}
	out := map[bot.CollabID]int{}
	var id bot.CollabID
	var v int
	_, err = pgx.ForEachRow(rows, []any{&id, &v}, func() error {
		out[id] = v
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: versions: %w", err)
	}
	return out, nil
}

func (t *txn) Posted(ctx context.Context, day string) ([]bot.Posted, error) {
	rows, err := t.tx.Query(ctx, `SELECT collab, person FROM progress WHERE workspace = $1 AND day = $2`, t.ws, day)
	if err != nil {
		return nil, fmt.Errorf("postgres: progress on %s: %w", day, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (bot.Posted, error) {
		var p bot.Posted
		err := row.Scan(&p.Collab, &p.Person)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: progress on %s: %w", day, err)
	}
	return out, nil
}
