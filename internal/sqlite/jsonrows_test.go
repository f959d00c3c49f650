package sqlite

import (
	"database/sql"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// The rows a save hands SQLite are JSON that reads back as the values
// written, whatever the text holds.
func TestJSONRowsReadBack(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
	texts := []string{"", "plain", `quote " and \ back`, "tab\tnew\nline\x00\x1f", "研发部 ✅", "bad \xff utf8"}
	var w jsonRows
	for round := range 2 { // reset reuses the buffer
		w.reset()
		for _, s := range texts {
			w.open()
			w.str(s)
			w.int(-42)
			w.float(unixStamp(at))
			w.stamp(at)
			w.stamp(time.Time{})
			w.close()
		}
		var got [][]any
		d := json.NewDecoder(strings.NewReader(w.String()))
		d.UseNumber()
		if err := d.Decode(&got); err != nil {
			t.Fatalf("round %d: %v in %s", round, err, w.String())
		}
		for i, s := range texts {
			want := s
			if i == len(texts)-1 {
				want = "bad \ufffd utf8"
			}
			if got[i][0] != want || got[i][1].(json.Number) != "-42" || got[i][3] != jsonStamp(at) || got[i][4] != "" {
				t.Errorf("row %d = %q", i, got[i])
			}
			if f, _ := got[i][2].(json.Number).Float64(); f != unixStamp(at) || math.IsNaN(f) {
				t.Errorf("row %d: %v, want %v", i, f, unixStamp(at))
			}
		}
	}
	// SQLite reads the numbers back as Go wrote them: a row saved
	// unchanged compares equal.
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 1000 {
		f := unixStamp(at.Add(time.Duration(i) * 7919 * time.Microsecond))
		w.reset()
		w.open()
		w.float(f)
		w.close()
		var back float64
		if err := db.QueryRow(`SELECT j.value ->> 0 FROM json_each(?) j`, w.String()).Scan(&back); err != nil || back != f {
			t.Fatalf("%v read back as %v (%v)", f, back, err)
		}
	}
	w.reset()
	if w.String() != "[]" || w.duplicates() {
		t.Errorf("empty: %s", w.String())
	}
	for _, s := range []string{"a", "b", "a"} {
		w.open()
		w.str(s)
		w.close()
	}
	if !w.duplicates() || !slices.Equal(w.row(0), w.row(2)) {
		t.Error("two equal rows not found")
	}
}

// No statement a save writes walks a whole table: each finds its rows
// through an index (json_each's batch is the only thing scanned), so a
// save costs the same on a large store as on an empty one.
func TestSaveStatementsUseIndexes(t *testing.T) {
	ctx := t.Context()
	s := openMigrated(t)
	for _, q := range saveStatements() {
		rows, err := s.write.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, "acme", 1, "[]")
		if err != nil {
			t.Fatalf("%v in %s", err, q)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			// A search on the workspace alone walks all of it.
			if strings.HasPrefix(step, "SCAN ") && !strings.HasPrefix(step, "SCAN j") || strings.HasSuffix(step, "(workspace=?)") {
				t.Errorf("%s\nwalks a table: %q", q, plan)
			}
		}
	}
}
