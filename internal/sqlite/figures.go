package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// reachedStatuses are the statuses of collaborations the departments
// were asked in: their acknowledgements, tasks and risks count in the
// figures (the rows' reached and counted columns, migration 0008).
var reachedStatuses = []bot.CollabStatus{bot.StatusAwaitingAck, bot.StatusActive, bot.StatusAccepting,
	bot.StatusRetrospective, bot.StatusArchived, bot.StatusCancelled}

// DepartmentFacts reads what the web board's department figures are
// counted from, from the rows Save keeps of every collaboration's
// acknowledgements, tasks and risks (migration 0008) and the timeline's
// needs-help entries: acknowledgements asked and tasks due in [since,
// until] (the tasks counted in the database), help asked for since
// since, and every risk. Only collaborations
// the departments were asked in count; a cancelled one keeps the answers
// its departments gave and drops what was still pending.
func (s *Store) DepartmentFacts(ctx context.Context, ws bot.Workspace, since, until time.Time) (bot.DeptFacts, error) {
	var f bot.DeptFacts
	if err := s.serves(ws); err != nil {
		return f, err
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return f, fmt.Errorf("sqlite: department figures: %w", err)
	}
	defer tx.Rollback()
	query := func(what, q string, scan func(*sql.Rows) error, args ...any) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("sqlite: department figures, %s: %w", what, err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return fmt.Errorf("sqlite: department figures, %s: %w", what, err)
			}
		}
		return rows.Err()
	}
	from, to := unixStamp(since), unixStamp(until)
	err = query("acknowledgements", `SELECT collab, department, status, asked_at, at FROM acks
		WHERE workspace = ? AND asked_unix >= ? AND asked_unix <= ? AND counted`, func(r *sql.Rows) error {
		var a bot.AckFact
		var asked, at string
		if err := r.Scan(&a.Collab, &a.Department, &a.Status, &asked, &at); err != nil {
			return err
		}
		a.AskedAt, a.At = textTime(asked), textTime(at)
		f.Acks = append(f.Acks, a)
		return nil
	}, ws, from, to)
	if err != nil {
		return f, err
	}
	// Done by the due date compares instants: done_at is kept as
	// encoding/json wrote it, in any zone, so compare Unix seconds (to
	// the millisecond). The index holds all the query reads.
	err = query("tasks", `SELECT t.department, t.due_unix, t.status = 'done' AND (t.done_at = ''
			OR unixepoch(t.done_at, 'subsec') <= t.due_unix) AS on_time, count(*)
		FROM tasks t WHERE t.workspace = ? AND t.due_unix >= ? AND t.due_unix <= ? AND t.reached AND t.status != 'cancelled'
		GROUP BY t.due_unix, t.department, on_time`,
		func(r *sql.Rows) error {
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
	// A task's number is its subject without "T-".
	err = query("needs help", `SELECT h.collab, h.subject, h.at, coalesce(t.department, '') FROM timeline h
		LEFT JOIN tasks t ON t.workspace = h.workspace AND t.collab = h.collab AND h.subject LIKE 'T-%'
			AND t.task = CAST(substr(h.subject, 3) AS INTEGER) AND t.reached
		WHERE h.workspace = ? AND h.action IN ('task_needs_help', 'task_blocked') AND h.at >= ? ORDER BY h.seq`, func(r *sql.Rows) error {
		var h bot.HelpFact
		var subject, at string
		if err := r.Scan(&h.Collab, &subject, &at, &h.Department); err != nil {
			return err
		}
		id, err := bot.ParseTaskID(subject)
		if err != nil {
			return nil // not a task: nothing to count
		}
		h.Task = id
		if h.At, err = unstamp(at); err != nil {
			return err
		}
		f.Help = append(f.Help, h)
		return nil
	}, ws, stamp(since))
	if err != nil {
		return f, err
	}
	err = query("risks", `SELECT collab, department, severity, status FROM risks WHERE workspace = ? AND reached`, func(r *sql.Rows) error {
		var k bot.RiskFact
		if err := r.Scan(&k.Collab, &k.Department, &k.Severity, &k.Status); err != nil {
			return err
		}
		f.Risks = append(f.Risks, k)
		return nil
	}, ws)
	return f, err
}

// fromUnix is the instant of Unix seconds (to a fraction of a µs).
func fromUnix(f float64) time.Time {
	sec := math.Floor(f)
	return time.Unix(int64(sec), int64(math.Round((f-sec)*1e6))*1e3)
}

// textTime reads an instant as encoding/json wrote it; empty is zero.
func textTime(s string) time.Time { return jsonTime(sql.NullString{String: s, Valid: s != ""}) }

// jsonTime reads an instant as encoding/json wrote it; absent is zero.
func jsonTime(s sql.NullString) time.Time {
	if !s.Valid || strings.HasPrefix(s.String, "0001-01-01") {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}
	}
	return t
}

// AttentionTasks lists the tasks still open that are overdue at now or
// need help or are blocked, in collaborations the departments were asked
// in: what the weekly digest chases.
func (s *Store) AttentionTasks(ctx context.Context, ws bot.Workspace, now time.Time) ([]bot.TaskFact, error) {
	if err := s.serves(ws); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT t.collab, t.task, t.department, t.status, t.due, t.done_at
		FROM tasks t WHERE t.workspace = ? AND t.reached AND t.status NOT IN ('done', 'cancelled')
			AND (t.status IN ('needs_help', 'blocked') OR t.due_unix > 0 AND t.due_unix < ?)
		ORDER BY t.collab, t.task`, ws, unixStamp(now))
	if err != nil {
		return nil, fmt.Errorf("sqlite: tasks for attention: %w", err)
	}
	defer rows.Close()
	var out []bot.TaskFact
	for rows.Next() {
		var t bot.TaskFact
		var due, done string
		if err := rows.Scan(&t.Collab, &t.Task, &t.Department, &t.Status, &due, &done); err != nil {
			return nil, fmt.Errorf("sqlite: tasks for attention: %w", err)
		}
		t.Due, t.DoneAt = textTime(due), textTime(done)
		out = append(out, t)
	}
	return out, rows.Err()
}
