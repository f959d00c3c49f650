package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

// slowHandler answers only when released, as an engine stuck behind a
// busy store would.
type slowHandler struct {
	entered chan bot.Message
	release chan struct{}
}

func (h *slowHandler) Handle(ctx context.Context, m bot.Message) ([]bot.Reply, error) {
	h.entered <- m
	select {
	case <-h.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return []bot.Reply{{Body: "done: " + m.Text}}, nil
}

// TestAckBeforeSlowWork: an engine slower than the ack budget does not
// hold up the ack; its answer follows when it is ready: a message for an
// event, the response_url for a slash command after "working…".
func TestAckBeforeSlowWork(t *testing.T) {
	f := slackfake.New(t)
	h := &slowHandler{entered: make(chan bot.Message, 4), release: make(chan struct{})}
	o := adapterOpts(f, h, nil)
	o.AckBudget = 20 * time.Millisecond
	o.AppToken = slackfake.AppToken
	a := newAdapter(t, o)
	runSocket(t, f, a)
	srv := httpServer(t, a)

	// Over HTTP: 200 while the engine still works.
	res := signed(t, srv.URL+"/slack/events", jsonType, mustJSON(t, slackfake.MessageEvent("EvSlow1", "D0AMY", "U0AMY", "board", nil)))
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	<-h.entered

	// Over Socket Mode: the ack comes, the answer does not yet.
	env := f.Push("events_api", slackfake.MessageEvent("EvSlow2", "D0AMY", "U0AMY", "list", nil))
	f.Ack(env)
	<-h.entered

	// A slash command: "working…" at once, the answer through response_url.
	form := url.Values{}
	for k, v := range slackfake.SlashPayload("U0AMY", "C1", "tasks", "trig-slow", f.HookURL("slow")) {
		form.Set(k, v.(string))
	}
	res = signed(t, srv.URL+"/slack/commands", "application/x-www-form-urlencoded", form.Encode())
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var w map[string]any
	_ = json.Unmarshal(raw, &w)
	if w["text"] != "处理中…" || w["response_type"] != "ephemeral" {
		t.Fatalf("slash answered %s", raw)
	}
	<-h.entered
	if n := len(f.PostsTo("D0AMY")) + len(f.PostsTo("slow")); n != 0 {
		t.Fatalf("%d answers before the engine finished", n)
	}

	close(h.release)
	f.WaitPost("D0AMY", "done: board")
	f.WaitPost("D0AMY", "done: list")
	f.WaitPost("slow", "done: /collab tasks")
}

// failingHandler fails the first time it sees an event, as an engine
// whose transaction rolled back.
type failingHandler struct {
	seen map[string]bool
}

func (h *failingHandler) Handle(_ context.Context, m bot.Message) ([]bot.Reply, error) {
	if !h.seen[m.EventID] {
		h.seen[m.EventID] = true
		return []bot.Reply{{Body: "⚠️ sorry"}}, errors.New("database is locked")
	}
	return []bot.Reply{{Body: "answered " + m.EventID}}, nil
}

// TestFailedEventIsRedelivered: an event the engine failed to record is
// not acknowledged (HTTP 500), so Slack's retry runs it; the failure
// itself posts nothing.
func TestFailedEventIsRedelivered(t *testing.T) {
	f := slackfake.New(t)
	a := newAdapter(t, adapterOpts(f, &failingHandler{seen: map[string]bool{}}, nil))
	srv := httpServer(t, a)
	ev := mustJSON(t, slackfake.MessageEvent("EvFail", "D0AMY", "U0AMY", "hello", nil))
	res := signed(t, srv.URL+"/slack/events", jsonType, ev)
	res.Body.Close()
	if res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("failed event: status %d", res.StatusCode)
	}
	res = signed(t, srv.URL+"/slack/events", jsonType, ev, "X-Slack-Retry-Num", "1")
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("retry: status %d", res.StatusCode)
	}
	f.WaitPost("D0AMY", "answered EvFail")
	settle(t, a)
	if posts := f.PostsTo("D0AMY"); len(posts) != 1 {
		t.Errorf("%d messages posted", len(posts))
	}
}
