package sqlite

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// Prepared statements, kept. The driver compiles every statement text
// it is handed, and compiling (SQLite's parser and planner) was about a
// fifth of the writer's CPU per dialog step: as much as the rest of the
// engine's work. A stmtCache keeps one *sql.Stmt per statement text and
// pool; database/sql prepares it once on each connection of the pool
// that uses it, and a transaction borrows it with Tx.StmtContext.
//
// A statement is prepared on the pool only when no transaction of this
// goroutine holds a connection of it (the write pool has one: preparing
// from inside the writer's transaction would wait for itself). So the
// first time a text is seen it runs unprepared and is noted; prepare is
// called after the transaction (the writer after its batch, a View after
// its rollback) and every later use is compiled already.
//
// One compiled statement serves one use at a time: the rows of a query
// must be closed before the same text runs again in the same
// transaction. Every reader in this package scans its rows to the end
// (or closes them) before it runs anything else.
type stmtCache struct {
	db *sql.DB
	// max bounds the texts kept: queries built from filters have many
	// spellings, and past the bound new ones simply run unprepared.
	max int

	mu     sync.RWMutex
	ready  map[string]*sql.Stmt
	wanted map[string]struct{}
	closed bool
	// pending is set while wanted has texts, so prepare costs one atomic
	// load when there is nothing to do.
	pending atomic.Bool
}

// cachedTexts bounds each pool's cache.
const cachedTexts = 256

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, max: cachedTexts, ready: map[string]*sql.Stmt{}, wanted: map[string]struct{}{}}
}

// get is the prepared statement for q, or nil (q noted for prepare).
func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.RLock()
	s, ok := c.ready[q]
	c.mu.RUnlock()
	if ok {
		return s
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.ready[q]; ok {
		return s
	}
	if !c.closed && len(c.ready)+len(c.wanted) < c.max {
		c.wanted[q] = struct{}{}
		c.pending.Store(true)
	}
	return nil
}

// prepareWait bounds how long prepare waits for a connection of the
// pool: a caller inside an outer transaction may hold one (a View within
// a View), the dispatcher may hold the write connection (the writer's
// queue waits meanwhile), and a text not prepared now is noted again at
// its next use.
const prepareWait = 20 * time.Millisecond

// prepare compiles the texts noted since the last call. The caller must
// hold no connection of the pool. A text that fails to prepare is
// dropped: it keeps running unprepared and fails there, as it would have.
func (c *stmtCache) prepare() {
	if !c.pending.Load() {
		return
	}
	if st := c.db.Stats(); st.MaxOpenConnections > 0 && st.InUse >= st.MaxOpenConnections {
		return // all busy; the texts stay noted for the next call
	}
	ctx, cancel := context.WithTimeout(context.Background(), prepareWait)
	defer cancel()
	c.mu.Lock()
	texts := make([]string, 0, len(c.wanted))
	for q := range c.wanted {
		texts = append(texts, q)
	}
	clear(c.wanted)
	c.pending.Store(false)
	c.mu.Unlock()
	for _, q := range texts {
		s, err := c.db.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		c.mu.Lock()
		if _, dup := c.ready[q]; dup || c.closed {
			s.Close()
		} else {
			c.ready[q] = s
		}
		c.mu.Unlock()
	}
}

// close closes the prepared statements; later gets find none.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for _, s := range c.ready {
		s.Close()
	}
	clear(c.ready)
	clear(c.wanted)
}

// stmtTx is a transaction that runs cached statements where it can. It
// has *sql.Tx's methods, so a txn's statements read t.tx.ExecContext(…)
// whichever way they run.
type stmtTx struct {
	*sql.Tx
	cache *stmtCache
	// bound are the cache's statements borrowed by this transaction, each
	// borrowed once.
	bound map[string]*sql.Stmt
}

func (t *stmtTx) stmt(ctx context.Context, q string) *sql.Stmt {
	if s, ok := t.bound[q]; ok {
		return s
	}
	if t.cache == nil {
		return nil
	}
	p := t.cache.get(q)
	if p == nil {
		return nil
	}
	s := t.Tx.StmtContext(ctx, p)
	if t.bound == nil {
		t.bound = make(map[string]*sql.Stmt, 8)
	}
	t.bound[q] = s
	return s
}

func (t *stmtTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if s := t.stmt(ctx, q); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, q, args...)
}

func (t *stmtTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(ctx, q); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, q, args...)
}

func (t *stmtTx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if s := t.stmt(ctx, q); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, q, args...)
}
