package engine_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// BenchmarkScale measures, in one run, what a message costs on an empty
// store, on a fresh deployment and on a company's: 10,000 people
// registered on first contact and 5,000 collaborations (filed,
// acknowledged and planned through the rules, 100 to a transaction).
// The fresh deployment has 90 collaborations and nobody registered, so
// that `list` there shows as many lines (30) as on the company's store;
// on the empty store it answers that there is nothing. The same messages
// go through the engine on a real SQLite file, each kind on the three
// stores one after the other:
//
//   - reply: a dialog step by a configured person on Slack (identify,
//     load the form, answer, commit);
//   - list: `list` by a requester who is in a third of the collaborations;
//   - registered: `tasks` by someone registered on first contact (on the
//     company's store, the 10,001st), answered from the read pool;
//   - newcomer: the first message of someone never seen (registers them).
//
// The company/fresh and company/empty ratios of each median are logged
// at the end (-v); issue 19's acceptance is that they stay under 2.
//
//	go test ./internal/engine -run '^$' -bench BenchmarkScale -benchtime 200x -v
func BenchmarkScale(b *testing.B) {
	ctx := context.Background()
	type store struct {
		name            string
		people, collabs int
		h               *harness
		started         bool
		newcomers       int
	}
	stores := []*store{{name: "empty"}, {name: "fresh", collabs: 90}, {name: "company", people: 10_000, collabs: 5_000}}
	for _, st := range stores {
		st.h = newHarness(b)
		testkit.SeedPeople(b, st.h.store, st.h.ws, st.people)
		testkit.SeedCollaborations(b, st.h.store, st.h.cfg.Directory(), st.h.ws, st.collabs, 2, monday)
		registerRegular(b, st.h)
	}
	msg := func(st *store, user, text string) bot.Message {
		return bot.Message{Workspace: st.h.ws, Platform: bot.Slack, Channel: "D" + user, Direct: true,
			From: bot.Identity{Platform: bot.Slack, ID: user}, Name: user, Text: text}
	}
	answers := []string{"新品推广接口调试", "上一步"}
	kinds := []struct {
		name string
		next func(st *store, i int) bot.Message
	}{
		{"reply", func(st *store, i int) bot.Message {
			if !st.started { // open the form the answers go to
				st.started = true
				if _, err := st.h.eng.Handle(ctx, msg(st, "U0CAROL", "发起协作")); err != nil {
					b.Fatal(err)
				}
			}
			return msg(st, "U0CAROL", answers[i%2])
		}},
		{"list", func(st *store, _ int) bot.Message { return msg(st, "U0CHRIS", "list") }},
		{"registered", func(st *store, _ int) bot.Message { return msg(st, "U0REGULAR", "tasks") }},
		{"newcomer", func(st *store, _ int) bot.Message {
			st.newcomers++ // never the same person twice, whatever -count
			return msg(st, fmt.Sprintf("UNEW%s%07d", st.name, st.newcomers), "help")
		}},
	}
	medians := map[string]time.Duration{}
	for _, kind := range kinds {
		for _, st := range stores {
			b.Run(st.name+"/"+kind.name, func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				i := 0
				for b.Loop() {
					m := kind.next(st, i)
					i++
					start := time.Now()
					out, err := st.h.eng.Handle(ctx, m)
					if err != nil || len(out) == 0 {
						b.Fatalf("%s: %v %v", m.Text, out, err)
					}
					lat = append(lat, time.Since(start))
				}
				medians[st.name+"/"+kind.name] = percentiles(b, lat)
			})
		}
	}
	for _, kind := range kinds {
		c := medians["company/"+kind.name]
		for _, base := range []string{"fresh", "empty"} {
			if e := medians[base+"/"+kind.name]; e > 0 && c > 0 {
				b.Logf("%-8s p50 %s %v, company %v: ×%.2f", kind.name, base, e, c, float64(c)/float64(e))
			}
		}
	}
}

// percentiles reports p50 and p99 in µs and returns the median.
func percentiles(b *testing.B, lat []time.Duration) time.Duration {
	if len(lat) == 0 {
		return 0
	}
	slices.Sort(lat)
	p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
	return p50
}

// registerRegular registers the person the "registered" messages come from.
func registerRegular(b *testing.B, h *harness) {
	b.Helper()
	ctx := context.Background()
	err := h.store.Apply(ctx, h.ws, "", func(tx bot.Tx) error {
		_, err := tx.RegisterPerson(ctx, bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: "U0REGULAR"}, "Regular", ""))
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}
