package dispatch

import (
	"context"
	"time"

	"github.com/collabot/collabot/bot"
)

// Pacer lets an adapter that posts on its own — an answer it could not
// put in the outbox, a clicked message it updates — share the holds the
// dispatcher keeps: it waits while a platform's Retry-After holds a
// channel, whoever was told, and reports the holds it is given, so that
// nothing reaches a held channel early. It spends no rate: those posts
// are few, and the platform's own 429 still stops them.
type Pacer struct {
	lim      Limiter
	platform bot.Platform
	clock    bot.Clock
}

// NewPacer paces platform's channels on lim, the dispatcher's Limiter
// (its Memory, or the replicas' Redis).
func NewPacer(lim Limiter, platform bot.Platform, clock bot.Clock) *Pacer {
	if clock == nil {
		clock = bot.SystemClock
	}
	return &Pacer{lim: lim, platform: platform, clock: clock}
}

// key is the channel's key as route names it ("C0123", or "@U0BOB" for a
// person's direct messages).
func (p *Pacer) key(where string) string { return "channel:" + string(p.platform) + ":" + where }

// Wait returns once the hold on where, if any, has passed, or when ctx
// ends. It waits for the hold it finds, once: a hold made longer
// meanwhile is caught by the platform's own 429, which holds again. A
// limiter that fails holds nothing up.
func (p *Pacer) Wait(ctx context.Context, where string) error {
	ok, next, err := p.lim.Take(ctx, p.key(where), Rate{}, p.clock.Now())
	if err != nil || ok {
		return nil
	}
	t := time.NewTimer(max(next.Sub(p.clock.Now()), minWait))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Hold holds where until until, for the dispatcher too.
func (p *Pacer) Hold(ctx context.Context, where string, until time.Time) {
	_ = p.lim.Hold(ctx, p.key(where), until)
}
