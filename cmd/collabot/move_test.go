package main

import (
	"context"
	"errors"
	"fmt"
	"github.com/collabot/collabot/internal/postgres/pgtest"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/store"
)

// moveTarget is a kind of database a deployment is moved into.
type moveTarget struct {
	name string
	// fresh returns the address of a new, empty database of the kind
	// (and drops it when the test ends, if it needs dropping).
	fresh func(t testing.TB) string
	// sqlite: the rows read back are comparable value for value with the
	// source's (another store reads its own types).
	sqlite bool
}

// moveTargets are where TestMigrateMovesADeployment moves its SQLite
// deployment to: another file, and a PostgreSQL database the test creates
// and drops (skipped when the server is not there unless
// COLLABOT_REQUIRE_POSTGRES=1).
var moveTargets = []moveTarget{
	{name: "sqlite", sqlite: true, fresh: func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "moved", "collabot.db")
	}},
	{name: "postgres", fresh: pgtest.Fresh},
}

// TestMigrateMovesADeployment copies a deployment of every status with
// `collabot migrate --from … --to …` and finds the same records, the
// same counts, a refusal to copy twice, and a target that carries on
// where the source stopped.
func TestMigrateMovesADeployment(t *testing.T) {
	t.Cleanup(func() { stdin = os.Stdin })
	src := moveFixture(t)

	// The fixture is what it claims: hundreds of collaborations in every
	// status, and rows in every table a copy carries.
	ids, statuses := demoCollabs(t, src)
	if len(ids) < 500 {
		t.Fatalf("the fixture holds %d collaborations, want at least 500", len(ids))
	}
	for _, s := range stages {
		if statuses[s] == 0 {
			t.Errorf("the fixture has no collaboration %s", s)
		}
	}
	want := rowCounts(t, src)
	for table, n := range want {
		if n == 0 {
			t.Errorf("the fixture leaves %s empty", table)
		}
	}
	pending := dueNotices(t, src)
	if len(pending) == 0 {
		t.Fatal("the fixture has no notice waiting to be sent")
	}
	exports := make([]string, len(ids))
	for i, id := range ids {
		exports[i] = exportOf(t, src, id)
	}

	t.Run("sqlite, from PostgreSQL's types", func(t *testing.T) {
		copyThroughPostgresTypes(t, src, ids, exports, want)
	})
	for _, target := range moveTargets {
		t.Run(target.name, func(t *testing.T) {
			dst := target.fresh(t)
			code, out, errOut := runCLI(t, nil, "migrate", "--from", src, "--to", dst)
			if code != 0 {
				t.Fatalf("migrate --from --to: exit %d: %s\n%s", code, errOut, out)
			}
			t.Log(out)
			for _, w := range []string{"every count matches", "collaborations", "outbox", "dialogs"} {
				if !strings.Contains(out, w) {
					t.Errorf("the output lacks %q:\n%s", w, out)
				}
			}
			if got := rowCounts(t, dst); !reflect.DeepEqual(got, want) {
				t.Errorf("the target's counts differ:\n got %v\nwant %v", got, want)
			}
			if target.sqlite {
				sameRows(t, src, dst)
			}
			for i, id := range ids {
				if got := exportOf(t, dst, id); got != exports[i] {
					t.Fatalf("export of %s differs after the move:\n%s", id, firstDifference(exports[i], got))
				}
			}

			code, out, errOut = runCLI(t, nil, "migrate", "--from", src, "--to", dst)
			if code != 1 || !strings.Contains(errOut, "--into-nonempty") || !strings.Contains(errOut, "not empty") {
				t.Errorf("a second copy into the target: exit %d, %q\n%s", code, errOut, out)
			}
			if got := rowCounts(t, dst); !reflect.DeepEqual(got, want) {
				t.Errorf("the refused copy changed the target:\n got %v\nwant %v", got, want)
			}

			carriesOn(t, dst, ids, pending)
		})
	}
}

// copyThroughPostgresTypes copies the deployment through a reader
// that hands SQLite's rows over as PostgreSQL's store reads its own
// (pgTyped): what SQLite's WriteRows makes of them exports the same
// records, so a move back from PostgreSQL is a move too.
func copyThroughPostgresTypes(t *testing.T, src string, ids []bot.CollabID, exports []string, want map[string]int64) {
	t.Helper()
	ctx := context.Background()
	dst := filepath.Join(t.TempDir(), "typed.db")
	to := openMoved(t, dst)
	if _, err := to.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	from := pgTyped{copier(t, openMoved(t, src))}
	for _, table := range from.CopyTables() {
		if _, err := copyTable(ctx, from, copier(t, to), table, moveBatch, func(int64) {}); err != nil {
			t.Fatalf("copy %s: %v", table, err)
		}
	}
	if err := copier(t, to).FinishCopy(ctx); err != nil {
		t.Fatal(err)
	}
	if got := rowCounts(t, dst); !reflect.DeepEqual(got, want) {
		t.Errorf("the counts differ:\n got %v\nwant %v", got, want)
	}
	// Every row as it was; the board's instants, which SQLite keeps as
	// encoding/json wrote them (in their own zone), as the same instants.
	sameRows(t, src, dst, "tasks.due", "tasks.done_at", "acks.asked_at", "acks.at")
	// The records of a collaboration of each status (the first ones, the
	// one typed in the terminal among them): every row is compared above,
	// and an export is slow under the race detector.
	for i, id := range ids[:len(stages)+1] {
		if got := exportOf(t, dst, id); got != exports[i] {
			t.Fatalf("export of %s differs:\n%s", id, firstDifference(exports[i], got))
		}
	}
}

// pgTyped reads a store as PostgreSQL's reads its own columns (see
// internal/postgres's schema): instants as time.Time in UTC and none as
// NULL, flags as bool, documents as bytes.
type pgTyped struct{ store.Copier }

var (
	pgFlags = map[string]bool{"collaborations.awaits": true, "tasks.reached": true, "acks.counted": true, "risks.reached": true}
	pgDocs  = map[string]bool{"collaborations.body": true, "progress.body": true, "outbox.body": true, "dialogs.state": true,
		"person_settings.leave": true, "directory_people.departments": true, "directory_people.leads": true}
)

// pgInstant tells a column holding an instant by its name, as the
// schema names them (next_due.due_at is a number and stays one).
func pgInstant(col string) bool {
	return col == "at" || col == "due" || col == "gone" || col == "synced" || col == "next_attempt" ||
		strings.HasSuffix(col, "_at") || strings.HasSuffix(col, "_until")
}

func (p pgTyped) ReadRows(ctx context.Context, table string, fn func([]string, []any) error) error {
	return p.Copier.ReadRows(ctx, table, func(cols []string, row []any) error {
		out := make([]any, len(row))
		for i, v := range row {
			q := table + "." + cols[i]
			text, isText := v.(string)
			switch {
			case pgFlags[q]:
				out[i] = v.(int64) != 0
			case isText && pgDocs[q]:
				out[i] = []byte(text)
			case isText && pgInstant(cols[i]) && text == "":
				out[i] = nil
			case isText && pgInstant(cols[i]):
				at, err := time.Parse(time.RFC3339Nano, text)
				if err != nil {
					return fmt.Errorf("%s: %q is not an instant: %w", q, text, err)
				}
				out[i] = at.UTC()
			default:
				out[i] = v
			}
		}
		return fn(cols, out)
	})
}

// carriesOn checks the target works on from the copy: the next
// collaboration takes the next number, its notices are numbered after the
// copied ones, and the copied notices still waiting are claimed and sent.
func carriesOn(t *testing.T, dst string, ids []bot.CollabID, pending []bot.Queued) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC)
	s, err := database.Open(ctx, dst, database.Options{Log: quietLog(), Clock: bot.ClockFunc(func() time.Time { return now }),
		Workspaces: []bot.Workspace{"demo"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dir := demoDirectory(t)
	var id int64
	err = s.Apply(ctx, "demo", "slack:EvAfterTheMove", func(tx bot.Tx) error {
		if id, err = tx.NextID(ctx, bot.KindCollab); err != nil {
			return err
		}
		c, err := bot.NewCollaboration(dir, bot.CollabID(id), dir.Actor("chris"), bot.Request{Topic: "搬迁之后", Goal: "继续",
			Requirements: "接口联调", Due: now.AddDate(0, 1, 0), Departments: []bot.Assignment{{Department: "研发部"}}}, now)
		if err != nil {
			return err
		}
		if err := c.Submit(dir, dir.Actor("chris"), now); err != nil {
			return err
		}
		return tx.Save(ctx, c)
	})
	if err != nil {
		t.Fatalf("a new collaboration on the target: %v", err)
	}
	if want := int64(slices.Max(ids)) + 1; id != want {
		t.Errorf("the new collaboration is COL-%d, want COL-%d", id, want)
	}
	claimed, err := s.Claim(ctx, now, 100000, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	// The store is sealed to demo, as a deployment of it is: acme's
	// notices are not its to claim.
	copied := map[int64]bool{}
	for _, q := range pending {
		copied[q.ID] = q.Workspace == "demo"
	}
	maps.DeleteFunc(copied, func(_ int64, demo bool) bool { return !demo })
	var fresh int
	for _, q := range claimed {
		if copied[q.ID] {
			delete(copied, q.ID)
			continue
		}
		fresh++
		if q.Notice.Collab != bot.CollabID(id) || q.ID <= slices.MaxFunc(pending, func(a, b bot.Queued) int { return int(a.ID - b.ID) }).ID {
			t.Errorf("notice %d (%s of %s) is neither copied nor numbered after the copied ones", q.ID, q.Notice.Kind, q.Notice.Collab)
		}
	}
	if len(copied) > 0 || fresh == 0 {
		t.Errorf("claimed %d notices: %d copied ones were not among them, %d new ones were", len(claimed), len(copied), fresh)
	}
	first := pending[slices.IndexFunc(pending, func(q bot.Queued) bool { return q.Workspace == "demo" })]
	if err := s.MarkSent(ctx, first.ID, now); err != nil {
		t.Errorf("sending a copied notice: %v", err)
	}
}

// demoCollabs lists the demo workspace's collaborations and counts them
// by status.
func demoCollabs(t *testing.T, db string) ([]bot.CollabID, map[bot.CollabStatus]int) {
	t.Helper()
	ctx := context.Background()
	s := openMoved(t, db)
	var ids []bot.CollabID
	statuses := map[bot.CollabStatus]int{}
	err := s.View(ctx, "demo", func(tx bot.Tx) error {
		for _, st := range stages {
			v, err := tx.Versions(ctx, st)
			if err != nil {
				return err
			}
			statuses[st] = len(v)
			for id := range v {
				ids = append(ids, id)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids, statuses
}

// rowCounts counts the rows of every table a copy carries from SQLite,
// in the database at addr (of any kind).
func rowCounts(t *testing.T, addr string) map[string]int64 {
	t.Helper()
	c := copier(t, openMoved(t, addr))
	out := map[string]int64{}
	for _, table := range copyTables(t) {
		n, err := c.CountRows(context.Background(), table)
		if err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// copyTables are the tables a copy from SQLite carries.
func copyTables(t *testing.T) []string {
	t.Helper()
	return copier(t, openMoved(t, filepath.Join(t.TempDir(), "tables.db"))).CopyTables()
}

// sameRows compares two SQLite databases table by table, row by row,
// value by value; in the columns named table.column, text that differs
// may be the same instant written in another zone.
func sameRows(t *testing.T, a, b string, instants ...string) {
	t.Helper()
	ca, cb := copier(t, openMoved(t, a)), copier(t, openMoved(t, b))
	for _, table := range ca.CopyTables() {
		var cols []string
		if err := ca.ReadRows(context.Background(), table, func(c []string, _ []any) error {
			cols = slices.Clone(c)
			return errStop
		}); err != nil && err != errStop {
			t.Fatal(err)
		}
		ra, rb := readAll(t, ca, table), readAll(t, cb, table)
		if len(ra) != len(rb) {
			t.Errorf("%s: %d rows, then %d", table, len(ra), len(rb))
			continue
		}
	rows:
		for i := range ra {
			for j := range ra[i] {
				x, y := ra[i][j], rb[i][j]
				if reflect.DeepEqual(x, y) || slices.Contains(instants, table+"."+cols[j]) && sameInstant(x, y) {
					continue
				}
				t.Errorf("%s row %d, %s:\n was %#v\n now %#v", table, i, cols[j], x, y)
				break rows
			}
		}
	}
}

var errStop = errors.New("enough")

// sameInstant reports whether two texts are the same instant.
func sameInstant(a, b any) bool {
	x, ok1 := a.(string)
	y, ok2 := b.(string)
	if !ok1 || !ok2 || x == "" || y == "" {
		return false
	}
	tx, err1 := time.Parse(time.RFC3339Nano, x)
	ty, err2 := time.Parse(time.RFC3339Nano, y)
	return err1 == nil && err2 == nil && tx.Equal(ty)
}

func readAll(t *testing.T, c store.Copier, table string) [][]any {
	t.Helper()
	var rows [][]any
	if err := c.ReadRows(context.Background(), table, func(_ []string, row []any) error {
		rows = append(rows, slices.Clone(row))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return rows
}

// dueNotices lists every notice waiting to be sent, in any workspace.
func dueNotices(t *testing.T, db string) []bot.Queued {
	t.Helper()
	due, err := openMoved(t, db).DueNotices(context.Background(), time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC), 100000)
	if err != nil {
		t.Fatal(err)
	}
	return due
}

// openMoved opens a database by address, unsealed, until the test ends.
func openMoved(t *testing.T, addr string) store.Backend {
	t.Helper()
	s, err := database.Open(context.Background(), addr, database.Options{Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func copier(t *testing.T, s store.Backend) store.Copier {
	t.Helper()
	c, ok := s.(store.Copier)
	if !ok {
		t.Fatalf("%T cannot be copied", s)
	}
	return c
}

// exportOf is `collabot export ID --format json` on the database at addr,
// as of a fixed instant (the export says when it was generated).
func exportOf(t *testing.T, addr string, id bot.CollabID) string {
	t.Helper()
	code, out, errOut := runCLI(t, map[string]string{"COLLABOT_DB": addr}, "export", id.String(), "--format", "json",
		"--at", "2026-12-01T09:00:00+08:00")
	if code != 0 {
		t.Fatalf("export %s: exit %d: %s", id, code, errOut)
	}
	return out
}

// firstDifference shows where two texts part, with a little context.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return "before: …" + a[from:min(len(a), i+200)] + "\nafter:  …" + b[from:min(len(b), i+200)]
}

func demoDirectory(t *testing.T) *bot.Directory {
	t.Helper()
	cfg, err := loadConfig("", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Directory()
}

// TestMigrateMoveRefuses: what a copy refuses, with words that say what
// to do instead.
func TestMigrateMoveRefuses(t *testing.T) {
	_, src := exportFixture(t)
	dir := t.TempDir()
	// A database from an older build: opened, never migrated.
	old := filepath.Join(dir, "old.db")
	s, err := database.Open(context.Background(), old, database.Options{Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	copied := filepath.Join(dir, "copied.db")
	if code, out, errOut := runCLI(t, nil, "migrate", "--from", src, "--to", copied); code != 0 {
		t.Fatalf("the first copy: exit %d: %s\n%s", code, errOut, out)
	}
	cases := []struct {
		name  string
		args  []string
		code  int
		wants []string
	}{
		{"no target", []string{"--from", src}, 2, []string{"--from and --to", moveSynopsis}},
		{"no source", []string{"--to", filepath.Join(dir, "x.db")}, 2, []string{"--from and --to"}},
		{"the same database", []string{"--from", src, "--to", src}, 2, []string{"the same database"}},
		{"a batch of none", []string{"--from", src, "--to", filepath.Join(dir, "y.db"), "--batch", "0"}, 2, []string{"--batch"}},
		{"a source that is not there", []string{"--from", filepath.Join(dir, "missing.db"), "--to", filepath.Join(dir, "z.db")}, 1,
			[]string{"no database at", "missing.db"}},
		{"a source of an older build", []string{"--from", old, "--to", filepath.Join(dir, "w.db")}, 1,
			[]string{"migration(s) of this build", "collabot migrate"}},
		{"a target with rows", []string{"--from", src, "--to", copied}, 1, []string{"not empty", "collaborations (1)", "--into-nonempty"}},
		{"a target with the same rows, told", []string{"--from", src, "--to", copied, "--into-nonempty"}, 1,
			[]string{"copy sequences", "is there already"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, append([]string{"migrate"}, c.args...)...)
			if code != c.code {
				t.Errorf("exit %d, want %d: %s\n%s", code, c.code, errOut, out)
			}
			for _, w := range c.wants {
				if !strings.Contains(errOut, w) {
					t.Errorf("the error lacks %q: %s", w, errOut)
				}
			}
		})
	}
	if got, want := rowCounts(t, copied), rowCounts(t, src); !reflect.DeepEqual(got, want) {
		t.Errorf("refused copies changed the target:\n got %v\nwant %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
		t.Error("copying from a missing file created it")
	}
}
