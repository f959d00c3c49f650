package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
	"github.com/jackc/pgx/v5"
)

// txn is a bot.Tx: one transaction bound to one workspace.
type txn struct {
	tx       pgx.Tx
	ws       bot.Workspace
	now      func() time.Time
	readOnly bool
}

var _ store.Tx = (*txn)(nil)

var errReadOnly = fmt.Errorf("postgres: %w", bot.ErrReadOnly)

// writable refuses a write in a View before the server would, so the
// transaction is not aborted by it and fn may go on reading.
func (t *txn) writable() error {
	if t.readOnly {
		return errReadOnly
	}
	return nil
}

// NextID takes the next number of a sequence in one statement: the row
// lock of the upsert makes concurrent writers, in any process, take one
// number each.
func (t *txn) NextID(ctx context.Context, kind bot.IDKind) (int64, error) {
	if err := t.writable(); err != nil {
		return 0, err
	}
	var n int64
	err := t.tx.QueryRow(ctx, `INSERT INTO sequences (workspace, kind, value) VALUES ($1, $2, 1)
		ON CONFLICT (workspace, kind) DO UPDATE SET value = sequences.value + 1 RETURNING value`, t.ws, kind).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: next %s: %w", kind, err)
	}
	return n, nil
}

func (t *txn) Collaboration(ctx context.Context, id bot.CollabID) (*bot.Collaboration, error) {
	var body []byte
	err := t.tx.QueryRow(ctx, `SELECT body FROM collaborations WHERE workspace = $1 AND id = $2`, t.ws, id).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, bot.Refuse(bot.CodeNotFound, "refuse.not_found", bot.Args{"ref": id.String()})
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: load %s: %w", id, err)
	}
	return decodeCollab(body)
}

func decodeCollab(body []byte) (*bot.Collaboration, error) {
	c := new(bot.Collaboration)
	if err := json.Unmarshal(body, c); err != nil {
		return nil, fmt.Errorf("postgres: decode collaboration: %w", err)
	}
	return c, nil
}

func (t *txn) CollabOf(ctx context.Context, kind bot.IDKind, number int64) (bot.CollabID, error) {
	var id bot.CollabID
	err := t.tx.QueryRow(ctx, `SELECT collab FROM refs WHERE workspace = $1 AND kind = $2 AND number = $3`,
		t.ws, kind, number).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		ref := string(kind) + "-" + fmt.Sprint(number)
		return 0, bot.Refuse(bot.CodeNotFound, "refuse.not_found", bot.Args{"ref": ref})
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: find %s-%d: %w", kind, number, err)
	}
	return id, nil
}

func (t *txn) Timeline(ctx context.Context, id bot.CollabID) ([]bot.TimelineEntry, error) {
	rows, err := t.tx.Query(ctx, `SELECT at, actor, action, subject, note FROM timeline
		WHERE workspace = $1 AND collab = $2 ORDER BY seq`, t.ws, id)
	if err != nil {
		return nil, fmt.Errorf("postgres: timeline of %s: %w", id, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (bot.TimelineEntry, error) {
		e := bot.TimelineEntry{Collab: id}
		err := row.Scan(&e.At, &e.Actor, &e.Action, &e.Subject, &e.Note)
		e.At = e.At.UTC()
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: timeline of %s: %w", id, err)
	}
	return out, nil
}

func (t *txn) Progress(ctx context.Context, id bot.CollabID, day string) ([]bot.ProgressUpdate, error) {
	rows, err := t.tx.Query(ctx, `SELECT body FROM progress WHERE workspace = $1 AND collab = $2
		AND ($3 = '' OR day = $3) ORDER BY day, at`, t.ws, id, day)
	if err != nil {
		return nil, fmt.Errorf("postgres: progress of %s: %w", id, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (bot.ProgressUpdate, error) {
		var body []byte
		var p bot.ProgressUpdate
		if err := row.Scan(&body); err != nil {
			return p, err
		}
		return p, json.Unmarshal(body, &p)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: progress of %s: %w", id, err)
	}
	return out, nil
}
