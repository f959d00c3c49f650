package database_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/postgres/pgtest"
)

func TestOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pg := func(t *testing.T) string { return pgtest.Fresh(t) }
	tests := []struct {
		name string
		addr func(t *testing.T) string
		kind string // "sqlite" or "postgres" when it opens
		want string // else part of the error
	}{
		{"a path is a SQLite file", func(*testing.T) string { return filepath.Join(dir, "a.db") }, "sqlite", ""},
		{"sqlite: prefix", func(*testing.T) string { return "sqlite:" + filepath.Join(dir, "b.db") }, "sqlite", ""},
		{"postgres://", pg, "postgres", ""},
		{"postgresql://", func(t *testing.T) string { return "postgresql" + strings.TrimPrefix(pg(t), "postgres") }, "postgres", ""},
		{"postgres address without a password in the error", func(*testing.T) string {
			return "postgres://u:s3cret@127.0.0.1:1/none?connect_timeout=2"
		}, "", "127.0.0.1:1/none"},
		{"unknown kind", func(*testing.T) string { return "mysql://localhost/test" }, "", `"mysql://"`},
		{"nothing", func(*testing.T) string { return "" }, "", "no database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := tt.addr(t)
			s, err := database.Open(ctx, addr, database.Options{})
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				// By the package's name, not its type: nothing outside a store
				// names its type.
				if got := fmt.Sprintf("%T", s); got != "*"+tt.kind+".Store" {
					t.Errorf("Open(%q) opened a %s, want a %s store", addr, got, tt.kind)
				}
				return
			}
			if err == nil || s != nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open(%q) = %v, %v; want an error with %q", addr, s, err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}
