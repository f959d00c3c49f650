package reliability_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

// TestChaos runs every scenario and prints the table README quotes.
func TestChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary many times")
	}
	sources(t)
	var rows []result
	t.Run("slack kills", func(t *testing.T) { rows = append(rows, slackKills(t)...) })
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "scenario\twhat\ttried\tlost\tduplicated\tnote")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%s\n", r.scenario, r.what, r.tried, r.lost, r.duplicated, r.note)
	}
	w.Flush()
	t.Logf("chaos (full=%v):\n%s", full(), b.String())
}

// slackKills kills serve with SIGKILL over and over while Slack events
// arrive and notices go out to a Slack answering every post in 250 ms:
// mostly while a post is in flight (Slack has it, serve does not know),
// every third time at a random moment after the start (mid-write, events
// being applied). A last start delivers what is left. Every event
// answered 200 must be applied once and answered once, and every notice
// posted once.
func slackKills(t *testing.T) []result {
	f := slackfake.New(t)
	f.SetLatency("chat.postMessage", 250*time.Millisecond)
	db := seed(t)
	people := make([]bot.PersonID, len(slackPeople))
	for i, p := range slackPeople {
		people[i] = p.id
	}
	keys := addNotices(t, db, pick(30, 300), people)
	evs := events("K", pick(24, 300))
	vars := []string{"COLLABOT_DB=" + db, "COLLABOT_SLACK_BOT_TOKEN=" + slackfake.BotToken,
		"COLLABOT_SLACK_SIGNING_SECRET=" + secret, "COLLABOT_SLACK_API_URL=" + f.URL(), "COLLABOT_OUTBOX_HOLD=2s"}
	addr := freeAddr(t)
	kills := pick(8, 100)
	perKill := (len(evs) + kills - 1) / kills
	rng := rand.New(rand.NewPCG(14, 3))
	next, midSend := 0, 0
	for k := range kills {
		p := start(t, addr, vars)
		batch := slices.Clone(evs[next:min(next+perKill, len(evs))])
		next += len(batch)
		for _, ev := range evs[:next-len(batch)] {
			if !ev.answered {
				batch = append(batch, ev) // Slack retries what was not answered
			}
		}
		var wg sync.WaitGroup
		wg.Go(func() {
			for _, ev := range batch {
				ev.deliver(addr)
			}
		})
		before := f.Count("chat.postMessage")
		if k%3 == 2 {
			time.Sleep(time.Duration(rng.IntN(200)) * time.Millisecond) // mid-write
		} else if waitPost(f, before, 3*time.Second) {
			midSend++
		}
		p.kill()
		wg.Wait()
	}
	// The last start: Slack retries what is still unanswered, and serve
	// delivers what is left.
	p := start(t, addr, vars)
	deadline := time.Now().Add(time.Duration(pick(2, 6)) * time.Minute)
	for {
		pending := 0
		for _, ev := range evs {
			if !ev.answered && !ev.deliver(addr) {
				pending++
			}
		}
		if pending == 0 && unsent(t, db) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("%d events unanswered and %d rows unsent after the last start", pending, unsent(t, db))
			break
		}
		time.Sleep(200 * time.Millisecond) // the outbox drains at Slack's pace
	}
	p.stop(t)

	posted := tally(f)
	state := applied(t, db)
	var rows [3]result
	note := fmt.Sprintf("%d kills, %d with a post in flight; %d look-ups", kills, midSend,
		f.Count("conversations.history")+f.Count("conversations.replies"))
	rows[0] = result{scenario: "kill -9, Slack 250 ms", what: "events (state)", tried: len(evs), note: note}
	rows[1] = result{scenario: "kill -9, Slack 250 ms", what: "replies", tried: len(evs)}
	rows[2] = result{scenario: "kill -9, Slack 250 ms", what: "notices", tried: len(keys)}
	for _, ev := range evs {
		if ev.value != "" {
			count(&rows[0], state[ev.value])
		} else {
			rows[0].tried--
		}
		count(&rows[1], posted[workspace+"/reply/slack:"+ev.id])
	}
	for _, k := range keys {
		count(&rows[2], posted[workspace+"/"+k])
	}
	for _, r := range rows {
		if r.lost > 0 || r.duplicated > 0 {
			t.Errorf("%s: %s: %d lost, %d duplicated of %d", r.scenario, r.what, r.lost, r.duplicated, r.tried)
		}
	}
	return rows[:]
}

// count adds one thing that should have happened once and happened n times.
func count(r *result, n int) {
	switch {
	case n == 0:
		r.lost++
	case n > 1:
		r.duplicated += n - 1
	}
}

// waitPost waits until Slack has received a post beyond before, and
// reports whether one came within limit.
func waitPost(f *slackfake.Server, before int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if f.Count("chat.postMessage") > before {
			return true
		}
		time.Sleep(2 * time.Millisecond) // polling the fake: a kill wants to land inside the 250 ms
	}
	return false
}
