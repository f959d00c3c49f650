package slackfake

import (
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// Metadata is a message's metadata as chat.postMessage received it
// (the metadata argument: event_type and event_payload).
type Metadata struct {
	EventType    string         `json:"event_type"`
	EventPayload map[string]any `json:"event_payload"`
}

func parseMetadata(raw string) *Metadata {
	if raw == "" {
		return nil
	}
	var m Metadata
	if json.Unmarshal([]byte(raw), &m) != nil || m.EventType == "" {
		return nil
	}
	return &m
}

// history serves conversations.history (a thread == "") and
// conversations.replies: the channel's messages posted by
// chat.postMessage, newest first for history and oldest first for
// replies as Slack does, after oldest, limit at a time with a cursor, and
// their metadata only when include_all_metadata is set. Call with mu held.
func (f *Server) history(form url.Values, thread string) map[string]any {
	channel := form.Get("channel")
	oldest, _ := strconv.ParseFloat(form.Get("oldest"), 64)
	withMeta := form.Get("include_all_metadata") == "1" || form.Get("include_all_metadata") == "true"
	var msgs []map[string]any
	for _, p := range f.posts {
		if p.Method != "chat.postMessage" || p.Channel != channel {
			continue
		}
		if thread == "" && p.Thread != "" || thread != "" && p.Thread != thread && p.TS != thread {
			continue
		}
		if ts, _ := strconv.ParseFloat(p.TS, 64); ts <= oldest {
			continue
		}
		m := map[string]any{"type": "message", "ts": p.TS, "text": p.Text, "bot_id": BotID, "user": BotUserID}
		if p.Thread != "" {
			m["thread_ts"] = p.Thread
		}
		if withMeta && p.Metadata != nil {
			m["metadata"] = p.Metadata
		}
		msgs = append(msgs, m)
	}
	if thread == "" {
		sort.SliceStable(msgs, func(i, j int) bool { return msgs[i]["ts"].(string) > msgs[j]["ts"].(string) })
	}
	start, _ := strconv.Atoi(form.Get("cursor"))
	limit, _ := strconv.Atoi(form.Get("limit"))
	if limit <= 0 || limit > 999 {
		limit = 100
	}
	start = min(start, len(msgs))
	end := min(start+limit, len(msgs))
	out := map[string]any{"ok": true, "messages": msgs[start:end], "has_more": end < len(msgs)}
	if end < len(msgs) {
		out["response_metadata"] = map[string]any{"next_cursor": strconv.Itoa(end)}
	}
	return out
}

// SetLatency makes every later call of method take d before it is
// answered. What the call does happens at once, as on a real Slack that
// has taken a message and is slow to say so: a client that dies while
// waiting has still posted.
func (f *Server) SetLatency(method string, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latency[method] = d
}

// Storm answers every call that names a channel 429 with Retry-After
// seconds until until, as a Slack under a burst would.
func (f *Server) Storm(until time.Time, retryAfter int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.storm, f.stormAfter = until, retryAfter
}

// Early is a call to a channel that came before the end of the
// Retry-After the fake had given for that channel.
type Early struct {
	Method, Channel string
	At, HeldUntil   time.Time
}

// Early lists the calls that ignored a Retry-After: every 429 the fake
// answers for a channel holds that channel until its Retry-After ends.
func (f *Server) Early() []Early {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Early(nil), f.early...)
}

// Throttled is how many calls the fake answered 429.
func (f *Server) Throttled() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.throttled
}
