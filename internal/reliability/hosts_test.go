package reliability_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/internal/redis/redistest"
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

// hostsHold is how long a replica's claim on an outbox row holds the
// others off (COLLABOT_OUTBOX_HOLD): a row the killed replica had
// claimed comes back after it.
const hostsHold = 2 * time.Second

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
	// 40 s away: after the replicas start, a third of the events and the
	// kill (cutAcross checks that the cut still begins before it).
	loc := shanghai(t)
	due := time.Now().Add(40 * time.Second).Truncate(time.Minute).Add(time.Minute)
	cfgPath := hostsConfig(t, due.In(loc).Format("15:04"))
	seedProgress(t, db, cfgPath)
	common := []string{"COLLABOT_CONFIG=" + cfgPath, "COLLABOT_SLACK_BOT_TOKEN=" + slackfake.BotToken,
		"COLLABOT_SLACK_SIGNING_SECRET=" + secret, "COLLABOT_OUTBOX_HOLD=" + hostsHold.String(), "COLLABOT_REDIS_PREFIX=" + prefix,
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
	if !midSend {
		t.Errorf("the scenario did not happen: %s was killed with no post to Slack in flight", reps[victim].host.name)
	}
	cutAcross(t, reps[cut], due)
	d.wait()
	t.Logf("%d events (and %d second copies) answered in %v, the replicas' start %v before", d.total, d.twice.Load(),
		d.last.Sub(d.began).Round(100*time.Millisecond), d.began.Sub(began).Round(100*time.Millisecond))

	// Everything queued goes out; the daily request too.
	wants := wantPosts(t, db, streams)
	if !waitPosted(t, f, wants, 2*time.Minute+time.Duration(filings)*time.Second) && b.unsent != nil {
		for _, row := range b.unsent(t, addr) {
			t.Log("unsent: " + row.desc)
		}
	}
	t.Logf("Slack calls per replica in all: %d %d %d", reps[0].slack.Requests(), reps[1].slack.Requests(), reps[2].slack.Requests())
	// A row a dead replica had claimed comes back after the hold: a
	// doubled post shows by the time the outbox has nothing left to send.
	outboxSettled(t, b, addr)
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
	began     time.Time
	mu        sync.Mutex
	last      time.Time // when the last stream's last event was answered
}

// deliverAll starts delivering: each event to the next replica up, round
// robin, retried on the others until one answers 200; 30% of them a
// second time to another replica, half at the same moment, half just
// after the first was answered.
func deliverAll(reps []*replica, streams [][]*hostEvent) *delivery {
	d := &delivery{began: time.Now()}
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
// replica without Redis beside the one that holds the lease. A cut that
// could only begin within a second of due (the events before it took
// too long) fails the test: the row would claim a scenario that did not
// happen.
func cutAcross(t *testing.T, r *replica, due time.Time) {
	time.Sleep(time.Until(due.Add(-10 * time.Second)))
	r.redis.Cut()
	at := time.Now()
	t.Logf("cut %s off Redis at %s", r.host.name, at.UTC().Format("15:04:05"))
	if late := at.Sub(due.Add(-10 * time.Second)); at.After(due.Add(-time.Second)) {
		t.Errorf("the scenario did not happen: %s cut off Redis at %s, %v later than planned, too late to cover the daily request's minute %s",
			r.host.name, at.UTC().Format("15:04:05"), late.Round(time.Second), due.UTC().Format("15:04"))
	}
	time.Sleep(max(time.Until(due.Add(5*time.Second)), 10*time.Second))
	r.redis.Restore()
	t.Logf("gave %s Redis back at %s (due %s)", r.host.name, time.Now().UTC().Format("15:04:05"), due.UTC().Format("15:04"))
}

// outboxSettled waits until the outbox has no unsent row due before the
// replicas stop (every claim the killed replica left has expired and the
// row been sent by another; a row for nobody on Slack, tried again in an
// hour, cannot post meanwhile), at most the hold, the lease and a margin
// beyond; without a way to read the outbox it waits the hold and a
// margin.
func outboxSettled(t *testing.T, b backend, addr string) {
	limit := 2*hostsHold + hostsLeaseTTL + 5*time.Second
	if b.unsent == nil {
		time.Sleep(hostsHold + time.Second)
		return
	}
	for deadline := time.Now().Add(limit); ; {
		var soon []string
		for _, r := range b.unsent(t, addr) {
			if r.next.Before(time.Now().Add(hostsHold + time.Second)) {
				soon = append(soon, r.desc)
			}
		}
		if len(soon) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Logf("after %v, %d outbox rows still due:\n%s", limit, len(soon), strings.Join(soon, "\n"))
			return
		}
		time.Sleep(200 * time.Millisecond) // polling the shared database
	}
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
