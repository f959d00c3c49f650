package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
)

// The scheduler's next-due index: Save makes a saved collaboration due at
// once (save.go); the scheduler writes when each next needs a look.

func (t *txn) DueCollabs(ctx context.Context, at time.Time) ([]bot.NextDue, error) {
	// A range scan of next_due_by_time: only the due rows are read.
	rows, err := t.tx.Query(ctx, `SELECT n.collab, c.version, c.status FROM next_due n
		JOIN collaborations c ON c.workspace = n.workspace AND c.id = n.collab
		WHERE n.workspace = $1 AND n.due_at <= $2`, t.ws, at.Unix())
	if err != nil {
		return nil, fmt.Errorf("postgres: due collaborations: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (bot.NextDue, error) {
		var d bot.NextDue
		err := row.Scan(&d.Collab, &d.Version, &d.Status)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: due collaborations: %w", err)
	}
	return out, nil
}

// SetNextDue writes every entry in one statement. The version guard: a
// collaboration saved after it was evaluated keeps Save's "due now".
func (t *txn) SetNextDue(ctx context.Context, due ...bot.NextDue) error {
	if err := t.writable(); err != nil {
		return err
	}
	if len(due) == 0 {
		return nil
	}
	ids, versions := make([]int64, len(due)), make([]int64, len(due))
	at := make([]*int64, len(due))
	for i, d := range due {
		ids[i], versions[i] = int64(d.Collab), int64(d.Version)
		if !d.At.IsZero() {
			u := d.At.Unix()
			at[i] = &u
		}
	}
	// The collaborations are locked FOR SHARE, in the order Save takes
	// them (the collaboration, then its next_due row): in READ COMMITTED a
	// plain join would compare the version the statement started with,
	// and a Save committed meanwhile (which marks the row due now) would
	// be overwritten with the older evaluation's instant.
	_, err := t.tx.Exec(ctx, `WITH c AS (
			SELECT id, version FROM collaborations WHERE workspace = $1 AND id = ANY($2::bigint[]) FOR SHARE)
		UPDATE next_due n SET due_at = u.at, version = u.version
		FROM unnest($2::bigint[], $3::bigint[], $4::bigint[]) AS u(collab, version, at), c
		WHERE n.workspace = $1 AND n.collab = u.collab
			AND c.id = u.collab AND c.version = u.version`, t.ws, ids, versions, at)
	if err != nil {
		return fmt.Errorf("postgres: next due: %w", err)
	}
	return nil
}

func (t *txn) NextDueBasis(ctx context.Context) (string, error) {
	var basis string
	err := t.tx.QueryRow(ctx, `SELECT basis FROM next_due_basis WHERE workspace = $1`, t.ws).Scan(&basis)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("postgres: next due basis: %w", err)
	}
	return basis, nil
}

func (t *txn) ResetNextDue(ctx context.Context, basis string) error {
	if err := t.writable(); err != nil {
		return err
	}
	if _, err := t.tx.Exec(ctx, `UPDATE next_due SET due_at = 0 WHERE workspace = $1`, t.ws); err != nil {
		return fmt.Errorf("postgres: reset next due: %w", err)
	}
	if _, err := t.tx.Exec(ctx, `INSERT INTO next_due_basis (workspace, basis) VALUES ($1, $2)
		ON CONFLICT (workspace) DO UPDATE SET basis = excluded.basis`, t.ws, basis); err != nil {
		return fmt.Errorf("postgres: reset next due: %w", err)
	}
	return nil
}
