package slack

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
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

// TestSlowEngineRefusedNotAcked: an engine that has not recorded an event
// within the ack budget (a store whose writer is behind) makes the
// adapter refuse it — 503 over HTTP, no ack over Socket Mode, 503 for a
// slash command — and never acknowledge it unrecorded; each refusal is
// counted. The work is not cut off: once it commits its answer is
// posted, once, and Slack's redelivery is acknowledged as a duplicate.
func TestSlowEngineRefusedNotAcked(t *testing.T) {
	f := slackfake.New(t)
	h := &slowHandler{entered: make(chan bot.Message, 4), release: make(chan struct{})}
	o := adapterOpts(f, h, nil)
	o.AckBudget = 20 * time.Millisecond
	o.AppToken = slackfake.AppToken
	var refused atomic.Int32
	o.Overloaded = func() { refused.Add(1) }
	a := newAdapter(t, o)
	runSocket(t, f, a)
	srv := httpServer(t, a)

	// Over HTTP: 503, with Retry-After.
	ev := slackfake.MessageEvent("EvSlow1", "D0AMY", "U0AMY", "board", nil)
	res := signed(t, srv.URL+"/slack/events", jsonType, mustJSON(t, ev))
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q; want 503 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	<-h.entered

	// Over Socket Mode: no ack.
	env := f.Push("events_api", slackfake.MessageEvent("EvSlow2", "D0AMY", "U0AMY", "list", nil))
	<-h.entered

	// A slash command: 503 (Slack shows the person it failed).
	form := url.Values{}
	for k, v := range slackfake.SlashPayload("U0AMY", "C1", "tasks", "trig-slow", f.HookURL("slow")) {
		form.Set(k, v.(string))
	}
	res = signed(t, srv.URL+"/slack/commands", "application/x-www-form-urlencoded", form.Encode())
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("slash command: status %d, want 503", res.StatusCode)
	}
	<-h.entered
	deadline := time.Now().Add(5 * time.Second)
	for refused.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("%d refusals counted, want 3", refused.Load())
		}
		time.Sleep(time.Millisecond) // polling a counter with a deadline
	}
	if _, acked := f.AckedAt(env); acked {
		t.Fatal("socket mode event acknowledged before it was recorded")
	}
	if n := len(f.PostsTo("D0AMY")) + len(f.PostsTo("slow")); n != 0 {
		t.Fatalf("%d answers to events not recorded yet", n)
	}

	// The engine finishes: the answers follow, and Slack's redeliveries
	// are acknowledged as duplicates, with nothing more to say.
	close(h.release)
	f.WaitPost("D0AMY", "done: board")
	f.WaitPost("D0AMY", "done: list")
	f.WaitPost("slow", "done: /collab tasks")
	res = signed(t, srv.URL+"/slack/events", jsonType, mustJSON(t, ev), "X-Slack-Retry-Num", "1")
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("redelivery: status %d", res.StatusCode)
	}
	f.PushAs("events_api", slackfake.MessageEvent("EvSlow2", "D0AMY", "U0AMY", "list", nil), 1, env)
	f.Ack(env)
	settle(t, a)
	if n := len(f.PostsTo("D0AMY")); n != 2 {
		t.Errorf("%d answers to two events", n)
	}
	if n := refused.Load(); n != 3 {
		t.Errorf("%d refusals counted, want 3", n)
	}
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
