package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
)

// The scheduler's next-due index (migration 0009): the triggers on
// collaborations make a saved one due at once; the scheduler writes when
// each next needs a look.

var _ bot.NextDueIndex = (*txn)(nil)

func (t *txn) DueCollabs(ctx context.Context, at time.Time) ([]bot.NextDue, error) {
	// A range scan of next_due_by_time: only the due rows are read.
	rows, err := t.tx.QueryContext(ctx, `SELECT n.collab, c.version, c.status FROM next_due n
		JOIN collaborations c ON c.workspace = n.workspace AND c.id = n.collab
		WHERE n.workspace = ? AND n.due_at <= ?`, t.ws, at.Unix())
	if err != nil {
		return nil, fmt.Errorf("sqlite: due collaborations: %w", err)
	}
	defer rows.Close()
	var out []bot.NextDue
	for rows.Next() {
		var d bot.NextDue
		if err := rows.Scan(&d.Collab, &d.Version, &d.Status); err != nil {
			return nil, fmt.Errorf("sqlite: due collaborations: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

func (t *txn) SetNextDue(ctx context.Context, due ...bot.NextDue) error {
	if err := t.writable(); err != nil {
		return err
	}
	if len(due) == 0 {
		return nil
	}
	// The version guard: a collaboration saved after it was evaluated
	// keeps the trigger's "due now".
	stmt, err := t.tx.PrepareContext(ctx, `UPDATE next_due SET due_at = ?, version = ?
		WHERE workspace = ? AND collab = ? AND ? = (SELECT version FROM collaborations WHERE workspace = ? AND id = ?)`)
	if err != nil {
		return fmt.Errorf("sqlite: next due: %w", err)
	}
	defer stmt.Close()
	for _, d := range due {
		var at sql.NullInt64
		if !d.At.IsZero() {
			at = sql.NullInt64{Int64: d.At.Unix(), Valid: true}
		}
		if _, err := stmt.ExecContext(ctx, at, d.Version, t.ws, d.Collab, d.Version, t.ws, d.Collab); err != nil {
			return fmt.Errorf("sqlite: next due of %s: %w", d.Collab, err)
		}
	}
	return nil
}

func (t *txn) NextDueBasis(ctx context.Context) (string, error) {
	var basis string
	err := t.tx.QueryRowContext(ctx, `SELECT basis FROM next_due_basis WHERE workspace = ?`, t.ws).Scan(&basis)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("sqlite: next due basis: %w", err)
	}
	return basis, nil
}

func (t *txn) ResetNextDue(ctx context.Context, basis string) error {
	if err := t.writable(); err != nil {
		return err
	}
	if _, err := t.tx.ExecContext(ctx, `UPDATE next_due SET due_at = 0 WHERE workspace = ?`, t.ws); err != nil {
		return fmt.Errorf("sqlite: reset next due: %w", err)
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO next_due_basis (workspace, basis) VALUES (?, ?)
		ON CONFLICT (workspace) DO UPDATE SET basis = excluded.basis`, t.ws, basis); err != nil {
		return fmt.Errorf("sqlite: reset next due: %w", err)
	}
	return nil
}
