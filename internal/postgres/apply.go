package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// maxTries bounds how often one Apply or View runs its transaction when
// the server aborts it for a serialization failure or a deadlock: enough
// to outlast a burst of writers on one row, few enough that a caller
// hears of a real pile-up.
const maxTries = 5

// SQLSTATEs the store acts on.
const (
	codeSerialization = "40001" // serialization_failure
	codeDeadlock      = "40P01" // deadlock_detected
	codeUnique        = "23505" // unique_violation
	codeReadOnly      = "25006" // read_only_sql_transaction
)

// sqlState is the SQLSTATE of a server error in err's chain, "" if none.
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// retryable reports whether running the transaction again may succeed.
func retryable(err error) bool {
	switch sqlState(err) {
	case codeSerialization, codeDeadlock:
		return true
	}
	return false
}

// Apply implements bot.Store: it records the event in the ledger and runs
// fn, in one transaction. An event recorded before (by this replica or
// any other) returns bot.ErrDuplicateEvent without calling fn; a second
// delivery racing the first waits on the ledger's key and learns the
// same once the first commits.
func (s *Store) Apply(ctx context.Context, ws bot.Workspace, event string, fn func(bot.Tx) error) error {
	if ws == "" {
		return errors.New("postgres: apply: empty workspace")
	}
	if err := s.serves(ws); err != nil {
		return fmt.Errorf("postgres: apply: %w", err)
	}
	return s.run(ctx, ws, event, false, fn)
}

// View implements bot.Store: fn runs in a READ ONLY transaction, so a
// write fails in the server too, not only in the Tx's own checks.
func (s *Store) View(ctx context.Context, ws bot.Workspace, fn func(bot.Tx) error) error {
	if err := s.serves(ws); err != nil {
		return fmt.Errorf("postgres: view: %w", err)
	}
	return s.run(ctx, ws, "", true, fn)
}

// run runs fn in a transaction, again (with a jittered backoff) when the
// server aborted it for a serialization failure or a deadlock. fn may
// therefore run more than once, as with SQLite's group commit; only the
// last run's writes are committed.
func (s *Store) run(ctx context.Context, ws bot.Workspace, event string, readOnly bool, fn func(bot.Tx) error) error {
	deadline, acked := bot.AckDeadline(ctx)
	acked = acked && event != ""
	for try := 1; ; try++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("postgres: apply: %w", err)
		}
		// An inbound event whose acknowledgement can no longer be sent in
		// time is refused before anything is written, for its platform to
		// deliver again.
		if acked && !time.Now().Before(deadline) {
			return fmt.Errorf("postgres: apply %s: acknowledgement deadline passed: %w", event, bot.ErrOverloaded)
		}
		err := s.once(ctx, ws, event, readOnly, fn, deadline, acked)
		if err == nil || !retryable(err) || try == maxTries {
			if readOnly && sqlState(err) == codeReadOnly {
				return fmt.Errorf("postgres: %w: %w", bot.ErrReadOnly, err)
			}
			return err
		}
		wait := time.Duration(1<<try)*time.Millisecond + rand.N(4*time.Millisecond)
		s.log.Debug("transaction retried", "sqlstate", sqlState(err), "try", try, "wait", wait)
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres: apply: %w", ctx.Err())
		case <-time.After(wait):
		}
	}
}

// once is one run of the transaction. When the event has an
// acknowledgement deadline, waiting for a connection stops at it: the
// pool being exhausted until then is the overload bot.ErrOverloaded
// names. Work that has begun is never cut short by it.
func (s *Store) once(ctx context.Context, ws bot.Workspace, event string, readOnly bool, fn func(bot.Tx) error,
	deadline time.Time, acked bool) (err error) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	if acked {
		actx, cancel = context.WithDeadline(ctx, deadline)
	}
	conn, err := s.pool.Acquire(actx)
	cancel()
	if err != nil {
		if acked && ctx.Err() == nil {
			return fmt.Errorf("postgres: apply %s: no connection before the acknowledgement deadline: %w", event, bot.ErrOverloaded)
		}
		return fmt.Errorf("postgres: acquire connection: %w", err)
	}
	defer conn.Release()
	mode := pgx.ReadWrite
	if readOnly {
		mode = pgx.ReadOnly
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted, AccessMode: mode})
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	// Rolls back after an error or a panic in fn; after a commit it does
	// nothing.
	defer tx.Rollback(context.WithoutCancel(ctx))
	t := &txn{tx: tx, ws: ws, now: s.now, readOnly: readOnly}
	if event != "" {
		tag, err := tx.Exec(ctx, `INSERT INTO inbound_events (workspace, event, at) VALUES ($1, $2, $3)
			ON CONFLICT (workspace, event) DO NOTHING`, ws, text(event), s.now())
		if err != nil {
			return fmt.Errorf("postgres: record event %s: %w", event, err)
		}
		if tag.RowsAffected() == 0 {
			return bot.ErrDuplicateEvent
		}
	}
	if err := fn(t); err != nil {
		return err
	}
	if readOnly {
		return nil // the deferred rollback ends it
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// Recorded implements bot.Tx.
func (t *txn) Recorded(ctx context.Context, event string) (bool, error) {
	var found bool
	err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM inbound_events WHERE workspace = $1 AND event = $2)`,
		t.ws, text(event)).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("postgres: find event %s: %w", event, err)
	}
	return found, nil
}
