package sqlite

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/collabot/collabot/bot"
)

// Group commit. Every Apply is handed to one writer goroutine. When the
// writer is free it takes every request waiting (up to maxBatch), runs
// each in its own savepoint of one transaction, commits once, and only
// then tells each caller its own result. With synchronous=FULL the commit
// (the WAL fsync) is most of an event's cost, so under concurrent load one
// fsync serves many events; alone, an event runs in a transaction of its
// own exactly as before, with no savepoint.
//
// A savepoint isolates its event: an error, a duplicate or a conflict
// rolls back to it and touches no other event of the batch. If the batch
// itself fails (the commit, or SQLite abandoning the transaction because
// a caller's context interrupted a statement), no caller has been told
// anything yet: each event is then run again in a transaction of its own,
// so each still learns an honest result of its own.

// QueueSize bounds the requests waiting for the writer. An inbound event
// (Apply with an event id) that finds the queue full is refused at once
// with bot.ErrOverloaded, for its platform to deliver again; other writes
// (the scheduler's, seeding) wait for room.
const QueueSize = 1024

// maxBatch bounds one transaction, so one batch's latency stays a few
// milliseconds of statements plus one commit.
const maxBatch = 64

var errClosed = errors.New("sqlite: store closed")

// request is one Apply waiting for its turn.
type request struct {
	ctx   context.Context
	ws    bot.Workspace
	event string
	fn    func(bot.Tx) error
	done  chan result // buffered: the writer never waits for a caller
}

// result is what an Apply learns once its batch committed (or failed).
type result struct {
	err      error
	panicked bool
	value    any // what fn panicked with, panicked again in the caller
}

func (r result) failed() bool { return r.err != nil || r.panicked }

// writer is the goroutine that applies requests.
type writer struct {
	s     *Store
	queue chan *request

	mu     sync.RWMutex // held for reading while a request is queued
	closed bool
	once   sync.Once
	stop   chan struct{}
	exited chan struct{}

	batches, events atomic.Int64
	// uncopied counts the events committed since the writer last
	// checkpointed (the writer's goroutine only).
	uncopied int
	// perEvent is a moving average of the writer's time per event (ns),
	// to tell how long a newcomer would wait in the queue.
	perEvent atomic.Int64
}

func (s *Store) startWriter() {
	w := &writer{s: s, queue: make(chan *request, QueueSize), stop: make(chan struct{}), exited: make(chan struct{})}
	s.w = w
	go w.loop()
}

// submit queues r, or refuses it: an inbound event at once when the queue
// is full or when the work queued ahead of it would eat more than three
// quarters of what its acknowledgement deadline leaves (bot.AckDeadline:
// better refused now, for the platform to deliver again, than at the end),
// anything else when its context ends first.
func (w *writer) submit(r *request) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return errClosed
	}
	// An empty queue always admits: the estimate is only refreshed by
	// batches that run, so an old slow one must not refuse everything.
	if deadline, ok := bot.AckDeadline(r.ctx); ok && r.event != "" && len(w.queue) > 0 {
		wait := time.Duration(int64(len(w.queue)+1) * w.perEvent.Load())
		if left := time.Until(deadline); wait > left*3/4 {
			return fmt.Errorf("sqlite: apply: %s of work queued, %s left: %w", wait.Round(time.Millisecond), left.Round(time.Millisecond), bot.ErrOverloaded)
		}
	}
	select {
	case w.queue <- r:
		return nil
	default:
	}
	if r.event != "" {
		return fmt.Errorf("sqlite: apply: writer queue full: %w", bot.ErrOverloaded)
	}
	select {
	case w.queue <- r:
		return nil
	case <-r.ctx.Done():
		return fmt.Errorf("sqlite: apply: %w", r.ctx.Err())
	}
}

// close stops the writer after the batch in flight; requests still queued
// are answered errClosed.
func (w *writer) close() {
	w.once.Do(func() {
		w.mu.Lock()
		w.closed = true
		w.mu.Unlock()
		close(w.stop)
	})
	<-w.exited
}

func (w *writer) loop() {
	defer close(w.exited)
	batch := make([]*request, 0, maxBatch)
	for {
		var first *request
		select {
		case first = <-w.queue:
		case <-w.stop:
			for {
				select {
				case r := <-w.queue:
					r.done <- result{err: errClosed}
				default:
					return
				}
			}
		}
		batch = append(batch[:0], first)
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-w.queue:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		start := time.Now()
		if n := w.run(batch); n > 0 {
			// An average over the last few dozen batches' events.
			per := int64(time.Since(start)) / int64(n)
			old := w.perEvent.Load()
			w.perEvent.Store(old + (per-old)/8)
			w.uncopied += n
		}
		clear(batch) // let answered requests go
		// Between batches the connection is free: compile what the last
		// ones ran for the first time (stmtcache.go), and copy the WAL
		// into the database while nobody waits (checkpoint.go).
		w.s.wstmts.prepare()
		if w.uncopied >= checkpointEvents && len(w.queue) == 0 {
			w.uncopied = 0
			w.s.checkpoint()
		}
	}
}

// expired reports a request that can no longer be of use when its turn
// comes: its caller gave up, or its event's acknowledgement deadline
// passed while it queued (the platform is delivering it again by now).
// It is refused as overloaded, without running.
func expired(r *request) (result, bool) {
	if err := r.ctx.Err(); err != nil {
		return result{err: fmt.Errorf("sqlite: apply: %w (%w)", bot.ErrOverloaded, err)}, true
	}
	if deadline, ok := bot.AckDeadline(r.ctx); ok && r.event != "" && time.Now().After(deadline) {
		return result{err: fmt.Errorf("sqlite: apply: %w (ack deadline passed while queued)", bot.ErrOverloaded)}, true
	}
	return result{}, false
}

// run applies a batch and returns how many of its events it ran.
func (w *writer) run(batch []*request) int {
	live := make([]*request, 0, len(batch))
	for _, r := range batch {
		if res, gone := expired(r); gone {
			r.done <- res
			continue
		}
		live = append(live, r)
	}
	w.events.Add(int64(len(live)))
	if len(live) == 0 {
		return 0
	}
	w.batches.Add(1)
	if len(live) == 1 {
		live[0].done <- w.s.alone(live[0])
		return 1
	}
	if w.s.together(live) {
		return len(live)
	}
	// The batch failed as a whole and nobody was answered: each event on
	// its own, so each gets its own result.
	for _, r := range live {
		if res, gone := expired(r); gone {
			r.done <- res
			continue
		}
		r.done <- w.s.alone(r)
	}
	return len(live)
}

// alone applies one request in a transaction of its own.
func (s *Store) alone(r *request) result {
	sqlTx, err := s.write.BeginTx(r.ctx, nil)
	if err != nil {
		return result{err: fmt.Errorf("sqlite: begin: %w", err)}
	}
	defer sqlTx.Rollback()
	tx := &stmtTx{Tx: sqlTx, cache: s.wstmts}
	if res := s.one(r, tx); res.failed() {
		return res
	}
	if err := tx.Commit(); err != nil {
		return result{err: fmt.Errorf("sqlite: commit: %w", err)}
	}
	return result{}
}

// together applies the requests in one transaction, each in a savepoint,
// and answers them after the commit. It reports false, having answered
// nobody, when the transaction as a whole failed.
func (s *Store) together(live []*request) bool {
	// The batch's own statements never carry a caller's context: one
	// caller giving up must not interrupt everyone's transaction.
	ctx := context.Background()
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		s.log.Warn("group commit: begin failed; applying one by one", "err", err)
		return false
	}
	defer sqlTx.Rollback()
	tx := &stmtTx{Tx: sqlTx, cache: s.wstmts}
	results := make([]result, len(live))
	for i, r := range live {
		if res, gone := expired(r); gone {
			results[i] = res
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT event`); err != nil {
			s.log.Warn("group commit: savepoint failed; applying one by one", "err", err)
			return false
		}
		results[i] = s.one(r, tx)
		if results[i].failed() {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO event`); err != nil {
				s.log.Warn("group commit: transaction lost; applying one by one", "err", err)
				return false
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE event`); err != nil {
			s.log.Warn("group commit: transaction lost; applying one by one", "err", err)
			return false
		}
	}
	if err := tx.Commit(); err != nil {
		s.log.Warn("group commit: commit failed; applying one by one", "events", len(live), "err", err)
		return false
	}
	for i, r := range live {
		r.done <- results[i]
	}
	return true
}

// one records the event and runs fn in tx. A panic in fn is caught and
// handed back to its caller, who panics again: the writer serves others.
func (s *Store) one(r *request, tx *stmtTx) (res result) {
	if r.event != "" {
		// Not the caller's context either: an interrupted insert would
		// abandon the whole transaction.
		ins, err := tx.ExecContext(context.Background(), `INSERT INTO inbound_events (workspace, event, at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, r.ws, r.event, stamp(s.now()))
		if err != nil {
			return result{err: fmt.Errorf("sqlite: record event: %w", err)}
		}
		if n, _ := ins.RowsAffected(); n == 0 {
			return result{err: bot.ErrDuplicateEvent}
		}
	}
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("apply panicked", "workspace", r.ws, "event", r.event, "panic", v, "stack", string(debug.Stack()))
			res = result{panicked: true, value: v}
		}
	}()
	return result{err: r.fn(&txn{tx: tx, ws: r.ws, now: s.now})}
}

// GroupStats reports how many events the writer applied and in how many
// transactions (batches), since the store opened; events ÷ batches is the
// mean batch size.
func (s *Store) GroupStats() (events, batches int64) {
	return s.w.events.Load(), s.w.batches.Load()
}
