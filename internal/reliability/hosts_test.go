package reliability_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/internal/redis/redistest"
	"github.com/collabot/collabot/internal/store"
	"github.com/collabot/collabot/internal/testkit"
)

// TestThreeHosts runs three `collabot serve` as three hosts (network
// namespaces of their own where the machine allows, else processes on
// loopback) on one shared database and one Redis, behind one Slack.
// People file requests (a form, then 确认: each filing creates a
// collaboration and tells the assisting department's contact); 30% of
// the events are delivered twice, the second copy to another replica,
// at the same moment or just after. Midway one replica is killed with
// SIGKILL while a post to Slack is in flight, and another is cut off from
// Redis (every connection reset, none accepted) across the minute the
// daily progress request falls due, then given Redis back. Every event
// answered 200 is applied once, nothing is applied twice, every notice
// and reply reaches Slack once, and the daily request reaches each owner
// once.
//
// The default run files 60 requests (120 events); COLLABOT_CHAOS_FULL=1
// files 1,500 (3,000 events), which takes as long as Slack's pace (one
// post a second per channel, five a workspace) needs for 4,500 posts.
func TestThreeHosts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary three times over")
	}
	sources(t)
	var rows []hostsResult
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { rows = append(rows, threeHosts(t, b, pick(60, 1500))) })
	}
	var sb strings.Builder
	w := tabwriter.NewWriter(&sb, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "scenario\tmode\tbackend\tevents\tsent twice\tlost\tduplicated\tnotices\tdup notices\treminders\ttook")
	for _, r := range rows {
		fmt.Fprintf(w, "3 hosts, kill -9 mid-send, one cut off Redis\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%v\n",
			r.mode, r.backend, r.events, r.twice, r.lost, r.duplicated, r.notices, r.dupNotices, r.reminders, r.took.Round(time.Second))
	}
	w.Flush()
	t.Logf("three hosts (full=%v):\n%s", full(), sb.String())
}

// hostsResult is one row of TestThreeHosts's table.
type hostsResult struct {
	mode, backend       string
	events, twice       int // original events; second copies sent
	lost, duplicated    int // events (state): not applied, applied twice
	notices, dupNotices int // posts expected; posts of a key seen before
	reminders           string
	took                time.Duration
}

// hostsLeaseTTL is how long the killed replica's leases hold the others
// off: seconds, not the default minute and a half.
const hostsLeaseTTL = 6 * time.Second

// replica is one serve on one host and what reaches the services for it.
type replica struct {
	host  host
	addr  string
	proc  *testkit.Process
	slack *relay // its way to the Slack fake: what it has in flight
	redis *relay // its way to Redis: what the test cuts
	// down: no event goes to it any more (it is about to be killed, or was).
	down     atomic.Bool
	inflight atomic.Int64 // events being delivered to it
}

// filers are the people who file, and the department each asks: one
// whose contact is on Slack, so that every notice has somewhere to go.
var filers = []struct{ id, user, dept string }{
	{"bob", "U0BOB", "运营部"}, {"david", "U0DAVID", "运营部"}, {"grace", "U0GRACE", "运营部"},
	{"carol", "U0CAROL", "市场部"}, {"chris", "U0CHRIS", "市场部"}, {"olivia", "U0OLIVIA", "市场部"},
}

// hostEvent is one event of a filing, delivered until a replica answers
// it 200.
type hostEvent struct {
	id, channel, user, text string
	answered                atomic.Bool
}

func threeHosts(t *testing.T, b backend, filings int) hostsResult {
	began := time.Now()
	hosts, mode, why := placeHosts(t, 3)
	if why != "" {
		t.Logf("hosts as processes on loopback: %s", why)
	}
	f := slackfake.New(t)
	redisURL, prefix := redistest.URL(t), redistest.Prefix(t)
	addr, vars := b.prepare(t)
	db := openBackend(t, addr)

	// The daily progress request falls due at the first minute at least
	// 25 s away: after the replicas start, during the events or the drain.
	loc := shanghai(t)
	due := time.Now().Add(25 * time.Second).Truncate(time.Minute).Add(time.Minute)
	cfgPath := hostsConfig(t, due.In(loc).Format("15:04"))
	seedProgress(t, db, cfgPath)
	common := []string{"COLLABOT_CONFIG=" + cfgPath, "COLLABOT_SLACK_BOT_TOKEN=" + slackfake.BotToken,
		"COLLABOT_SLACK_SIGNING_SECRET=" + secret, "COLLABOT_OUTBOX_HOLD=2s", "COLLABOT_REDIS_PREFIX=" + prefix,
		"COLLABOT_LEASE_TTL=" + hostsLeaseTTL.String()}
	reps := make([]*replica, len(hosts))
	for i, h := range hosts {
		reps[i] = startReplica(t, h, f.URL(), redisURL, slices.Concat(common, vars(func(to string) string { return h.reach(t, to).Addr() })))
	}
	t.Logf("mode %s, backend %s: replicas at %s, %s, %s; daily request due %s", mode, b.name,
		reps[0].addr, reps[1].addr, reps[2].addr, due.In(loc).Format("15:04"))

	streams := filingEvents(filings, due)
	d := deliverAll(reps, streams)
	d.waitFor(d.total / 3)
	victim, cut := roles(t, redisURL, prefix, reps)
	before := []int64{reps[0].slack.Requests(), reps[1].slack.Requests(), reps[2].slack.Requests()}
	midSend, midEvent := killMidSend(f, reps[victim])
	t.Logf("Slack calls per replica before the kill: %v, after: %d %d %d", before, reps[0].slack.Requests(), reps[1].slack.Requests(), reps[2].slack.Requests())
	t.Logf("killed %s: post to Slack in flight %v, event in flight %v", reps[victim].host.name, midSend, midEvent)
	cutAcross(t, reps[cut], due)
	d.wait()
	t.Logf("%d events (and %d second copies) answered within %v of the start", d.total, d.twice.Load(), d.last.Sub(began).Round(time.Second))

	// Everything queued goes out; the daily request too.
	wants := wantPosts(t, db, streams)
	if !waitPosted(t, f, wants, 2*time.Minute+time.Duration(filings)*time.Second) && b.unsent != nil {
		for _, row := range b.unsent(t, addr) {
			t.Log("unsent: " + row)
		}
	}
	t.Logf("Slack calls per replica in all: %d %d %d", reps[0].slack.Requests(), reps[1].slack.Requests(), reps[2].slack.Requests())
	// A row a dead replica had claimed comes back after the hold (2 s):
	// give a doubled post the time to show.
	time.Sleep(3 * time.Second)
	for _, r := range reps {
		if !r.down.Load() {
			stop(t, r.proc)
		}
	}
	res := hostsResult{mode: mode, backend: b.name, events: d.total, twice: int(d.twice.Load()), took: time.Since(began)}
	judgeHosts(t, &res, db, f, streams, wants, filings)
	return res
}

// startReplica starts serve on h with vars, reaching the Slack fake and
// Redis through relays of its own.
func startReplica(t *testing.T, h host, slackURL, redisURL string, vars []string) *replica {
	t.Helper()
	r := &replica{host: h, addr: h.listen(t)}
	r.slack = h.reach(t, hostport(t, slackURL))
	r.redis = h.reach(t, hostport(t, redisURL))
	env := append(append([]string{}, vars...), "COLLABOT_SLACK_API_URL="+withHost(t, slackURL, r.slack.Addr()),
		"COLLABOT_REDIS_URL="+withHost(t, redisURL, r.redis.Addr()))
	r.proc = h.serve(t, r.addr, env)
	return r
}

// delivery is Slack delivering the streams' events, each stream in order
// (a filer's form before its 确认), the streams side by side.
type delivery struct {
	total     int
	delivered atomic.Int64 // events answered, or given up on
	twice     atomic.Int64 // second copies sent
	streams   sync.WaitGroup
	copies    sync.WaitGroup
	mu        sync.Mutex
	last      time.Time // when the last stream's last event was answered
}

// deliverAll starts delivering: each event to the next replica up, round
// robin, retried on the others until one answers 200; 30% of them a
// second time to another replica, half at the same moment, half just
// after the first was answered.
func deliverAll(reps []*replica, streams [][]*hostEvent) *delivery {
	d := &delivery{}
	for _, s := range streams {
		d.total += len(s)
	}
	rng := rand.New(rand.NewPCG(16, 6))
	var mu sync.Mutex
	roll := func() (twice, together bool, after time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		return rng.Float64() < 0.3, rng.IntN(2) == 0, time.Duration(rng.IntN(40)) * time.Millisecond
	}
	var next atomic.Int64
	for _, evs := range streams {
		d.streams.Go(func() {
			for _, ev := range evs {
				twice, together, after := roll()
				first := pickReplica(reps, int(next.Add(1)), -1)
				if twice && together {
					other := pickReplica(reps, first+1, first)
					d.twice.Add(1)
					d.copies.Go(func() { reps[other].deliverCopy(ev) })
				}
				answered := deliverUntil(reps, ev, first, 3*time.Minute)
				if twice && !together && answered >= 0 {
					other := pickReplica(reps, answered+1, answered)
					d.twice.Add(1)
					d.copies.Go(func() {
						time.Sleep(after) // Slack's retry, a moment later
						reps[other].deliverCopy(ev)
					})
				}
				d.delivered.Add(1)
			}
			d.mu.Lock()
			if now := time.Now(); now.After(d.last) {
				d.last = now
			}
			d.mu.Unlock()
		})
	}
	return d
}

// waitFor waits until n events are delivered.
func (d *delivery) waitFor(n int) {
	for d.delivered.Load() < int64(n) {
		time.Sleep(10 * time.Millisecond) // polling the streams
	}
}

// wait waits until every event and copy is delivered.
func (d *delivery) wait() {
	d.streams.Wait()
	d.copies.Wait()
}

// roles picks the replica to kill and the one to cut off Redis. The one
// killed is the one sending: the holder of the dispatch lease, whose
// periodic drains send what the others' drains (run when an event of
// theirs kicks them) leave to it. Its leases then hold the others off
// for COLLABOT_LEASE_TTL. The one cut is another.
func roles(t *testing.T, redisURL, prefix string, reps []*replica) (victim, cut int) {
	var sched int
	victim, sched = leaseHolders(t, redisURL, prefix, reps)
	for deadline := time.Now().Add(5 * time.Second); victim < 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond) // the first periodic drain takes it
		victim, sched = leaseHolders(t, redisURL, prefix, reps)
	}
	if victim < 0 {
		victim = 0
	}
	cut = (victim + 1) % len(reps)
	t.Logf("leases: dispatch %d, scheduler %d (-1: none yet); killing %d, cutting %d", victim, sched, victim, cut)
	return victim, cut
}

// cutAcross cuts r off Redis from 10 s before due until 5 s after (and
// for 10 s at least), so that the scan of the due minute runs on a
// replica without Redis beside the one that holds the lease.
func cutAcross(t *testing.T, r *replica, due time.Time) {
	time.Sleep(time.Until(due.Add(-10 * time.Second)))
	r.redis.Cut()
	t.Logf("cut %s off Redis at %s", r.host.name, time.Now().UTC().Format("15:04:05"))
	time.Sleep(max(time.Until(due.Add(5*time.Second)), 10*time.Second))
	r.redis.Restore()
	t.Logf("gave %s Redis back at %s (due %s)", r.host.name, time.Now().UTC().Format("15:04:05"), due.UTC().Format("15:04"))
}

// pickReplica is the i-th replica up, round robin, other than not.
func pickReplica(reps []*replica, i, not int) int {
	for k := range len(reps) {
		j := (i + k) % len(reps)
		if j != not && !reps[j].down.Load() {
			return j
		}
	}
	return (i + 1) % len(reps) // none up but not: a delivery that fails, as on a real outage
}

// deliverUntil delivers ev to replica first and, as Slack retries, to the
// next replica up until one answers 200 or limit passes; it returns the
// replica that answered, or -1.
func deliverUntil(reps []*replica, ev *hostEvent, first int, limit time.Duration) int {
	deadline := time.Now().Add(limit)
	i := first
	for try := 0; ; try++ {
		if reps[i].deliver(ev, try) {
			return i
		}
		if time.Now().After(deadline) {
			return -1
		}
		if try%len(reps) == len(reps)-1 {
			time.Sleep(200 * time.Millisecond) // Slack backs off between rounds
		}
		i = pickReplica(reps, i+1, i)
	}
}

// deliver posts ev to r, signed, as the retry-th try.
func (r *replica) deliver(ev *hostEvent, retry int) bool {
	r.inflight.Add(1)
	defer r.inflight.Add(-1)
	ok := postEvent(r.addr, ev.id, ev.channel, ev.user, ev.text, retry)
	if ok {
		ev.answered.Store(true)
	}
	return ok
}

// deliverCopy is Slack's second delivery of ev, whatever its answer.
func (r *replica) deliverCopy(ev *hostEvent) { r.deliver(ev, 1) }

// killMidSend waits until r has a post to Slack in flight (Slack
// answering slowly meanwhile, so that it stays in flight long enough) and
// kills it with SIGKILL. It reports whether a post was in flight, and
// whether an event was being handled there too (its Redis claim then
// holds Slack's retries off for a minute before another replica takes
// it).
func killMidSend(f *slackfake.Server, r *replica) (midSend, midEvent bool) {
	f.SetLatency("chat.postMessage", 300*time.Millisecond)
	defer f.SetLatency("chat.postMessage", 0)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if r.slack.InFlight() {
			midSend = true
			break
		}
		time.Sleep(time.Millisecond) // the kill wants to land inside the 300 ms
	}
	r.down.Store(true)
	midEvent = r.inflight.Load() > 0
	r.proc.Kill()
	return midSend, midEvent
}

// leaseHolders finds which replicas hold the dispatch and scheduler
// leases (-1: none yet), by the process id in the holder's name.
func leaseHolders(t *testing.T, redisURL, prefix string, reps []*replica) (dispatch, sched int) {
	rdb := redistest.Conn(t, redisURL)
	find := func(name string) int {
		v, err := rdb.Get(context.Background(), prefix+"lease:"+name).Result()
		if err != nil {
			return -1
		}
		parts := strings.Split(v, "/")
		if len(parts) < 2 {
			return -1
		}
		for i, r := range reps {
			if strconv.Itoa(r.proc.Cmd.Process.Pid) == parts[1] {
				return i
			}
		}
		return -1
	}
	return find("dispatch"), find("scheduler")
}

// filingEvents makes each filer's events, in the order they must be
// applied: a request form, then 确认, filings in all.
func filingEvents(filings int, due time.Time) [][]*hostEvent {
	streams := make([][]*hostEvent, len(filers))
	expected := due.AddDate(0, 1, 0).Format(time.DateOnly)
	for k := range filings {
		p := filers[k%len(filers)]
		channel := "D" + strings.TrimPrefix(p.user, "U")
		form := fmt.Sprintf("发起协作\n协作主题: %s\n协作背景与目标: 三台主机同时上线\n需协助部门: %s\n具体需求描述: 接口与压测\n期望完成时间: %s",
			hostsTopic(k), p.dept, expected)
		streams[k%len(filers)] = append(streams[k%len(filers)],
			&hostEvent{id: fmt.Sprintf("EvH%05da", k), channel: channel, user: p.user, text: form},
			&hostEvent{id: fmt.Sprintf("EvH%05db", k), channel: channel, user: p.user, text: "确认"})
	}
	return streams
}

func hostsTopic(k int) string { return fmt.Sprintf("多主机演练 %d", k) }

// hostsConfig writes the demo organisation with every day a business day
// and no public holidays (the daily request goes out whatever day the
// test runs), the daily request at at, and the weekly board and digest
// off (they go to groups and heads without Slack).
func hostsConfig(t *testing.T, at string) string {
	t.Helper()
	demo, err := os.ReadFile(filepath.Join("..", "..", "configs", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	extra := fmt.Sprintf(`
calendar:
  workdays: [mon, tue, wed, thu, fri, sat, sun]
  embedded: false
timers:
  daily_progress:
    at: "%s"
  weekly_summary:
    enabled: false
  weekly_digest:
    enabled: false
`, at)
	path := filepath.Join(t.TempDir(), "collabot.yaml")
	if err := os.WriteFile(path, append(demo, extra...), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// progressOwners own the open tasks of the collaboration seedProgress
// files: each is asked for progress once when the daily request falls due.
var progressOwners = []bot.PersonID{"david", "bob"}

// seedProgress files COL-1 from 运营部 (carol) to 研发部, accepted, with a
// task for each of progressOwners, straight through the lifecycle rules.
func seedProgress(t *testing.T, db store.Backend, cfgPath string) {
	t.Helper()
	cfg, err := config.Load(cfgPath, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	dir, now, ctx := cfg.Directory(), time.Now(), context.Background()
	err = db.Apply(ctx, workspace, "", func(tx bot.Tx) error {
		id, err := tx.NextID(ctx, bot.KindCollab)
		if err != nil {
			return err
		}
		carol := dir.Actor("carol")
		c, err := bot.NewCollaboration(dir, bot.CollabID(id), carol, bot.Request{Topic: "多主机进度", Goal: "每日进度按时收到",
			Requirements: "接口联调", Deliverables: "测试报告", Standard: "用例全部通过", Due: now.AddDate(0, 1, 0),
			Departments: []bot.Assignment{{Department: "研发部"}}}, now)
		if err != nil {
			return err
		}
		if err := c.Submit(dir, carol, now); err != nil {
			return err
		}
		if err := c.Acknowledge(dir.Actor("ben"), "研发部", bot.Answer{Decision: bot.AckAccepted, Scope: "全部"}, now); err != nil {
			return err
		}
		for _, owner := range progressOwners {
			tid, err := tx.NextID(ctx, bot.KindTask)
			if err != nil {
				return err
			}
			if err := c.AddTask(dir, carol, bot.Task{ID: bot.TaskID(tid), Title: "接口联调 " + string(owner), Department: "研发部",
				Owner: owner, Due: now.AddDate(0, 0, 14), Standard: "用例通过"}, now); err != nil {
				return err
			}
		}
		return tx.Save(ctx, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

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
		var err error
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

// hostport is the host:port of a URL.
func hostport(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// withHost is raw with its host:port replaced.
func withHost(t *testing.T, raw, hostport string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = hostport
	return u.String()
}

// shanghai is the demo organisation's zone.
func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
