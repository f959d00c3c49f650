package reliability_test

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/collabot/collabot/internal/postgres/pgtest"
	"github.com/jackc/pgx/v5"
	"path/filepath"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/testkit"
)

// backend is a database the hosts share. prepare makes an empty one for
// one test (dropped when it ends) and returns the address the test opens
// it by (internal/database.Open), and serve's variables for a host, given
// reach: a function that makes a service on the test's loopback
// ("127.0.0.1:5432") reachable from that host and returns the address
// the host dials instead. A file-based database ignores reach: its hosts
// share one kernel, which is the point of the row.
type backend struct {
	name    string
	prepare func(t *testing.T) (addr string, vars func(reach func(hostport string) string) []string)
	// unsent describes the notices not sent, for a failure's message and
	// to tell when the outbox has settled (optional).
	unsent func(t *testing.T, addr string) []unsentRow
}

// unsentRow is an outbox row not sent: what it is, and when it is next
// tried (a claim's hold ends then too).
type unsentRow struct {
	desc string
	next time.Time
}

// backends are the databases TestThreeHosts runs on, each a row.
var backends = []backend{
	{name: "sqlite", prepare: sqliteBackend, unsent: sqliteUnsent},
	{name: "postgresql", prepare: postgresBackend, unsent: postgresUnsent},
}

// postgresBackend is a scratch database on the test's PostgreSQL server
// (internal/postgres/pgtest: skipped without one unless
// COLLABOT_REQUIRE_POSTGRES=1), which each host reaches through a relay
// of its own, as a database server on another machine would be.
func postgresBackend(t *testing.T) (string, func(func(string) string) []string) {
	url := pgtest.Fresh(t)
	return url, func(reach func(string) string) []string {
		return []string{"COLLABOT_DATABASE_URL=" + withHost(t, url, reach(hostport(t, url)))}
	}
}

// postgresUnsent is sqliteUnsent on PostgreSQL.
func postgresUnsent(t *testing.T, addr string) []unsentRow {
	conn, err := pgx.Connect(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), `SELECT key, recipient, attempts, last_error, next_attempt FROM outbox WHERE sent_at IS NULL ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []unsentRow
	for rows.Next() {
		var key, to, lastErr string
		var next time.Time
		var attempts int
		if err := rows.Scan(&key, &to, &attempts, &lastErr, &next); err != nil {
			t.Fatal(err)
		}
		out = append(out, unsentRow{fmt.Sprintf("%s to %s: %d attempts, next %s, last error %q", key, to, attempts, next.UTC().Format(time.RFC3339Nano), lastErr), next})
	}
	return out
}

// sqliteBackend is one SQLite file that every replica opens: on one
// kernel, WAL and its locks work across processes, and across network
// namespaces (which share the file system).
func sqliteBackend(t *testing.T) (string, func(func(string) string) []string) {
	db := filepath.Join(t.TempDir(), "collabot.db")
	return db, func(func(string) string) []string { return []string{"COLLABOT_DB=" + db} }
}

// openBackend opens the database at addr, migrated, for the test's own
// reads and seeding; it is closed when the test ends.
func openBackend(t *testing.T, addr string) store.Backend {
	t.Helper()
	s, err := database.Open(context.Background(), addr, database.Options{Log: testkit.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// sqliteUnsent lists the unsent rows of the outbox: key, recipient,
// attempts and last error.
func sqliteUnsent(t *testing.T, addr string) []unsentRow {
	conn, err := sql.Open("sqlite", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT key, recipient, attempts, last_error, next_attempt FROM outbox WHERE sent_at IS NULL ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []unsentRow
	for rows.Next() {
		var key, to, lastErr, next string
		var attempts int
		if err := rows.Scan(&key, &to, &attempts, &lastErr, &next); err != nil {
			t.Fatal(err)
		}
		at, err := time.Parse(time.RFC3339Nano, next)
		if err != nil {
			t.Fatalf("outbox row %s: next attempt %q: %v", key, next, err)
		}
		out = append(out, unsentRow{fmt.Sprintf("%s to %s: %d attempts, next %s, last error %q", key, to, attempts, next, lastErr), at})
	}
	return out
}
