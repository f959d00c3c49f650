package sqlite

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// A list costs what its page shows, however large the store: the page
// is read in its order and stops at the limit (no sort of everything
// first), and its counts come from the indexes by collaboration alone,
// never from the rows behind them.
func TestListReadsOnlyItsPage(t *testing.T) {
	ctx := t.Context()
	s := openMigrated(t)
	plan := func(q string, args ...any) string {
		t.Helper()
		rows, err := s.write.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, args...)
		if err != nil {
			t.Fatalf("%v in %s", err, q)
		}
		defer rows.Close()
		var out strings.Builder
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			out.WriteString(detail + "\n")
		}
		return out.String()
	}
	tx := &txn{ws: "acme"}
	for _, f := range []bot.Filter{{Person: "amy", Limit: 30}, {Limit: 50}} {
		q, args, err := tx.listQuery(f, "c.id, c.topic, c.status")
		if err != nil {
			t.Fatal(err)
		}
		if p := plan(q, args...); strings.Contains(p, "TEMP B-TREE") || strings.Contains(p, "SCAN ") {
			t.Errorf("%+v sorts or walks more than its page:\n%s", f, p)
		}
	}
	for _, q := range []string{countTasks, countAcks} {
		p := plan(q, "acme", "[1, 2]", 0)
		if !strings.Contains(p, "COVERING INDEX") || strings.Contains(p, "TEMP B-TREE") {
			t.Errorf("%s\nreads rows beside the index:\n%s", q, p)
		}
	}
}
