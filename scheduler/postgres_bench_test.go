package scheduler_test

import (
	"testing"

	"github.com/collabot/collabot/internal/postgres/pgtest"
)

// BenchmarkScanPostgres is BenchmarkScan with the store on PostgreSQL (a
// scratch database of the test server; skipped without one): the same
// workspaces, seeding and scans, where "cold" is a new Scheduler over a
// newly opened store (a new connection pool) on the same database.
//
//	go test -run '^$' -bench 'BenchmarkScanPostgres/tasks=100k' -benchtime 3x ./scheduler/
func BenchmarkScanPostgres(b *testing.B) {
	benchScan(b, func(b *testing.B, collabs int) *world {
		w := newWorld(b)
		w.path = pgtest.Fresh(b) // internal/database opens a postgres:// address on PostgreSQL
		w.store = w.open()
		w.sched = w.scheduler(w.store)
		return seedBig(b, w, collabs)
	})
}
