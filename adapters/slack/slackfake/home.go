package slackfake

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The App Home tab: views.publish records the page published for a user,
// its blocks checked as Slack checks a home tab (Block Kit's limits, 100
// blocks); AppHomeOpened is the event of a user opening the tab, and
// HomeClickPayload a click on a button of a published page.

// maxHomeBlocks is Block Kit's limit for a home tab.
const maxHomeBlocks = 100

// PublishedHome is a home tab published by views.publish.
type PublishedHome struct {
	User string
	View map[string]any
}

// Blocks are the page's blocks.
func (h PublishedHome) Blocks() []map[string]any {
	var out []map[string]any
	list, _ := h.View["blocks"].([]any)
	for _, b := range list {
		if m, ok := b.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// Render is the page as text, for test messages.
func (h PublishedHome) Render() string { return Render(h.Blocks()) }

// Button finds a button of the page by (part of) its label.
func (h PublishedHome) Button(label string) (actionID, value, text string, ok bool) {
	return Posted{Blocks: h.Blocks()}.Button(label)
}

// CheckHome checks a home tab view, as JSON decodes it: its type, and its
// blocks by CheckBlocks with a home tab's 100 blocks instead of a
// message's 50.
func CheckHome(v map[string]any) []string {
	var p []string
	if v["type"] != "home" {
		p = append(p, fmt.Sprintf("type %v", v["type"]))
	}
	h := PublishedHome{View: v}
	blocks := h.Blocks()
	if len(blocks) == 0 || len(blocks) > maxHomeBlocks {
		p = append(p, fmt.Sprintf("%d blocks (max %d)", len(blocks), maxHomeBlocks))
	}
	for _, problem := range CheckBlocks(blocks) {
		if strings.HasSuffix(problem, "blocks (max 50)") {
			continue // a message's limit; a home tab has its own
		}
		p = append(p, problem)
	}
	return p
}

// publish serves views.publish; call with mu held.
func (f *Server) publish(body []byte) map[string]any {
	var req struct {
		UserID string         `json:"user_id"`
		View   map[string]any `json:"view"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.UserID == "" {
		return map[string]any{"ok": false, "error": "invalid_arguments"}
	}
	if problems := CheckHome(req.View); len(problems) > 0 {
		f.t.Errorf("views.publish: invalid view: %v", problems)
		return map[string]any{"ok": false, "error": "invalid_arguments"}
	}
	f.homes = append(f.homes, PublishedHome{User: req.UserID, View: req.View})
	return map[string]any{"ok": true, "view": map[string]any{"id": fmt.Sprintf("VH%d", len(f.homes)), "type": "home"}}
}

// Homes are the home tabs published so far, in order.
func (s *State) Homes() []PublishedHome { return append([]PublishedHome(nil), s.srv().homes...) }

// Homes are the home tabs published so far, in order.
func (f *Server) Homes() []PublishedHome {
	f.mu.Lock()
	defer f.mu.Unlock()
	return (&State{f: f}).Homes()
}

// HomeOf is the last home tab published for user, and how many were.
func (f *Server) HomeOf(user string) (PublishedHome, int) {
	var last PublishedHome
	n := 0
	for _, h := range f.Homes() {
		if h.User == user {
			last, n = h, n+1
		}
	}
	return last, n
}

// WaitHome waits until user's home tab has been published n times in all
// and returns the last.
func (f *Server) WaitHome(user string, n int) PublishedHome {
	f.t.Helper()
	var last PublishedHome
	f.WaitFor(fmt.Sprintf("home tab of %s published %d times", user, n), func(s *State) bool {
		count := 0
		for _, h := range s.Homes() {
			if h.User == user {
				last, count = h, count+1
			}
		}
		return count >= n
	})
	return last
}

// AppHomeOpened is the Events API callback of user opening the app's
// Home tab (tab "home"; "messages" is the DM tab, which fires it too).
func AppHomeOpened(eventID, user, tab string) map[string]any {
	return Callback(eventID, map[string]any{"type": "app_home_opened", "user": user,
		"channel": "D" + strings.TrimPrefix(user, "U"), "tab": tab, "event_ts": "1700000001.000100"})
}

// HomeClickPayload is a block_actions payload of user clicking the button
// labelled (in part) label on their published home tab. The test fails
// if the page has no such button.
func HomeClickPayload(t testing.TB, h PublishedHome, label, user, trigger string) map[string]any {
	t.Helper()
	id, value, text, ok := h.Button(label)
	if !ok {
		t.Fatalf("no button %q on the home tab: %s", label, h.Render())
	}
	return map[string]any{"type": "block_actions", "user": map[string]any{"id": user}, "trigger_id": trigger,
		"api_app_id": AppID, "team": map[string]any{"id": TeamID},
		"container": map[string]any{"type": "view", "view_id": "VH1"},
		"view":      map[string]any{"id": "VH1", "type": "home", "blocks": h.View["blocks"]},
		"actions": []any{map[string]any{"type": "button", "action_id": id, "block_id": "b", "value": value,
			"action_ts": "1700000002.000200", "text": map[string]any{"type": "plain_text", "text": text}}}}
}
