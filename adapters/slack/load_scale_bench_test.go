package slack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// BenchmarkReplyScale is BenchmarkReplyLoad on a company's store beside
// a small one, in the same run: what issue 19 asks of scale, measured
// where people feel it, from the event leaving "Slack" to the answer
// arriving at the local Slack fake.
//
//   - list/{company,empty}: `list` by chris, who is in a third of the
//     company's 5,000 collaborations (30 lines), 50 a second, beside the
//     same on an empty store (nothing to list);
//   - people/{company,fresh}: 100 events a second, each the first
//     message (发起协作, a form's first step) of someone never met, who
//     is registered by it; on the company's store 10,000 people were
//     met before, beside a fresh deployment (90 collaborations, nobody
//     registered).
//
// The company's store is 10,000 people registered on first contact and
// 5,000 collaborations filed, acknowledged and planned through the rules
// (testkit.SeedPeople and SeedCollaborations, as BenchmarkScale). It is
// seeded once a process (a few seconds) and each run gets a copy
// (VACUUM INTO, then a file copy), so runs do not see each other's
// events.
// COLLABOT_BENCH_DURATION sets each run's length (default 5s); each run
// starts after one message answered (warm).
//
//	COLLABOT_BENCH_DURATION=5s go test -run '^$' -bench BenchmarkReplyScale -benchtime 1x ./adapters/slack/
func BenchmarkReplyScale(b *testing.B) {
	dur := 5 * time.Second
	if v := os.Getenv("COLLABOT_BENCH_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			b.Fatalf("COLLABOT_BENCH_DURATION=%q: not a duration", v)
		}
		dur = d
	}
	stores := map[string]*scaleStore{
		"company": {people: 10_000, collabs: 5_000},
		"fresh":   {collabs: 90},
		"empty":   {},
	}
	list := func(int) (string, string) { return "U0CHRIS", "list" }
	runs := []struct {
		name, store string
		rate        int
		message     func(i int) (user, text string)
		read        bool
	}{
		{"list/company", "company", 50, list, true},
		{"list/empty", "empty", 50, list, true},
		{"people/company", "company", 100, newcomer, false},
		{"people/fresh", "fresh", 100, newcomer, false},
	}
	parent := b
	for _, r := range runs {
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				w := stores[r.store].world(parent, b)
				warm(b, w)
				t := collabotTargetOn(b, w)
				t.message = r.message
				if r.read {
					// The read path records nothing (a ring in memory
					// tells redeliveries apart): there is no record to
					// check the acknowledgement against.
					t.recorded = nil
				}
				runLoad(b, t, r.rate, dur).report(b)
			}
		})
	}
}

// warm has the engine answer one message before the clock starts, as a
// deployment has before its busy hour: the first loads the directory
// with everyone registered (10,000 people on the company's store), which
// is start-up's cost (BenchmarkStartup), not a reply's.
func warm(b *testing.B, w *world) {
	b.Helper()
	_, err := w.eng.Handle(context.Background(), bot.Message{Workspace: w.ws(), Platform: bot.Slack, Channel: "DWARM",
		Direct: true, From: bot.Identity{Platform: bot.Slack, ID: "U0CHRIS"}, Text: "help"})
	if err != nil {
		b.Fatal(err)
	}
}

// newcomer is someone never met (seeded people are U1…), one an event.
func newcomer(i int) (string, string) { return fmt.Sprintf("U3%07d", i), "发起协作" }

// scaleStore is a seeded store, kept as a file each run copies.
type scaleStore struct {
	people, collabs int
	file            string // the seeded copy, once made
}

// world is a world on a copy of the store, seeded the first time; the
// copy is kept in parent's folder, as it outlives the run that seeded
// it. A store that cannot copy itself (not SQLite) is seeded each run.
func (s *scaleStore) world(parent, b *testing.B) *world {
	b.Helper()
	path := filepath.Join(b.TempDir(), "collabot.db")
	if s.file == "" {
		w := newWorld(b)
		start := time.Now()
		testkit.SeedPeople(b, w.store, w.ws(), s.people)
		testkit.SeedCollaborations(b, w.store, w.cfg.Directory(), w.ws(), s.collabs, 2, monday)
		backup, ok := any(w.store).(interface {
			Backup(ctx context.Context, path string) error
		})
		if !ok {
			return w
		}
		file := filepath.Join(parent.TempDir(), fmt.Sprintf("seeded-%d-%d.db", s.people, s.collabs))
		if err := backup.Backup(context.Background(), file); err != nil {
			b.Fatal(err)
		}
		s.file = file
		b.Logf("seeded %d people and %d collaborations in %s", s.people, s.collabs, time.Since(start).Round(time.Millisecond))
	}
	data, err := os.ReadFile(s.file)
	if err == nil {
		err = os.WriteFile(path, data, 0o600)
	}
	if err != nil {
		b.Fatal(err)
	}
	return openWorld(b, path)
}
