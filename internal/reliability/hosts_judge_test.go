package reliability_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/store"
)

// wantPost is a post Slack should get once: the one whose outbox key
// (in its metadata) is prefix, when exact, or starts with prefix and ends
// with suffix.
type wantPost struct {
	what, prefix, suffix string
	exact                bool
}

func (w wantPost) matches(key string) bool {
	if w.exact {
		return key == w.prefix
	}
	return len(key) >= len(w.prefix)+len(w.suffix) && strings.HasPrefix(key, w.prefix) && strings.HasSuffix(key, w.suffix)
}

// wantPosts are the posts the run should make: a reply to every event,
// each filing's request to its department's contact, the daily request to
// each owner. (Notices to the collaborations' groups have no group to go
// to and stay in the outbox, as designed.)
func wantPosts(t *testing.T, db store.Backend, streams [][]*hostEvent) []wantPost {
	t.Helper()
	var out []wantPost
	for _, s := range streams {
		for _, ev := range s {
			out = append(out, wantPost{what: "reply to " + ev.id, prefix: workspace + "/reply/slack:" + ev.id, exact: true})
		}
	}
	ctx := context.Background()
	err := db.View(ctx, workspace, func(tx bot.Tx) error {
		collabs, err := tx.Collaborations(ctx, bot.Filter{})
		for _, c := range collabs {
			if c.ID == 1 {
				continue
			}
			for _, a := range c.Acks {
				out = append(out, wantPost{what: fmt.Sprintf("%s's request to %s", c.ID, a.Contact),
					prefix: workspace + "/" + c.ID.String() + "/", suffix: "/ack_requested/" + a.Department + "/@" + string(a.Contact)})
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range progressOwners {
		out = append(out, wantPost{what: "daily request to " + string(o), prefix: workspace + "/timer/" + dailyProgressTimer + "/" + string(o) + "/"})
	}
	return out
}

// postCounts counts, for each wanted post, the posts that match it.
func postCounts(f *slackfake.Server, wants []wantPost) []int {
	// A few thousand posts against a few thousand wants, every half
	// second: the exact ones by key, the others by the key's first two
	// parts ("demo/COL-7", "demo/timer").
	bucket := func(key string) string {
		parts := strings.SplitN(key, "/", 3)
		return strings.Join(parts[:min(2, len(parts))], "/")
	}
	exact, index := map[string]int{}, map[string][]int{}
	for i, w := range wants {
		if w.exact {
			exact[w.prefix] = i
		} else {
			index[bucket(w.prefix)] = append(index[bucket(w.prefix)], i)
		}
	}
	counts := make([]int, len(wants))
	for k, n := range tally(f) {
		if i, ok := exact[k]; ok {
			counts[i] += n
		}
		for _, i := range index[bucket(k)] {
			if wants[i].matches(k) {
				counts[i] += n
			}
		}
	}
	return counts
}

// waitPosted waits until every wanted post reached Slack, or limit
// passes.
func waitPosted(t *testing.T, f *slackfake.Server, wants []wantPost, limit time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		missing := 0
		for _, n := range postCounts(f, wants) {
			if n == 0 {
				missing++
			}
		}
		if missing == 0 {
			return true
		}
		if time.Now().After(deadline) {
			t.Errorf("after %v: %d of %d posts missing", limit, missing, len(wants))
			return false
		}
		time.Sleep(500 * time.Millisecond) // the outbox drains at Slack's pace
	}
}

const dailyProgressTimer = "daily_progress" // scheduler.DailyProgress

// judgeHosts counts what each event did to the state and what reached
// Slack, and fails the test for anything lost or doubled.
func judgeHosts(t *testing.T, res *hostsResult, db store.Backend, f *slackfake.Server, streams [][]*hostEvent, wants []wantPost, filings int) {
	t.Helper()
	ctx := context.Background()
	topics := map[string]int{}
	timeline := map[string]int{} // action -> entries, over the filed collaborations
	var collabs []*bot.Collaboration
	err := db.View(ctx, workspace, func(tx bot.Tx) error {
		// The ledger: one daily request per owner, whichever replicas
		// scanned that minute.
		recorded, err := tx.Reminders(ctx, dailyProgressTimer, "")
		if err != nil {
			return err
		}
		per := map[string]int{}
		for _, r := range recorded {
			per[r.Entity]++
		}
		for _, o := range progressOwners {
			if per[string(o)] != 1 || len(recorded) != len(progressOwners) {
				t.Errorf("the ledger recorded the daily request %d times for %s (%d in all), want once each", per[string(o)], o, len(recorded))
			}
		}
		if collabs, err = tx.Collaborations(ctx, bot.Filter{}); err != nil {
			return err
		}
		for _, c := range collabs {
			topics[c.Request.Topic]++
			if c.ID == 1 {
				continue
			}
			entries, err := tx.Timeline(ctx, c.ID)
			if err != nil {
				return err
			}
			seen := map[string]int{}
			for _, e := range entries {
				seen[e.Action]++
				timeline[e.Action]++
			}
			for a, n := range seen {
				if n > 1 {
					t.Errorf("%s (%s): %d %q entries in its timeline, want 1", c.ID, c.Request.Topic, n, a)
				}
			}
			if c.Status != bot.StatusAwaitingAck {
				t.Errorf("%s (%s): status %s, want %s", c.ID, c.Request.Topic, c.Status, bot.StatusAwaitingAck)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	unanswered := 0
	for _, s := range streams {
		for _, ev := range s {
			if !ev.answered.Load() {
				unanswered++
			}
		}
	}
	if unanswered > 0 {
		t.Errorf("%d events never answered 200", unanswered)
	}
	for k := range filings {
		switch n := topics[hostsTopic(k)]; {
		case n == 0:
			res.lost++
		case n > 1:
			res.duplicated += n - 1
		}
	}
	if res.lost > 0 || res.duplicated > 0 {
		t.Errorf("%d filings lost, %d applied twice, of %d", res.lost, res.duplicated, filings)
	}
	if want := filings + 1; len(collabs) != want {
		t.Errorf("%d collaborations, want %d (the filings and COL-1)", len(collabs), want)
	}
	tasks := 0
	for _, c := range collabs {
		tasks += len(c.Tasks)
	}
	if tasks != len(progressOwners) {
		t.Errorf("%d tasks, want COL-1's %d", tasks, len(progressOwners))
	}
	// Filing is two entries: the form's draft, then its submission.
	for _, action := range []string{"drafted", "submitted"} {
		if timeline[action] != filings {
			t.Errorf("%d %q timeline entries over %d filed collaborations, want one each", timeline[action], action, filings)
		}
	}
	if len(timeline) != 2 {
		t.Errorf("timeline of the filed collaborations: %v, want drafted and submitted alone", timeline)
	}

	// At Slack: each wanted post once, and no key twice.
	timers := 0
	for k, n := range tally(f) {
		if strings.HasPrefix(k, workspace+"/timer/") {
			timers++ // the scheduler's, the daily request's among them
		}
		if n > 1 {
			res.dupNotices += n - 1
			t.Errorf("%s posted %d times", k, n)
		}
	}
	res.notices = len(wants)
	var asked []string
	for i, n := range postCounts(f, wants) {
		if n != 1 {
			t.Errorf("%s: posted %d times, want once", wants[i].what, n)
		}
		if strings.HasPrefix(wants[i].what, "daily request") {
			asked = append(asked, fmt.Sprintf("%s×%d", strings.TrimPrefix(wants[i].what, "daily request to "), n))
		}
	}
	res.reminders = fmt.Sprintf("daily request %s; %d reminders in all", strings.Join(asked, " "), timers)
}
