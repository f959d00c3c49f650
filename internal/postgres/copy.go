package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// copyTables are the tables of the schema that hold a deployment's state,
// parents before children (refs, timeline, progress and the board rows
// refer to collaborations; identities to people). schema_migrations is
// the database's own bookkeeping and is not copied.
var copyTables = []string{
	"sequences", "collaborations", "refs", "timeline", "progress", "outbox", "reminders",
	"inbound_events", "people", "identities", "dialogs", "person_settings", "participants",
	"collab_departments", "tasks", "acks", "risks", "next_due", "next_due_basis",
	"directory_departments", "directory_people", "directory_versions",
}

// CopyTables implements store.Copier.
func (s *Store) CopyTables() []string { return slices.Clone(copyTables) }

// column is what a copy needs to know of a column of the target.
type column struct {
	name     string
	typ      string // the type's name in pg_type: int8, float8, text, bool, timestamptz, jsonb, json, …
	nullable bool
	key      int // its place in the primary key, from 1; 0 when not in it
}

// columns reads the columns of table from the catalog, in their order.
// The table must be one of copyTables: its name goes into SQL text.
func (s *Store) columns(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, table string) ([]column, error) {
	if !slices.Contains(copyTables, table) {
		return nil, fmt.Errorf("postgres: %q is not a table a copy carries", table)
	}
	rows, err := q.Query(ctx, `SELECT a.attname, t.typname, NOT a.attnotnull,
			coalesce(array_position(i.indkey::int2[], a.attnum), 0)
		FROM pg_attribute a
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
		WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, pgx.Identifier{table}.Sanitize())
	if err != nil {
		return nil, fmt.Errorf("postgres: columns of %s: %w", table, err)
	}
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (column, error) {
		var c column
		err := r.Scan(&c.name, &c.typ, &c.nullable, &c.key)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("postgres: no table %s (is the database migrated?)", table)
	}
	return cols, nil
}

// ReadRows implements store.Copier: every row of table in primary-key
// order (every column in order for a table without one, acks), documents
// as text, instants as time.Time in UTC.
func (s *Store) ReadRows(ctx context.Context, table string, fn func(cols []string, row []any) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: read %s: %w", table, err)
	}
	defer tx.Rollback(ctx)
	cols, err := s.columns(ctx, tx, table)
	if err != nil {
		return err
	}
	names := make([]string, len(cols))
	exprs := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
		exprs[i] = pgx.Identifier{c.name}.Sanitize()
		if c.typ == "json" || c.typ == "jsonb" {
			exprs[i] += "::text" // the document's text, not a decoded map
		}
	}
	rows, err := tx.Query(ctx, `SELECT `+strings.Join(exprs, ", ")+` FROM `+pgx.Identifier{table}.Sanitize()+
		` ORDER BY `+strings.Join(orderBy(cols), ", "))
	if err != nil {
		return fmt.Errorf("postgres: read %s: %w", table, err)
	}
	defer rows.Close()
	row := make([]any, len(cols))
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return fmt.Errorf("postgres: read %s: %w", table, err)
		}
		for i, v := range vals {
			if row[i], err = portable(v); err != nil {
				return fmt.Errorf("postgres: read %s.%s: %w", table, cols[i].name, err)
			}
		}
		if err := fn(names, row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: read %s: %w", table, err)
	}
	return nil
}

// orderBy is the primary key's columns in key order, or every column.
func orderBy(cols []column) []string {
	var keyed []column
	for _, c := range cols {
		if c.key > 0 {
			keyed = append(keyed, c)
		}
	}
	if len(keyed) == 0 {
		keyed = cols
	}
	slices.SortStableFunc(keyed, func(a, b column) int { return a.key - b.key })
	out := make([]string, len(keyed))
	for i, c := range keyed {
		out[i] = pgx.Identifier{c.name}.Sanitize()
	}
	return out
}

// portable is a value as store.Copier hands it on: nil, int64, float64,
// string, []byte, bool or time.Time.
func portable(v any) (any, error) {
	switch x := v.(type) {
	case nil, int64, float64, string, []byte, bool:
		return x, nil
	case int32:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case float32:
		return float64(x), nil
	case time.Time:
		return x.UTC(), nil
	}
	return nil, fmt.Errorf("a value of type %T", v)
}

// WriteRows implements store.Copier: the rows go in with COPY, in one
// transaction, each value converted to its column's type (convert). COPY
// never overwrites: a key present already fails the whole call.
func (s *Store) WriteRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: write %s: %w", table, err)
	}
	defer tx.Rollback(ctx)
	all, err := s.columns(ctx, tx, table)
	if err != nil {
		return err
	}
	target := make([]column, len(cols))
	for i, name := range cols {
		j := slices.IndexFunc(all, func(c column) bool { return c.name == name })
		if j < 0 {
			return fmt.Errorf("postgres: write %s: no column %q", table, name)
		}
		target[i] = all[j]
	}
	converted := make([][]any, len(rows))
	for r, row := range rows {
		if len(row) != len(cols) {
			return fmt.Errorf("postgres: write %s: a row of %d values for %d columns", table, len(row), len(cols))
		}
		out := make([]any, len(row))
		for i, v := range row {
			if out[i], err = convert(target[i], v); err != nil {
				return fmt.Errorf("postgres: write %s.%s (row %d): %w", table, cols[i], r+1, err)
			}
		}
		converted[r] = out
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(converted)); err != nil {
		return fmt.Errorf("postgres: write %d rows to %s: %w", len(rows), table, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: write %d rows to %s: %w", len(rows), table, err)
	}
	return nil
}

// CountRows implements store.Copier.
func (s *Store) CountRows(ctx context.Context, table string) (int64, error) {
	if !slices.Contains(copyTables, table) {
		return 0, fmt.Errorf("postgres: %q is not a table a copy carries", table)
	}
	var n int64
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count %s: %w", table, err)
	}
	return n, nil
}

// FinishCopy implements store.Copier: every identity or serial column's
// sequence (timeline.seq, outbox.id) moves past the largest value copied
// in, so the next row the store adds takes a new number.
func (s *Store) FinishCopy(ctx context.Context) error {
	rows, err := s.pool.Query(ctx, `SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname)
		FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		WHERE c.relnamespace = to_regnamespace(current_schema()) AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
			AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL
		ORDER BY 1, 2`)
	if err != nil {
		return fmt.Errorf("postgres: finish copy: %w", err)
	}
	type serial struct{ table, col, seq string }
	serials, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (serial, error) {
		var x serial
		err := r.Scan(&x.table, &x.col, &x.seq)
		return x, err
	})
	if err != nil {
		return fmt.Errorf("postgres: finish copy: %w", err)
	}
	for _, x := range serials {
		// setval(…, max, true): the next value is max+1; an empty table
		// starts at 1 (setval(…, 1, false)).
		_, err := s.pool.Exec(ctx, `SELECT CASE WHEN m IS NULL THEN setval($1, 1, false) ELSE setval($1, m, true) END
			FROM (SELECT max(`+pgx.Identifier{x.col}.Sanitize()+`) AS m FROM `+pgx.Identifier{x.table}.Sanitize()+`) t`, x.seq)
		if err != nil {
			return fmt.Errorf("postgres: finish copy, sequence of %s.%s: %w", x.table, x.col, err)
		}
	}
	return nil
}
