package dispatch

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/collabot/collabot/bot"
)

// outcome records one row's send: sent, throttled or failed.
func (p *pass) outcome(j *job, err error, now time.Time, latency time.Duration, merged int) {
	sendAttrs := func() []slog.Attr {
		attrs := []slog.Attr{slog.String("platform", string(j.route.platform)), slog.Duration("latency", latency)}
		if merged > 1 {
			attrs = append(attrs, slog.Int("merged", merged))
		}
		return attrs
	}
	if err == nil {
		if !p.record(p.d.out.MarkSent(p.book, j.q.ID, now), j) {
			p.logRow(slog.LevelError, "notification sent but not recorded; it may be sent again", j, sendAttrs)
			return
		}
		p.sent.Add(1)
		p.d.warned.forget(j.q.ID)
		p.logRow(slog.LevelInfo, "notification sent", j, sendAttrs)
		return
	}
	retry := now.Add(p.d.backoff(j.q.Attempts))
	msg := "notification not sent"
	if after, ok := bot.RetryAfter(err); ok {
		// The platform said when: hold the channel that long, so rows
		// behind this one wait too instead of being throttled in turn.
		msg = "notification throttled"
		retry = now.Add(max(after, time.Second))
		var t *bot.Throttled
		if p.d.attempts != nil && errors.As(err, &t) && !t.InDoubt { // a 429 posted nothing: no need to look next time
			p.record(p.d.attempts.Untried(p.book, j.q.ID), j)
		}
		lim := p.d.limits[j.route.platform]
		keys := []keyRate{{j.route.channel, lim.Channel}}
		if workspaceWide(err) {
			keys = append(keys, keyRate{j.route.workspace, lim.Workspace})
		}
		for _, k := range keys {
			if herr := p.d.limiter.Hold(p.ctx, k.key, retry); herr != nil {
				p.limiterFailed(herr)
			}
			if p.d.local != nil { // the fallback knows of the hold too
				_ = p.d.local.Hold(p.ctx, k.key, retry)
			}
			p.close(k.key, retry, k.rate.Every)
		}
	}
	p.logRow(slog.LevelWarn, msg, j, func() []slog.Attr {
		return append(sendAttrs(), slog.Time("retry_at", retry), slog.Any("err", err))
	})
	p.record(p.d.out.MarkFailed(p.book, j.q.ID, err, retry), j)
	p.wake(retry)
}

// unsendable reschedules a row that could not be rendered or routed. An
// undeliverable one is kept and tried hourly, and logged once.
func (p *pass) unsendable(j *job) {
	now := p.d.clock.Now()
	retry := now.Add(p.d.backoff(j.q.Attempts))
	if errors.Is(j.err, bot.ErrUndeliverable) {
		retry = now.Add(undeliverableRetry)
		if p.d.warned.first(j.q.ID) {
			p.logRow(slog.LevelWarn, "notification undeliverable, kept for later", j, func() []slog.Attr {
				platforms := make([]bot.Platform, len(j.n.Accounts))
				for i, a := range j.n.Accounts {
					platforms[i] = a.Platform
				}
				return []slog.Attr{slog.String("recipient", j.q.Notice.Recipient()), slog.Any("accounts", platforms),
					slog.String("group", j.n.Group), slog.Time("retry_at", retry), slog.Any("err", j.err)}
			})
		}
	} else {
		p.logRow(slog.LevelWarn, "notification not rendered", j, func() []slog.Attr {
			return []slog.Attr{slog.Time("retry_at", retry), slog.Any("err", j.err)}
		})
	}
	p.record(p.d.out.MarkFailed(p.book, j.q.ID, j.err, retry), j)
}

// logRow logs one line about a row: what it is, never what it says. The
// attributes are built only when the level is on, since a busy outbox
// logs a line per send.
func (p *pass) logRow(level slog.Level, msg string, j *job, extra func() []slog.Attr) {
	if !p.d.log.Enabled(p.book, level) {
		return
	}
	attrs := []slog.Attr{slog.String("workspace", string(j.q.Workspace)), slog.String("kind", j.q.Notice.Kind),
		slog.String("collab", j.q.Notice.Collab.String()), slog.Int64("outbox_id", j.q.ID), slog.Int("attempt", j.q.Attempts+1)}
	p.d.log.LogAttrs(p.book, level, msg, append(attrs, extra()...)...)
}

// record keeps the first store error and reports whether err was nil.
func (p *pass) record(err error, j *job) bool {
	if err == nil {
		return true
	}
	p.fail(err, "outbox row %d", j.q.ID)
	return false
}

// fail stops the pass on a store error, keeping the first.
func (p *pass) fail(err error, format string, args ...any) {
	p.failed.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err == nil {
		p.err = fmt.Errorf("dispatch: "+format+": %w", append(args, err)...)
	}
}

// wake notes a rescheduled row's time, so Run can come back for it.
func (p *pass) wake(at time.Time) { p.d.wakeups.add(at) }

// warnings remembers which undeliverable rows were logged, so each is
// logged once per process, not hourly.
type warnings struct {
	mu  sync.Mutex
	ids map[int64]struct{}
}

func (w *warnings) first(id int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, seen := w.ids[id]; seen {
		return false
	}
	if w.ids == nil {
		w.ids = map[int64]struct{}{}
	}
	w.ids[id] = struct{}{}
	return true
}

func (w *warnings) forget(id int64) {
	w.mu.Lock()
	delete(w.ids, id)
	w.mu.Unlock()
}

// workspaceWide reports whether a throttling answer covers the whole
// workspace, not just the channel (an app-wide QPS limit). bot.Throttled
// cannot say so; an adapter says it with an error in the chain that has a
// WorkspaceWide() bool method, so adapters need not import this package.
func workspaceWide(err error) bool {
	var w interface{ WorkspaceWide() bool }
	return errors.As(err, &w) && w.WorkspaceWide()
}
