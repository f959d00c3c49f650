package sqlite

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// A copy carries every table of the migrations but the store's own
// bookkeeping, and writes a parent before any table that refers to it: a
// migration that adds a table fails here until the table is placed.
func TestCopyTablesAreEveryTableParentsFirst(t *testing.T) {
	s := openMigrated(t)
	ctx := context.Background()
	rows, err := s.read.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT IN ('schema_migrations', 'sqlite_sequence') ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	copied := s.CopyTables()
	if sorted := slices.Sorted(slices.Values(copied)); !slices.Equal(sorted, tables) {
		t.Fatalf("the copy carries %v\nthe schema has %v", sorted, tables)
	}
	for i, table := range copied {
		var parents []string
		rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p string
			if err := rows.Scan(&p); err != nil {
				t.Fatal(err)
			}
			parents = append(parents, p)
		}
		rows.Close()
		for _, p := range parents {
			if j := slices.Index(copied, p); j < 0 || j > i {
				t.Errorf("%s refers to %s, which the copy writes after it", table, p)
			}
		}
	}
}

// Every column holding an instant is known to the copy (so that text or a
// time.Time from another store is written in the format this one reads),
// and every one it knows exists.
func TestCopyKnowsEveryInstantColumn(t *testing.T) {
	s := openMigrated(t)
	ctx := context.Background()
	seen := map[string]bool{}
	for _, table := range copyTables {
		cols, err := s.columns(ctx, s.read, table)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			q := table + "." + c.name
			seen[q] = true
			instant := c.name == "at" || c.name == "due" || c.name == "gone" || c.name == "synced" ||
				strings.HasSuffix(c.name, "_at") || strings.HasSuffix(c.name, "_until") || c.name == "next_attempt"
			if instant && c.typ == "TEXT" && !timeColumns[q] { // next_due.due_at is Unix seconds
				t.Errorf("%s looks like an instant the copy does not know", q)
			}
			if timeColumns[q] && c.typ != "TEXT" {
				t.Errorf("%s is %s, not text", q, c.typ)
			}
		}
	}
	for q := range timeColumns {
		if !seen[q] {
			t.Errorf("the copy knows %s, which no table has", q)
		}
	}
	for q := range jsonTimeColumns {
		if !timeColumns[q] {
			t.Errorf("%s is an instant written as JSON writes it, but not an instant", q)
		}
	}
}

// What PostgreSQL reads (time.Time, bool, NULL for "none", documents as
// bytes, instants as RFC 3339 text) is written as this store writes it.
func TestWriteRowsConvertsAnotherStoresValues(t *testing.T) {
	s := openMigrated(t)
	ctx := context.Background()
	cst := time.FixedZone("CST", 8*3600)
	at := time.Date(2026, 11, 23, 10, 0, 0, 500, cst)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.WriteRows(ctx, "collaborations",
		[]string{"workspace", "id", "version", "status", "topic", "requester", "coordinator", "due", "created_at", "updated_at", "body", "grp", "awaits"},
		[][]any{{"acme", int64(7), int64(3), "active", "接口", "amy", "amy", time.Time{}, at, "2026-11-23T10:00:00+08:00", []byte(`{"id":7}`), "", true}}))
	must(s.WriteRows(ctx, "tasks",
		[]string{"workspace", "task", "collab", "department", "owner", "status", "due", "due_unix", "done_at", "reached"},
		[][]any{{"acme", int64(1), int64(7), "研发部", "ben", "todo", at, float64(at.Unix()), nil, false}}))
	must(s.WriteRows(ctx, "outbox",
		[]string{"id", "workspace", "key", "collab", "recipient", "kind", "body", "created_at", "attempts", "next_attempt", "last_error", "sent_at", "tried_at"},
		[][]any{{int64(1000), "acme", "k1", int64(7), "ben", "reply", `{}`, at, int64(0), at, "", nil, nil}}))

	want := map[string][]any{
		"collaborations": {"acme", int64(7), int64(3), "active", "接口", "amy", "amy",
			"0001-01-01T00:00:00.000000000Z", "2026-11-23T02:00:00.000000500Z", "2026-11-23T02:00:00.000000000Z", `{"id":7}`, "", int64(1)},
		"tasks":  {"acme", int64(1), int64(7), "研发部", "ben", "todo", "2026-11-23T10:00:00.0000005+08:00", float64(at.Unix()), "", int64(0)},
		"outbox": {int64(1000), "acme", "k1", int64(7), "ben", "reply", `{}`, "2026-11-23T02:00:00.000000500Z", int64(0), "2026-11-23T02:00:00.000000500Z", "", nil, nil},
	}
	for table, w := range want {
		var got [][]any
		must(s.ReadRows(ctx, table, func(cols []string, row []any) error {
			got = append(got, slices.Clone(row))
			return nil
		}))
		if len(got) != 1 || !slices.Equal(got[0], w) {
			t.Errorf("%s reads back\n %#v\nwant\n %#v", table, got, w)
		}
	}

	// A key present already is an error, never an overwrite.
	err := s.WriteRows(ctx, "tasks", []string{"workspace", "task", "collab", "department", "owner", "status", "due", "due_unix", "done_at", "reached"},
		[][]any{{"acme", int64(1), int64(7), "法务部", "gary", "done", "", 0.0, "", 0}})
	if err == nil {
		t.Error("a second task 1 was written over the first")
	}

	// The placeholder the trigger wrote for the copied collaboration
	// gives way to the copied evaluation; an evaluation does not.
	must(s.WriteRows(ctx, "next_due", []string{"workspace", "collab", "due_at", "version"}, [][]any{{"acme", int64(7), int64(1800000000), int64(3)}}))
	var due, version int64
	must(s.read.QueryRowContext(ctx, `SELECT due_at, version FROM next_due WHERE workspace = 'acme' AND collab = 7`).Scan(&due, &version))
	if due != 1800000000 || version != 3 {
		t.Errorf("next_due is (%d, %d), want the copied (1800000000, 3)", due, version)
	}
	if err := s.WriteRows(ctx, "next_due", []string{"workspace", "collab", "due_at", "version"}, [][]any{{"acme", int64(7), nil, int64(3)}}); err == nil {
		t.Error("a copied next_due row replaced one the scheduler wrote")
	}

	// FinishCopy moves the counters past the copied keys even when
	// nothing noted them, and the next notice is numbered after them.
	_, err = s.write.ExecContext(ctx, `DELETE FROM sqlite_sequence`)
	must(err)
	must(s.FinishCopy(ctx))
	var seq int64
	must(s.read.QueryRowContext(ctx, `SELECT seq FROM sqlite_sequence WHERE name = 'outbox'`).Scan(&seq))
	if seq != 1000 {
		t.Errorf("outbox counter %d after the copy, want 1000", seq)
	}
	must(s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		_, err := tx.Enqueue(ctx, bot.Notice{Key: "k2", Collab: 7, To: "ben", Kind: "reminder", At: at})
		return err
	}))
	var id int64
	must(s.read.QueryRowContext(ctx, `SELECT id FROM outbox WHERE key = 'k2'`).Scan(&id))
	if id != 1001 {
		t.Errorf("the next notice is %d, want 1001", id)
	}
}
