package reliability_test

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/redis/redistest"
)

// TestChaos runs every scenario and prints the table README quotes.
func TestChaos(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary many times")
	}
	sources(t)
	var rows []result
	t.Run("slack kills", func(t *testing.T) { rows = append(rows, slackKills(t)...) })
	t.Run("dingtalk kills", func(t *testing.T) { rows = append(rows, dingKills(t)...) })
	t.Run("429 storm", func(t *testing.T) { rows = append(rows, storm(t)...) })
	phases := []string{"killed, never back"}
	if full() {
		phases = []string{"up", "killed, back", "killed, never back"}
	}
	for _, phase := range phases {
		t.Run("replicas, redis "+phase, func(t *testing.T) { rows = append(rows, replicas(t, phase)...) })
	}
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
	db, keys, evs, vars := slackWorld(t, f, "K", pick(20, 300), pick(18, 300), "COLLABOT_OUTBOX_HOLD=2s")
	addr := freeAddr(t)
	// Two kills in three aim at a post in flight, until that many landed
	// there; every third is a mid-write kill besides.
	target := pick(4, 100)
	perKill := (len(evs) + target*3/2 - 1) / (target * 3 / 2)
	rng := rand.New(rand.NewPCG(14, 3))
	next, midSend, kills := 0, 0, 0
	for k := 0; midSend < target && k < 3*target; k++ {
		kills++
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
		p.Kill()
		wg.Wait()
	}
	// The last start: Slack retries what is still unanswered, and serve
	// delivers what is left.
	p := start(t, addr, vars)
	settle(t, evs, []string{addr}, db, time.Duration(pick(2, 6))*time.Minute)
	stop(t, p)

	rows := judge(t, "kill -9, Slack 250 ms", f, db, evs, keys)
	rows[0].note = fmt.Sprintf("%d kills, %d with a post in flight; %d look-ups", kills, midSend,
		f.Count("conversations.history")+f.Count("conversations.replies"))
	return rows
}

// judge counts, for a Slack scenario, the state changes of carol's
// events, the answers to every event and the notices, each of which
// should have happened once, and fails the test for any lost or doubled.
func judge(t *testing.T, scenario string, f *slackfake.Server, db string, evs []*event, keys []string) []result {
	t.Helper()
	posted, state := tally(f), applied(t, db)
	rows := []result{{scenario: scenario, what: "events (state)"}, {scenario: scenario, what: "replies", tried: len(evs)},
		{scenario: scenario, what: "notices", tried: len(keys)}}
	for _, ev := range evs {
		if ev.value != "" {
			rows[0].tried++
			count(&rows[0], state[ev.value])
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
	return rows
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

// dingPeople are the demo organisation's people with a DingTalk account.
var dingPeople = []bot.PersonID{"alice", "amy", "bob", "ben", "emma", "frank", "fiona", "gary", "lily"}

// dingKills kills serve with SIGKILL while notices go out to a DingTalk
// answering every send in 250 ms, each time just after a send reached it.
// DingTalk cannot be asked what it already has, so a row in doubt is sent
// again: this measures how often that doubles a message, the window
// README states. Nothing may be lost.
func dingKills(t *testing.T) []result {
	f := dingtest.New(t, time.Now)
	f.SetLatency(250 * time.Millisecond)
	db := seed(t)
	keys := addNotices(t, db, pick(12, 150), dingPeople)
	vars := []string{"COLLABOT_DB=" + db, "COLLABOT_DINGTALK_CLIENT_ID=" + f.ClientID,
		"COLLABOT_DINGTALK_CLIENT_SECRET=" + f.ClientSecret, "COLLABOT_DINGTALK_ROBOT_CODE=" + f.RobotCode,
		"COLLABOT_DINGTALK_API_URL=" + f.URL, "COLLABOT_OUTBOX_HOLD=2s"}
	addr := freeAddr(t)
	kills, midSend := pick(3, 50), 0
	for range kills {
		p := start(t, addr, vars)
		before := len(f.Sent())
		deadline := time.Now().Add(3 * time.Second)
		for time.Now().Before(deadline) && len(f.Sent()) == before {
			time.Sleep(2 * time.Millisecond) // polling the fake: the kill wants to land inside the 250 ms
		}
		if len(f.Sent()) > before {
			midSend++
		}
		p.Kill()
	}
	p := start(t, addr, vars)
	waitUnsent(t, db, time.Duration(pick(2, 6))*time.Minute)
	stop(t, p)

	got := map[string]int{}
	for _, m := range f.Sent() {
		for _, n := range marker.FindAllStringSubmatch(m.Title+m.Text, -1) {
			got["chaos/"+n[1]] += max(len(m.Users), 1)
		}
	}
	r := result{scenario: "kill -9, DingTalk 250 ms", what: "notices", tried: len(keys),
		note: fmt.Sprintf("%d kills, %d with a send in flight: the window", kills, midSend)}
	for _, k := range keys {
		count(&r, got[k])
	}
	if r.lost > 0 {
		t.Errorf("%s: %d of %d notices lost", r.scenario, r.lost, r.tried)
	}
	return []result{r}
}

// marker finds the number addNotices put in a notice's text.
var marker = regexp.MustCompile(`研发部#(\d+)`)

// storm has Slack answer 429 (Retry-After: 3) to every post to any
// channel for 25 s (5 s in the short run) while events arrive and notices
// are due. Nothing is lost, nothing doubled, and no post reaches a
// channel before the Retry-After Slack gave for it ended.
func storm(t *testing.T) []result {
	f := slackfake.New(t)
	db, keys, evs, vars := slackWorld(t, f, "S", pick(12, 60), pick(12, 60))
	addr := freeAddr(t)
	p := start(t, addr, vars)
	span := time.Duration(pick(5, 25)) * time.Second
	f.Storm(time.Now().Add(span), 3)
	for _, ev := range evs {
		ev.deliver(addr)
		time.Sleep(span / time.Duration(len(evs))) // spread over the storm
	}
	settle(t, evs, []string{addr}, db, time.Duration(pick(2, 4))*time.Minute)
	stop(t, p)
	posted := tally(f)
	scenario := fmt.Sprintf("429 storm %v (Retry-After 3 s)", span)
	replies := result{scenario: scenario, what: "replies", tried: len(evs)}
	for _, ev := range evs {
		count(&replies, posted[workspace+"/reply/slack:"+ev.id])
	}
	notices := result{scenario: scenario, what: "notices", tried: len(keys)}
	for _, k := range keys {
		count(&notices, posted[workspace+"/"+k])
	}
	early := f.Early()
	held := result{scenario: scenario, what: "posts to a held channel", tried: f.Throttled(), duplicated: len(early),
		note: "tried: 429s answered; duplicated: calls before the channel's Retry-After ended"}
	for _, r := range []result{replies, notices} {
		if r.lost > 0 || r.duplicated > 0 {
			t.Errorf("%s: %s: %d lost, %d duplicated of %d", r.scenario, r.what, r.lost, r.duplicated, r.tried)
		}
	}
	if len(early) > 0 {
		t.Errorf("%d calls to a channel before its Retry-After ended; first %+v", len(early), early[0])
	}
	return []result{replies, notices, held}
}

// settle delivers the events not yet answered, as Slack retries them (the
// i-th to addrs[i%len(addrs)]), until every one is answered and the
// suite's rows are all sent, or limit passes.
func settle(t *testing.T, evs []*event, addrs []string, db string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		pending := 0
		for i, ev := range evs {
			if !ev.answered && !ev.deliver(addrs[i%len(addrs)]) {
				pending++
			}
		}
		if pending == 0 && unsent(t, db) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d events unanswered and %d rows unsent after %v", pending, unsent(t, db), limit)
			return
		}
		time.Sleep(200 * time.Millisecond) // the outbox drains at the platform's pace
	}
}

// waitUnsent waits until the suite's rows are all sent.
func waitUnsent(t *testing.T, db string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for unsent(t, db) > 0 {
		if time.Now().After(deadline) {
			t.Errorf("%d rows unsent after %v", unsent(t, db), limit)
			return
		}
		time.Sleep(200 * time.Millisecond) // the outbox drains at the platform's pace
	}
}

// replicas runs three serves on one database and one Redis (a private
// redis-server), as three hosts behind Slack would. Each event goes to
// one replica and, as Slack's retry, to another; notices are due. Halfway
// Redis is killed, then started again ("killed, back") or not ("killed,
// never back"), or left alone ("up"). Every event is applied and
// answered once, every notice posted once.
func replicas(t *testing.T, phase string) []result {
	inst := redistest.Server(t)
	f := slackfake.New(t)
	db, keys, evs, vars := slackWorld(t, f, "R", pick(12, 60), pick(12, 90), "COLLABOT_OUTBOX_HOLD=2s",
		"COLLABOT_REDIS_URL="+inst.URL(), "COLLABOT_REDIS_PREFIX="+redistest.Prefix(t))
	var addrs []string
	for range 3 {
		addr := freeAddr(t)
		start(t, addr, vars)
		addrs = append(addrs, addr)
	}
	for i, ev := range evs {
		if i == len(evs)/2 && phase != "up" {
			inst.Stop()
			if phase == "killed, back" {
				defer inst.Start() // after a few more events
			}
		}
		if i == 3*len(evs)/4 && phase == "killed, back" {
			inst.Start()
		}
		ev.deliver(addrs[i%3])
		ev.deliver(addrs[(i+1)%3]) // Slack's retry, to another replica
	}
	settle(t, evs, addrs, db, time.Duration(pick(2, 4))*time.Minute)
	return judge(t, "3 replicas, Redis "+phase, f, db, evs, keys)
}
