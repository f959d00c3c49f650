package dispatch

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
)

// The dispatcher touches each row about once: it claims no more rows than
// the limits let go now (room), and a row a limit still keeps back (its
// channel is busy, a Retry-After holds it) is scheduled for its own slot
// behind the rows already waiting for that key (lanes), all of a pass's
// rows in one write (Rescheduler). A 17:00 wave of 10,000 DMs is then
// claimed a few rows per slot, each row once, at the platform's rate,
// with the process asleep between slots.

// Rescheduler is an Outbox that moves many rows' next attempts in one
// write, without counting attempts; every store.Backend implements it.
// Without it each row is deferred on its own.
type Rescheduler interface {
	DeferAll(ctx context.Context, until map[int64]time.Time) error
}

// room is how many rows may be claimed at now: the messages the limits
// of the workspaces this dispatcher has sent to let go at once, times the
// rows one message may carry on their platform (a DingTalk batchSend
// takes 20 people), at most a batch. When none may go it returns 0 and
// when the first opens. Before anything was routed (a fresh process) it
// is what a workspace of each platform it sends to could take at once:
// those rows tell it which workspaces there are, and what they cannot
// send yet is scheduled.
func (d *Dispatcher) room(ctx context.Context, now time.Time) (int, time.Time) {
	d.mu.Lock()
	keys := make(map[string]seenKey, len(d.seen))
	for k, r := range d.seen {
		keys[k] = r
	}
	d.mu.Unlock()
	if len(keys) == 0 {
		return d.firstRoom(), time.Time{}
	}
	total := 0
	var opens time.Time
	for key, sk := range keys {
		rate := sk.rate
		if rate.Every <= 0 {
			return d.batch, time.Time{} // an unlimited platform: a whole batch
		}
		n, next := d.peek(ctx, key, rate, now)
		total += n * sk.per
		if n == 0 {
			// Wake when a few may go, not for each: fewer, fuller claims
			// (two at a time at Slack's 5 a second). At most half the
			// burst, so that a slow drain loses no room to the cap.
			few := max(min(int(coalesce/rate.Every), rate.Burst/2), 1)
			next = next.Add(time.Duration(few-1) * rate.Every)
			if opens.IsZero() || next.Before(opens) {
				opens = next
			}
		}
		if total >= d.batch {
			return d.batch, time.Time{}
		}
	}
	return total, opens
}

// seenKey is a workspace key rows were routed to: its rate, and how many
// rows one message of its platform's sender may carry.
type seenKey struct {
	rate Rate
	per  int
}

// perMessage is how many rows one message of s may carry: merged group
// notices or same-text direct messages, for a batch sender.
func (d *Dispatcher) perMessage(s bot.Sender) int {
	if _, ok := s.(batchSender); !ok {
		return 1
	}
	per := d.mergeMax
	if b, ok := s.(DirectBatcher); ok {
		per = max(per, b.DirectBatch())
	}
	return max(per, 1)
}

// firstRoom is room before any row was routed: a whole batch if a
// platform it may send to is unlimited (the fallback's is), else the
// most a workspace of one of its platforms could take at once.
func (d *Dispatcher) firstRoom() int {
	if d.fallback != nil || len(d.senders) == 0 {
		return d.batch
	}
	most := 0
	for p, s := range d.senders {
		r := d.limits[p].Workspace
		if r.Every <= 0 {
			return d.batch
		}
		most = max(most, max(r.Burst, 1)*d.perMessage(s))
	}
	return min(most, d.batch)
}

// coalesce is how long a drain may wait for room beyond the first
// message's, to claim several together: a wave takes no longer, since
// the room it waits for is spent at once.
const coalesce = 400 * time.Millisecond

// peek asks the limiter how many key may send now, or this process's own
// Memory (which mirrors what this process was told) when the limiter
// cannot say or failed. A limiter that cannot answer at all means one.
func (d *Dispatcher) peek(ctx context.Context, key string, rate Rate, now time.Time) (int, time.Time) {
	if r, ok := d.limiter.(Roomer); ok {
		if n, next, err := r.Room(ctx, key, rate, now); err == nil {
			return n, next
		}
	}
	if d.local != nil {
		if n, next, err := d.local.Room(ctx, key, rate, now); err == nil {
			return n, next
		}
	}
	return 1, now
}

// noteWorkspace remembers the workspace key a row was routed to, for
// room.
func (d *Dispatcher) noteWorkspace(r route) {
	sk := seenKey{rate: d.limits[r.platform].Workspace, per: d.perMessage(r.sender)}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.seen[r.workspace] != sk {
		d.seen[r.workspace] = sk
	}
}

// lanes remember, per limiter key, the last slot given to a row kept
// back and the newest row given one, across passes: a row kept back
// later goes behind them instead of on top of them (on top, they would
// all come back at one instant and all but one be kept back again).
type lanes struct {
	mu    sync.Mutex
	lanes map[string]lane
	gets  int
}

type lane struct {
	tail   time.Time // the last slot given
	newest int64     // the newest row given a slot
}

// lanesSweepEvery is how many slots pass between sweeps of lanes whose
// last slot has passed.
const lanesSweepEvery = 1024

// first is the slot of the first row of a pass that key keeps back,
// opening at opens: behind the lane if the row is newer than every row
// in it, else at the opening, where it comes before the lane's younger
// rows (a failed row retried keeps its place in the channel's order).
func (l *lanes) first(key string, opens time.Time, every time.Duration, oldest int64, now time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.gets++; l.gets%lanesSweepEvery == 0 {
		for k, ln := range l.lanes {
			if ln.tail.Before(now) {
				delete(l.lanes, k)
			}
		}
	}
	ln, ok := l.lanes[key]
	if ok && !ln.tail.Before(opens) && oldest > ln.newest {
		return ln.tail.Add(every)
	}
	return opens
}

// extend notes that rows up to newest were given slot at on key's lane.
func (l *lanes) extend(key string, at time.Time, newest int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lanes == nil {
		l.lanes = map[string]lane{}
	}
	ln := l.lanes[key]
	if at.After(ln.tail) {
		ln.tail = at
	}
	ln.newest = max(ln.newest, newest)
	l.lanes[key] = ln
}

// later schedules rows of this pass for at; they are written together
// when the pass ends (settle).
func (p *pass) later(at time.Time, jobs ...*job) {
	p.mu.Lock()
	for _, j := range jobs {
		j.done = true
		p.slots[j.q.ID] = at
	}
	p.mu.Unlock()
	p.wake(at)
}

// settle writes the pass's schedule: one write for all its rows.
func (p *pass) settle() {
	p.mu.Lock()
	slots := p.slots
	p.slots = map[int64]time.Time{}
	p.mu.Unlock()
	if len(slots) == 0 {
		return
	}
	if r, ok := p.d.out.(Rescheduler); ok {
		if err := r.DeferAll(p.book, slots); err != nil {
			p.fail(err, "deferring %d rows", len(slots))
		}
		return
	}
	for id, at := range slots {
		if err := p.d.out.Defer(p.book, id, at); err != nil {
			p.fail(err, "outbox row %d", id)
			return
		}
	}
}

// DirectBatcher is a batch sender that also sends the very same direct
// message to several people in one call: DirectBatch is how many people
// one call takes (DingTalk's oToMessages/batchSend: 20). The dispatcher
// hands it such messages together, and spends the workspace's rate once
// for them (each person's own channel once each).
type DirectBatcher interface {
	DirectBatch() int
}

// unitKey is what direct messages sharing one call have in common.
type unitKey struct {
	sender bot.Sender
	ws     bot.Workspace
	text   string
}

// unitMaker gathers a claim's direct messages with the same text into
// units. A message joins a unit only if no earlier row of its channel is
// in the claim, and the channel then belongs to the unit's worker, so
// that each channel's rows still go in order.
type unitMaker struct {
	open map[unitKey]*job // the first of each unit still taking members
	seen map[string]int   // channels met so far, and their worker
}

// join adds j to an open unit of its text and reports true, or makes j
// the first of a new unit (reporting false: j is queued itself).
func (u *unitMaker) join(j *job, now time.Time) bool {
	most := directMax(j, now)
	if most < 2 {
		return false
	}
	if _, met := u.seen[j.route.channel]; met {
		return false
	}
	k := unitKey{j.route.sender, j.q.Workspace, string(j.n.Lang) + "\x00" + fmt.Sprintf("%#v", j.n.Reply)}
	if first := u.open[k]; first != nil && len(first.unit) < most {
		first.unit = append(first.unit, j)
		u.seen[j.route.channel] = u.seen[first.route.channel]
		return true
	}
	j.unit = []*job{j}
	u.open[k] = j
	return false
}

// directMax is how many direct messages like j one call of its sender
// takes: 0 unless j is a plain direct message ready to go.
func directMax(j *job, now time.Time) int {
	if j.err != nil || j.n.To == "" || j.n.Kind == bot.KindReply || len(j.n.Replies) > 0 || j.n.Reply.File != nil ||
		j.n.NotBefore.After(now) {
		return 0
	}
	if _, ok := j.route.sender.(batchSender); !ok {
		return 0
	}
	if b, ok := j.route.sender.(DirectBatcher); ok {
		return b.DirectBatch()
	}
	return 0
}
