package slackfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// recorder is a test that records failures instead of failing, so the
// fake's own checks can be seen to fire.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

func (r *recorder) failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

// call makes a form-encoded Web API call and decodes the answer.
func call(t *testing.T, f *Server, method string, form url.Values) (*http.Response, map[string]any) {
	t.Helper()
	res, err := http.PostForm(f.URL()+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res, out
}

func blocksJSON(t *testing.T, blocks ...map[string]any) string {
	t.Helper()
	raw, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func section(text string) map[string]any {
	return map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": text}}
}

func button(id, label, value string) map[string]any {
	return map[string]any{"type": "button", "action_id": id, "value": value,
		"text": map[string]any{"type": "plain_text", "text": label}}
}

// TestSignMatchesSlacksExample: Slack's worked example from "Verifying
// requests from Slack".
func TestSignMatchesSlacksExample(t *testing.T) {
	body := "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
	got := Sign("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", []byte(body))
	if want := "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

func TestCheckBlocks(t *testing.T) {
	tests := []struct {
		name   string
		blocks []map[string]any
		bad    bool
	}{
		{"a section and buttons", []map[string]any{section("hi"),
			{"type": "actions", "elements": []any{button("a:0", "OK", "ok"), button("a:1", "No", "no")}}}, false},
		{"a header over 150 characters", []map[string]any{{"type": "header",
			"text": map[string]any{"type": "plain_text", "text": strings.Repeat("长", 151)}}}, true},
		{"a section over 3000 characters", []map[string]any{section(strings.Repeat("x", 3001))}, true},
		{"a repeated action_id", []map[string]any{{"type": "actions",
			"elements": []any{button("a:0", "OK", "ok"), button("a:0", "No", "no")}}}, true},
		{"a button label over 75 characters", []map[string]any{{"type": "actions",
			"elements": []any{button("a:0", strings.Repeat("b", 76), "ok")}}}, true},
		{"51 blocks", func() []map[string]any {
			var bs []map[string]any
			for range 51 {
				bs = append(bs, section("x"))
			}
			return bs
		}(), true},
		{"an unknown block type", []map[string]any{{"type": "image"}}, true},
	}
	for _, tt := range tests {
		// Through JSON, as the fake receives them.
		var blocks []map[string]any
		if err := json.Unmarshal([]byte(blocksJSON(t, tt.blocks...)), &blocks); err != nil {
			t.Fatal(err)
		}
		if got := CheckBlocks(blocks); (len(got) > 0) != tt.bad {
			t.Errorf("%s: problems %v, want bad=%v", tt.name, got, tt.bad)
		}
	}
}

// TestInvalidBlocksFailTheTest: a message Slack would refuse is refused
// with invalid_blocks, not recorded, and fails the test using the fake.
func TestInvalidBlocksFailTheTest(t *testing.T) {
	rec := &recorder{TB: t}
	f := New(rec)
	_, out := call(t, f, "chat.postMessage", url.Values{"channel": {"C1"}, "text": {"x"},
		"blocks": {blocksJSON(t, section(strings.Repeat("x", 3001)))}})
	if out["ok"] != false || out["error"] != "invalid_blocks" {
		t.Errorf("answer %v, want invalid_blocks", out)
	}
	if len(f.Posts()) != 0 {
		t.Error("an invalid message was recorded")
	}
	if errs := rec.failures(); len(errs) != 1 || !strings.Contains(errs[0], "section text of 3001") {
		t.Errorf("test failures %q, want one naming the section", errs)
	}

	// A modal without title, submit or blocks, sent as slack-go does.
	res, err := http.Post(f.URL()+"views.open", "application/json; charset=utf-8",
		strings.NewReader(`{"trigger_id":"trig","view":{"type":"modal"}}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out = nil
	_ = json.NewDecoder(res.Body).Decode(&out)
	if errs := rec.failures(); out["error"] != "invalid_arguments" || len(errs) != 2 ||
		!strings.Contains(errs[1], "title of 0") || len(f.Views()) != 0 {
		t.Errorf("an invalid modal: answer %v, failures %q", out, rec.failures())
	}
}

// TestPostsAndButtons: a valid message is recorded with a fresh ts,
// found by WaitPost in its blocks, and its buttons make a click payload.
func TestPostsAndButtons(t *testing.T) {
	f := New(t)
	_, out := call(t, f, "chat.postMessage", url.Values{"channel": {"D0ALICE"}, "text": {"fallback"},
		"blocks": {blocksJSON(t, section("请初审 COL-1"),
			map[string]any{"type": "actions", "elements": []any{button("command:0", "通过 Approve", "review COL-1 approve")}})}})
	if out["ok"] != true || out["ts"] == "" {
		t.Fatalf("answer %v", out)
	}
	p := f.WaitPost("D0ALICE", "请初审")
	if p.TS != out["ts"] || !p.HasButtons() || p.Render() != "请初审 COL-1\n通过 Approve" {
		t.Errorf("posted %+v rendering %q", p, p.Render())
	}
	click := ClickPayload(t, p, "Approve", "U0ALICE", "trig", f.HookURL("h"))
	act := click["actions"].([]any)[0].(map[string]any)
	if act["action_id"] != "command:0" || act["value"] != "review COL-1 approve" {
		t.Errorf("click %v", act)
	}
	if got := len(f.PostsTo("D0ALICE")); got != 1 || f.Count("chat.postMessage") != 1 {
		t.Errorf("%d posts, %d calls", got, f.Count("chat.postMessage"))
	}
}

// TestThrottleFailAndUsers: SetThrottle and Fail affect the next call of
// the method only; users.info knows added users.
func TestThrottleFailAndUsers(t *testing.T) {
	f := New(t)
	f.SetThrottle("auth.test", 3)
	res, _ := call(t, f, "auth.test", nil)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "3" {
		t.Errorf("throttled call: %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	f.Fail("auth.test", "invalid_auth")
	if _, out := call(t, f, "auth.test", nil); out["error"] != "invalid_auth" {
		t.Errorf("failed call answered %v", out)
	}
	if _, out := call(t, f, "auth.test", nil); out["ok"] != true || out["user_id"] != BotUserID {
		t.Errorf("third call answered %v", out)
	}
	if n := f.Count("auth.test"); n != 3 {
		t.Errorf("%d calls counted", n)
	}
	f.AddUser("U0ALICE", "张丽 Alice")
	for id, want := range map[string]string{"U0ALICE": "张丽 Alice", "U0BOB": "Guest U0BOB"} {
		_, out := call(t, f, "users.info", url.Values{"user": {id}})
		u, _ := out["user"].(map[string]any)
		if u["real_name"] != want {
			t.Errorf("users.info %s = %v, want %s", id, u["real_name"], want)
		}
	}
}

// TestSubmitPayload keys each value by its block and that block's
// element's action_id, and refuses a block the modal does not have.
func TestSubmitPayload(t *testing.T) {
	v := OpenedView{Trigger: "trig", View: map[string]any{"type": "modal", "blocks": []any{
		map[string]any{"type": "input", "block_id": "topic", "element": map[string]any{"type": "plain_text_input", "action_id": "v"}},
	}}}
	if got := v.InputType("topic"); got != "plain_text_input" {
		t.Errorf("InputType = %q", got)
	}
	p := SubmitPayload(t, v, "U0AMY", "trig-1", map[string]map[string]any{"topic": PlainText("新品")})
	values := p["view"].(map[string]any)["state"].(map[string]any)["values"].(map[string]any)
	if got := values["topic"].(map[string]any)["v"].(map[string]any)["value"]; got != "新品" {
		t.Errorf("state %v", values)
	}
	rec := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		SubmitPayload(rec, v, "U0AMY", "trig-2", map[string]map[string]any{"nosuch": PlainText("x")})
	}()
	<-done
	if errs := rec.failures(); len(errs) != 1 || !strings.Contains(errs[0], `"nosuch"`) {
		t.Errorf("failures %q", errs)
	}
}

// TestSocketMode connects as the adapter would, takes an envelope and
// acks it with a payload.
func TestSocketMode(t *testing.T) {
	f := New(t)
	req, _ := http.NewRequest(http.MethodPost, f.URL()+"apps.connections.open", nil)
	req.Header.Set("Authorization", "Bearer "+AppToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var open struct {
		OK  bool
		URL string
	}
	_ = json.NewDecoder(res.Body).Decode(&open)
	res.Body.Close()
	if !open.OK {
		t.Fatal("apps.connections.open refused the app token")
	}
	conn, _, err := websocket.DefaultDialer.Dial(open.URL, http.Header{"Origin": {"https://api.slack.com"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var hello map[string]any
	if err := conn.ReadJSON(&hello); err != nil || hello["type"] != "hello" {
		t.Fatalf("hello = %v, %v", hello, err)
	}
	start := time.Now()
	id := f.Push("slash_commands", SlashPayload("U0AMY", "C1", "board", "trig", f.HookURL("h")))
	var env struct {
		EnvelopeID string         `json:"envelope_id"`
		Type       string         `json:"type"`
		Payload    map[string]any `json:"payload"`
	}
	if err := conn.ReadJSON(&env); err != nil {
		t.Fatal(err)
	}
	if env.EnvelopeID != id || env.Type != "slash_commands" || env.Payload["text"] != "board" {
		t.Fatalf("envelope %+v", env)
	}
	if err := conn.WriteJSON(map[string]any{"envelope_id": id, "payload": map[string]string{"text": "ok"}}); err != nil {
		t.Fatal(err)
	}
	if got := string(f.Ack(id)); got != `{"text":"ok"}` {
		t.Errorf("ack payload %s", got)
	}
	if at, ok := f.AckedAt(id); !ok || at.Before(start) {
		t.Errorf("acked at %v, %v", at, ok)
	}
	if f.Conns() != 1 {
		t.Errorf("%d connections", f.Conns())
	}
}
