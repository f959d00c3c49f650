package slackfake

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// Limits make the fake enforce Slack's rate limits on chat.postMessage
// instead of only throttling when told (SetThrottle, Storm): a post over
// a limit is answered 429 with the Retry-After that Slack would give and
// counted (Throttled, Refused). Each limit is a rate with a short burst,
// kept by the wall clock.
type Limits struct {
	// ChannelEvery is the space between posts to one channel (Slack: about
	// one a second); ChannelBurst how many may come at once (default 1).
	ChannelEvery time.Duration
	ChannelBurst int
	// WorkspaceEvery is the space between posts anywhere in the workspace
	// (zero: no workspace limit); WorkspaceBurst how many at once.
	WorkspaceEvery time.Duration
	WorkspaceBurst int
}

// SlackLimits are Slack's documented chat.postMessage limits: about one
// message a second per channel, short bursts allowed, and a workspace-wide
// rate the caller picks (Slack says "several hundred a minute").
func SlackLimits(workspacePerSecond float64, workspaceBurst int) Limits {
	l := Limits{ChannelEvery: time.Second, ChannelBurst: 3}
	if workspacePerSecond > 0 {
		l.WorkspaceEvery = time.Duration(float64(time.Second) / workspacePerSecond)
		l.WorkspaceBurst = max(workspaceBurst, 1)
	}
	return l
}

// enforcer is the state of Enforce: one theoretical arrival time per
// channel and one for the workspace (GCRA), and the 429s it answered.
type enforcer struct {
	Limits
	channels  map[string]time.Time
	workspace time.Time
	refused   int
}

// Enforce turns enforcement on with l (until the test ends); calling it
// again replaces the limits and forgets what was spent.
func (f *Server) Enforce(l Limits) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits = &enforcer{Limits: l, channels: map[string]time.Time{}}
}

// Refused is how many posts enforcement answered 429 (also counted in
// Throttled).
func (f *Server) Refused() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.limits == nil {
		return 0
	}
	return f.limits.refused
}

// overLimit answers 429 and reports true when the call exceeds an
// enforced limit; call with mu held. A refused call spends nothing, as on
// Slack, and holds its channel for the Retry-After it was given, so a
// client that comes back early shows in Early.
func (f *Server) overLimit(w http.ResponseWriter, method, channel string, now time.Time) bool {
	e := f.limits
	if e == nil || method != "chat.postMessage" {
		return false
	}
	chTat, chWait := gcra(e.channels[channel], now, e.ChannelEvery, e.ChannelBurst)
	wsTat, wsWait := gcra(e.workspace, now, e.WorkspaceEvery, e.WorkspaceBurst)
	wait := max(chWait, wsWait)
	if wait <= 0 {
		if e.ChannelEvery > 0 {
			e.channels[channel] = chTat
		}
		e.workspace = wsTat
		return false
	}
	secs := max(int(math.Ceil(wait.Seconds())), 1) // Slack's Retry-After is whole seconds
	e.refused++
	f.throttled++
	if channel != "" {
		if until := now.Add(time.Duration(secs) * time.Second); until.After(f.held[channel]) {
			f.held[channel] = until
		}
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	w.WriteHeader(http.StatusTooManyRequests)
	return true
}

// gcra checks one message against a rate: it returns the new theoretical
// arrival time if the message may go, or how long it must wait.
func gcra(tat, now time.Time, every time.Duration, burst int) (time.Time, time.Duration) {
	if every <= 0 {
		return tat, 0
	}
	if tat.Before(now) {
		tat = now
	}
	allow := tat.Add(-every * time.Duration(max(burst, 1)-1))
	if now.Before(allow) {
		return tat, allow.Sub(now)
	}
	return tat.Add(every), 0
}
