package postgres

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/jackc/pgx/v5"
)

// DepartmentFacts reads what the web board's department figures are
// counted from, from the rows Save keeps of every collaboration's
// acknowledgements, tasks and risks (rows.go) and the timeline's
// needs-help entries: acknowledgements asked and tasks due in [since,
// until], help asked for since since, and every risk. Only
// collaborations the departments were asked in count (the rows' reached
// and counted columns); a cancelled one keeps the answers its
// departments gave and drops what was still pending. The same figures as
// internal/sqlite's, read in one REPEATABLE READ snapshot.
func (s *Store) DepartmentFacts(ctx context.Context, ws bot.Workspace, since, until time.Time) (bot.DeptFacts, error) {
	var f bot.DeptFacts
	if err := s.serves(ws); err != nil {
		return f, err
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return f, fmt.Errorf("postgres: department figures: %w", err)
	}
	defer tx.Rollback(ctx)
	query := func(what, q string, scan func(pgx.Rows) error, args ...any) error {
		rows, err := tx.Query(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("postgres: department figures, %s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("postgres: department figures, %s: %w", what, err)
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("postgres: department figures, %s: %w", what, err)
		}
		return nil
	}
	from, to := unixStamp(since), unixStamp(until)
	err = query("acknowledgements", `SELECT collab, department, status, asked_at, at FROM acks
		WHERE workspace = $1 AND asked_unix >= $2 AND asked_unix <= $3 AND counted
		ORDER BY collab, asked_unix, department COLLATE "C"`, func(r pgx.Rows) error {
		var a bot.AckFact
		var asked, at *time.Time
		if err := r.Scan(&a.Collab, &a.Department, &a.Status, &asked, &at); err != nil {
			return err
		}
		a.AskedAt, a.At = utc(asked), utc(at)
		f.Acks = append(f.Acks, a)
		return nil
	}, ws, from, to)
	if err != nil {
		return f, err
	}
	// Done by the due date compares the instants themselves (SQLite
	// compares Unix seconds, its text being in any zone); done without a
	// date counts as on time there too.
	err = query("tasks", `SELECT department, due_unix,
			status = 'done' AND (done_at IS NULL OR coalesce(done_at <= due, false)) AS on_time, count(*)
		FROM tasks WHERE workspace = $1 AND due_unix >= $2 AND due_unix <= $3 AND reached AND status != 'cancelled'
		GROUP BY due_unix, department, on_time ORDER BY due_unix, department COLLATE "C", on_time`,
		func(r pgx.Rows) error {
			var t bot.TaskTally
			var due float64
			if err := r.Scan(&t.Department, &due, &t.OnTime, &t.N); err != nil {
				return err
			}
			t.Due = fromUnix(due)
			f.Tasks = append(f.Tasks, t)
			return nil
		}, ws, from, to)
	if err != nil {
		return f, err
	}
	// A task's number is its subject without "T-" (any case, as SQLite's
	// LIKE); a subject that is not a number joins no task.
	err = query("needs help", `SELECT h.collab, h.subject, h.at, coalesce(t.department, '') FROM timeline h
		LEFT JOIN tasks t ON t.workspace = h.workspace AND t.collab = h.collab AND h.subject ILIKE 'T-%'
			AND t.task = CASE WHEN substr(h.subject, 3) ~ '^[0-9]{1,18}$' THEN substr(h.subject, 3)::bigint END
			AND t.reached
		WHERE h.workspace = $1 AND h.action IN ('task_needs_help', 'task_blocked') AND h.at >= $2 ORDER BY h.seq`,
		func(r pgx.Rows) error {
			var h bot.HelpFact
			var subject string
			if err := r.Scan(&h.Collab, &subject, &h.At, &h.Department); err != nil {
				return err
			}
			id, err := bot.ParseTaskID(subject)
			if err != nil {
				return nil // not a task: nothing to count
			}
			h.Task, h.At = id, h.At.UTC()
			f.Help = append(f.Help, h)
			return nil
		}, ws, since)
	if err != nil {
		return f, err
	}
	err = query("risks", `SELECT collab, department, severity, status FROM risks WHERE workspace = $1 AND reached
		ORDER BY collab, risk`, func(r pgx.Rows) error {
		var k bot.RiskFact
		if err := r.Scan(&k.Collab, &k.Department, &k.Severity, &k.Status); err != nil {
			return err
		}
		f.Risks = append(f.Risks, k)
		return nil
	}, ws)
	return f, err
}

// fromUnix is the instant of Unix seconds (to a fraction of a µs), in
// UTC as the store reads instants back.
func fromUnix(f float64) time.Time {
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64(math.Round((f-sec)*1e6))*1e3).UTC()
}

// AttentionTasks lists the tasks still open that are overdue at now or
// need help or are blocked, in collaborations the departments were asked
// in: what the weekly digest chases.
func (s *Store) AttentionTasks(ctx context.Context, ws bot.Workspace, now time.Time) ([]bot.TaskFact, error) {
	if err := s.serves(ws); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT collab, task, department, status, due, done_at
		FROM tasks WHERE workspace = $1 AND reached AND status NOT IN ('done', 'cancelled')
			AND (status IN ('needs_help', 'blocked') OR due_unix > 0 AND due_unix < $2)
		ORDER BY collab, task`, ws, unixStamp(now))
	if err != nil {
		return nil, fmt.Errorf("postgres: tasks for attention: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (bot.TaskFact, error) {
		var t bot.TaskFact
		var due, done *time.Time
		err := row.Scan(&t.Collab, &t.Task, &t.Department, &t.Status, &due, &done)
		t.Due, t.DoneAt = utc(due), utc(done)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: tasks for attention: %w", err)
	}
	return out, nil
}
