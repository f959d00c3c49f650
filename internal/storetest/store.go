package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

func testMigrateTwice(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	again, err := s.Migrate(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second migrate applied %v, %v", again, err)
	}
	s.Close()
	s2 := open(t, db) // a restart (another handle) migrates again
	if n, err := s2.PendingMigrations(ctx); err != nil || n != 0 {
		t.Fatalf("pending after reopen: %d, %v", n, err)
	}
}

func testMigrateConcurrently(t *testing.T, db DB) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := db(ctx, Options{}) // a replica starting
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			_, err = s.Migrate(ctx)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	s := open(t, db)
	if n, _ := s.PendingMigrations(ctx); n != 0 {
		t.Fatalf("pending = %d", n)
	}
}

func testRoundTrip(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	dir := directory("acme")
	var id bot.CollabID
	err := s.Apply(ctx, "acme", "slack:Ev1", func(tx bot.Tx) error {
		c, err := file(ctx, tx, dir, "接口调试")
		if err != nil {
			return err
		}
		id = c.ID
		c.Group = "slack:C1"
		if err := c.Acknowledge(dir.Actor("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "接口"}, t0); err != nil {
			return err
		}
		if err := c.AddTask(dir, dir.Actor("amy"), bot.Task{ID: 1, Title: "调试", Department: "rd", Owner: "ben",
			Due: t0.AddDate(0, 0, 3), Standard: "通过"}, t0); err != nil {
			return err
		}
		if err := c.PostProgress(dir.Actor("ben"), bot.ProgressUpdate{Day: "2026-11-23", Done: "联通"}, t0); err != nil {
			return err
		}
		return tx.Save(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.View(ctx, "acme", func(tx bot.Tx) error {
		c, err := tx.Collaboration(ctx, id)
		if err != nil {
			return err
		}
		if c.Version != 2 || c.Request.Topic != "接口调试" || c.Acks[0].Status != bot.AckAccepted || c.Tasks[0].Owner != "ben" {
			t.Errorf("loaded %+v", c)
		}
		if !c.Request.Due.Equal(t0.AddDate(0, 0, 10)) {
			t.Errorf("due %v", c.Request.Due)
		}
		owner, err := tx.CollabOf(ctx, bot.KindTask, 1)
		if err != nil || owner != id {
			t.Errorf("CollabOf(T-1) = %v, %v", owner, err)
		}
		entries, err := tx.Timeline(ctx, id)
		if err != nil {
			return err
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		want := []string{"drafted", "submitted", "ack_accepted", "task_added", "progress_posted"}
		if !slices.Equal(actions, want) {
			t.Errorf("timeline %v, want %v", actions, want)
		}
		p, err := tx.Progress(ctx, id, "2026-11-23")
		if err != nil || len(p) != 1 || p[0].Done != "联通" {
			t.Errorf("progress %+v, %v", p, err)
		}
		list, err := tx.Collaborations(ctx, bot.Filter{Status: []bot.CollabStatus{bot.StatusAwaitingAck}, Person: "ben"})
		if err != nil || len(list) != 1 {
			t.Errorf("list %d, %v", len(list), err)
		}
		for group, want := range map[string]int{"slack:C1": 1, "slack:C2": 0} {
			if list, err := tx.Collaborations(ctx, bot.Filter{Group: group}); err != nil || len(list) != want {
				t.Errorf("group %s: %d, %v", group, len(list), err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := s.DueNotices(ctx, t0.Add(time.Minute), 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, q := range due {
		kinds = append(kinds, q.Notice.Kind+" "+q.Notice.Recipient())
	}
	wantKinds := []string{"ack_requested @ben", "ack_requested @fiona", "request_submitted group", "ack_accepted @amy", "task_assigned @ben"}
	if !slices.Equal(kinds, wantKinds) {
		t.Fatalf("outbox %v, want %v", kinds, wantKinds)
	}
	if err := s.MarkSent(ctx, due[0].ID, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkFailed(ctx, due[1].ID, errors.New("429"), t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	again, _ := s.DueNotices(ctx, t0.Add(time.Minute), 100)
	if len(again) != len(due)-2 {
		t.Errorf("after one sent and one deferred: %d due, want %d", len(again), len(due)-2)
	}
	n, age, err := s.OutboxDepth(ctx, t0.Add(time.Minute))
	if err != nil || n != len(due)-1 || age <= 0 {
		t.Errorf("depth %d age %v err %v", n, age, err)
	}
}

func testDuplicateEventChangesNothing(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	dir := directory("acme")
	apply := func() error {
		return s.Apply(ctx, "acme", "dingtalk:msg-42", func(tx bot.Tx) error {
			_, err := file(ctx, tx, dir, "t")
			return err
		})
	}
	if err := apply(); err != nil {
		t.Fatal(err)
	}
	if err := apply(); !errors.Is(err, bot.ErrDuplicateEvent) {
		t.Fatalf("redelivery: %v", err)
	}
	assertCounts(t, s, "acme", 1, 3)
}

func testOneEventIsAtomic(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	dir := directory("acme")
	boom := errors.New("adapter gave up half-way")
	err := s.Apply(ctx, "acme", "slack:Ev9", func(tx bot.Tx) error {
		if _, err := file(ctx, tx, dir, "half"); err != nil {
			return err
		}
		if _, err := tx.RecordReminder(ctx, bot.Reminder{Timer: "ack", Entity: "COL-1/研发部", Slot: "x"}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	assertCounts(t, s, "acme", 0, 0)
	// The event was not applied, so its redelivery is processed normally.
	err = s.Apply(ctx, "acme", "slack:Ev9", func(tx bot.Tx) error {
		_, err := file(ctx, tx, dir, "whole")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	assertCounts(t, s, "acme", 1, 3)
	// The sequence rolled back too: the first collaboration is COL-1.
	if err := s.View(ctx, "acme", func(tx bot.Tx) error { _, err := tx.Collaboration(ctx, 1); return err }); err != nil {
		t.Fatal(err)
	}
	// A refusal half-way through also leaves nothing.
	err = s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		c, err := tx.Collaboration(ctx, 1)
		if err != nil {
			return err
		}
		if err := c.Acknowledge(dir.Actor("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted}, t0); err != nil {
			return err
		}
		if err := tx.Save(ctx, c); err != nil {
			return err
		}
		return c.Acknowledge(dir.Actor("ben"), "财务部", bot.Answer{Decision: bot.AckAccepted}, t0)
	})
	if bot.ErrorCode(err) != bot.CodeForbidden {
		t.Fatalf("err = %v", err)
	}
	assertCounts(t, s, "acme", 1, 3)
}

func testOptimisticConflict(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	dir := directory("acme")
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error { _, err := file(ctx, tx, dir, "t"); return err }); err != nil {
		t.Fatal(err)
	}
	var stale *bot.Collaboration
	s.View(ctx, "acme", func(tx bot.Tx) error { stale, _ = tx.Collaboration(ctx, 1); return nil })
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		c, _ := tx.Collaboration(ctx, 1)
		c.Acknowledge(dir.Actor("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted}, t0)
		return tx.Save(ctx, c)
	}); err != nil {
		t.Fatal(err)
	}
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		stale.Acknowledge(dir.Actor("ben"), "研发部", bot.Answer{Decision: bot.AckDeclined, Reason: "r", Alternative: "a"}, t0)
		return tx.Save(ctx, stale)
	})
	if !errors.Is(err, bot.ErrConflict) {
		t.Fatalf("saving a stale copy: %v", err)
	}
}

func testWorkspaceIsolation(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	a, b := directory("acme"), directory("globex")
	for _, d := range []*bot.Directory{a, b} {
		if err := s.Apply(ctx, d.Workspace, "slack:Ev1", func(tx bot.Tx) error {
			_, err := file(ctx, tx, d, "topic of "+string(d.Workspace))
			return err
		}); err != nil {
			t.Fatalf("%s: same event id in another workspace is another event: %v", d.Workspace, err)
		}
	}
	// Both are COL-1 in their own workspace, and each sees only its own.
	for _, ws := range []bot.Workspace{"acme", "globex"} {
		s.View(ctx, ws, func(tx bot.Tx) error {
			c, err := tx.Collaboration(ctx, 1)
			if err != nil || c.Request.Topic != "topic of "+string(ws) {
				t.Errorf("%s: %v %v", ws, c, err)
			}
			list, _ := tx.Collaborations(ctx, bot.Filter{})
			if len(list) != 1 {
				t.Errorf("%s lists %d", ws, len(list))
			}
			return nil
		})
	}
	err := s.View(ctx, "initech", func(tx bot.Tx) error { _, err := tx.Collaboration(ctx, 1); return err })
	if bot.ErrorCode(err) != bot.CodeNotFound {
		t.Errorf("another workspace read COL-1: %v", err)
	}
	// Saving acme's collaboration through globex's transaction is refused.
	err = s.Apply(ctx, "globex", "", func(tx bot.Tx) error {
		var c *bot.Collaboration
		s.View(ctx, "acme", func(atx bot.Tx) error { c, _ = atx.Collaboration(ctx, 1); return nil })
		return tx.Save(ctx, c)
	})
	if err == nil {
		t.Error("cross-workspace save accepted")
	}
	// Reminders and notices with the same key in two workspaces are distinct.
	for _, ws := range []bot.Workspace{"acme", "globex"} {
		s.Apply(ctx, ws, "", func(tx bot.Tx) error {
			first, err := tx.RecordReminder(ctx, bot.Reminder{Timer: "daily", Entity: "amy", Slot: "2026-11-23"})
			if err != nil || !first {
				t.Errorf("%s reminder: %v %v", ws, first, err)
			}
			return err
		})
	}
}

func testRegisterPerson(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	id := bot.Identity{Platform: bot.Slack, ID: "U9"}
	var first, second bot.Person
	s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		var err error
		first, err = tx.RegisterPerson(ctx, bot.Person{ID: "slack-U9", Name: "Zoe", Identities: []bot.Identity{id}})
		return err
	})
	s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		var err error
		second, err = tx.RegisterPerson(ctx, bot.Person{ID: "other", Name: "Zoe again", Identities: []bot.Identity{id}})
		return err
	})
	if first.ID != "slack-U9" || second.ID != "slack-U9" || !second.Registered {
		t.Errorf("first %+v second %+v", first, second)
	}
	s.View(ctx, "globex", func(tx bot.Tx) error {
		if _, ok, _ := tx.PersonByIdentity(ctx, id); ok {
			t.Error("a person registered in acme is visible in globex")
		}
		return nil
	})
	s.View(ctx, "acme", func(tx bot.Tx) error {
		people, err := tx.People(ctx)
		if err != nil || len(people) != 1 || len(people[0].Identities) != 1 {
			t.Errorf("people %+v %v", people, err)
		}
		if _, err := tx.RegisterPerson(ctx, bot.Person{ID: "x", Identities: []bot.Identity{{Platform: bot.Slack, ID: "U1"}}}); err == nil {
			t.Error("a read-only view wrote")
		}
		return nil
	})
}

// testConcurrentWritersNeverDuplicate races writers in one process and
// through two Store handles on the same file (as two replicas would) to
// enqueue the same notices and record the same reminders.
func testConcurrentWritersNeverDuplicate(t *testing.T, db DB) {
	ctx := context.Background()
	stores := []store.Backend{open(t, db), open(t, db)}
	const writers, keys = 8, 50
	var mu sync.Mutex
	newNotices, newReminders := 0, 0
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[w%2]
			for k := range keys {
				err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
					n, err := tx.Enqueue(ctx, bot.Notice{Key: fmt.Sprintf("reminder/ack/COL-1/%d", k), Kind: "ack_reminder", To: "ben", At: t0})
					if err != nil {
						return err
					}
					first, err := tx.RecordReminder(ctx, bot.Reminder{Timer: "ack", Entity: "COL-1/研发部", Slot: fmt.Sprint(k)})
					if err != nil {
						return err
					}
					mu.Lock()
					newNotices += n
					if first {
						newReminders++
					}
					mu.Unlock()
					return nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if newNotices != keys || newReminders != keys {
		t.Errorf("writers reported %d new notices and %d new reminders, want %d each", newNotices, newReminders, keys)
	}
	due, _ := stores[0].DueNotices(ctx, t0.Add(time.Hour), 1000)
	if len(due) != keys {
		t.Errorf("outbox holds %d rows, want %d", len(due), keys)
	}
}

// assertCounts checks how many collaborations and outbox rows a
// workspace has, and that reminders did not survive a rollback.
func assertCounts(t *testing.T, s store.Backend, ws bot.Workspace, collabs, notices int) {
	t.Helper()
	ctx := context.Background()
	err := s.View(ctx, ws, func(tx bot.Tx) error {
		list, err := tx.Collaborations(ctx, bot.Filter{})
		if err != nil {
			return err
		}
		if len(list) != collabs {
			t.Errorf("%d collaborations, want %d", len(list), collabs)
		}
		for _, c := range list {
			entries, err := tx.Timeline(ctx, c.ID)
			if err != nil {
				return err
			}
			if len(entries) != 2*c.Version && c.Version == 1 {
				t.Errorf("%s has %d timeline entries at version %d", c.ID, len(entries), c.Version)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := s.DueNotices(ctx, t0.AddDate(1, 0, 0), 1000)
	if err != nil {
		t.Fatal(err)
	}
	got := 0
	for _, q := range due {
		if q.Workspace == ws {
			got++
		}
	}
	if got != notices {
		t.Errorf("%d outbox rows, want %d", got, notices)
	}
	if collabs == 0 {
		err := s.Apply(ctx, ws, "", func(tx bot.Tx) error {
			first, err := tx.RecordReminder(ctx, bot.Reminder{Timer: "ack", Entity: "COL-1/研发部", Slot: "x"})
			if err == nil && !first {
				t.Error("a rolled-back reminder was kept")
			}
			return errors.New("rollback")
		})
		if err == nil {
			t.Fatal("expected rollback")
		}
	}
}
