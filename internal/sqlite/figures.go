package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// reached are the statuses of collaborations the departments were asked
// in: their acknowledgements, tasks and risks count in the figures.
const reached = `('awaiting_ack', 'active', 'accepting', 'retrospective', 'archived', 'cancelled')`

// DepartmentFacts reads what the web board's department figures are
// counted from, with JSON queries over the stored collaborations (only
// the fields the figures need leave the database) and the timeline's
// needs-help entries since since. (A list the JSON holds as null is one
// row of type null to json_each: only objects are read.) A cancelled collaboration keeps the
// answers its departments gave and drops what was still pending.
func (s *Store) DepartmentFacts(ctx context.Context, ws bot.Workspace, since time.Time) (bot.DeptFacts, error) {
	var f bot.DeptFacts
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
	err = query("acknowledgements", `SELECT c.id, c.status, json_extract(a.value, '$.department'), json_extract(a.value, '$.status'),
		json_extract(a.value, '$.asked_at'), json_extract(a.value, '$.at')
		FROM collaborations c, json_each(c.body, '$.acknowledgements') a
		WHERE c.workspace = ? AND a.type = 'object' AND c.status IN `+reached, func(r *sql.Rows) error {
		var a bot.AckFact
		var status string
		var asked, at sql.NullString
		if err := r.Scan(&a.Collab, &status, &a.Department, &a.Status, &asked, &at); err != nil {
			return err
		}
		if status == string(bot.StatusCancelled) && a.Status == bot.AckPending {
			return nil
		}
		a.AskedAt, a.At = jsonTime(asked), jsonTime(at)
		f.Acks = append(f.Acks, a)
		return nil
	}, ws)
	if err != nil {
		return f, err
	}
	departments := map[string]string{} // "collab/task" -> department
	err = query("tasks", `SELECT c.id, json_extract(t.value, '$.id'), json_extract(t.value, '$.department'),
		json_extract(t.value, '$.status'), json_extract(t.value, '$.due'), json_extract(t.value, '$.done_at')
		FROM collaborations c, json_each(c.body, '$.tasks') t
		WHERE c.workspace = ? AND t.type = 'object' AND c.status IN `+reached, func(r *sql.Rows) error {
		var t bot.TaskFact
		var due, done sql.NullString
		if err := r.Scan(&t.Collab, &t.Task, &t.Department, &t.Status, &due, &done); err != nil {
			return err
		}
		departments[strconv.FormatInt(int64(t.Collab), 10)+"/"+t.Task.String()] = t.Department
		if t.Status == bot.TaskCancelled {
			return nil
		}
		t.Due, t.DoneAt = jsonTime(due), jsonTime(done)
		f.Tasks = append(f.Tasks, t)
		return nil
	}, ws)
	if err != nil {
		return f, err
	}
	err = query("needs help", `SELECT collab, subject, at FROM timeline
		WHERE workspace = ? AND action IN ('task_needs_help', 'task_blocked') AND at >= ? ORDER BY seq`, func(r *sql.Rows) error {
		var h bot.HelpFact
		var subject, at string
		if err := r.Scan(&h.Collab, &subject, &at); err != nil {
			return err
		}
		id, err := bot.ParseTaskID(subject)
		if err != nil {
			return nil // not a task: nothing to count
		}
		h.Task = id
		h.Department = departments[strconv.FormatInt(int64(h.Collab), 10)+"/"+id.String()]
		if h.At, err = unstamp(at); err != nil {
			return err
		}
		f.Help = append(f.Help, h)
		return nil
	}, ws, stamp(since))
	if err != nil {
		return f, err
	}
	err = query("risks", `SELECT c.id, json_extract(k.value, '$.department'), json_extract(k.value, '$.severity'),
		json_extract(k.value, '$.status')
		FROM collaborations c, json_each(c.body, '$.risks') k
		WHERE c.workspace = ? AND k.type = 'object' AND c.status IN `+reached, func(r *sql.Rows) error {
		var k bot.RiskFact
		if err := r.Scan(&k.Collab, &k.Department, &k.Severity, &k.Status); err != nil {
			return err
		}
		f.Risks = append(f.Risks, k)
		return nil
	}, ws)
	return f, err
}

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
