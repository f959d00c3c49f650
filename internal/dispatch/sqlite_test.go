package dispatch_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/database"
	"github.com/collabot/collabot/internal/dispatch"
	"github.com/collabot/collabot/internal/store"
)

// Every store keeps what the dispatcher looks for, so no deployment
// silently sends rows in doubt as new or defers rows one by one.
var (
	_ dispatch.Outbox      = store.Backend(nil)
	_ dispatch.Attempts    = store.Backend(nil)
	_ dispatch.Rescheduler = store.Backend(nil)
)

// openStore opens a migrated store on path (a fresh file when empty).
func openStore(t testing.TB, path string, c bot.Clock) store.Backend {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "collabot.db")
	}
	s, err := database.Open(context.Background(), path, database.Options{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// fill queues n notices due at t0, to groups spread over channels.
func fill(t testing.TB, s store.Backend, n, channels int) {
	t.Helper()
	ctx := context.Background()
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		for i := range n {
			no := notice(key(i), "", fmt.Sprintf("console:g%d", i%channels))
			no.At = t0
			if _, err := tx.Enqueue(ctx, no); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTwoDispatchersDeliverOnce runs two dispatchers, as two replicas
// would, on two handles of one SQLite file.
func TestTwoDispatchersDeliverOnce(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "shared.db")
	stores := []store.Backend{openStore(t, path, c), openStore(t, path, c)}
	const n = 500
	fill(t, stores[0], n, 17)
	s := newSender(bot.Console, c)
	var wg sync.WaitGroup
	var each [2]int
	for i, st := range stores {
		d := newDispatcher(t, dispatch.Options{Outbox: st, Senders: []bot.Sender{s}, Clock: c, Batch: 25, Workers: 1 + 2*i})
		wg.Go(func() {
			// Each keeps draining until a claim finds nothing: by then the
			// other holds whatever is left.
			var err error
			if each[i], err = d.DrainAll(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	t.Logf("sent by each dispatcher: %v", each)
	got := byID(s.deliveries())
	if len(got) != n {
		t.Errorf("%d of %d notices delivered", len(got), n)
	}
	for id, k := range got {
		if k != 1 {
			t.Errorf("row %d delivered %d times", id, k)
		}
	}
	if depth, _, err := stores[1].OutboxDepth(context.Background(), c.Now()); err != nil || depth != 0 {
		t.Errorf("%d rows left unsent, %v", depth, err)
	}
}

// TestNeverSentBeforeAccepted: a platform that never answers leaves the
// row unsent, even when shutdown comes meanwhile: the send runs out its
// timeout, the failure is recorded and the row is retried later.
func TestNeverSentBeforeAccepted(t *testing.T) {
	c := newClock()
	st := openStore(t, "", c)
	fill(t, st, 1, 1)
	started := make(chan struct{})
	const hold = time.Minute
	d := newDispatcher(t, dispatch.Options{Outbox: st, Senders: []bot.Sender{&blockingSender{started: started}}, Clock: c,
		Hold: hold, SendTimeout: 100 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := d.Drain(ctx)
		done <- err
	}()
	<-started
	cancel() // shutdown while the platform has not answered
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("drain returned %v", err)
	}
	if depth, _, _ := st.OutboxDepth(context.Background(), c.Now()); depth != 1 {
		t.Fatalf("%d rows unsent, want the one", depth)
	}
	due, err := st.Claim(context.Background(), t0.Add(hold), 10, hold)
	if err != nil || len(due) != 1 || due[0].Attempts != 1 {
		t.Errorf("later: %+v, %v; want the row back with its failed attempt counted", due, err)
	}
}
