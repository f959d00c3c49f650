package engine_test

import (
	"context"
	"testing"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/internal/postgres/pgtest"
	"github.com/jackc/pgx/v5"
)

// BenchmarkDialogStepVsCommitPostgres is BenchmarkDialogStepVsCommit on
// PostgreSQL (a scratch database of the test server; skipped without
// one): dialog steps per second beside the server's raw commit rate, one
// INSERT of one row in autocommit from a Go loop on a connection of its
// own, alternated in the same run. Run both to compare with SQLite:
//
//	go test -run '^$' -bench 'BenchmarkDialogStepVsCommit' -benchtime 3x ./internal/engine/
func BenchmarkDialogStepVsCommitPostgres(b *testing.B) {
	dialogStepVsCommit(b, newPostgresHarness, func(h *harness) func(slot int) error {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, h.path)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { conn.Close(context.Background()) })
		if _, err := conn.Exec(ctx, `CREATE TABLE bench_commits (n bigint PRIMARY KEY)`); err != nil {
			b.Fatal(err)
		}
		return func(slot int) error {
			_, err := conn.Exec(ctx, `INSERT INTO bench_commits (n) VALUES ($1)`, int64(slot))
			return err
		}
	})
}

// newPostgresHarness is the harness on a database of its own on the test
// server: the address is the harness's path, which the store's opener
// (internal/database) reads as PostgreSQL.
func newPostgresHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{t: t, path: pgtest.Fresh(t), clock: console.NewClock(monday)}
	h.open("")
	return h
}
