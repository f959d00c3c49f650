package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/collabot/collabot/internal/database"
)

const backupSynopsis = "collabot backup --to FILE [--config FILE]"

// backuper is a store that copies itself to a file while it serves
// (SQLite's VACUUM INTO); PostgreSQL is backed up with pg_dump.
type backuper interface {
	Backup(ctx context.Context, path string) error
}

// backup writes a consistent copy of the SQLite database to a new file.
func backup(ctx context.Context, e *env, args []string) error {
	var to string
	if _, err := e.flags("backup", args, func(fs *flag.FlagSet) {
		fs.StringVar(&to, "to", "", "the new file to write the copy to")
	}); err != nil {
		return err
	}
	if to == "" {
		return fmt.Errorf("%w: name the file to write: --to FILE\n%s", errUsage, backupSynopsis)
	}
	if e.cfg.DatabaseURL != "" {
		return fmt.Errorf("the database is PostgreSQL (%s): back it up with pg_dump (README, “Choosing a database”)", dbName(e.cfg))
	}
	path, file := sqlitePath(e.cfg.DB)
	if !file {
		return fmt.Errorf("%s is not a SQLite file: back PostgreSQL up with pg_dump (README, “Choosing a database”)", redact(e.cfg.DB))
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("there is no database at %s (set COLLABOT_DB or db in the config)", path)
	}
	// Unsealed: the copy is of every workspace in the file.
	s, err := database.Open(ctx, e.cfg.DB, database.Options{Log: e.log})
	if err != nil {
		return err
	}
	defer s.Close()
	b, ok := s.(backuper)
	if !ok {
		return fmt.Errorf("the store at %s cannot copy itself to a file", redact(e.cfg.DB))
	}
	began := time.Now()
	if err := b.Backup(ctx, to); err != nil {
		return err
	}
	info, err := os.Stat(to)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(e.stdout, "%s: a consistent copy of %s, %.1f MB, in %s\n", to, path, float64(info.Size())/1e6, time.Since(began).Round(time.Millisecond))
	return nil
}
