package dispatch

import (
	"errors"
	"time"
)

// keyRate is a limiter key and its rate.
type keyRate struct {
	key  string
	rate Rate
}

// admit spends the rates of the group's channel and workspace and
// returns what may go now. What may not is scheduled (later) for the slot
// after those already given to rows its first closed key keeps back
// (lanes), so that rows kept back come back one slot each, not all at the
// instant it opens. Keys already known closed in this pass are not asked
// again. Direct messages sharing one call each spend their person's
// channel, and the call spends the workspace once.
//
// The channel goes first: when the workspace is the one closed, the
// channel's message is spent for nothing, which only slows that channel,
// never exceeds a limit.
func (p *pass) admit(group []*job, now time.Time) []*job {
	lim := p.d.limits[group[0].route.platform]
	workspace := keyRate{group[0].route.workspace, lim.Workspace}
	if len(group) > 1 && group[0].n.To != "" {
		var open []*job
		for _, k := range group {
			if ok, at := p.admitKeys([]*job{k}, now, keyRate{k.route.channel, lim.Channel}); ok {
				open = append(open, k)
			} else {
				p.later(at, k)
			}
		}
		if len(open) == 0 {
			return nil
		}
		if ok, at := p.admitKeys(open, now, workspace); !ok {
			p.later(at, open...)
			return nil
		}
		return open
	}
	if ok, at := p.admitKeys(group, now, keyRate{group[0].route.channel, lim.Channel}, workspace); !ok {
		p.later(at, group...)
		return nil
	}
	return group
}

// admitKeys spends one message of each key for group, or says when the
// group may come back.
func (p *pass) admitKeys(group []*job, now time.Time, keys ...keyRate) (bool, time.Time) {
	for _, k := range keys {
		if at, closed := p.keptBack(k, now, group); closed {
			return false, at
		}
	}
	for _, k := range keys {
		ok, next, err := p.take(k.key, k.rate, now)
		if err != nil {
			continue
		}
		if !ok {
			p.close(k.key, next, k.rate.Every)
			at, _ := p.keptBack(k, now, group)
			return false, at
		}
	}
	return true, time.Time{}
}

// keptBack reports whether k is known closed at now and, if so, gives the
// group the next slot on k's lane.
func (p *pass) keptBack(k keyRate, now time.Time, group []*job) (time.Time, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, ok := p.blocked[k.key]
	if !ok || !b.until.After(now) {
		return time.Time{}, false
	}
	oldest, newest := group[0].q.ID, group[0].q.ID
	for _, j := range group[1:] {
		oldest, newest = min(oldest, j.q.ID), max(newest, j.q.ID)
	}
	if b.last.IsZero() {
		b.last = p.d.lanes.first(k.key, b.until, b.every, oldest, now)
	} else {
		b.last = b.last.Add(b.every)
	}
	p.blocked[k.key] = b
	p.d.lanes.extend(k.key, b.last, newest)
	return b.last, true
}

// close notes that key is closed until until for the rest of this pass.
func (p *pass) close(key string, until time.Time, every time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b, ok := p.blocked[key]; !ok || until.After(b.until) {
		if until.After(b.last) {
			b.last = time.Time{} // slots start afresh from the new opening
		}
		p.blocked[key] = block{until: until, every: every, last: b.last}
	}
}

// take asks the limiter, or this process's own once the shared one
// failed in this pass: a Redis outage then paces each replica on its own
// instead of not at all, and costs one timeout per pass, not per send.
func (p *pass) take(key string, rate Rate, now time.Time) (bool, time.Time, error) {
	if !p.limErr.Load() {
		ok, next, err := p.d.limiter.Take(p.ctx, key, rate, now)
		if err == nil {
			p.mirror(key, rate, ok, next, now)
			return ok, next, nil
		}
		p.limiterFailed(err)
	}
	if p.d.local == nil {
		return false, time.Time{}, errNoLimiter
	}
	return p.d.local.Take(p.ctx, key, rate, now)
}

// errNoLimiter: the in-process limiter itself failed, so nothing paces.
var errNoLimiter = errors.New("dispatch: no rate limiter")

func (p *pass) limiterFailed(err error) {
	if !p.limErr.Swap(true) {
		p.d.log.Warn("shared rate limiter failed; pacing in this process alone", "err", err)
	}
}

// mirror keeps this process's own Memory in step with what a shared
// limiter answered: room reads it (Redis cannot say how many may go), and
// it paces alone, from a state close to the shared one, if Redis fails.
func (p *pass) mirror(key string, rate Rate, ok bool, next, now time.Time) {
	if p.d.local == nil {
		return
	}
	if ok {
		_, _, _ = p.d.local.Take(p.ctx, key, rate, now)
		return
	}
	p.d.local.observe(key, rate, next)
}
