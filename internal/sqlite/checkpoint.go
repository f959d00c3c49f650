package sqlite

import (
	"context"
	"database/sql"
	"sync"
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

// checkpointEvery is how often the checkpointer looks: under load one
// checkpoint copies what a second of commits wrote (a few MB of WAL at
// 500 events/s) instead of a commit in every few hundred paying for one.
// A look with nothing to copy is one statement and no I/O. It looks on a
// clock rather than being told of commits because the dispatcher's and
// the retention's writes use the write connection directly.
const checkpointEvery = time.Second

// checkpointer runs the checkpoints.
type checkpointer struct {
	db     *sql.DB
	stop   chan struct{}
	once   sync.Once
	exited chan struct{}
}

func newCheckpointer(db *sql.DB, every time.Duration) *checkpointer {
	c := &checkpointer{db: db, stop: make(chan struct{}), exited: make(chan struct{})}
	go c.loop(every)
	return c
}

func (c *checkpointer) loop(every time.Duration) {
	defer close(c.exited)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
		}
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
