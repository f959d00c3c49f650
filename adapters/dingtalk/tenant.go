package dingtalk

import (
	"context"
	"sync"
)

// corpGuard decides which organisation's frames the adapter serves: the
// configured corpId, or, when none is configured, the first frame's
// robot corpId, kept for the life of the process. The stream belongs to
// this app, so the first frame is DingTalk's word for whose robot it is;
// pinning it keeps a later frame of another organisation (an app shared
// by several, a misrouted frame) out of this workspace.
type corpGuard struct {
	mu   sync.Mutex
	corp string
}

// admit reports whether a frame from these corpIds (empty: not given)
// belongs to the served organisation, pinning it if none is known yet.
func (g *corpGuard) admit(ids ...string) (bool, string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, id := range ids {
		if id == "" {
			continue
		}
		if g.corp == "" {
			g.corp = id
		}
		if id != g.corp {
			return false, g.corp
		}
	}
	return true, g.corp
}

// admit checks a frame's organisation; a refused frame is logged and
// counted, and the caller acknowledges it without handling it: nothing
// is stored and nothing answered.
func (a *Adapter) admit(ctx context.Context, kind, frame string, ids ...string) bool {
	ok, want := a.corps.admit(ids...)
	if ok {
		return true
	}
	a.log.WarnContext(ctx, "dingtalk frame from another organisation refused", "kind", kind, "frame", frame,
		"corp", ids, "want_corp", want)
	if a.opt.Foreign != nil {
		a.opt.Foreign()
	}
	return false
}
