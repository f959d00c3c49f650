package main

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackup: `collabot backup --to FILE` writes a copy that is the same
// deployment (the same record exported from it), never over a file, and
// says what to do for what it does not copy.
func TestBackup(t *testing.T) {
	cfg, db := exportFixture(t)
	to := filepath.Join(t.TempDir(), "backups", "collabot-1.db")
	code, out, errOut := exportCLIAs(t, "backup", db, "--config", cfg, "--to", to)
	if code != 0 || !strings.Contains(out, "a consistent copy of") {
		t.Fatalf("backup: exit %d: %s\n%s", code, errOut, out)
	}
	if info, err := os.Stat(to); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the backup is %v (%v), want readable by its owner only", info.Mode(), err)
	}
	export := func(db string) string {
		t.Helper()
		code, out, errOut := exportCLI(t, db, "COL-1", "--format", "json", "--config", cfg, "--at", "2026-12-01T09:00:00+08:00")
		if code != 0 {
			t.Fatalf("export: exit %d: %s", code, errOut)
		}
		return out
	}
	if a, b := export(db), export(to); a != b {
		t.Errorf("the backup exports\n%s\nthe database\n%s", b, a)
	}
	if got, want := rowCounts(t, to), rowCounts(t, db); len(got) == 0 || !maps.Equal(got, want) {
		t.Errorf("the backup's counts %v, the database's %v", got, want)
	}

	cases := []struct {
		name, db string
		args     []string
		code     int
		want     string
	}{
		{"over a file", db, []string{"--to", to}, 1, "exists already"},
		{"no file named", db, nil, 2, "--to FILE"},
		{"no database", filepath.Join(t.TempDir(), "none.db"), []string{"--to", filepath.Join(t.TempDir(), "b.db")}, 1, "no database at"},
		{"PostgreSQL", "postgres://collabot:secret@db.example.com/collabot", []string{"--to", filepath.Join(t.TempDir(), "c.db")}, 1, "pg_dump"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := exportCLIAs(t, "backup", c.db, append([]string{"--config", cfg}, c.args...)...)
			if code != c.code || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "secret") {
				t.Errorf("exit %d, want %d with %q: %s\n%s", code, c.code, c.want, errOut, out)
			}
		})
	}
}

// TestBackupOfAPostgreSQLDeployment: with COLLABOT_DATABASE_URL set, the
// SQLite file COLLABOT_DB still names is not the deployment's database;
// backup says to use pg_dump instead of copying that stale file.
func TestBackupOfAPostgreSQLDeployment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "old.db")
	if err := os.WriteFile(db, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(t.TempDir(), "copy.db")
	code, out, errOut := runCLI(t, map[string]string{"COLLABOT_DB": db,
		"COLLABOT_DATABASE_URL": "postgres://collabot:secret@db.example.com/collabot"}, "backup", "--to", to)
	if code != 1 || !strings.Contains(errOut, "pg_dump") || strings.Contains(errOut+out, "secret") {
		t.Errorf("exit %d: %s\n%s", code, errOut, out)
	}
	if _, err := os.Stat(to); err == nil {
		t.Error("a copy was written")
	}
}
