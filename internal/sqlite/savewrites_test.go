package sqlite_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// A save writes only the rows that changed: saving a collaboration of 40
// tasks as it was loaded touches no index or board row, and changing one
// task's status rewrites that task's row (and the participants it
// changes), not the others. Triggers on the tables count the writes.
func TestSaveWritesOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "c.db")
	s := open(t, path)
	dir := directory("acme")
	planned(t, s, dir, 40, false)
	db := rawDB(t, path)
	if _, err := db.Exec(`CREATE TABLE writes (tbl TEXT NOT NULL, op TEXT NOT NULL, k TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	// Each write is recorded with the row's key (R is the row).
	tables := map[string]string{"refs": "R.kind || R.number", "participants": "R.person || ':' || R.role",
		"collab_departments": "R.department || ':' || R.role", "tasks": "R.task", "acks": "R.department", "risks": "R.risk"}
	for table, key := range tables {
		for op, row := range map[string]string{"INSERT": "NEW", "DELETE": "OLD", "UPDATE": "NEW"} {
			q := `CREATE TRIGGER count_` + table + `_` + op + ` AFTER ` + op + ` ON ` + table +
				` BEGIN INSERT INTO writes VALUES ('` + table + `', '` + op + `', ` + strings.ReplaceAll(key, "R.", row+".") + `); END`
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	writes := func() []string {
		t.Helper()
		rows, err := db.Query(`SELECT tbl || ' ' || op || ' ' || k FROM writes ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var w string
			rows.Scan(&w)
			out = append(out, w)
		}
		if _, err := db.Exec(`DELETE FROM writes`); err != nil {
			t.Fatal(err)
		}
		return out
	}
	save := func(change func(c *bot.Collaboration) error) {
		t.Helper()
		err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			c, err := tx.Collaboration(ctx, 1)
			if err != nil {
				return err
			}
			if err := change(c); err != nil {
				return err
			}
			return tx.Save(ctx, c)
		})
		if err != nil {
			t.Fatal(err)
		}
	}

	save(func(*bot.Collaboration) error { return nil })
	if w := writes(); len(w) != 0 {
		t.Errorf("an unchanged save wrote %q", w)
	}
	save(func(c *bot.Collaboration) error {
		return c.SetTaskStatus(dir.Actor("ben"), 7, bot.TaskDone, "", t0)
	})
	w := writes()
	for _, want := range []string{"tasks DELETE 7", "tasks INSERT 7"} {
		if !slices.Contains(w, want) {
			t.Errorf("a status change wrote %q, without %q", w, want)
		}
	}
	for _, x := range w {
		if x != "tasks DELETE 7" && x != "tasks INSERT 7" {
			t.Errorf("a status change of T-7 also wrote %q", x)
		}
	}
}
