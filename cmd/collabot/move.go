package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/collabot/collabot/internal/config"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/store"
)

// `collabot migrate --from A --to B` moves a deployment from one database
// to another (a SQLite file to PostgreSQL, or a file to a fresh file):
// every table, row by row, through store.Copier, so that neither side
// needs to know the other's types.

const moveSynopsis = "collabot migrate --from DATABASE --to DATABASE [--into-nonempty] [--batch N]"

// moveBatch is how many rows one write carries: one transaction (and one
// sync to disk) each, few enough to hold in memory whatever the table.
const moveBatch = 500

// moveFlags are migrate's flags for moving; none set is a plain migrate.
type moveFlags struct {
	from, to     string
	intoNonempty bool
	batch        int
}

func (m *moveFlags) define(fs *flag.FlagSet) {
	fs.StringVar(&m.from, "from", "", "copy the deployment in this database (a SQLite file, or postgres://…)…")
	fs.StringVar(&m.to, "to", "", "…into this one, migrated first and empty unless --into-nonempty")
	fs.BoolVar(&m.intoNonempty, "into-nonempty", false, "copy even though the target holds rows already; a row whose key is there stops the copy, nothing is overwritten")
	fs.IntVar(&m.batch, "batch", moveBatch, "rows per write")
}

// wanted reports whether the flags ask for a move rather than a migrate.
func (m *moveFlags) wanted() bool { return m.from != "" || m.to != "" || m.intoNonempty }

// moveUsage is a command-line mistake (exit 2) with the synopsis.
func moveUsage(format string, args ...any) error {
	return fmt.Errorf("%w: %s\n%s", errUsage, fmt.Sprintf(format, args...), moveSynopsis)
}

// tableCount is one table's rows: in the source, in the target before
// the copy, written by it, and in the target after.
type tableCount struct {
	table                       string
	source, before, copied, now int64
}

// move copies the database m.from names into m.to.
func move(ctx context.Context, e *env, m moveFlags) error {
	switch {
	case m.from == "" || m.to == "":
		return moveUsage("name both databases: --from and --to")
	case m.from == m.to:
		return moveUsage("--from and --to are the same database")
	case m.batch < 1:
		return moveUsage("--batch must be at least 1")
	}
	// Opening a missing file would create an empty database and copy
	// nothing from it, successfully.
	if path, ok := sqlitePath(m.from); ok {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("there is no database at %s", path)
		}
	}
	// Unsealed, both: a deployment is every workspace in its database.
	src, err := database.Open(ctx, m.from, database.Options{Log: e.log})
	if err != nil {
		return fmt.Errorf("open the source: %w", err)
	}
	defer src.Close()
	dst, err := database.Open(ctx, m.to, database.Options{Log: e.log})
	if err != nil {
		return fmt.Errorf("open the target: %w", err)
	}
	defer dst.Close()
	from, ok := src.(store.Copier)
	if !ok {
		return fmt.Errorf("the source %s cannot be copied: its store (%T) has no copy support", redact(m.from), src)
	}
	to, ok := dst.(store.Copier)
	if !ok {
		return fmt.Errorf("the target %s cannot be copied into: its store (%T) has no copy support", redact(m.to), dst)
	}
	// The source is read as it is, never migrated behind its owner's
	// back: one from an older build lacks columns the target has, so its
	// owner upgrades it first, on purpose.
	if n, err := src.PendingMigrations(ctx); err != nil {
		return fmt.Errorf("check the source's schema: %w", err)
	} else if n > 0 {
		return fmt.Errorf("the source %s lacks %d migration(s) of this build: run `collabot migrate` with this build on it first, then copy", redact(m.from), n)
	}
	applied, err := dst.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate the target: %w", err)
	}
	if len(applied) > 0 {
		fmt.Fprintf(e.stdout, "%s: applied %d migration(s)\n", redact(m.to), len(applied))
	}

	tables := from.CopyTables()
	if missing := slices.DeleteFunc(slices.Clone(tables), func(t string) bool { return slices.Contains(to.CopyTables(), t) }); len(missing) > 0 {
		return fmt.Errorf("the target does not keep the table(s) %s that the source has: is it from another build of collabot?", strings.Join(missing, ", "))
	}
	counts := make([]tableCount, len(tables))
	var occupied []string
	for i, t := range tables {
		n, err := to.CountRows(ctx, t)
		if err != nil {
			return fmt.Errorf("count the target's %s: %w", t, err)
		}
		counts[i] = tableCount{table: t, before: n}
		if n > 0 {
			occupied = append(occupied, fmt.Sprintf("%s (%d)", t, n))
		}
	}
	if len(occupied) > 0 && !m.intoNonempty {
		return fmt.Errorf("the target %s is not empty: %s hold rows already. Copy into a fresh database, or add --into-nonempty to copy into this one anyway (a row whose key is there already then stops the copy; nothing is overwritten)",
			redact(m.to), strings.Join(occupied, ", "))
	}

	fmt.Fprintf(e.stdout, "copying %s to %s, %d rows a write\n", redact(m.from), redact(m.to), m.batch)
	began := time.Now()
	var total int64
	for i := range counts {
		c := &counts[i]
		start := time.Now()
		n, err := copyTable(ctx, from, to, c.table, m.batch, func(n int64) {
			fmt.Fprintf(e.stdout, "  %-22s %10d rows so far\n", c.table, n)
		})
		if err != nil {
			return fmt.Errorf("copy %s after %d rows: %w (the target holds part of the copy now: copy again into a fresh database)", c.table, n, err)
		}
		c.copied = n
		total += n
		fmt.Fprintf(e.stdout, "  %-22s %10d rows in %s\n", c.table, n, time.Since(start).Round(time.Millisecond))
	}
	if err := to.FinishCopy(ctx); err != nil {
		return fmt.Errorf("finish the copy: %w", err)
	}
	took := time.Since(began)

	var wrong []string
	for i := range counts {
		c := &counts[i]
		if c.source, err = from.CountRows(ctx, c.table); err != nil {
			return fmt.Errorf("count the source's %s: %w", c.table, err)
		}
		if c.now, err = to.CountRows(ctx, c.table); err != nil {
			return fmt.Errorf("count the target's %s: %w", c.table, err)
		}
		if c.source != c.copied || c.now != c.before+c.copied {
			wrong = append(wrong, c.table)
		}
	}
	printCounts(e.stdout, counts, m.intoNonempty)
	if len(wrong) > 0 {
		return fmt.Errorf("the counts of %s differ: was the source in use during the copy? Stop every collabot on it and copy again into a fresh database", strings.Join(wrong, ", "))
	}
	rate := float64(total) / max(took.Seconds(), 1e-3)
	fmt.Fprintf(e.stdout, "copied %d rows of %d tables in %s (%.0f rows/s); every count matches\n",
		total, len(counts), took.Round(time.Millisecond), rate)
	return nil
}

// progressEvery is how many rows of a long table pass between two lines
// saying the copy is still going.
const progressEvery = 100_000

// copyTable streams one table from one store to the other, batch rows at
// a time, and returns how many rows it wrote; progress hears of every
// progressEvery rows.
func copyTable(ctx context.Context, from, to store.Copier, table string, batch int, progress func(int64)) (int64, error) {
	var (
		cols    []string
		pending = make([][]any, 0, batch)
		written int64
	)
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if err := to.WriteRows(ctx, table, cols, pending); err != nil {
			return err
		}
		if (written+int64(len(pending)))/progressEvery > written/progressEvery {
			progress(written + int64(len(pending)))
		}
		written += int64(len(pending))
		// A fresh slice: WriteRows may not keep it, but nothing says a
		// store does not hand it on before it returns.
		pending = make([][]any, 0, batch)
		return nil
	}
	err := from.ReadRows(ctx, table, func(c []string, row []any) error {
		if cols == nil {
			cols = slices.Clone(c)
		}
		// ReadRows may reuse both slices (and a driver its byte buffers).
		kept := make([]any, len(row))
		for i, v := range row {
			if b, ok := v.([]byte); ok {
				v = slices.Clone(b)
			}
			kept[i] = v
		}
		pending = append(pending, kept)
		if len(pending) < batch {
			return nil
		}
		return flush()
	})
	if err == nil {
		err = flush()
	}
	return written, err
}

// printCounts prints the verification: a table's rows in the source and
// in the target (and, copying into a non-empty one, those it had).
func printCounts(w io.Writer, counts []tableCount, withBefore bool) {
	if withBefore {
		fmt.Fprintf(w, "%-22s %10s %10s %10s\n", "table", "source", "had", "target")
	} else {
		fmt.Fprintf(w, "%-22s %10s %10s\n", "table", "source", "target")
	}
	for _, c := range counts {
		mark := ""
		if c.source != c.copied || c.now != c.before+c.copied {
			mark = "  ≠"
		}
		if withBefore {
			fmt.Fprintf(w, "%-22s %10d %10d %10d%s\n", c.table, c.source, c.before, c.now, mark)
		} else {
			fmt.Fprintf(w, "%-22s %10d %10d%s\n", c.table, c.source, c.now, mark)
		}
	}
}

// sqlitePath is the file a database address names, if it names one
// (database.Open's rule: a path, or sqlite: and a path).
func sqlitePath(addr string) (string, bool) {
	scheme, rest, ok := strings.Cut(addr, ":")
	switch {
	case ok && scheme == "sqlite":
		return strings.TrimPrefix(rest, "//"), true
	case ok && strings.HasPrefix(rest, "//"):
		return "", false
	}
	return addr, true
}

// redact hides the password of a database URL in what is printed.
func redact(addr string) string {
	if _, ok := sqlitePath(addr); ok {
		return addr
	}
	return config.RedactURL(addr)
}
