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
// (migration 0008): its tasks, acknowledgements and risks, rewritten by
// Save when they change.
var boardRows = []struct {
	table string
	cols  []string // after workspace and collab
	rows  func(*bot.Collaboration) [][]any
}{
	{"tasks", []string{"task", "department", "owner", "status", "due", "due_unix", "done_at", "reached"}, func(c *bot.Collaboration) [][]any {
		var out [][]any
		reached := reachedFlag(c)
		for _, t := range c.Tasks {
			out = append(out, []any{int64(t.ID), t.Department, string(t.Owner), string(t.Status), jsonStamp(t.Due), unixStamp(t.Due),
				jsonStamp(t.DoneAt), reached})
		}
		return out
	}},
	{"acks", []string{"department", "status", "asked_at", "asked_unix", "at", "counted"}, func(c *bot.Collaboration) [][]any {
		var out [][]any
		for _, a := range c.Acks {
			// A cancelled collaboration keeps the answers its departments
			// gave and drops what was still pending.
			counted := reachedFlag(c) == 1 && !(c.Status == bot.StatusCancelled && a.Status == bot.AckPending)
			out = append(out, []any{a.Department, string(a.Status), jsonStamp(a.AskedAt), unixStamp(a.AskedAt), jsonStamp(a.At),
				map[bool]int64{true: 1}[counted]})
		}
		return out
	}},
	{"risks", []string{"risk", "department", "severity", "status", "reached"}, func(c *bot.Collaboration) [][]any {
		var out [][]any
		for _, k := range c.Risks {
			out = append(out, []any{int64(k.ID), k.Department, string(k.Severity), string(k.Status), reachedFlag(c)})
		}
		return out
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

// saveRows makes the board's rows of a collaboration what it holds: a
// table whose rows changed is rewritten for this collaboration, one
// that did not is left alone.
func (t *txn) saveRows(ctx context.Context, c *bot.Collaboration) error {
	for _, b := range boardRows {
		want := b.rows(c)
		have, err := t.rowKeys(ctx, b.table, b.cols, c.ID)
		if err != nil {
			return err
		}
		keys := make([]string, len(want))
		for i, r := range want {
			keys[i] = rowKey(r)
		}
		slices.Sort(keys)
		if slices.Equal(have, keys) {
			continue
		}
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM `+b.table+` WHERE workspace = ? AND collab = ?`, t.ws, c.ID); err != nil {
			return fmt.Errorf("sqlite: %s of %s: %w", b.table, c.ID, err)
		}
		per := 30000 / (len(b.cols) + 2) // SQLite binds at most 32766 parameters
		row := `(?, ?` + strings.Repeat(`, ?`, len(b.cols)) + `)`
		for len(want) > 0 {
			n := min(len(want), per)
			args := make([]any, 0, n*(len(b.cols)+2))
			for _, r := range want[:n] {
				args = append(append(args, t.ws, c.ID), r...)
			}
			q := `INSERT INTO ` + b.table + ` (workspace, collab, ` + strings.Join(b.cols, ", ") + `) VALUES ` +
				row + strings.Repeat(`, `+row, n-1)
			if _, err := t.tx.ExecContext(ctx, q, args...); err != nil {
				return fmt.Errorf("sqlite: %s of %s: %w", b.table, c.ID, err)
			}
			want = want[n:]
		}
	}
	return nil
}

// rowKey is a row's values printed one after the other, NUL between.
func rowKey(vals []any) string {
	var b strings.Builder
	for _, v := range vals {
		fmt.Fprint(&b, v, "\x00")
	}
	return b.String()
}

// rowKeys reads a collaboration's rows of a table, each as its values
// printed one after the other, sorted.
func (t *txn) rowKeys(ctx context.Context, table string, cols []string, id bot.CollabID) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table+` WHERE workspace = ? AND collab = ?`, t.ws, id)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %s of %s: %w", table, id, err)
	}
	defer rows.Close()
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("sqlite: %s of %s: %w", table, id, err)
		}
		out = append(out, rowKey(vals))
	}
	slices.Sort(out)
	return out, rows.Err()
}
