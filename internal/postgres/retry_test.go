package postgres

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/postgres/pgtest"
)

// These tests are about PostgreSQL itself: what the server does to a
// transaction (serialization failures, deadlocks, read-only mode, an
// exhausted pool) and how the store answers. The contract is tested by
// internal/storetest (contract_test.go).

func openTest(t *testing.T, url string, opts ...Option) *Store {
	t.Helper()
	ctx := context.Background()
	opts = append([]Option{WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))}, opts...)
	s, err := Open(ctx, url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// failWith makes the server abort the transaction with the SQLSTATE code.
func failWith(ctx context.Context, tx bot.Tx, code string) error {
	_, err := tx.(*txn).tx.Exec(ctx, `DO $$ BEGIN RAISE EXCEPTION 'injected' USING ERRCODE = '`+code+`'; END $$`)
	return err
}

// TestSerializationFailureIsRetried: a transaction the server aborts
// with 40001 runs again, and only the run that committed left anything.
func TestSerializationFailureIsRetried(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, pgtest.Fresh(t))
	runs := 0
	err := s.Apply(ctx, "acme", "slack:Ev1", func(tx bot.Tx) error {
		runs++
		if _, err := tx.NextID(ctx, bot.KindCollab); err != nil {
			return err
		}
		if runs < 3 {
			return failWith(ctx, tx, codeSerialization)
		}
		return nil
	})
	if err != nil || runs != 3 {
		t.Fatalf("apply: %v after %d runs, want success on the third", err, runs)
	}
	// The aborted runs took no number and left no ledger entry behind
	// them: the committed one took COL-1 and recorded the event once.
	err = s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		n, err := tx.NextID(ctx, bot.KindCollab)
		if err == nil && n != 2 {
			t.Errorf("next id after the retried apply = %d, want 2", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(ctx, "acme", "slack:Ev1", func(bot.Tx) error { return nil }); !errors.Is(err, bot.ErrDuplicateEvent) {
		t.Errorf("the event again: %v, want ErrDuplicateEvent", err)
	}
}

// TestRetriesAreBounded: a transaction that keeps failing is given up
// after maxTries runs with the server's error, and one that fails for
// another reason is not run again.
func TestRetriesAreBounded(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, pgtest.Fresh(t))
	for _, tt := range []struct {
		code string
		runs int
	}{{codeDeadlock, maxTries}, {codeSerialization, maxTries}, {"22012", 1}} {
		runs := 0
		err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			runs++
			return failWith(ctx, tx, tt.code)
		})
		if sqlState(err) != tt.code || runs != tt.runs {
			t.Errorf("SQLSTATE %s: %v after %d runs, want that error after %d", tt.code, err, runs, tt.runs)
		}
	}
}

// TestDeadlockIsRetried: two replicas taking the same two rows in
// opposite orders deadlock; the server aborts one, which runs again and
// commits, so both events are applied.
func TestDeadlockIsRetried(t *testing.T) {
	ctx := context.Background()
	url := pgtest.Fresh(t)
	a, b := openTest(t, url), openTest(t, url)
	seed := func(tx bot.Tx) error {
		for _, k := range []bot.IDKind{bot.KindTask, bot.KindRisk} {
			if _, err := tx.NextID(ctx, k); err != nil {
				return err
			}
		}
		return nil
	}
	if err := a.Apply(ctx, "acme", "", seed); err != nil {
		t.Fatal(err)
	}
	var runs atomic.Int32
	both := make(chan struct{})
	var once sync.Once
	var arrived atomic.Int32
	apply := func(s *Store, first, second bot.IDKind, event string) error {
		return s.Apply(ctx, "acme", event, func(tx bot.Tx) error {
			runs.Add(1)
			if _, err := tx.NextID(ctx, first); err != nil {
				return err
			}
			// Both hold their first row before either asks for its
			// second, however slowly the other starts (a loaded machine):
			// then the server must abort one of them.
			if arrived.Add(1) == 2 {
				once.Do(func() { close(both) })
			}
			select {
			case <-both:
			case <-time.After(time.Minute):
			}
			_, err := tx.NextID(ctx, second)
			return err
		})
	}
	errs := make(chan error, 2)
	go func() { errs <- apply(a, bot.KindTask, bot.KindRisk, "slack:EvA") }()
	go func() { errs <- apply(b, bot.KindRisk, bot.KindTask, "slack:EvB") }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatalf("apply: %v, want both applied", err)
		}
	}
	if runs.Load() != 3 {
		t.Errorf("%d runs, want 3 (one of the two aborted by the deadlock and run again)", runs.Load())
	}
	err := a.View(ctx, "acme", func(tx bot.Tx) error {
		var task, risk int64
		err := tx.(*txn).tx.QueryRow(ctx, `SELECT
			(SELECT value FROM sequences WHERE workspace = 'acme' AND kind = $1),
			(SELECT value FROM sequences WHERE workspace = 'acme' AND kind = $2)`, bot.KindTask, bot.KindRisk).Scan(&task, &risk)
		if err == nil && (task != 3 || risk != 3) {
			t.Errorf("T at %d, R at %d; want 3 each (one seed and two events)", task, risk)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestViewIsReadOnlyInTheServer: a write a View's Tx would let through
// (a statement of its own) is refused by the server's read-only
// transaction, as bot.ErrReadOnly.
func TestViewIsReadOnlyInTheServer(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, pgtest.Fresh(t))
	err := s.View(ctx, "acme", func(tx bot.Tx) error {
		_, err := tx.(*txn).tx.Exec(ctx, `INSERT INTO sequences (workspace, kind, value) VALUES ('acme', 'COL', 1)`)
		return err
	})
	if !errors.Is(err, bot.ErrReadOnly) {
		t.Fatalf("raw insert in View: %v, want ErrReadOnly", err)
	}
}

// TestOverloadedWhenNoConnectionInTime: with every connection busy, an
// event whose acknowledgement deadline passes before one frees up is
// refused with bot.ErrOverloaded without running; one whose deadline has
// passed already is refused at once; work without a deadline waits.
func TestOverloadedWhenNoConnectionInTime(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, pgtest.Fresh(t), WithMaxConns(1))
	hold, held := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Apply(ctx, "acme", "", func(bot.Tx) error {
			close(held)
			<-hold
			return nil
		})
	}()
	<-held
	for _, tt := range []struct {
		name     string
		deadline time.Time
	}{{"deadline reached while waiting", time.Now().Add(100 * time.Millisecond)}, {"deadline passed", time.Now().Add(-time.Second)}} {
		called := false
		err := s.Apply(bot.WithAckDeadline(ctx, tt.deadline), "acme", "slack:Ev1", func(bot.Tx) error { called = true; return nil })
		if !errors.Is(err, bot.ErrOverloaded) || called {
			t.Errorf("%s: %v (fn called %v), want ErrOverloaded without running", tt.name, err, called)
		}
	}
	waited := make(chan error, 1)
	go func() { waited <- s.Apply(ctx, "acme", "slack:Ev1", func(bot.Tx) error { return nil }) }()
	select {
	case err := <-waited:
		t.Fatalf("an event without a deadline did not wait for the connection: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-waited; err != nil {
		t.Fatalf("the waiting event: %v, want it applied (the refused ones recorded nothing)", err)
	}
}

// TestPoolSize: a replica holds DefaultMaxConns connections at most
// unless the address or WithMaxConns says otherwise.
func TestPoolSize(t *testing.T) {
	url := pgtest.Fresh(t)
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	for _, tt := range []struct {
		url  string
		opts []Option
		want int32
	}{
		{url, nil, DefaultMaxConns},
		{url + sep + "pool_max_conns=3", nil, 3},
		{url, []Option{WithMaxConns(2)}, 2},
	} {
		s, err := Open(context.Background(), tt.url, tt.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.pool.Config().MaxConns; got != tt.want {
			t.Errorf("Open(%s) holds %d connections at most, want %d", tt.url, got, tt.want)
		}
		s.Close()
	}
}
