package dispatch

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/collabot/collabot/bot"
)

// job is one claimed row on its way out.
type job struct {
	q     bot.Queued
	n     bot.Notification
	route route
	err   error // rendering or routing failed: nothing to send
	done  bool  // merged into an earlier job's message
	// unit, on the first of several direct messages with the same text
	// that go out in one call (DingTalk's batchSend), is all of them.
	unit []*job
}

// result is what one drain did. full: it claimed all it asked for, so
// more may be due and have room.
type result struct {
	claimed, sent int
	full          bool
}

// pass is one drain: the claimed batch and what the workers learn about
// the limits while sending it.
type pass struct {
	d        *Dispatcher
	ctx      context.Context
	book     context.Context // for recording outcomes: survives ctx's cancellation
	leaseEnd time.Time       // no send starts after this

	mu      sync.Mutex
	blocked map[string]block    // keys known to be closed until some time
	slots   map[int64]time.Time // rows kept back, and when they come back
	err     error
	failed  atomic.Bool // a store write failed: stop
	sent    atomic.Int64
	limErr  atomic.Bool // the limiter failed once this pass (warned)
}

// block is a closed key and the last slot this pass gave a row it keeps
// back (zero: none yet).
type block struct {
	until time.Time
	every time.Duration
	last  time.Time
}

func (d *Dispatcher) drain(ctx context.Context) (result, error) {
	select {
	case d.drains <- struct{}{}:
		defer func() { <-d.drains }()
	case <-ctx.Done():
		return result{}, ctx.Err()
	}
	// Rows a channel keeps back leave the workspace's room unspent: claim
	// again, up to a batch, so that one busy channel does not hold the
	// others back until the next drain.
	var r result
	for r.claimed < d.batch {
		start := d.clock.Now()
		limit, opens := d.room(ctx, start)
		limit = min(limit, d.batch-r.claimed)
		if limit == 0 {
			d.wakeups.add(opens) // asleep until the first limit opens
			return r, nil
		}
		claimed, sent, err := d.pass(ctx, start, limit)
		r.claimed, r.sent, r.full = r.claimed+claimed, r.sent+sent, claimed == limit
		if err != nil || !r.full || sent == 0 {
			return r, err
		}
	}
	return r, nil
}

// pass claims up to limit rows due at start and sends them. It returns
// how many it claimed and sent.
func (d *Dispatcher) pass(ctx context.Context, start time.Time, limit int) (int, int, error) {
	rows, err := d.out.Claim(ctx, start, limit, d.hold)
	if err != nil {
		return 0, 0, fmt.Errorf("dispatch: claim: %w", err)
	}
	if len(rows) == 0 {
		return 0, 0, nil
	}
	// Outcomes are recorded even once ctx is cancelled: a send the
	// platform accepted must be marked, or it goes out again. The store
	// bounds each write by its busy timeout.
	book := context.WithoutCancel(ctx)
	p := &pass{d: d, ctx: ctx, book: book, leaseEnd: start.Add(d.hold - d.sendTimeout), blocked: map[string]block{},
		slots: map[int64]time.Time{}}

	// Each channel belongs to one worker, so its rows go in order.
	queues := make([][]*job, d.workers)
	seed := maphash.MakeSeed()
	units := unitMaker{open: map[unitKey]*job{}, seen: map[string]int{}}
	for _, q := range rows {
		j := &job{q: q}
		j.n, j.err = d.render(ctx, q.Workspace, q.Notice)
		if j.err == nil {
			j.n.ID = q.ID
			j.n.Key = string(q.Workspace) + "/" + q.Notice.Key
			j.route, j.err = d.route(q.Workspace, j.n)
		}
		if j.err == nil {
			d.noteWorkspace(j.route)
		}
		w, ok := units.seen[j.route.channel]
		if !ok && d.workers > 1 {
			w = int(maphash.String(seed, j.route.channel) % uint64(d.workers))
		}
		if units.join(j, start) {
			continue // goes out with the unit's first
		}
		units.seen[j.route.channel] = w
		queues[w] = append(queues[w], j)
	}
	if d.workers == 1 {
		p.work(queues[0])
	} else {
		var wg sync.WaitGroup
		for _, jobs := range queues {
			wg.Go(func() { p.work(jobs) })
		}
		wg.Wait()
	}
	p.settle()
	if p.err == nil && ctx.Err() != nil {
		p.err = ctx.Err()
	}
	return len(rows), int(p.sent.Load()), p.err
}

// work sends one worker's jobs in order, stopping when ctx is cancelled,
// the claim is running out or the store failed. Rows left at a shutdown
// are handed back at once, for the shutdown's Flush or another replica;
// otherwise they come back after the claim's hold.
func (p *pass) work(jobs []*job) {
	for i, j := range jobs {
		if j.done {
			continue
		}
		if p.ctx.Err() != nil {
			p.handBack(jobs[i:])
			return
		}
		if p.failed.Load() || p.d.clock.Now().After(p.leaseEnd) {
			return
		}
		if j.err != nil {
			p.unsendable(j)
			continue
		}
		if j.n.NotBefore.After(p.d.clock.Now()) {
			// The recipient's quiet hours: the row waits for their end,
			// with no attempt counted.
			p.later(j.n.NotBefore, j)
			continue
		}
		group := []*job{j}
		if j.unit != nil {
			group = j.unit
		} else if _, ok := j.route.sender.(batchSender); ok && j.n.To == "" && p.d.mergeMax > 1 {
			for _, k := range jobs[i+1:] {
				if len(group) == p.d.mergeMax {
					break
				}
				if !k.done && k.err == nil && k.n.To == "" && k.route.channel == j.route.channel && k.q.Workspace == j.q.Workspace {
					k.done = true
					group = append(group, k)
				}
			}
		}
		p.deliver(group)
	}
}

// handBack returns the rows a cancelled pass did not reach, due now and
// with no attempt counted.
func (p *pass) handBack(jobs []*job) {
	now := p.d.clock.Now()
	for _, j := range jobs {
		for _, k := range append([]*job{j}, j.unit...) {
			if !k.done {
				p.later(now, k)
			}
		}
	}
}

// batchSender is a Sender that can merge notifications for one group.
type batchSender interface {
	SendBatch(ctx context.Context, ns []bot.Notification) error
}

// deliver sends one message (one notification, or several merged) once
// its channel and workspace have room, and records the outcome.
func (p *pass) deliver(group []*job) {
	now := p.d.clock.Now()
	if group = p.admit(group, now); len(group) == 0 {
		return
	}
	j := group[0]
	since, ok := p.attempt(group)
	if !ok {
		return // the store failed; the rows come back after the claim's hold
	}
	// A send that started finishes even if shutdown begins meanwhile, so
	// its outcome is known and recorded: cut off, it might have reached
	// the platform and be sent again.
	ctx, cancel := context.WithTimeout(p.book, p.d.sendTimeout)
	began := time.Now() // latency is real time, whatever the bot's clock says
	var err error
	resender, canLook := j.route.sender.(Resender)
	inDoubt := !since.IsZero()
	switch {
	case inDoubt && len(group) == 1 && canLook:
		p.logRow(slog.LevelInfo, "notification in doubt; looking for it before sending again", j, func() []slog.Attr {
			return []slog.Attr{slog.Time("tried_at", since)}
		})
		err = resender.Resend(ctx, j.n, since)
	case len(group) == 1:
		if inDoubt {
			p.doubtful(j, since, 1)
		}
		err = j.route.sender.Send(ctx, j.n)
	default:
		if inDoubt {
			p.doubtful(j, since, len(group))
		}
		ns := make([]bot.Notification, len(group))
		for i, k := range group {
			ns[i] = k.n
		}
		err = j.route.sender.(batchSender).SendBatch(ctx, ns)
	}
	cancel()
	latency := time.Since(began)
	now = p.d.clock.Now()
	// A batch the platform took in part says which rows went: those are
	// sent, whatever happened to the others.
	var part interface{ DeliveredIDs() []int64 }
	delivered := map[int64]bool{}
	if err != nil && len(group) > 1 && errors.As(err, &part) {
		for _, id := range part.DeliveredIDs() {
			delivered[id] = true
		}
	}
	for _, k := range group {
		if delivered[k.q.ID] {
			p.outcome(k, nil, now, latency, len(group))
			continue
		}
		p.outcome(k, err, now, latency, len(group))
	}
}

// doubtful logs a row in doubt sent again without looking: DingTalk
// cannot be asked what it already has, so this may double the message
// (the window README states).
func (p *pass) doubtful(j *job, since time.Time, merged int) {
	p.logRow(slog.LevelWarn, "notification in doubt; the platform cannot be asked, sending again", j, func() []slog.Attr {
		return []slog.Attr{slog.Time("tried_at", since), slog.Int("merged", merged)}
	})
}

// attempt records, before the send, that the group's rows are being sent,
// and returns the earliest earlier attempt whose outcome was never
// recorded (zero: none in doubt). It reports false if the store failed.
// The stamp is wall time: it is compared with the platform's timestamps.
func (p *pass) attempt(group []*job) (time.Time, bool) {
	var since time.Time
	if p.d.attempts == nil {
		return since, true
	}
	at := time.Now()
	for _, k := range group {
		prior, err := p.d.attempts.Attempt(p.book, k.q.ID, at)
		if !p.record(err, k) {
			return since, false
		}
		if !prior.IsZero() && (since.IsZero() || prior.Before(since)) {
			since = prior
		}
	}
	return since, true
}
