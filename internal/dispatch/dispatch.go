// Package dispatch delivers the outbox: it claims due notices from the
// store, renders them, routes each to the adapter that reaches its
// recipient, paces them under the platforms' rate limits and retries
// failures with exponential backoff, honouring a platform's Retry-After.
//
// It touches each row about once: a drain claims only as many rows as
// the limits let go now, schedules those a channel's limit still keeps
// back for their own slots in one write, and Run sleeps until the next
// slot opens (plan.go). Rows are rendered when claimed, that is when they
// are about to go.
//
// A row is marked sent only after its Sender returned nil, so a crash or
// a shutdown between the two sends it again rather than loses it; claims
// make sure two dispatchers (two replicas, a scheduler beside a chat)
// never send one row at the same time.
//
// A Sender that also has
//
//	SendBatch(ctx context.Context, ns []bot.Notification) error
//
// receives several notifications for one group at once, to merge them
// into one message (DingTalk allows about 20 a minute per group), and,
// if it is a DirectBatcher too, direct messages with the very same text
// to several people, to send them in one call. nil means the platform
// accepted all of them; an error with a DeliveredIDs() []int64 method
// says which it did.
package dispatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
)

// Outbox is the part of the store the dispatcher works on; every
// store.Backend implements it.
type Outbox interface {
	// Claim takes up to limit rows due at now and hides them from other
	// claimers until now+hold.
	Claim(ctx context.Context, now time.Time, limit int, hold time.Duration) ([]bot.Queued, error)
	MarkSent(ctx context.Context, id int64, at time.Time) error
	// MarkFailed counts an attempt and schedules the next.
	MarkFailed(ctx context.Context, id int64, cause error, retryAt time.Time) error
	// Defer schedules a row that was not tried, without counting it.
	Defer(ctx context.Context, id int64, until time.Time) error
}

// Attempts is an Outbox that records each send before it starts, so that
// a row whose send a crash interrupted is known to be in doubt; every
// store.Backend implements it. Without it every row is sent as if new.
type Attempts interface {
	// Attempt notes that a send of row id begins at at and returns when an
	// earlier one began whose outcome was never recorded (zero if none).
	Attempt(ctx context.Context, id int64, at time.Time) (time.Time, error)
	// Untried notes that the last attempt certainly did not reach the
	// platform (a 429), so the next need not look first.
	Untried(ctx context.Context, id int64) error
}

// Resender is a Sender that can find its own posts again: for a row in
// doubt it looks for what of n already reached the platform since an
// attempt began at since, and posts only the rest (Slack: message
// metadata carrying Notification.Key, read back from the channel's
// history). A Sender without it sends a row in doubt again, which may
// double it.
type Resender interface {
	Resend(ctx context.Context, n bot.Notification, since time.Time) error
}

// Render turns an outbox notice into the notification its recipient reads
// (the engine's Notification method).
type Render func(ctx context.Context, ws bot.Workspace, n bot.Notice) (bot.Notification, error)

// Options configure a Dispatcher. Outbox and Render are required.
type Options struct {
	Outbox Outbox
	Render Render
	// Senders are the adapters, at most one per platform.
	Senders []bot.Sender
	// Fallback gets what no sender reaches (the terminal chat prints
	// everything); without one such rows wait and are retried hourly.
	Fallback bot.Sender
	// Limits are the rates per platform: nil means DefaultLimits(), an
	// empty Limits{} no limits at all.
	Limits  Limits
	Limiter Limiter // default NewMemory(); Redis to share limits between replicas
	Clock   bot.Clock
	Log     *slog.Logger
	// Batch is the most rows one Drain claims (default 100); it claims
	// fewer when the workspaces' rate limits let fewer go now.
	Batch int
	// Hold is how long a claim hides its rows from other dispatchers
	// (default 2 minutes); a crashed dispatcher's rows return after it.
	Hold time.Duration
	// SendTimeout bounds one Send (default 30 s, at most half of Hold). No
	// send starts unless it can end before its claim runs out, so another
	// dispatcher never takes a row that is still being sent.
	SendTimeout time.Duration
	// Workers send to different channels in parallel (default 1); one
	// channel's rows always go in order, by one worker.
	Workers int
	// MergeMax is how many notifications for one group a batch sender may
	// merge into one message (default 8; 1 turns merging off).
	MergeMax int
	// Lease, when set, lets one replica of several run the Run loop's
	// periodic drains. Claims already keep two dispatchers from sending
	// one row; the lease only saves the others the work. A Kick (this
	// process queued something) and Flush, at shutdown, do not wait for it.
	Lease Lease
	// Jitter returns a number in [0, 1) that shortens each backoff by up
	// to a tenth, so rows that failed together do not retry together
	// (default math/rand/v2; tests pass a fixed one).
	Jitter func() float64
}

// Lease runs fn only while this process holds it, reporting whether fn
// ran; a lease that cannot be checked runs fn anyway.
type Lease interface {
	Do(ctx context.Context, fn func(ctx context.Context) error) (ran bool, err error)
}

// Retry delays.
const (
	firstRetry         = 2 * time.Second
	maxRetry           = 30 * time.Minute
	undeliverableRetry = time.Hour
)

// Dispatcher drains the outbox. Its methods are safe for concurrent use;
// drains of one Dispatcher run one at a time.
type Dispatcher struct {
	out         Outbox
	attempts    Attempts // nil when the outbox does not record attempts
	render      Render
	senders     map[bot.Platform]bot.Sender
	fallback    bot.Sender
	limits      Limits
	limiter     Limiter
	local       *Memory // paces when a shared limiter fails; nil if limiter is already local
	clock       bot.Clock
	log         *slog.Logger
	batch       int
	hold        time.Duration
	sendTimeout time.Duration
	workers     int
	mergeMax    int
	jitter      func() float64
	lease       Lease

	kick    chan struct{}
	drains  chan struct{} // a one-slot semaphore: one drain at a time
	warned  warnings
	wakeups wakeups
	lanes   lanes

	mu   sync.Mutex
	seen map[string]seenKey // workspace keys routed to
}

// New checks the options and fills in defaults.
func New(o Options) (*Dispatcher, error) {
	if o.Outbox == nil || o.Render == nil {
		return nil, errors.New("dispatch: an outbox and a renderer are required")
	}
	d := &Dispatcher{out: o.Outbox, render: o.Render, senders: map[bot.Platform]bot.Sender{}, fallback: o.Fallback,
		limits: o.Limits, limiter: o.Limiter, clock: o.Clock, log: o.Log, batch: o.Batch, hold: o.Hold,
		sendTimeout: o.SendTimeout, workers: max(o.Workers, 1), mergeMax: o.MergeMax, jitter: o.Jitter, lease: o.Lease,
		kick: make(chan struct{}, 1), drains: make(chan struct{}, 1), seen: map[string]seenKey{}}
	d.attempts, _ = o.Outbox.(Attempts)
	for _, s := range o.Senders {
		if s == nil {
			return nil, errors.New("dispatch: nil sender")
		}
		if _, dup := d.senders[s.Platform()]; dup {
			return nil, fmt.Errorf("dispatch: two senders for %s", s.Platform())
		}
		d.senders[s.Platform()] = s
	}
	if d.limits == nil {
		d.limits = DefaultLimits()
	}
	if d.limiter == nil {
		d.limiter = NewMemory()
	}
	if _, isLocal := d.limiter.(*Memory); !isLocal {
		d.local = NewMemory()
	}
	if d.clock == nil {
		d.clock = bot.SystemClock
	}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if d.batch <= 0 {
		d.batch = 100
	}
	if d.hold <= 0 {
		d.hold = 2 * time.Minute
	}
	if d.sendTimeout <= 0 {
		d.sendTimeout = 30 * time.Second
	}
	d.sendTimeout = min(d.sendTimeout, d.hold/2)
	if d.mergeMax <= 0 {
		d.mergeMax = 8
	}
	if d.jitter == nil {
		d.jitter = rand.Float64
	}
	return d, nil
}

// Drain claims the due rows the rate limits let go now (at most a batch)
// and sends them. It returns how many were sent; rows it could not send
// yet are scheduled again, and rows it did not reach (ctx cancelled) come
// back after the claim's hold.
func (d *Dispatcher) Drain(ctx context.Context) (int, error) {
	r, err := d.drain(ctx)
	return r.sent, err
}

// DrainAll drains until nothing is due now: what the terminal chat does
// after each message, so that it prints every notification it caused.
func (d *Dispatcher) DrainAll(ctx context.Context) (int, error) {
	total := 0
	for {
		r, err := d.drain(ctx)
		total += r.sent
		if err != nil || r.claimed == 0 {
			return total, err
		}
	}
}

// Kick wakes Run early: an inbound message has just queued notices.
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default: // a wake-up is already pending
	}
}

// minWait keeps Run and Flush from spinning on a row due "now".
const minWait = 10 * time.Millisecond

// Run drains the outbox every interval, sooner when kicked or when a
// deferred row falls due, until ctx is done. A failing store is logged
// and retried on the next round: it may come back.
func (d *Dispatcher) Run(ctx context.Context, every time.Duration) error {
	if every <= 0 {
		return fmt.Errorf("dispatch: run: interval %s must be positive", every)
	}
	kicked := false
	for {
		// A kick means this process just queued something (a message it
		// handled): that goes out at once, lease or not — claims keep it
		// from being sent twice. Rounds on the timer need the lease.
		r, ran, err := d.drainLeased(ctx, kicked)
		kicked = false
		if ctx.Err() != nil {
			return nil
		}
		wait := every
		switch {
		case err != nil:
			d.log.Error("outbox drain failed", "err", err)
		case !ran:
			// Another replica drains; check the lease again next round.
		case r.full:
			wait = 0 // more may be due, with room for them
		default:
			if next, ok := d.wakeups.next(d.clock.Now()); ok {
				wait = min(wait, max(next.Sub(d.clock.Now()), minWait))
			}
		}
		if wait == 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-d.kick:
			t.Stop()
			kicked = true
		case <-t.C:
		}
	}
}

// drainLeased drains under the lease, if there is one and it is needed.
func (d *Dispatcher) drainLeased(ctx context.Context, kicked bool) (result, bool, error) {
	if d.lease == nil || kicked {
		r, err := d.drain(ctx)
		return r, true, err
	}
	var r result
	ran, err := d.lease.Do(ctx, func(ctx context.Context) (err error) {
		r, err = d.drain(ctx)
		return err
	})
	return r, ran, err
}

// Flush delivers what it can within timeout, for shutdown: it runs even
// though ctx is cancelled by then (it keeps only ctx's values), and waits
// for rows deferred by rate limits if they fall due in time. What is left
// stays in the outbox for the next start.
func (d *Dispatcher) Flush(ctx context.Context, timeout time.Duration) (int, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	total := 0
	for {
		r, err := d.drain(ctx)
		total += r.sent
		if ctx.Err() != nil {
			return total, nil
		}
		if err != nil {
			return total, err
		}
		if r.full {
			continue
		}
		next, ok := d.wakeups.next(d.clock.Now())
		wait := max(next.Sub(d.clock.Now()), minWait)
		if dl, _ := ctx.Deadline(); !ok || time.Now().Add(wait).After(dl) {
			return total, nil // nothing more falls due in time
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return total, nil
		case <-t.C:
		}
	}
}

// backoff is the delay after a row's attempts-th failure: 2 s, 4 s, 8 s …
// up to 30 minutes, each shortened by up to a tenth at random.
func (d *Dispatcher) backoff(attempts int) time.Duration {
	b := maxRetry
	if attempts < 20 {
		b = min(firstRetry<<attempts, maxRetry)
	}
	return b - time.Duration(float64(b/10)*d.jitter())
}
