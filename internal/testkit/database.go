package testkit

import (
	"os"
	"sync"
	"testing"

	"github.com/collabot/collabot/internal/postgres/pgtest"
)

// COLLABOT_TEST_STORE=postgres runs the tests that open the demo on a
// SQLite path (the engine's, the adapters', the web board's) on
// PostgreSQL instead: the same conversations on the other store.
var pgDatabases sync.Map // SQLite path → PostgreSQL address

// Database is the address a test opens for the SQLite file path: path
// itself, or with COLLABOT_TEST_STORE=postgres a scratch PostgreSQL
// database of its own, the same one each time the test opens path (two
// Demos on one path are two replicas sharing a store), dropped when the
// test that first opened it ends.
func Database(t testing.TB, path string) string {
	t.Helper()
	if os.Getenv("COLLABOT_TEST_STORE") != "postgres" {
		return path
	}
	if addr, ok := pgDatabases.Load(path); ok {
		return addr.(string)
	}
	addr := pgtest.Fresh(t)
	actual, _ := pgDatabases.LoadOrStore(path, addr)
	t.Cleanup(func() { pgDatabases.Delete(path) })
	return actual.(string)
}
