package dispatch

import (
	"errors"
	"time"
)

// admit spends the rates of the row's channel and workspace, or says
// when the first closed one opens. Keys already known closed in this pass
// are not asked again, and the rows queued behind one are spread out at
// its rate, so that they do not all come back at the same instant.
//
// The channel goes first: when the workspace is the one closed, the
// channel's message is spent for nothing, which only slows that channel,
// never exceeds a limit.
func (p *pass) admit(r route, now time.Time) (bool, time.Time) {
	lim := p.d.limits[r.platform]
	keys := [2]struct {
		key  string
		rate Rate
	}{{r.channel, lim.Channel}, {r.workspace, lim.Workspace}}
	p.mu.Lock()
	for _, k := range keys {
		if b, ok := p.blocked[k.key]; ok && b.until.After(now) {
			b.queued++
			p.blocked[k.key] = b
			p.mu.Unlock()
			return false, b.until.Add(time.Duration(b.queued) * b.every)
		}
	}
	p.mu.Unlock()
	for _, k := range keys {
		ok, next, err := p.take(k.key, k.rate, now)
		if err != nil {
			continue
		}
		if !ok {
			p.close(k.key, next, k.rate.Every)
			return false, next
		}
	}
	return true, time.Time{}
}

// close notes that key is closed until until for the rest of this pass.
func (p *pass) close(key string, until time.Time, every time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b, ok := p.blocked[key]; !ok || until.After(b.until) {
		p.blocked[key] = block{until: until, every: every}
	}
}

// take asks the limiter, or this process's own once the shared one
// failed in this pass: a Redis outage then paces each replica on its own
// instead of not at all, and costs one timeout per pass, not per send.
func (p *pass) take(key string, rate Rate, now time.Time) (bool, time.Time, error) {
	if !p.limErr.Load() {
		ok, next, err := p.d.limiter.Take(p.ctx, key, rate, now)
		if err == nil {
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
