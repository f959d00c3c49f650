package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// boardRows is what migration 0008 and every save keep beside the
// documents: the task, acknowledgement and risk rows, as text.
func boardRows(t *testing.T, db *sql.DB) []string {
	t.Helper()
	var out []string
	for _, q := range []string{
		`SELECT 'task', workspace, task, collab, department, owner, status, due, due_unix, done_at, reached FROM tasks`,
		`SELECT 'ack', workspace, collab, department, status, asked_at, asked_unix, at, counted FROM acks`,
		`SELECT 'risk', workspace, risk, collab, department, severity, status, reached FROM risks`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var parts []string
			for _, v := range vals {
				parts = append(parts, strings.TrimSpace(strings.ReplaceAll(fmtAny(v), "\n", " ")))
			}
			out = append(out, strings.Join(parts, "|"))
		}
		rows.Close()
	}
	slices.Sort(out)
	return out
}

func fmtAny(v any) string {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case nil:
		return "NULL"
	default:
		return fmt.Sprint(v)
	}
}

// TestMigrationBackfillsTheBoardRows: a database written before migration
// 0008 gets task, acknowledgement and risk rows equal to what saving
// writes now, and "something waits" on at least every collaboration
// bot.Collaboration.Awaits says so of (a superset: the next save makes it
// exact).
func TestMigrationBackfillsTheBoardRows(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s := open(t, path)
	docs := []*bot.Collaboration{}
	for id := bot.CollabID(1); id <= 4; id++ {
		c := document(id, "")
		c.Tasks[0].Due = t0.AddDate(0, 0, int(id))
		c.Tasks[1].Due, c.Tasks[1].DoneAt = t0.AddDate(0, 0, 2), t0.AddDate(0, 0, 1)
		c.Tasks[1].Department, c.Tasks[0].Department = "研发部", "财务部"
		c.Acks = []bot.Acknowledgement{
			{Department: "研发部", Contact: "ben", Status: bot.AckAccepted, AskedAt: t0, At: t0.Add(3 * 3600e9)},
			{Department: "财务部", Contact: "fiona", Status: bot.AckPending, AskedAt: t0},
		}
		c.Risks = []*bot.Risk{{ID: bot.RiskID(id), Description: "d", Severity: bot.SeverityHigh, Department: "研发部", Owner: "ben", Status: bot.RiskOpen}}
		switch id {
		case 2:
			c.Acks[1].Status, c.Acks[1].At = bot.AckAccepted, t0.Add(3600e9) // nothing waits
		case 3:
			c.Status = bot.StatusCancelled
		case 4:
			c.Status = bot.StatusInReview
		}
		docs = append(docs, c)
	}
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		for _, c := range docs {
			if err := tx.Save(ctx, c); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db := rawDB(t, path)
	saved := boardRows(t, db)
	if len(saved) < 4*(3+2+1) {
		t.Fatalf("only %d rows saved: %v", len(saved), saved)
	}
	// Back to the schema before 0008.
	for _, q := range []string{`DROP TABLE tasks`, `DROP TABLE acks`, `DROP TABLE risks`, `DROP INDEX timeline_by_action`,
		`DROP INDEX collaborations_awaiting`, `DROP INDEX collaborations_status_by_id`, `ALTER TABLE collaborations DROP COLUMN awaits`,
		`DELETE FROM schema_migrations WHERE version = 8`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	open(t, path) // migrates
	if got := boardRows(t, db); !slices.Equal(got, saved) {
		t.Errorf("backfilled rows differ from saved ones:\n got %q\nwant %q", got, saved)
	}
	for _, c := range docs {
		var awaits bool
		if err := db.QueryRow(`SELECT awaits FROM collaborations WHERE workspace = 'acme' AND id = ?`, c.ID).Scan(&awaits); err != nil {
			t.Fatal(err)
		}
		if c.Awaits() && !awaits {
			t.Errorf("%s waits for someone but the backfill says not", c.ID)
		}
	}
}
