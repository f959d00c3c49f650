package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// Checkpoints off the writer. SQLite's automatic checkpoint runs inside
// the commit that crosses 1,000 WAL pages: that commit copies the pages
// into the database file and fsyncs it before it returns, and every event
// queued behind it waits (at 500 events/s, one in every couple of hundred
// commits, several milliseconds each: the reply p99). The write connection
// therefore has wal_autocheckpoint off, and a goroutine of the store runs
// a PASSIVE checkpoint on a connection of its own shortly after commits:
// it copies committed pages while the writer goes on committing, and
// never blocks it. Durability is unchanged: a commit is durable once its
// WAL frames are synced (synchronous=FULL), checkpointed or not.
//
// A process that opens the file without this store (the sqlite3 shell, an
// older binary) checkpoints on its own as SQLite always does; the last
// connection to close checkpoints whatever is left.

// A checkpoint runs once the writer has committed checkpointEvents
// events since the last one (about SQLite's own threshold of 1,000 WAL
// pages: an event writes a handful), so each copies about what SQLite's
// automatic one would; and at the latest checkpointEvery after the last,
// which also catches the writes the dispatcher and the retention make on
// the write connection directly. A checkpoint with nothing to copy is one
// statement and no I/O.
const (
	checkpointEvents = 200
	checkpointEvery  = time.Second
	checkpointLook   = 50 * time.Millisecond
)

// checkpointer runs the checkpoints.
type checkpointer struct {
	db      *sql.DB
	pending atomic.Int64 // events committed since the last checkpoint
	stop    chan struct{}
	once    sync.Once
	exited  chan struct{}
}

func newCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	c := &checkpointer{db: db, stop: make(chan struct{}), exited: make(chan struct{})}
	go c.loop(every)
	return c
}

// committed counts events the writer committed; it never waits.
func (c *checkpointer) committed(events int) { c.pending.Add(int64(events)) }

func (c *checkpointer) loop(every time.Duration) {
	defer close(c.exited)
	look := time.NewTicker(min(checkpointLook, every))
	defer look.Stop()
	last := time.Now()
	for {
		select {
		case <-c.stop:
			return
		case <-look.C:
		}
		if c.pending.Load() < checkpointEvents && time.Since(last) < every {
			continue
		}
		c.pending.Store(0)
		last = time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), BusyTimeout)
		// PASSIVE: copy what no reader still needs, wait for nobody. A
		// failure (another process checkpointing) is retried next time.
		_, _ = c.db.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
		cancel()
	}
}

// close stops the checkpointer after the checkpoint in flight.
func (c *checkpointer) close() {
	c.once.Do(func() { close(c.stop) })
	<-c.exited
}
