// Package storetest is the behaviour every store keeps, in the manner of
// River's driver test suite: one suite, run against each implementation
// of store.Backend from that implementation's own tests. A new store is
// done when Run passes on it.
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) storetest.DB {
//			path := filepath.Join(t.TempDir(), "collabot.db") // one fresh database per test
//			return func(ctx context.Context, o storetest.Options) (store.Backend, error) {
//				return open(ctx, path, o) // another handle on it, not migrated
//			}
//		})
//	}
//
// The suite holds what is about a store's contract: atomicity, optimistic
// versions, the outbox and the reminder ledger under concurrent writers
// from several handles, workspaces and sealing, dialogs, settings, people,
// the next-due index, migrations, claims and retention. What is about one
// database (file pragmas, query plans, crash recovery of a file, group
// commit) stays beside that store.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

// DB is one fresh, empty database of the store under test. Each call
// opens another handle on it, as another replica would, without
// migrating it; tests call it from several goroutines at once. The suite
// closes what it opens.
type DB func(ctx context.Context, o Options) (store.Backend, error)

// Options are how the suite wants a handle opened.
type Options struct {
	// Clock stamps the rows the store writes (received events, outbox
	// entries, reminders); nil for the wall clock.
	Clock bot.Clock
	// Workspaces seals the handle to these workspaces (store.Backend's
	// Workspaces); none serves every workspace.
	Workspaces []bot.Workspace
}

// T0 is the instant the suite's handles are stamped with, unless a test
// chooses its own clock: Monday 2026-11-23 10:00 in Shanghai.
var T0 = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

var t0 = T0

// tests are the suite, each run on a database of its own.
var tests = []struct {
	name string
	run  func(t *testing.T, db DB)
	// each, instead of run, is a test whose cases need a database each.
	each func(t *testing.T, fresh func(*testing.T) DB)
}{
	{"MigrateTwice", testMigrateTwice, nil},
	{"MigrateConcurrently", testMigrateConcurrently, nil},
	{"TransactionsKeepTheWholeContract", testTransactionsKeepTheWholeContract, nil},
	{"RoundTrip", testRoundTrip, nil},
	{"DuplicateEventChangesNothing", testDuplicateEventChangesNothing, nil},
	{"OneEventIsAtomic", testOneEventIsAtomic, nil},
	{"OptimisticConflict", testOptimisticConflict, nil},
	{"WorkspaceIsolation", testWorkspaceIsolation, nil},
	{"RegisterPerson", testRegisterPerson, nil},
	{"ConcurrentWritersNeverDuplicate", testConcurrentWritersNeverDuplicate, nil},
	{"DuplicateEventAcrossHandles", testDuplicateEventAcrossHandles, nil},
	{"OptimisticConflictAcrossHandles", testOptimisticConflictAcrossHandles, nil},
	{"IDsAcrossHandles", testIDsAcrossHandles, nil},
	{"RegisterPersonAcrossHandles", testRegisterPersonAcrossHandles, nil},
	{"UpsertsAcrossHandles", testUpsertsAcrossHandles, nil},
	{"ViewIsReadOnly", testViewIsReadOnly, nil},
	{"SummariesCountAsTheDocument", testSummariesCountAsTheDocument, nil},
	{"TenantsSealed", testTenantsSealed, nil},
	{"ReminderLedger", testReminderLedger, nil},
	{"SettingsKeepSnoozeAndLeave", testSettingsKeepSnoozeAndLeave, nil},
	{"VersionsPostedAndRecord", testVersionsPostedAndRecord, nil},
	{"DialogsAndSettings", testDialogsAndSettings, nil},
	{"SyncedDirectory", testSyncedDirectory, nil},
	{"DepartmentFactsStayInTheirWorkspace", testDepartmentFactsStayInTheirWorkspace, nil},
	{"NextDueIndex", testNextDueIndex, nil},
	{"Claim", testClaim, nil},
	{"MarkAndDefer", testMarkAndDefer, nil},
	{"ConcurrentClaimsAreDisjoint", testConcurrentClaimsAreDisjoint, nil},
	{"DeferAll", testDeferAll, nil},
	{"ClaimRepliesFirst", testClaimRepliesFirst, nil},
	{"AttemptLeavesRowInDoubt", nil, testAttemptLeavesRowInDoubt},
	{"Prune", testPrune, nil},
}

// Run runs the suite: each test on a database fresh(t) makes for it.
func Run(t *testing.T, fresh func(t *testing.T) DB) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.each != nil {
				tt.each(t, fresh)
				return
			}
			tt.run(t, fresh(t))
		})
	}
}

// open opens a migrated handle on db, unsealed, stamped at T0.
func open(t testing.TB, db DB) store.Backend {
	t.Helper()
	return openWith(t, db, Options{})
}

// openWith opens a migrated handle on db as o says (a nil clock: T0).
func openWith(t testing.TB, db DB, o Options) store.Backend {
	t.Helper()
	if o.Clock == nil {
		o.Clock = bot.ClockFunc(func() time.Time { return t0 })
	}
	s := openRaw(t, db, o)
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// openRaw opens a handle without migrating it.
func openRaw(t testing.TB, db DB, o Options) store.Backend {
	t.Helper()
	s, err := db(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// Directory is a small organisation of workspace ws: 市场部 (amy), 研发部
// (ben), 财务部 (fiona), and lily leading.
func Directory(ws bot.Workspace) *bot.Directory {
	var people []bot.Person
	for _, id := range []string{"amy", "ben", "fiona", "lily"} {
		people = append(people, bot.Person{ID: bot.PersonID(id), Name: id})
	}
	return bot.NewDirectory(ws, []bot.Department{
		{Name: "市场部", Aliases: []string{"marketing"}, Head: "amy", Contact: "amy", Members: []bot.PersonID{"amy"}},
		{Name: "研发部", Aliases: []string{"rd"}, Head: "ben", Contact: "ben", Members: []bot.PersonID{"ben"}},
		{Name: "财务部", Aliases: []string{"finance"}, Head: "fiona", Contact: "fiona", Members: []bot.PersonID{"fiona"}},
	}, []bot.PersonID{"lily"}, people)
}

var directory = Directory

// File creates and submits a collaboration inside tx, as the engine does:
// take an id, apply the rules, save. amy asks 研发部 and 财务部, due ten
// days after T0; it queues three notices.
func File(ctx context.Context, tx bot.Tx, dir *bot.Directory, topic string) (*bot.Collaboration, error) {
	id, err := tx.NextID(ctx, bot.KindCollab)
	if err != nil {
		return nil, err
	}
	c, err := bot.NewCollaboration(dir, bot.CollabID(id), dir.Actor("amy"), bot.Request{
		Topic: topic, Goal: "goal", Requirements: "req", Due: t0.AddDate(0, 0, 10),
		Departments: []bot.Assignment{{Department: "rd"}, {Department: "finance"}},
	}, t0)
	if err != nil {
		return nil, err
	}
	if err := c.Submit(dir, dir.Actor("amy"), t0); err != nil {
		return nil, err
	}
	return c, tx.Save(ctx, c)
}

var file = File

// Enqueue writes n notices to workspace acme, due at T0, and returns
// their ids in order.
func Enqueue(t testing.TB, s store.Backend, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error {
		for i := range n {
			if _, err := tx.Enqueue(ctx, bot.Notice{Key: fmt.Sprintf("test/%d", i), Kind: "ack_requested", To: "ben", At: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	due, err := s.DueNotices(ctx, t0, n+1)
	if err != nil || len(due) != n {
		t.Fatalf("enqueued %d, due %d: %v", n, len(due), err)
	}
	return IDs(due)
}

var enqueue = Enqueue

// IDs are the ids of queued rows, in order.
func IDs(qs []bot.Queued) []int64 {
	var out []int64
	for _, q := range qs {
		out = append(out, q.ID)
	}
	return out
}

var ids = IDs

func dingUser(id, name string, depts, leads []string) bot.SyncedPerson {
	return bot.SyncedPerson{Account: bot.Identity{Platform: bot.DingTalk, ID: id}, Name: name, Departments: depts, Leads: leads}
}

func samePerson(a, b bot.SyncedPerson) bool {
	return a.Account == b.Account && a.Name == b.Name && a.Gone == b.Gone && a.Email == b.Email && a.Mobile == b.Mobile &&
		slices.Equal(a.Departments, b.Departments) && slices.Equal(a.Leads, b.Leads)
}

// testTransactionsKeepTheWholeContract: the transactions of Apply and
// View offer what the scheduler (the next-due index) and the roster (the
// synced directory) look for, so that a store cannot lose them silently.
func testTransactionsKeepTheWholeContract(t *testing.T, db DB) {
	ctx := context.Background()
	s := open(t, db)
	check := func(how string, tx bot.Tx) error {
		if _, ok := tx.(store.Tx); !ok {
			t.Errorf("a transaction of %s is a %T, which is not a store.Tx", how, tx)
		}
		return nil
	}
	if err := s.View(ctx, "acme", func(tx bot.Tx) error { return check("View", tx) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Apply(ctx, "acme", "", func(tx bot.Tx) error { return check("Apply", tx) }); err != nil {
		t.Fatal(err)
	}
}
