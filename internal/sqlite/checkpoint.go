package sqlite

import (
	"context"
	"time"
)

// Checkpoints between batches. SQLite's automatic checkpoint runs inside
// the commit that crosses 1,000 WAL pages: that commit copies the pages
// into the database file and fsyncs it before it returns, so the events
// of that batch, and every event queued behind it, wait for it (at 500
// events/s, one commit in a few hundred, several milliseconds: the reply
// p99). The writer therefore checkpoints on its own when it is idle, after
// its batch's callers have their answers: once checkpointEvents events
// committed since the last time and nothing is queued. The automatic
// checkpoint stays on as the backstop for a writer that never idles and
// for the writes made on the write connection directly (the dispatcher's,
// the retention's).
//
// A checkpoint in a goroutine of its own, beside the writer, was tried
// and is worse: under steady load it never catches up with the commits,
// so the WAL is never restarted, grows without end, and every commit then
// appends to a growing file (slower fsyncs). Durability is the same
// either way: a commit is durable once its WAL frames are synced
// (synchronous=FULL).

// checkpointEvents is how many events the writer commits before it
// checkpoints at its next idle moment: a few hundred WAL pages, under
// SQLite's own threshold of 1,000, so the automatic one rarely fires.
const checkpointEvents = 100

// checkpoint copies the WAL into the database file (PASSIVE: it waits for
// no reader). A failure (another process checkpointing) is left to the
// next one.
func (s *Store) checkpoint() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		s.log.Debug("checkpoint", "err", err)
	}
}
