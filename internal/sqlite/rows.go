package sqlite

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// boardRows are the tables that hold parts of a collaboration as rows
// (migration 0008): its tasks, acknowledgements and risks, kept equal to
// it by Save. Each table's rows are handed to SQLite as one JSON array
// (see jsonRows), so a save writes two statements a table whatever the
// number of tasks, and rewrites only the rows that changed.
var boardRows = []struct {
	table string
	cols  []string // after workspace and collab
	// key is the primary key after workspace, "" for none (acks): a
	// row whose values changed is deleted and inserted again.
	key  string
	rows func(*bot.Collaboration, *jsonRows)
}{
	{"tasks", []string{"task", "department", "owner", "status", "due", "due_unix", "done_at", "reached"}, "task",
		func(c *bot.Collaboration, w *jsonRows) {
			reached := reachedFlag(c)
			for _, t := range c.Tasks {
				w.open()
				w.int(int64(t.ID))
				w.str(t.Department)
				w.str(string(t.Owner))
				w.str(string(t.Status))
				w.stamp(t.Due)
				w.float(unixStamp(t.Due))
				w.stamp(t.DoneAt)
				w.int(reached)
				w.close()
			}
		}},
	{"acks", []string{"department", "status", "asked_at", "asked_unix", "at", "counted"}, "",
		func(c *bot.Collaboration, w *jsonRows) {
			reached := reachedFlag(c) == 1
			for _, a := range c.Acks {
				// A cancelled collaboration keeps the answers its departments
				// gave and drops what was still pending.
				counted := int64(0)
				if reached && !(c.Status == bot.StatusCancelled && a.Status == bot.AckPending) {
					counted = 1
				}
				w.open()
				w.str(a.Department)
				w.str(string(a.Status))
				w.stamp(a.AskedAt)
				w.float(unixStamp(a.AskedAt))
				w.stamp(a.At)
				w.int(counted)
				w.close()
			}
		}},
	{"risks", []string{"risk", "department", "severity", "status", "reached"}, "risk",
		func(c *bot.Collaboration, w *jsonRows) {
			reached := reachedFlag(c)
			for _, k := range c.Risks {
				w.open()
				w.int(int64(k.ID))
				w.str(k.Department)
				w.str(string(k.Severity))
				w.str(string(k.Status))
				w.int(reached)
				w.close()
			}
		}},
}

// reachedFlag is 1 when the collaboration reached its departments (its
// tasks and risks count in the figures), else 0.
func reachedFlag(c *bot.Collaboration) int64 {
	if slices.Contains(reachedStatuses, c.Status) {
		return 1
	}
	return 0
}

// jsonStamp is an instant as encoding/json writes it; zero is empty.
func jsonStamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// unixStamp is an instant in Unix seconds, for comparing and ordering.
func unixStamp(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}

// boardStatements are, per board table, the statements that make a
// collaboration's rows equal to a JSON array of rows (?3): del deletes
// the rows no longer wanted exactly as they are, ins inserts the wanted
// rows not there, so nothing is written when nothing changed; all
// inserts every row (after a delete of all). Their text is fixed,
// whatever the number of rows.
var boardStatements = func() (out []struct{ del, ins, all string }) {
	for _, b := range boardRows {
		cols := strings.Join(b.cols, ", ")
		vals := make([]string, len(b.cols))
		for i := range b.cols {
			vals[i] = fmt.Sprintf("j.value ->> %d", i)
		}
		sel := strings.Join(vals, ", ")
		all := `INSERT INTO ` + b.table + ` (workspace, collab, ` + cols + `) SELECT ?1, ?2, ` + sel + ` FROM json_each(?3) j`
		ins := all
		if b.key != "" {
			// What is left under the same key is the same row.
			ins += ` WHERE true ON CONFLICT (workspace, ` + b.key + `) DO NOTHING`
		} else {
			ins += ` WHERE NOT EXISTS (SELECT 1 FROM ` + b.table + ` WHERE workspace = ?1 AND collab = ?2 AND (` + cols +
				`) = (` + sel + `))`
		}
		out = append(out, struct{ del, ins, all string }{
			// By the collaboration's index: SQLite would rather walk the
			// workspace's rows by the primary key.
			del: `DELETE FROM ` + b.table + ` INDEXED BY ` + b.table + `_by_collab WHERE workspace = ?1 AND collab = ?2 AND (` + cols + `) NOT IN (SELECT ` +
				sel + ` FROM json_each(?3) j)`,
			ins: ins,
			all: all,
		})
	}
	return out
}()

// saveRows makes the board's rows of a collaboration what it holds,
// writing only the rows that changed.
func (t *txn) saveRows(ctx context.Context, c *bot.Collaboration, w *jsonRows) error {
	for i, b := range boardRows {
		w.reset()
		b.rows(c, w)
		rows := w.String()
		del, ins := boardStatements[i].del, boardStatements[i].ins
		if b.key == "" && w.duplicates() {
			// Two equal rows would be one to the statements above (no
			// domain rule makes them; a plain rewrite keeps them both).
			del, ins = `DELETE FROM `+b.table+` WHERE workspace = ?1 AND collab = ?2 AND ?3 IS NOT NULL`, boardStatements[i].all
		}
		for _, q := range []string{del, ins} {
			if _, err := t.tx.ExecContext(ctx, q, t.ws, c.ID, rows); err != nil {
				return fmt.Errorf("sqlite: %s of %s: %w", b.table, c.ID, err)
			}
		}
	}
	return nil
}
