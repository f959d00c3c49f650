package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/internal/store"
)

// Copying a deployment to or from another store (`collabot migrate --from
// … --to …`): rows out as SQLite keeps them, rows in converted to what
// this store reads back.

var _ store.Copier = (*Store)(nil)

// copyTables are every table of the migrations but the store's own
// bookkeeping (schema_migrations, sqlite_sequence), parents before
// children so that the foreign keys hold at every insert.
//
// Some are derived from the collaboration documents: participants,
// collab_departments and the board rows (tasks, acks, risks) are written
// by Save, not by triggers, so nothing on the target would rebuild them
// short of saving every collaboration again; they are copied.
//
// next_due is the exception: here triggers on collaborations keep it, so
// inserting a copied collaboration already makes it "due now" on the
// target. It is still copied, after collaborations, and WriteRows lets a
// copied row replace that placeholder (and only that): the scheduler's
// evaluations survive the move, so the first scan after it does not
// re-evaluate every open collaboration at once, and a target without
// the triggers (PostgreSQL, where Save writes the row) gets its rows at
// all. next_due_basis goes with it, so a target configured as the source
// was keeps them and one configured otherwise resets them as ever.
var copyTables = []string{
	"sequences",
	"collaborations",
	"refs", "timeline", "progress",
	"participants", "collab_departments", "tasks", "acks", "risks",
	"next_due", "next_due_basis",
	"outbox", "reminders", "inbound_events",
	"people", "identities",
	"dialogs", "person_settings",
	"directory_departments", "directory_people", "directory_versions",
}

// jsonTimeColumns keep an instant as encoding/json writes it (in its own
// zone, trailing zeros dropped: rows.go's jsonStamp); every other instant
// column is in timeFormat, whose fixed width makes text order time order.
var jsonTimeColumns = map[string]bool{
	"tasks.due": true, "tasks.done_at": true, "acks.asked_at": true, "acks.at": true,
}

// timeColumns are the columns holding an instant; text given for one is
// read as RFC 3339 and written in the column's own format.
var timeColumns = map[string]bool{
	"collaborations.due": true, "collaborations.created_at": true, "collaborations.updated_at": true,
	"timeline.at": true, "progress.at": true,
	"outbox.created_at": true, "outbox.next_attempt": true, "outbox.sent_at": true, "outbox.tried_at": true,
	"reminders.at": true, "inbound_events.at": true, "people.at": true,
	"dialogs.updated_at": true, "person_settings.snooze_until": true,
	"tasks.due": true, "tasks.done_at": true, "acks.asked_at": true, "acks.at": true,
	"directory_departments.gone": true, "directory_departments.at": true,
	"directory_people.gone": true, "directory_people.at": true, "directory_versions.synced": true,
}

// CopyTables implements store.Copier.
func (s *Store) CopyTables() []string { return slices.Clone(copyTables) }

// column is what the copy needs to know of a column.
type column struct {
	name    string
	typ     string // INTEGER, REAL, TEXT (the tables are STRICT)
	notNull bool
	pk      int // position in the primary key, 0 if not in it
}

// columns reads a copied table's columns in their declared order.
func (s *Store) columns(ctx context.Context, db *sql.DB, table string) ([]column, error) {
	if !slices.Contains(copyTables, table) {
		return nil, fmt.Errorf("sqlite: %q is not a table a copy carries", table)
	}
	rows, err := db.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, fmt.Errorf("sqlite: columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.name, &c.typ, &c.notNull, &c.pk); err != nil {
			return nil, fmt.Errorf("sqlite: columns of %s: %w", table, err)
		}
		c.typ = strings.ToUpper(c.typ)
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("sqlite: table %s does not exist (migrate first)", table)
	}
	return cols, nil
}

// ReadRows implements store.Copier: values as SQLite keeps them (instants
// and documents as text, flags as integers), in primary-key order (rowid
// order for acks, which has none, and is the order its rows were saved).
func (s *Store) ReadRows(ctx context.Context, table string, fn func(cols []string, row []any) error) error {
	cols, err := s.columns(ctx, s.read, table)
	if err != nil {
		return err
	}
	names := make([]string, len(cols))
	quoted := make([]string, len(cols))
	var key []string
	for i, c := range cols {
		names[i], quoted[i] = c.name, quote(c.name)
	}
	for pos := 1; ; pos++ {
		i := slices.IndexFunc(cols, func(c column) bool { return c.pk == pos })
		if i < 0 {
			break
		}
		key = append(key, quoted[i])
	}
	if len(key) == 0 {
		key = []string{"rowid"}
	}
	// One statement is one snapshot of the table (WAL): rows written while
	// it runs are not half seen.
	rows, err := s.read.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s ORDER BY %s`,
		strings.Join(quoted, ", "), quote(table), strings.Join(key, ", ")))
	if err != nil {
		return fmt.Errorf("sqlite: read %s: %w", table, err)
	}
	defer rows.Close()
	row := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range row {
		ptrs[i] = &row[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("sqlite: read %s: %w", table, err)
		}
		if err := fn(names, row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: read %s: %w", table, err)
	}
	return nil
}

// WriteRows implements store.Copier, in one transaction.
func (s *Store) WriteRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	all, err := s.columns(ctx, s.write, table)
	if err != nil {
		return err
	}
	target := make([]column, len(cols))
	quoted := make([]string, len(cols))
	for i, name := range cols {
		j := slices.IndexFunc(all, func(c column) bool { return c.name == name })
		if j < 0 {
			return fmt.Errorf("sqlite: write %s: no column %q", table, name)
		}
		target[i], quoted[i] = all[j], quote(name)
	}
	query := fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s)`, quote(table), strings.Join(quoted, ", "),
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
	if table == "next_due" {
		// Replace the "due now" placeholder the trigger wrote when the
		// collaboration was copied (see copyTables), nothing else: a row
		// the scheduler wrote is a key present already.
		query += ` ON CONFLICT (workspace, collab) DO UPDATE SET due_at = excluded.due_at, version = excluded.version
			WHERE next_due.due_at = 0 AND next_due.version = 0`
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: write %s: %w", table, err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return fmt.Errorf("sqlite: write %s: %w", table, err)
	}
	defer stmt.Close()
	args := make([]any, len(cols))
	for _, row := range rows {
		if len(row) != len(cols) {
			return fmt.Errorf("sqlite: write %s: a row of %d values for %d columns", table, len(row), len(cols))
		}
		for i, v := range row {
			if args[i], err = copyValue(table, target[i], v); err != nil {
				return fmt.Errorf("sqlite: write %s: %w", table, err)
			}
		}
		res, err := stmt.ExecContext(ctx, args...)
		if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
			return fmt.Errorf("sqlite: write %s: the row %v is there already: %w", table, row[:min(3, len(row))], err)
		}
		if err != nil {
			return fmt.Errorf("sqlite: write %s: %w", table, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return fmt.Errorf("sqlite: write %s: the row %v is there already", table, row[:min(3, len(row))])
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: write %s: %w", table, err)
	}
	return nil
}

// copyValue converts a value another store read to what this one keeps
// in the column: instants in the column's text format, flags as 0 or 1,
// documents as text, and "none" (NULL elsewhere) as the empty text
// where SQLite's column is NOT NULL text.
func copyValue(table string, c column, v any) (any, error) {
	qualified := table + "." + c.name
	format := timeFormat
	if jsonTimeColumns[qualified] {
		format = time.RFC3339Nano
	}
	switch x := v.(type) {
	case nil:
		if c.notNull && c.typ == "TEXT" {
			return "", nil
		}
		return nil, nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case time.Time:
		if c.typ != "TEXT" {
			return nil, fmt.Errorf("an instant for %s (%s)", qualified, c.typ)
		}
		if format == timeFormat {
			x = x.UTC()
		}
		return x.Format(format), nil
	case []byte:
		if c.typ == "TEXT" {
			return string(x), nil
		}
		return x, nil
	case string:
		if x != "" && timeColumns[qualified] {
			t, err := time.Parse(time.RFC3339Nano, x)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not an instant: %w", qualified, x, err)
			}
			if format == timeFormat {
				t = t.UTC()
			}
			return t.Format(format), nil
		}
		return x, nil
	}
	return v, nil
}

// CountRows implements store.Copier.
func (s *Store) CountRows(ctx context.Context, table string) (int64, error) {
	if !slices.Contains(copyTables, table) {
		return 0, fmt.Errorf("sqlite: %q is not a table a copy carries", table)
	}
	var n int64
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM `+quote(table)).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count %s: %w", table, err)
	}
	return n, nil
}

// FinishCopy implements store.Copier. SQLite moves an AUTOINCREMENT
// table's counter past any key inserted explicitly by itself; this makes
// sure of it for the two such tables (timeline, outbox) whatever wrote
// the rows, and gathers statistics for the planner on the new data.
func (s *Store) FinishCopy(ctx context.Context) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: finish copy: %w", err)
	}
	defer tx.Rollback()
	for _, t := range []struct{ table, key string }{{"timeline", "seq"}, {"outbox", "id"}} {
		var top sql.NullInt64
		if err := tx.QueryRowContext(ctx, fmt.Sprintf(`SELECT max(%s) FROM %s`, t.key, t.table)).Scan(&top); err != nil {
			return fmt.Errorf("sqlite: finish copy of %s: %w", t.table, err)
		}
		if !top.Valid {
			continue
		}
		res, err := tx.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?`, top.Int64, t.table)
		if err != nil {
			return fmt.Errorf("sqlite: finish copy of %s: %w", t.table, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, t.table, top.Int64); err != nil {
				return fmt.Errorf("sqlite: finish copy of %s: %w", t.table, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: finish copy: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `PRAGMA optimize`); err != nil {
		return fmt.Errorf("sqlite: finish copy: %w", err)
	}
	return nil
}

// quote makes an identifier safe in SQL text; the names come from the
// fixed table list and the schema, never from input.
func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
