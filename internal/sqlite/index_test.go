package sqlite_test

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/sqlite"
)

// document is a collaboration with every kind of participant: contacts,
// task owners (open, done and cancelled), collaborators, an organiser and
// attendees, in a group.
func document(id bot.CollabID, group string) *bot.Collaboration {
	return &bot.Collaboration{ID: id, Workspace: "acme", Status: bot.StatusActive, Requester: "amy", Coordinator: "carol",
		RequestingDept: "市场部", Group: group, CreatedAt: t0,
		Request: bot.Request{Topic: "t", Goal: "g", Requirements: "r", Due: t0.AddDate(0, 1, 0),
			Departments: []bot.Assignment{{Department: "研发部", Contact: "ben"}, {Department: "财务部", Contact: "fiona"}}},
		Tasks: []*bot.Task{
			{ID: bot.TaskID(10*id + 1), Title: "a", Owner: "ben", Collaborators: []bot.PersonID{"emma"}, Status: bot.TaskInProgress},
			{ID: bot.TaskID(10*id + 2), Title: "b", Owner: "david", Status: bot.TaskDone},
			{ID: bot.TaskID(10*id + 3), Title: "c", Owner: "gary", Status: bot.TaskCancelled},
		},
		Meetings: []*bot.Meeting{{ID: bot.MeetingID(id), Organiser: "carol", Attendees: []bot.PersonID{"ben", "henry"}}},
	}
}

func participants(t *testing.T, db *sql.DB, id bot.CollabID) []bot.Participation {
	t.Helper()
	rows, err := db.Query(`SELECT person, role FROM participants WHERE workspace = 'acme' AND collab = ?`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []bot.Participation
	for rows.Next() {
		var p bot.Participation
		if err := rows.Scan(&p.Person, &p.Role); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b bot.Participation) int {
		return cmp.Or(cmp.Compare(a.Person, b.Person), cmp.Compare(a.Role, b.Role))
	})
	return out
}

func departments(t *testing.T, db *sql.DB, id bot.CollabID) []bot.DepartmentPart {
	t.Helper()
	rows, err := db.Query(`SELECT department, role FROM collab_departments WHERE workspace = 'acme' AND collab = ? ORDER BY department, role`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []bot.DepartmentPart
	for rows.Next() {
		var d bot.DepartmentPart
		if err := rows.Scan(&d.Department, &d.Role); err != nil {
			t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestMigrationBackfillsTheIndexes: a database written before migration
// 0007 gets participants, group columns and people versions equal to
// what saving and registering write now.
func TestMigrationBackfillsTheIndexes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s := open(t, path)
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		for id := bot.CollabID(1); id <= 3; id++ {
			if err := tx.Save(ctx, document(id, fmt.Sprintf("slack:C%d", id))); err != nil {
				return err
			}
		}
		for _, u := range []string{"U1", "U2", "U3"} {
			if _, err := tx.RegisterPerson(ctx, bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: u}, u, "")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Back to the schema before 0007.
	db := rawDB(t, path)
	for _, q := range []string{`DROP TABLE participants`, `DROP TABLE collab_departments`, `DROP INDEX collaborations_by_group`, `ALTER TABLE collaborations DROP COLUMN grp`,
		`DROP INDEX identities_by_person`, `DROP INDEX people_by_seq`, `ALTER TABLE people DROP COLUMN seq`,
		`DELETE FROM schema_migrations WHERE version = 7`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s = open(t, path)
	for id := bot.CollabID(1); id <= 3; id++ {
		if got, want := participants(t, db, id), document(id, "").Participations(); !slices.Equal(got, want) {
			t.Errorf("COL-%d backfilled %v, want %v", id, got, want)
		}
		if got, want := departments(t, db, id), document(id, "").Departments(); !slices.Equal(got, want) {
			t.Errorf("COL-%d departments backfilled %v, want %v", id, got, want)
		}
	}
	err = s.View(ctx, "acme", func(tx bot.Tx) error {
		for id := bot.CollabID(1); id <= 3; id++ {
			list, err := tx.Collaborations(ctx, bot.Filter{Group: fmt.Sprintf("slack:C%d", id)})
			if err != nil || len(list) != 1 || list[0].ID != id {
				t.Errorf("group of COL-%d: %v %v", id, list, err)
			}
		}
		people, version, err := tx.PeopleSince(ctx, 0)
		if err != nil || len(people) != 3 || version != 3 {
			t.Errorf("people since 0: %d people, version %d, %v", len(people), version, err)
		}
		if people, _, _ := tx.PeopleSince(ctx, 2); len(people) != 1 || people[0].ID != "slack:U3" {
			t.Errorf("people since 2 = %+v, want slack:U3 (registered last)", people)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSaveKeepsParticipantsExact: every save leaves the participants rows
// equal to the document's, removing those no longer true, and the filters
// answer from them.
func TestSaveKeepsParticipantsExact(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "p.db")
	s := open(t, path)
	db := rawDB(t, path)
	save := func(change func(c *bot.Collaboration)) {
		t.Helper()
		err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			c, err := tx.Collaboration(ctx, 1)
			if errors.Is(err, &bot.Error{Code: bot.CodeNotFound}) {
				c, err = document(1, "slack:C1"), nil
			}
			if err != nil {
				return err
			}
			change(c)
			return tx.Save(ctx, c)
		})
		if err != nil {
			t.Fatal(err)
		}
		saved := s2c(t, s, 1)
		if got, want := participants(t, db, 1), saved.Participations(); !slices.Equal(got, want) {
			t.Fatalf("index %v\nsaved %v", got, want)
		}
		if got, want := departments(t, db, 1), saved.Departments(); !slices.Equal(got, want) {
			t.Fatalf("departments %v\nsaved %v", got, want)
		}
	}
	mine := func(p bot.PersonID, open bool) bool {
		t.Helper()
		var list []*bot.Collaboration
		err := s.View(ctx, "acme", func(tx bot.Tx) error {
			var err error
			list, err = tx.Collaborations(ctx, bot.Filter{Person: p, OpenTasks: open})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return len(list) == 1
	}
	save(func(*bot.Collaboration) {}) // created
	if !mine("ben", true) || mine("david", true) || !mine("david", false) || !mine("henry", false) || mine("gary", true) {
		t.Error("after create: wrong answers")
	}
	save(func(c *bot.Collaboration) { c.Tasks[0].Owner = "david" }) // reassigned
	if mine("ben", true) || !mine("david", true) || !mine("ben", false) {
		t.Error("after reassign: ben still has an open task or david has none")
	}
	save(func(c *bot.Collaboration) { c.Tasks[0].Status = bot.TaskDone }) // done
	if mine("david", true) {
		t.Error("after done: david still has an open task")
	}
	save(func(c *bot.Collaboration) { c.Coordinator = "mike"; c.Request.Departments = c.Request.Departments[:1] }) // handed over, 财务部 dropped
	if mine("fiona", false) || !mine("mike", false) {
		t.Error("after hand-over and drop: fiona still in or mike not")
	}
	save(func(c *bot.Collaboration) { c.Meetings = nil; c.Tasks = nil; c.Status = bot.StatusArchived })
	if mine("henry", false) || mine("emma", false) || !mine("amy", false) {
		t.Error("after archive without meetings and tasks: wrong answers")
	}
}

func s2c(t *testing.T, s *sqlite.Store, id bot.CollabID) *bot.Collaboration {
	t.Helper()
	var c *bot.Collaboration
	err := s.View(context.Background(), "acme", func(tx bot.Tx) error {
		var err error
		c, err = tx.Collaboration(context.Background(), id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestListsReadOnlyWhatTheyReturn: a limit is the query's, newest first,
// and statuses and groups narrow in SQL.
func TestListsReadOnlyWhatTheyReturn(t *testing.T) {
	ctx := context.Background()
	s := open(t, "")
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		for id := bot.CollabID(1); id <= 5; id++ {
			c := document(id, fmt.Sprintf("slack:C%d", int(id)%2))
			if id == 5 {
				c.Status = bot.StatusArchived
			}
			if err := tx.Save(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.View(ctx, "acme", func(tx bot.Tx) error {
		for _, tc := range []struct {
			f    bot.Filter
			want []bot.CollabID
		}{
			{bot.Filter{Limit: 2}, []bot.CollabID{5, 4}},
			{bot.Filter{Person: "ben", OpenTasks: true, Limit: 3}, []bot.CollabID{5, 4, 3}},
			{bot.Filter{Group: "slack:C1", Status: []bot.CollabStatus{bot.StatusActive}, Limit: 1}, []bot.CollabID{3}},
			{bot.Filter{Group: "slack:C0"}, []bot.CollabID{4, 2}},
			{bot.Filter{Person: "nobody"}, nil},
		} {
			list, err := tx.Collaborations(ctx, tc.f)
			var got []bot.CollabID
			for _, c := range list {
				got = append(got, c.ID)
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("%+v: %v %v, want %v", tc.f, got, err, tc.want)
			}
		}
		return nil
	})
}

// TestReadsDoNotWaitForTheWriter: while a write transaction is open,
// Ping (what /readyz asks), View and a read-only transaction's refusal to
// write all answer; the deadline only keeps a regression from hanging.
func TestReadsDoNotWaitForTheWriter(t *testing.T) {
	ctx := context.Background()
	s := open(t, "")
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error { return tx.Save(ctx, document(1, "")) }); err != nil {
		t.Fatal(err)
	}
	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	deadline, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := s.Ping(deadline); err != nil {
		t.Errorf("ping while the writer is busy: %v", err)
	}
	err := s.View(deadline, "acme", func(tx bot.Tx) error {
		if _, err := tx.Collaborations(deadline, bot.Filter{Person: "ben"}); err != nil {
			return err
		}
		if _, err := tx.RegisterPerson(deadline, bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: "U1"}, "", "")); !errors.Is(err, bot.ErrReadOnly) {
			t.Errorf("a write in a view: %v, want bot.ErrReadOnly", err)
		}
		return nil
	})
	if err != nil {
		t.Errorf("view while the writer is busy: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestRosterReadsOnlyNewcomers: the roster builds the directory once,
// hands the same one back while nobody registers, and adds only those
// registered since.
func TestRosterReadsOnlyNewcomers(t *testing.T) {
	ctx := context.Background()
	s := open(t, "")
	base := directory("acme")
	r := bot.NewRoster(base)
	get := func() *bot.Directory {
		t.Helper()
		var d *bot.Directory
		if err := s.View(ctx, "acme", func(tx bot.Tx) error {
			var err error
			d, err = r.Directory(ctx, "acme", tx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return d
	}
	register := func(u string) {
		t.Helper()
		if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
			_, err := tx.RegisterPerson(ctx, bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: u}, u, ""))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if d := get(); d != base {
		t.Error("with nobody registered the roster copied the directory")
	}
	register("U1")
	d1 := get()
	if p, ok := d1.ByIdentity(bot.Slack, "U1"); !ok || p.ID != "slack:U1" {
		t.Fatalf("newcomer not found: %+v", p)
	}
	if get() != d1 {
		t.Error("the directory was rebuilt although nobody was registered")
	}
	register("U2")
	d2 := get()
	for _, u := range []string{"U1", "U2"} {
		if _, ok := d2.ByIdentity(bot.Slack, u); !ok {
			t.Errorf("%s missing after the second registration", u)
		}
	}
	if _, ok := d2.Person("amy"); !ok || len(d2.People) != len(base.People)+2 {
		t.Errorf("configured people lost or newcomers doubled: %d people", len(d2.People))
	}
}
