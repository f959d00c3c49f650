package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

// over is the HTTP transport as a test drives it.
type over struct {
	t   *testing.T
	srv string
}

func (o over) slash(p map[string]any) {
	o.t.Helper()
	form := url.Values{}
	for k, v := range p {
		form.Set(k, v.(string))
	}
	res := signed(o.t, o.srv+"/slack/commands", "application/x-www-form-urlencoded", form.Encode())
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		o.t.Fatalf("slash: status %d", res.StatusCode)
	}
}

// interact posts an interaction and returns Slack's view of the answer.
func (o over) interact(p map[string]any) map[string]any {
	o.t.Helper()
	body := url.Values{"payload": {mustJSON(o.t, p)}}.Encode()
	res := signed(o.t, o.srv+"/slack/interactions", "application/x-www-form-urlencoded", body)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		o.t.Fatalf("interaction: status %d: %s", res.StatusCode, raw)
	}
	var out map[string]any
	if len(strings.TrimSpace(string(raw))) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			o.t.Fatalf("interaction answer %q: %v", raw, err)
		}
	}
	return out
}

var request = map[string]map[string]any{
	"topic": slackfake.PlainText("新品推广接口调试"), "goal": slackfake.PlainText("Q4 新品上线"), "departments": slackfake.Picks("运营部"),
	"requirements": slackfake.PlainText("完成接口联调"), "due": slackfake.Date("2026-12-18"),
}

func with(base map[string]map[string]any, key string, v map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for k, x := range base {
		out[k] = x
	}
	out[key] = v
	return out
}

// TestModalRefusals: what the engine refuses comes back under the field
// it concerns, the modal stays open, nothing is filed, and a corrected
// submission goes through.
func TestModalRefusals(t *testing.T) {
	tests := []struct {
		name  string
		state map[string]map[string]any
		field string
		says  string
	}{
		{"a due date in the past", with(request, "due", slackfake.Date("2026-01-05")), "due", "已过"},
		{"a contact outside the directory", with(request, "contacts", slackfake.Users("U0NOBODY")), "contacts", "U0NOBODY"},
		{"a topic over the limit", with(request, "topic", slackfake.PlainText(strings.Repeat("长", 300))), "topic", "最多"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := slackfake.New(t)
			w := newWorld(t)
			o := over{t, httpServer(t, newAdapter(t, adapterOpts(f, w.eng, w))).URL}
			o.slash(slackfake.SlashPayload("U0AMY", "C0LAUNCH", "new", "trig-new", f.HookURL("new")))
			view := f.WaitView("trig-new")

			got := o.interact(slackfake.SubmitPayload(t, view, "U0AMY", "trig-1", tt.state))
			errs, _ := got["errors"].(map[string]any)
			msg, _ := errs[tt.field].(string)
			if got["response_action"] != "errors" || !strings.Contains(msg, tt.says) {
				t.Fatalf("answer %v, want an error on %s saying %q", got, tt.field, tt.says)
			}
			if n := len(w.collabs()); n != 0 {
				t.Fatalf("%d collaborations filed", n)
			}
			if got := o.interact(slackfake.SubmitPayload(t, view, "U0AMY", "trig-2", request)); got != nil {
				t.Fatalf("corrected submission answered %v", got)
			}
			if c := w.collab(1); c.Request.Topic != "新品推广接口调试" {
				t.Errorf("filed %q", c.Request.Topic)
			}
			f.WaitPost("new", "COL-1")
		})
	}
}

// TestDecisionModals: Decline and Reject buttons open a small modal for
// the reason; its submission carries the full command.
func TestDecisionModals(t *testing.T) {
	f := slackfake.New(t)
	w := newWorld(t)
	a := newAdapter(t, adapterOpts(f, w.eng, w))
	o := over{t, httpServer(t, a).URL}
	file := func(trigger string) {
		o.slash(slackfake.SlashPayload("U0AMY", "C0LAUNCH", "new", trigger, f.HookURL(trigger)))
		if got := o.interact(slackfake.SubmitPayload(t, f.WaitView(trigger), "U0AMY", trigger+"-submit", request)); got != nil {
			t.Fatalf("filing answered %v", got)
		}
	}

	// alice sends COL-1 back: Reject asks for comments.
	file("new-1")
	w.drain(a)
	review := f.WaitPost("D0ALICE", "请初审")
	if got := o.interact(slackfake.ClickPayload(t, review, "驳回", "U0ALICE", "trig-reject", f.HookURL("reject"))); got != nil {
		t.Fatalf("click answered %v", got)
	}
	modal := f.WaitView("trig-reject")
	if modal.InputType("comments") == "" || modal.InputType("decision") != "" {
		t.Fatalf("reject modal: %s", modal.Render())
	}
	if got := o.interact(slackfake.SubmitPayload(t, modal, "U0ALICE", "trig-reject-submit", map[string]map[string]any{
		"comments": slackfake.PlainText("目标不可衡量,请补充指标"),
	})); got != nil {
		t.Fatalf("reject answered %v", got)
	}
	c := w.collab(1)
	if c.Status != bot.StatusRejected || len(c.Reviews) != 1 || c.Reviews[0].Comments != "目标不可衡量,请补充指标" {
		t.Fatalf("after reject: %s %+v", c.Status, c.Reviews)
	}
	settle(t, a)
	if !updated(f.Posts(), review.Channel, review.TS) {
		t.Error("the review DM kept its buttons")
	}

	// COL-2 is approved; chris declines it with a reason and an alternative.
	file("new-2")
	w.drain(a)
	review = f.WaitPost("D0ALICE", "请初审")
	for _, p := range f.PostsTo("D0ALICE") {
		if p.Method == "chat.postMessage" && strings.Contains(p.Text, "COL-2") {
			review = p
		}
	}
	o.interact(slackfake.ClickPayload(t, review, "通过", "U0ALICE", "trig-approve", f.HookURL("approve")))
	w.drain(a)
	ask := f.WaitPost("D0CHRIS", "COL-2")
	o.interact(slackfake.ClickPayload(t, ask, "无法承接", "U0CHRIS", "trig-decline", f.HookURL("decline")))
	modal = f.WaitView("trig-decline")
	if modal.InputType("reason") == "" || modal.InputType("alternative") == "" || modal.InputType("scope") != "" {
		t.Fatalf("decline modal: %s", modal.Render())
	}
	if got := o.interact(slackfake.SubmitPayload(t, modal, "U0CHRIS", "trig-decline-submit", map[string]map[string]any{
		"reason": slackfake.PlainText("本月排期已满"), "alternative": slackfake.PlainText("建议1月再启动"),
	})); got != nil {
		t.Fatalf("decline answered %v", got)
	}
	ack, _ := w.collab(2).Ack("运营部")
	if ack.Status != bot.AckDeclined || ack.Reason != "本月排期已满" || ack.Alternative != "建议1月再启动" {
		t.Errorf("ack = %+v", ack)
	}
}
