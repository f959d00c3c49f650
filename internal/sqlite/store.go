// Package sqlite is collabot's durable store on an embedded SQLite file
// (modernc.org/sqlite, no cgo).
//
// Durability: the database runs in WAL mode with synchronous=FULL. FULL
// syncs the WAL on every commit, so an acknowledged event survives a power
// cut as well as a killed process; NORMAL would be ~6x faster on this class
// of machine (~19,000 vs ~3,000 commits/s) but may lose the last commits on
// power loss. Chat traffic is a few events a second, so durability wins.
//
// Writes go through a single connection opened with BEGIN IMMEDIATE, so
// writers in this process queue in Go and writers in other processes wait
// on the busy timeout instead of failing on a lock upgrade; reads use a
// small pool of their own and never block on writers. Apply hands its
// event to one writer goroutine that commits concurrent events together,
// each in a savepoint of its own (group commit, groupcommit.go), and
// checkpoints when idle rather than inside a commit (checkpoint.go);
// statements are compiled once per connection (stmtcache.go).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Store implements bot.Store on one SQLite file.
type Store struct {
	path  string
	write *sql.DB
	read  *sql.DB
	log   *slog.Logger
	now   func() time.Time
	// tenants are the workspaces this store serves (ForWorkspaces); none
	// means all. tenantsJSON is the same list for json_each in queries.
	tenants     []bot.Workspace
	tenantsJSON string
	// w applies every Apply, in groups (groupcommit.go).
	w *writer
	// wstmts and rstmts keep each pool's prepared statements
	// (stmtcache.go).
	wstmts, rstmts *stmtCache
}

var _ bot.Store = (*Store)(nil)

// BusyTimeout is how long a writer waits for another process's lock.
const BusyTimeout = 10 * time.Second

// Option configures a Store.
type Option func(*Store)

// WithClock sets the clock that stamps rows (received events, outbox
// entries, reminders); tests and "tick at t" use a chosen one.
func WithClock(c bot.Clock) Option { return func(s *Store) { s.now = c.Now } }

// Open opens (creating if needed) the database at path. It does not
// migrate: call Migrate.
func Open(ctx context.Context, path string, log *slog.Logger, opts ...Option) (*Store, error) {
	if log == nil {
		log = slog.Default()
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create %s: %w", dir, err)
		}
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: database path %q must not contain ? or #", path)
	}
	// busy_timeout comes first: the driver applies pragmas in order, and
	// switching a new file to WAL takes a lock that another process
	// opening it at the same moment would otherwise fail on at once.
	pragmas := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)",
		BusyTimeout.Milliseconds())
	write, err := sql.Open("sqlite", path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", path+"?"+pragmas)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(4)
	// Keep every read connection: a closed one takes its page cache and
	// its prepared statements with it, and the next read opens and
	// prepares again.
	read.SetMaxIdleConns(4)
	s := &Store{path: path, write: write, read: read, log: log.WithGroup("sqlite"), now: time.Now,
		wstmts: newStmtCache(write), rstmts: newStmtCache(read)}
	for _, o := range opts {
		o(s)
	}
	s.startWriter()
	if err := s.firstPing(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// firstPing pings both pools until the file answers. Switching a new file to WAL
// needs a lock SQLite does not wait for: two processes opening the same
// new file at once (replicas starting together) see SQLITE_BUSY once,
// and the next try finds the file converted.
func (s *Store) firstPing(ctx context.Context) error {
	deadline := time.Now().Add(BusyTimeout)
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		err := errors.Join(s.journalMode(ctx, s.write), s.journalMode(ctx, s.read))
		var e *sqlite.Error
		if err == nil || !errors.As(err, &e) || e.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// Ping checks that the file answers on the read pool in WAL mode, for
// readiness checks: it never waits for the writer, so a long write (a
// start-up scan, a burst of events) does not make the service look down.
func (s *Store) Ping(ctx context.Context) error { return s.journalMode(ctx, s.read) }

// journalMode checks one pool's connection is in WAL mode.
func (s *Store) journalMode(ctx context.Context, db *sql.DB) error {
	var mode string
	if err := db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
		return fmt.Errorf("sqlite: open %s: %w", s.path, err)
	}
	if mode != "wal" {
		return fmt.Errorf("sqlite: %s: journal mode is %q, want wal", s.path, mode)
	}
	return nil
}

// Close stops the writer after the batch in flight, then closes both
// pools.
func (s *Store) Close() error {
	s.w.close()
	s.wstmts.close()
	s.rstmts.close()
	return errors.Join(s.read.Close(), s.write.Close())
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Apply implements bot.Store. The event is applied by the writer
// together with whatever else is waiting (see groupcommit.go); Apply
// returns once that transaction committed, with this event's own result.
func (s *Store) Apply(ctx context.Context, ws bot.Workspace, event string, fn func(bot.Tx) error) error {
	if ws == "" {
		return errors.New("sqlite: apply: empty workspace")
	}
	if err := s.serves(ws); err != nil {
		return fmt.Errorf("sqlite: apply: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlite: apply: %w", err)
	}
	r := &request{ctx: ctx, ws: ws, event: event, fn: fn, done: make(chan result, 1)}
	if err := s.w.submit(r); err != nil {
		return err
	}
	res := <-r.done // always answered, once the batch is over
	if res.panicked {
		panic(res.value)
	}
	return res.err
}

// View implements bot.Store.
func (s *Store) View(ctx context.Context, ws bot.Workspace, fn func(bot.Tx) error) error {
	if err := s.serves(ws); err != nil {
		return fmt.Errorf("sqlite: view: %w", err)
	}
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("sqlite: begin read: %w", err)
	}
	defer s.rstmts.prepare() // after the rollback: the connection is back
	defer tx.Rollback()
	return fn(&txn{tx: &stmtTx{Tx: tx, cache: s.rstmts}, ws: ws, now: s.now, readOnly: true})
}

// Recorded implements bot.Tx.
func (t *txn) Recorded(ctx context.Context, event string) (bool, error) {
	var n int
	err := t.tx.QueryRowContext(ctx, `SELECT count(*) FROM inbound_events WHERE workspace = ? AND event = ?`, t.ws, event).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("sqlite: find event %s: %w", event, err)
	}
	return n > 0, nil
}

// timeFormat keeps instants in UTC with a fixed width so that text order
// is time order in SQL.
const timeFormat = "2006-01-02T15:04:05.000000000Z"

func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

func unstamp(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: bad time %q: %w", s, err)
	}
	return t, nil
}
