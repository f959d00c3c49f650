package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	goredis "github.com/redis/go-redis/v9"
)

// Handler answers one inbound message; *engine.Engine is one.
type Handler interface {
	Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, m bot.Message) ([]bot.Reply, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	return f(ctx, m)
}

// DedupeOptions tune Dedupe; zero values take the defaults.
type DedupeOptions struct {
	// Processing is how long a claim lasts if its replica dies mid-way
	// (default 60 s): after it, a redelivery is handled again.
	Processing time.Duration
	// Done is how long a handled event is remembered (default 15 min, at
	// least MinDone): longer than a platform keeps retrying.
	Done time.Duration
	// Wait is how long to wait for another replica that is handling the
	// same event right now (default 1.5 s) before leaving it the answer.
	Wait time.Duration
	// Duplicate, if set, hears each event dropped here, for metrics.
	Duplicate func(bot.Message)
}

// Defaults of DedupeOptions.
const (
	DefaultProcessing = 60 * time.Second
	DefaultDone       = 15 * time.Minute
	// MinDone outlasts Slack's last retry (about 5 minutes after the
	// event) with room to spare; a shorter Done is raised to it.
	MinDone     = 10 * time.Minute
	DefaultWait = 1500 * time.Millisecond
	// pollEvery is how often a waiting replica looks again: one GET each.
	pollEvery = 25 * time.Millisecond
)

const done = "done"

// Dedupe wraps h so that each event (by workspace, platform and EventID)
// reaches one replica's h once while Redis is up. Messages without an
// EventID pass straight through. When Redis fails, h is called anyway:
// the store's unique key on the event is the last word.
func (c *Client) Dedupe(h Handler, o DedupeOptions) Handler {
	if o.Processing <= 0 {
		o.Processing = DefaultProcessing
	}
	if o.Done <= 0 {
		o.Done = DefaultDone
	}
	o.Done = max(o.Done, MinDone)
	if o.Wait <= 0 {
		o.Wait = DefaultWait
	}
	return &deduper{c: c, h: h, o: o}
}

type deduper struct {
	c *Client
	h Handler
	o DedupeOptions
}

// claimScript takes the key for ARGV[1] if it is free and returns what the
// key holds afterwards: ARGV[1] means ours (also when a retried call finds
// its own earlier claim), "done" a duplicate, anything else another
// replica at work. Redis 6 cannot combine SET NX with GET, hence Lua.
var claimScript = goredis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`)

// releaseScript deletes the key only if it still holds ARGV[1], so a
// replica whose claim expired cannot remove someone else's.
var releaseScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// ErrInFlight is Handle's answer for an event another replica is still
// handling after DedupeOptions.Wait: the adapter leaves it unacknowledged,
// and the platform's redelivery finds it done or free.
var ErrInFlight error = inFlight{}

// inFlight says, through Redelivery, that leaving the event for the
// platform to deliver again is the plan, not a failure (for metrics and
// log levels in packages that do not import this one).
type inFlight struct{}

func (inFlight) Error() string    { return "redis: event being handled by another replica" }
func (inFlight) Redelivery() bool { return true }

func (d *deduper) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	if m.EventID == "" {
		return d.h.Handle(ctx, m)
	}
	key := d.c.key("event", string(m.Workspace)+":"+string(m.Platform)+":"+m.EventID)
	mine := "processing:" + token()
	deadline := time.Now().Add(d.o.Wait)
	var tick *time.Ticker
	for {
		start := time.Now()
		v, err := claimScript.Run(ctx, d.c.rdb, []string{key}, mine, d.o.Processing.Milliseconds()).Text()
		d.c.observe("dedupe claim", start, err)
		switch {
		case err != nil && ctx.Err() != nil:
			return nil, fmt.Errorf("redis: dedupe: %w", ctx.Err())
		case err != nil:
			return d.h.Handle(ctx, m)
		case v == mine:
			return d.handle(ctx, m, key, mine)
		case v == done:
			return d.duplicate(m)
		case !strings.HasPrefix(v, "processing:"):
			// Not ours to interpret: let the store decide.
			return d.h.Handle(ctx, m)
		}
		// Another replica is handling it now: its answer or its failure
		// (the key deleted) will show shortly.
		if !time.Now().Before(deadline) {
			// Not acknowledged, so the platform delivers it again: if that
			// replica died mid-way, its claim expires and a redelivery is
			// handled here; if it finished, the redelivery is a duplicate.
			d.c.log.Info("event still being handled by another replica; left for redelivery",
				"workspace", m.Workspace, "platform", m.Platform, "event", m.EventID)
			return nil, ErrInFlight
		}
		if tick == nil {
			tick = time.NewTicker(pollEvery)
			defer tick.Stop()
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("redis: dedupe: %w", ctx.Err())
		case <-tick.C:
		}
	}
}

// handle runs the claimed event and records the outcome: done for a
// while, or released so that a redelivery can try again.
func (d *deduper) handle(ctx context.Context, m bot.Message, key, mine string) ([]bot.Reply, error) {
	replies, herr := d.h.Handle(ctx, m)
	// The outcome is recorded even if the caller's context ended while h
	// ran: h's work is committed or rolled back by now either way.
	ctx = context.WithoutCancel(ctx)
	start := time.Now()
	var err error
	if herr != nil {
		err = releaseScript.Run(ctx, d.c.rdb, []string{key}, mine).Err()
	} else {
		err = d.c.rdb.Set(ctx, key, done, d.o.Done).Err()
	}
	d.c.observe("dedupe record", start, err)
	return replies, herr
}

func (d *deduper) duplicate(m bot.Message) ([]bot.Reply, error) {
	d.c.log.Debug("duplicate event dropped", "workspace", m.Workspace, "platform", m.Platform, "event", m.EventID)
	if d.o.Duplicate != nil {
		d.o.Duplicate(m)
	}
	return nil, nil
}

// token tells one claim from another.
func token() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
