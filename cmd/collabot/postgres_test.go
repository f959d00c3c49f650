package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/postgres/pgtest"
)

// TestMigratePostgres: with COLLABOT_DATABASE_URL set, `collabot migrate`
// migrates that PostgreSQL database (COLLABOT_DB is not touched), says so
// without the address's password, and a second run changes nothing.
func TestMigratePostgres(t *testing.T) {
	addr := pgtest.Fresh(t)
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	// The server trusts local connections, so a password is accepted
	// and ignored: enough to see that it is never printed.
	u.User = url.UserPassword(u.User.Username(), "s3cret-pw")
	file := t.TempDir() + "/unused.db"
	vars := map[string]string{"COLLABOT_DATABASE_URL": u.String(), "COLLABOT_DB": file}
	code, out, errOut := runCLI(t, vars, "migrate")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "applied 0001_schema.sql") || !strings.Contains(out, u.Path) {
		t.Errorf("first run said %q, want the schema applied to %s", out, u.Path)
	}
	code, out, errOut = runCLI(t, vars, "migrate")
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("second run: exit %d, %q %q", code, out, errOut)
	}
	if strings.Contains(out+errOut, "s3cret-pw") {
		t.Errorf("the password was printed: %q %q", out, errOut)
	}
	cfg, err := config.Load("", func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	if dbMissing(cfg) || dbAddr(cfg) != u.String() {
		t.Errorf("the configured database is %q (missing %v), want the PostgreSQL one", dbAddr(cfg), dbMissing(cfg))
	}
}
