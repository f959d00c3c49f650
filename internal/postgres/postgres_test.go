package postgres_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/postgres"
	"github.com/collabot/collabot/internal/postgres/pgtest"
	"github.com/collabot/collabot/internal/sqlite"
	"github.com/collabot/collabot/internal/storetest"
	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite" // the SQLite catalogue, read directly
)

func openMigrated(t *testing.T, url string, opts ...postgres.Option) *postgres.Store {
	t.Helper()
	ctx := context.Background()
	s, err := postgres.Open(ctx, url, append([]postgres.Option{postgres.WithLogger(quiet())}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestMigrateFromFourProcessesAtOnce: replicas starting together on a
// new database each migrate; the advisory lock makes every migration
// applied exactly once, by one of them, and none fails.
func TestMigrateFromFourProcessesAtOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Fresh(t)
	const n = 4
	stores := make([]*postgres.Store, n)
	for i := range stores {
		s, err := postgres.Open(ctx, url, postgres.WithLogger(quiet()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	var wg sync.WaitGroup
	applied := make([][]string, n)
	errs := make([]error, n)
	start := make(chan struct{})
	for i, s := range stores {
		wg.Go(func() {
			<-start
			applied[i], errs[i] = s.Migrate(ctx)
		})
	}
	close(start)
	wg.Wait()
	var all []string
	for i := range n {
		if errs[i] != nil {
			t.Errorf("process %d: %v", i, errs[i])
		}
		all = append(all, applied[i]...)
	}
	slices.Sort(all)
	if len(all) == 0 || len(slices.Compact(slices.Clone(all))) != len(all) {
		t.Errorf("migrations applied across the processes: %v, want each exactly once", all)
	}
	for i, s := range stores {
		if p, err := s.PendingMigrations(ctx); err != nil || p != 0 {
			t.Errorf("process %d: %d pending, %v", i, p, err)
		}
	}
}

// TestSameTablesAndColumnsAsSQLite: a copy between the stores is table
// by table and column by column, so both schemas must name the same
// columns; a SQLite migration that adds one needs a PostgreSQL one too.
func TestSameTablesAndColumnsAsSQLite(t *testing.T) {
	ctx := context.Background()
	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "c.db"), quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if _, err := lite.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	url := pgtest.Fresh(t)
	openMigrated(t, url)
	want := map[string][]string{}
	for table, cols := range sqliteColumns(t, lite.Path()) {
		want[table] = cols
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' ORDER BY table_name, column_name`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	var table, col string
	if _, err := pgx.ForEachRow(rows, []any{&table, &col}, func() error {
		got[table] = append(got[table], col)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, cols := range got {
		slices.Sort(cols)
	}
	for table, cols := range want {
		if !slices.Equal(got[table], cols) {
			t.Errorf("table %s: PostgreSQL has columns %v, SQLite %v", table, got[table], cols)
		}
	}
	for table := range got {
		if _, ok := want[table]; !ok {
			t.Errorf("table %s is in PostgreSQL only", table)
		}
	}
}

// TestReminderOnceAcrossHosts: replicas on several hosts scanning at the
// same instant all try to record the same reminder; the ledger's key
// lets exactly one of them send it, without Redis.
func TestReminderOnceAcrossHosts(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Fresh(t)
	stores := []*postgres.Store{openMigrated(t, url), openMigrated(t, url), openMigrated(t, url)}
	for round := range 20 {
		var wg sync.WaitGroup
		var mu sync.Mutex
		sent := 0
		for i := range 9 {
			s := stores[i%len(stores)]
			wg.Go(func() {
				err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
					ok, err := tx.RecordReminder(ctx, bot.Reminder{Timer: "daily", Entity: "ben", Slot: "2026-11-" + string(rune('a'+round)), Collab: 1})
					if ok {
						mu.Lock()
						sent++
						mu.Unlock()
					}
					return err
				})
				if err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if sent != 1 {
			t.Fatalf("round %d: the reminder was recorded %d times, want once", round, sent)
		}
	}
}

// TestNULInTextIsKept: PostgreSQL's jsonb refuses the escape \u0000 that
// SQLite stores; a NUL typed into a topic must not make the save fail.
func TestNULInTextIsKept(t *testing.T) {
	ctx := context.Background()
	s := openMigrated(t, pgtest.Fresh(t), postgres.WithClock(bot.ClockFunc(func() time.Time { return storetest.T0 })))
	dir := storetest.Directory("acme")
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		_, err := storetest.File(ctx, tx, dir, "a\x00b \\u0000 c")
		return err
	})
	if err != nil {
		t.Fatalf("save of a topic with NUL: %v", err)
	}
	// A dialog's state is the engine's bytes, kept exactly.
	state := []byte(`{"answer":"a\u0000b"}`)
	key := bot.DialogKey{Channel: "slack:D1", Person: "amy"}
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error { return tx.SaveDialog(ctx, key, state) }); err != nil {
		t.Fatalf("save of a dialog with NUL: %v", err)
	}
	err = s.View(ctx, "acme", func(tx bot.Tx) error {
		c, err := tx.Collaboration(ctx, 1)
		if err == nil && c.Request.Topic != "a\ufffdb \\u0000 c" {
			t.Errorf("topic %q, want the NUL as U+FFFD and the rest as typed", c.Request.Topic)
		}
		got, ok, err := tx.Dialog(ctx, key)
		if err == nil && (!ok || string(got) != string(state)) {
			t.Errorf("dialog %s %v, want %s", got, ok, state)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sqliteColumns reads the tables and columns of the SQLite file at path,
// each table's columns sorted.
func sqliteColumns(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		out[table] = append(out[table], col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, cols := range out {
		slices.Sort(cols)
	}
	return out
}

// TestOddBytesInAFilterFindNothing: a search or filter a person typed
// with bytes the server refuses (not UTF-8, NUL) finds nothing, as on
// SQLite, instead of failing the page.
func TestOddBytesInAFilterFindNothing(t *testing.T) {
	ctx := context.Background()
	s := openMigrated(t, pgtest.Fresh(t))
	dir := storetest.Directory("acme")
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error { _, err := storetest.File(ctx, tx, dir, "t"); return err }); err != nil {
		t.Fatal(err)
	}
	err := s.View(ctx, "acme", func(tx bot.Tx) error {
		for _, f := range []bot.Filter{
			{Search: "\xff\xfe"}, {Status: []bot.CollabStatus{"\x00"}}, {Group: "slack:\x00"},
			{Departments: []string{"\xff部"}}, {Person: "\x00", OpenTasks: true, Soonest: true},
			{Seen: &bot.Scope{Person: "a\xff"}},
		} {
			list, err := tx.Summaries(ctx, f, storetest.T0)
			if err != nil || len(list) != 0 {
				t.Errorf("%+v: %d found, %v; want none and no error", f, len(list), err)
			}
		}
		if _, _, err := tx.Dialog(ctx, bot.DialogKey{Channel: "slack:\xff", Person: "\x00"}); err != nil {
			t.Errorf("dialog of odd bytes: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(ctx, "acme", "slack:Ev\x00\xff", func(bot.Tx) error { return nil }); err != nil {
		t.Errorf("an event id with odd bytes: %v", err)
	}
}
