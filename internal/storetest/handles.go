package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

// The tests in this file race writers through several handles on one
// database, as replicas on several hosts would: what the store promises
// must hold without a single writer in one process to lean on.

// race runs n goroutines, goroutine i on handle stores[i%len(stores)],
// all released at once, and waits for them.
func race(stores []store.Backend, n int, fn func(i int, s store.Backend)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn(i, stores[i%len(stores)])
		}()
	}
	close(start)
	wg.Wait()
}

// testDuplicateEventAcrossHandles: one inbound event delivered to several
// replicas at once is applied by exactly one of them; the others see
// ErrDuplicateEvent and their fn never commits.
func testDuplicateEventAcrossHandles(t *testing.T, db DB) {
	ctx := context.Background()
	stores := []store.Backend{open(t, db), open(t, db)}
	dir := directory("acme")
	var mu sync.Mutex
	applied, dup := 0, 0
	race(stores, 8, func(i int, s store.Backend) {
		err := s.Apply(ctx, "acme", "slack:EvTwice", func(tx bot.Tx) error {
			_, err := file(ctx, tx, dir, fmt.Sprint("delivery ", i))
			return err
		})
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			applied++
		case errors.Is(err, bot.ErrDuplicateEvent):
			dup++
		default:
			t.Errorf("delivery %d: %v", i, err)
		}
	})
	if applied != 1 || dup != 7 {
		t.Errorf("%d applied and %d duplicates, want 1 and 7", applied, dup)
	}
	for i, s := range stores {
		err := s.View(ctx, "acme", func(tx bot.Tx) error {
			list, err := tx.Collaborations(ctx, bot.Filter{})
			if err == nil && len(list) != 1 {
				t.Errorf("handle %d sees %d collaborations, want 1", i, len(list))
			}
			if seen, err := tx.Recorded(ctx, "slack:EvTwice"); err != nil || !seen {
				t.Errorf("handle %d: recorded %v, %v", i, seen, err)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// testOptimisticConflictAcrossHandles: replicas that loaded the same
// version and save at once: one wins, the others get ErrConflict, and
// what is stored is the winner's.
func testOptimisticConflictAcrossHandles(t *testing.T, db DB) {
	ctx := context.Background()
	stores := []store.Backend{open(t, db), open(t, db)}
	dir := directory("acme")
	if err := stores[0].Apply(ctx, "acme", "", func(tx bot.Tx) error { _, err := file(ctx, tx, dir, "t"); return err }); err != nil {
		t.Fatal(err)
	}
	const n = 6
	copies := make([]*bot.Collaboration, n)
	for i := range copies {
		if err := stores[i%2].View(ctx, "acme", func(tx bot.Tx) error {
			var err error
			copies[i], err = tx.Collaboration(ctx, 1)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	loaded := copies[0].Version
	var mu sync.Mutex
	winners := []int{}
	race(stores, n, func(i int, s store.Backend) {
		err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			c := copies[i]
			c.Group = fmt.Sprintf("slack:C%d", i)
			return tx.Save(ctx, c)
		})
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			winners = append(winners, i)
		case !errors.Is(err, bot.ErrConflict):
			t.Errorf("save %d: %v, want nil or ErrConflict", i, err)
		}
	})
	if len(winners) != 1 {
		t.Fatalf("saves of one version that won: %v, want exactly one", winners)
	}
	err := stores[1].View(ctx, "acme", func(tx bot.Tx) error {
		c, err := tx.Collaboration(ctx, 1)
		if err == nil && (c.Group != fmt.Sprintf("slack:C%d", winners[0]) || c.Version != loaded+1) {
			t.Errorf("stored group %q version %d; want the winner's, one version on", c.Group, c.Version)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testIDsAcrossHandles: numbers taken at once through several handles
// are distinct and leave no gap.
func testIDsAcrossHandles(t *testing.T, db DB) {
	ctx := context.Background()
	stores := []store.Backend{open(t, db), open(t, db)}
	dir := directory("acme")
	const writers, each = 6, 5
	var mu sync.Mutex
	seen := map[bot.CollabID]bool{}
	race(stores, writers, func(i int, s store.Backend) {
		for range each {
			var id bot.CollabID
			err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
				c, err := file(ctx, tx, dir, "t")
				if err == nil {
					id = c.ID
				}
				return err
			})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			if seen[id] {
				t.Errorf("%s taken twice", id)
			}
			seen[id] = true
			mu.Unlock()
		}
	})
	for id := bot.CollabID(1); id <= writers*each; id++ {
		if !seen[id] {
			t.Errorf("%s never taken (%d taken)", id, len(seen))
		}
	}
}

// testRegisterPersonAcrossHandles: someone met for the first time by two
// replicas at once is registered once; both get the same person.
func testRegisterPersonAcrossHandles(t *testing.T, db DB) {
	ctx := context.Background()
	stores := []store.Backend{open(t, db), open(t, db)}
	acct := bot.Identity{Platform: bot.Slack, ID: "U42"}
	var mu sync.Mutex
	got := map[bot.PersonID]int{}
	race(stores, 6, func(i int, s store.Backend) {
		var p bot.Person
		err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			var err error
			p, err = tx.RegisterPerson(ctx, bot.Person{ID: bot.PersonID(fmt.Sprint("p", i)), Name: "Zoe", Identities: []bot.Identity{acct}})
			return err
		})
		if err != nil {
			t.Error(err)
			return
		}
		mu.Lock()
		got[p.ID]++
		mu.Unlock()
	})
	if len(got) != 1 {
		t.Errorf("registered as %v, want one person", got)
	}
	err := stores[0].View(ctx, "acme", func(tx bot.Tx) error {
		people, err := tx.People(ctx)
		if err == nil && len(people) != 1 {
			t.Errorf("%d people registered, want 1", len(people))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testViewIsReadOnly: every write in a View fails with bot.ErrReadOnly,
// which a caller that tried a read first takes as "run it in Apply".
func testViewIsReadOnly(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	dir := directory("acme")
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error { _, err := file(ctx, tx, dir, "t"); return err }); err != nil {
		t.Fatal(err)
	}
	k := bot.DialogKey{Channel: "slack:C1", Person: "amy"}
	writes := []struct {
		name string
		do   func(tx store.Tx) error
	}{
		{"NextID", func(tx store.Tx) error { _, err := tx.NextID(ctx, bot.KindTask); return err }},
		{"Save", func(tx store.Tx) error {
			c, err := tx.Collaboration(ctx, 1)
			if err != nil {
				return fmt.Errorf("load: %v", err) // not ErrReadOnly
			}
			c.Group = "slack:C9"
			return tx.Save(ctx, c)
		}},
		{"Enqueue", func(tx store.Tx) error {
			_, err := tx.Enqueue(ctx, bot.Notice{Key: "ro", Kind: "ack_requested", To: "ben", At: t0})
			return err
		}},
		{"RecordReminder", func(tx store.Tx) error {
			_, err := tx.RecordReminder(ctx, bot.Reminder{Timer: "ack", Entity: "COL-1/研发部", Slot: "ro"})
			return err
		}},
		{"Record", func(tx store.Tx) error {
			return tx.Record(ctx, bot.TimelineEntry{Collab: 1, At: t0, Action: "reminder_sent"})
		}},
		{"RegisterPerson", func(tx store.Tx) error {
			_, err := tx.RegisterPerson(ctx, bot.Person{ID: "x", Identities: []bot.Identity{{Platform: bot.Slack, ID: "U1"}}})
			return err
		}},
		{"SaveDialog", func(tx store.Tx) error { return tx.SaveDialog(ctx, k, []byte(`{}`)) }},
		{"EndDialog", func(tx store.Tx) error { return tx.EndDialog(ctx, k) }},
		{"SaveSettings", func(tx store.Tx) error { return tx.SaveSettings(ctx, "amy", bot.Settings{Lang: bot.English}) }},
		{"SetNextDue", func(tx store.Tx) error {
			return tx.SetNextDue(ctx, bot.NextDue{Collab: 1, Version: 1, At: t0.Add(time.Hour)})
		}},
		{"ResetNextDue", func(tx store.Tx) error { return tx.ResetNextDue(ctx, "ro") }},
	}
	for _, w := range writes {
		err := s.View(ctx, "acme", func(tx bot.Tx) error {
			full, ok := tx.(store.Tx)
			if !ok {
				t.Skipf("a %T is not a store.Tx (TransactionsKeepTheWholeContract fails)", tx)
			}
			return w.do(full)
		})
		if !errors.Is(err, bot.ErrReadOnly) {
			t.Errorf("%s in a View: %v, want ErrReadOnly", w.name, err)
		}
	}
}

// testUpsertsAcrossHandles: a person's half-filled form and settings
// written at once by several replicas (two deliveries of one message, a
// modal and a chat line) are each stored once, as one of the writes; none
// fails for having lost a race to insert the row.
func testUpsertsAcrossHandles(t *testing.T, db DB) {
	ctx := context.Background()
	stores := []store.Backend{open(t, db), open(t, db)}
	k := bot.DialogKey{Channel: "slack:D1", Person: "amy"}
	const n = 8
	race(stores, n, func(i int, s store.Backend) {
		err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			if err := tx.SaveDialog(ctx, k, fmt.Appendf(nil, `{"step":%d}`, i)); err != nil {
				return err
			}
			return tx.SaveSettings(ctx, "amy", bot.Settings{Department: fmt.Sprint("d", i)})
		})
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	})
	err := stores[1].View(ctx, "acme", func(tx bot.Tx) error {
		raw, ok, err := tx.Dialog(ctx, k)
		if err != nil {
			return err
		}
		st, err := tx.Settings(ctx, "amy")
		if err != nil {
			return err
		}
		var step int
		var dept string
		if _, err := fmt.Sscanf(string(raw), `{"step":%d}`, &step); !ok || err != nil || step < 0 || step >= n {
			t.Errorf("dialog %s (%v), want one of the writes", raw, ok)
		}
		if _, err := fmt.Sscanf(st.Department, "d%s", &dept); err != nil {
			t.Errorf("settings %+v, want one of the writes", st)
		}
		all, err := tx.AllSettings(ctx)
		if err == nil && len(all) != 1 {
			t.Errorf("settings of %d people, want amy's alone", len(all))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
