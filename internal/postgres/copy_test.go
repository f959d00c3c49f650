package postgres_test

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/postgres"
	"github.com/collabot/collabot/internal/postgres/pgtest"
	"github.com/collabot/collabot/internal/store"
	"github.com/jackc/pgx/v5"
)

// copySeed puts a few rows in every table a copy carries, with the
// values that need care: NULL instants, documents with non-ASCII text,
// flags both ways, identity columns with gaps.
const copySeed = `
INSERT INTO sequences VALUES ('acme', 'COL', 2), ('acme', 'T', 3), ('beta', 'COL', 1);
INSERT INTO collaborations VALUES
	('acme', 1, 3, 'active', '新品发布', 'ann', 'ben', '0001-01-01T00:00:00Z', '2026-03-02T09:00:00.123456Z', '2026-03-02T10:00:00Z', '{"id": 1, "topic": "新品发布"}', 'g1', true),
	('acme', 2, 1, 'draft', 'two', 'ann', 'ann', '2026-04-01T00:00:00+08:00', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', '{"id": 2}', '', false),
	('beta', 1, 1, 'active', 'b', 'zed', 'zed', '2026-04-01T00:00:00Z', '2026-03-02T09:00:00Z', '2026-03-02T09:00:00Z', '{"id": 1}', '', false);
INSERT INTO refs VALUES ('acme', 'T', 1, 1), ('acme', 'T', 2, 1), ('acme', 'R', 1, 2);
INSERT INTO timeline (seq, workspace, collab, at, actor, action, subject, note) VALUES
	(1, 'acme', 1, '2026-03-02T09:00:00Z', 'ann', 'created', 'COL-1', ''),
	(5, 'acme', 1, '2026-03-02T09:30:00Z', 'ben', 'task_needs_help', 'T-1', '卡住了');
INSERT INTO progress VALUES ('acme', 1, 'ben', '2026-03-02', '2026-03-02T18:00:00Z', '{"text": "进展"}');
INSERT INTO outbox (id, workspace, key, collab, recipient, kind, body, created_at, attempts, next_attempt, last_error, sent_at, tried_at) VALUES
	(3, 'acme', 'k1', 1, 'ben', 'ack_requested', '{"key": "k1"}', '2026-03-02T09:00:00Z', 1, '2026-03-02T09:00:00Z', '', '2026-03-02T09:00:01Z', NULL),
	(7, 'acme', 'k2', 1, 'ann', 'reply', '{"key": "k2"}', '2026-03-02T09:00:00Z', 2, '2026-03-02T09:05:00Z', 'timeout', NULL, '2026-03-02T09:01:00Z');
INSERT INTO reminders VALUES ('acme', 'due_soon', 'T-1', '2026-03-03', 1, '2026-03-02T09:00:00Z', 'sent');
INSERT INTO inbound_events VALUES ('acme', 'slack:Ev1', '2026-03-02T09:00:00Z'), ('beta', 'slack:Ev1', '2026-03-02T09:00:00Z');
INSERT INTO people VALUES ('acme', 'ann', 'Ann', 'en', '2026-03-01T00:00:00Z', 1), ('acme', 'ben', '本', 'zh', '2026-03-01T00:00:00Z', 2);
INSERT INTO identities VALUES ('acme', 'slack', 'U0ANN', 'ann'), ('acme', 'dingtalk', 'd-ben', 'ben');
INSERT INTO dialogs VALUES ('acme', 'D0ANN', 'ann', '{"form": "request", "asking": "goal"}', '2026-03-02T09:00:00Z');
INSERT INTO person_settings VALUES ('acme', 'ann', 'zh', '研发部', NULL, '[]', ''), ('acme', 'ben', '', '', '2026-03-05T00:00:00Z', '[{"from": "2026-03-10"}]', '22:00-08:00');
INSERT INTO participants VALUES ('acme', 'ann', 1, 'requester'), ('acme', 'ben', 1, 'coordinator');
INSERT INTO collab_departments VALUES ('acme', '研发部', 1, 'assist'), ('acme', '市场部', 1, 'request');
INSERT INTO tasks VALUES
	('acme', 1, 1, '研发部', 'ben', 'needs_help', '2026-03-04T00:00:00Z', 1772582400, NULL, true),
	('acme', 2, 1, '研发部', 'ben', 'done', NULL, 0, '2026-03-03T00:00:00Z', false);
INSERT INTO acks VALUES
	('acme', 1, '研发部', 'accepted', '2026-03-02T09:00:00Z', 1772442000, '2026-03-02T11:00:00Z', true),
	('acme', 1, '市场部', 'pending', '2026-03-02T09:00:00Z', 1772442000, NULL, true);
INSERT INTO risks VALUES ('acme', 1, 2, '研发部', 'high', 'open', false);
INSERT INTO next_due VALUES ('acme', 1, 1772582400, 3), ('acme', 2, NULL, 1);
INSERT INTO next_due_basis VALUES ('acme', 'v1');
INSERT INTO directory_departments VALUES ('acme', 'slack', 'S1', '研发部', NULL, '2026-03-01T00:00:00Z'),
	('acme', 'slack', 'S2', 'Old', '2026-03-02T00:00:00Z', '2026-03-01T00:00:00Z');
INSERT INTO directory_people VALUES ('acme', 'slack', 'U0ANN', 'Ann', '["S1"]', '[]', NULL, '2026-03-01T00:00:00Z');
INSERT INTO directory_versions VALUES ('acme', 4, '2026-03-01T00:00:00Z');
`

func copyStore(t testing.TB, url string) *postgres.Store {
	t.Helper()
	ctx := context.Background()
	s, err := postgres.Open(ctx, url, postgres.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

func execSQL(t *testing.T, url, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatal(err)
	}
}

// dump reads every row of every table a copy carries, as ReadRows hands
// them on.
func dump(t *testing.T, s store.Copier) map[string][][]any {
	t.Helper()
	out := map[string][][]any{}
	for _, table := range s.CopyTables() {
		err := s.ReadRows(context.Background(), table, func(cols []string, row []any) error {
			if len(out[table]) == 0 {
				out[table] = append(out[table], slices.Clone(toAny(cols)))
			}
			for _, v := range row {
				switch v.(type) {
				case nil, int64, float64, string, []byte, bool, time.Time:
				default:
					t.Errorf("%s: a value of type %T", table, v)
				}
			}
			out[table] = append(out[table], slices.Clone(row))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}

// copyAll is what `collabot migrate` does with two Copiers.
func copyAll(t *testing.T, from, to store.Copier) {
	t.Helper()
	ctx := context.Background()
	for _, table := range from.CopyTables() {
		var cols []string
		var rows [][]any
		err := from.ReadRows(ctx, table, func(c []string, row []any) error {
			cols = slices.Clone(c)
			rows = append(rows, slices.Clone(row))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := to.WriteRows(ctx, table, cols, rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := to.FinishCopy(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestCopyRoundTrip: every table of a deployment goes from one database
// to another row for row, in primary-key order; a second copy into the
// same target is refused; once finished, the target numbers new outbox
// and timeline rows past the copied ones.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	srcURL, dstURL := pgtest.Fresh(t), pgtest.Fresh(t)
	src, dst := copyStore(t, srcURL), copyStore(t, dstURL)
	execSQL(t, srcURL, copySeed)

	// Every table of the schema but the migrations' bookkeeping is copied.
	var tables []string
	conn, err := pgx.Connect(ctx, srcURL)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`)
	tables, err = pgx.CollectRows(rows, pgx.RowTo[string])
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := src.CopyTables(); !sameSet(got, tables) {
		t.Fatalf("CopyTables %v, schema's tables %v", got, tables)
	}

	before := dump(t, src)
	for _, table := range src.CopyTables() {
		if len(before[table]) < 2 { // the column names and a row at least
			t.Fatalf("the seed has no row in %s", table)
		}
	}
	copyAll(t, src, dst)
	after := dump(t, dst)
	for _, table := range src.CopyTables() {
		if !reflect.DeepEqual(before[table], after[table]) {
			t.Errorf("%s copied as\n%v\nwant\n%v", table, after[table], before[table])
		}
		n, err := dst.CountRows(ctx, table)
		if err != nil || n != int64(len(before[table])-1) {
			t.Errorf("%s: %d rows, %v; want %d", table, n, err, len(before[table])-1)
		}
	}
	// Primary-key order: timeline by seq, outbox by id.
	if got := after["timeline"][1][0]; got != int64(1) {
		t.Errorf("first timeline row has seq %v", got)
	}

	// Never overwrite: the same rows again fail, and leave what is there.
	var cols []string
	var again [][]any
	if err := src.ReadRows(ctx, "outbox", func(c []string, row []any) error {
		cols, again = slices.Clone(c), append(again, slices.Clone(row))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := dst.WriteRows(ctx, "outbox", cols, again); err == nil {
		t.Error("a second copy of the outbox's rows was written")
	}
	if n, _ := dst.CountRows(ctx, "outbox"); n != 2 {
		t.Errorf("the failed write left %d outbox rows, want 2", n)
	}

	// New rows after FinishCopy take numbers past the copied ones.
	err = dst.Apply(ctx, "acme", "slack:EvNew", func(tx bot.Tx) error {
		_, err := tx.Enqueue(ctx, bot.Notice{Key: "k-new", Kind: "ack_requested", To: "ben", Collab: 1})
		return err
	})
	if err != nil {
		t.Fatalf("a new notice after the copy: %v", err)
	}
	due, err := dst.DueNotices(ctx, time.Now().Add(time.Hour), 10)
	if err != nil {
		t.Fatal(err)
	}
	var newID int64
	for _, q := range due {
		if q.Notice.Key == "k-new" {
			newID = q.ID
		}
	}
	if newID != 8 {
		t.Errorf("the new notice is row %d, want 8 (after the copied 7); due %v", newID, due)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b))
	return slices.Equal(a, b)
}

// TestWriteRowsConverts: values as SQLite's Copier reads them (instants
// as text, the empty text for none, documents as text, flags and numbers as int64)
// land as the column's type, and ReadRows hands them back in its own.
func TestWriteRowsConverts(t *testing.T) {
	ctx := context.Background()
	s := copyStore(t, pgtest.Fresh(t))
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)
	sqliteStamp := at.Format("2006-01-02T15:04:05.000000000Z")
	write := func(table string, cols []string, row ...any) error {
		return s.WriteRows(ctx, table, cols, [][]any{row})
	}
	collab := []string{"workspace", "id", "version", "status", "topic", "requester", "coordinator", "due",
		"created_at", "updated_at", "body", "grp", "awaits"}
	if err := write("collaborations", collab, "acme", int64(1), int64(2), "active", "t\x00x", "ann", "ann",
		"0001-01-01T00:00:00Z", sqliteStamp, "2026-03-02T17:00:00+08:00", []byte(`{"a": "\u0000"}`), "", int64(1)); err != nil {
		t.Fatal(err)
	}
	taskCols := []string{"workspace", "task", "collab", "department", "owner", "status", "due", "due_unix", "done_at", "reached"}
	if err := write("tasks", taskCols, "acme", int64(1), int64(1), "d", "ann", "open", "", int64(0), "", int64(0)); err != nil {
		t.Fatal(err)
	}
	if err := write("tasks", taskCols, "acme", int64(2), float64(1), "d", "ann", "done", sqliteStamp, 1.5, at, true); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct {
		name string
		row  []any
	}{
		{"an instant that is not one", []any{"acme", int64(3), int64(1), "d", "ann", "open", "yesterday", int64(0), "", false}},
		{"a flag of 2", []any{"acme", int64(3), int64(1), "d", "ann", "open", "", int64(0), "", int64(2)}},
		{"a fractional number", []any{"acme", 3.5, int64(1), "d", "ann", "open", "", int64(0), "", false}},
		{"NULL where one is required", []any{"acme", int64(3), int64(1), nil, "ann", "open", "", int64(0), "", false}},
		{"the key of a row there", []any{"acme", int64(1), int64(1), "d", "ann", "open", "", int64(0), "", false}},
	} {
		if err := write("tasks", taskCols, bad.row...); err == nil {
			t.Errorf("%s: written", bad.name)
		}
	}
	if err := write("tasks", []string{"workspace", "nope"}, "acme", "x"); err == nil {
		t.Error("a column the table has not: written")
	}
	if err := write("schema_migrations", []string{"version"}, int64(1)); err == nil {
		t.Error("a table a copy does not carry: written")
	}

	got := dump(t, s)
	c := got["collaborations"][1]
	if !c[7].(time.Time).Equal(time.Time{}) || !c[8].(time.Time).Equal(at.Truncate(time.Microsecond)) ||
		!c[9].(time.Time).Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) || c[9].(time.Time).Location() != time.UTC {
		t.Errorf("instants: %v", c[7:10])
	}
	if c[4] != "t\uFFFDx" || c[12] != true || !strings.Contains(c[10].(string), "\uFFFD") {
		t.Errorf("text, flag, document: %q %v %q", c[4], c[12], c[10])
	}
	want := [][]any{
		{"acme", int64(1), int64(1), "d", "ann", "open", nil, 0.0, nil, false},
		{"acme", int64(2), int64(1), "d", "ann", "done", at.Truncate(time.Microsecond), 1.5, at.Truncate(time.Microsecond), true},
	}
	if !reflect.DeepEqual(got["tasks"][1:], want) {
		t.Errorf("tasks read back\n%v\nwant\n%v", got["tasks"][1:], want)
	}
	if err := s.ReadRows(ctx, "pg_class", func([]string, []any) error { return nil }); err == nil {
		t.Error("ReadRows of a table a copy does not carry")
	}
}
