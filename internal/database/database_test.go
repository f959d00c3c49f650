package database_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabot/collabot/internal/database"
)

func TestOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		name, addr string
		want       string // "" opens; else part of the error
	}{
		{"a path is a SQLite file", filepath.Join(dir, "a.db"), ""},
		{"sqlite: prefix", "sqlite:" + filepath.Join(dir, "b.db"), ""},
		{"postgres refused clearly", "postgres://localhost/test", "PostgreSQL support is not built yet"},
		{"postgresql too", "postgresql://localhost/test", "PostgreSQL support is not built yet"},
		{"unknown kind", "mysql://localhost/test", `"mysql://"`},
		{"nothing", "", "no database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := database.Open(ctx, tt.addr, database.Options{Workspaces: nil})
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || s != nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Open(%q) = %v, %v; want an error with %q", tt.addr, s, err, tt.want)
			}
			if strings.HasPrefix(tt.addr, "postgres") && !errors.Is(err, database.ErrNotBuilt) {
				t.Errorf("err = %v, want ErrNotBuilt", err)
			}
		})
	}
}
