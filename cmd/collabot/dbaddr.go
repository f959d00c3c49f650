package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/collabot/collabot/internal/config"
)

// The configured database, for every command that opens one: the
// PostgreSQL database of COLLABOT_DATABASE_URL when set, else the SQLite
// file of COLLABOT_DB (config.Config.Database).

// dbAddr is the address internal/database opens.
func dbAddr(cfg *config.Config) string { return cfg.Database() }

// dbMissing reports whether the configured database is a SQLite file that
// does not exist yet, which opening would create empty. A server database
// is never missing: connecting to it says what is wrong.
func dbMissing(cfg *config.Config) bool {
	if cfg.DatabaseURL != "" {
		return false
	}
	path, file := sqlitePath(cfg.DB)
	if !file {
		return false // a server's address in COLLABOT_DB: the server answers for it
	}
	_, err := os.Stat(path)
	return errors.Is(err, fs.ErrNotExist)
}

// dbName is the configured database as messages show it: the file's
// absolute path, or the server's address without its password.
func dbName(cfg *config.Config) string {
	if cfg.DatabaseURL != "" {
		return cfg.Redacted().DatabaseURL
	}
	if p, err := filepath.Abs(cfg.DB); err == nil {
		return p
	}
	return cfg.DB
}
