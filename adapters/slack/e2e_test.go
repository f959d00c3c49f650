package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestCollaborationOverSocketMode runs one collaboration through Slack the
// way people would: /collab new opens a modal, its submission files the
// request, the reviewer and the contact get DMs with buttons, clicking
// them approves and (through a small modal) accepts, the group hears the
// collaboration is active, and /collab board shows the board to the
// channel. Notifications are delivered by calling Send with what the
// engine's outbox holds, as the dispatcher will.
func TestCollaborationOverSocketMode(t *testing.T) {
	f := newFakeSlack(t)
	w := newWorld(t)
	o := adapterOpts(f, w.eng, w)
	o.AppToken = "xapp-test"
	a := newAdapter(t, o)
	runSocket(t, f, a)

	// amy types /collab new in the team's channel: a modal, no message.
	env := f.push("slash_commands", slashPayload("U0AMY", "C0LAUNCH", "new", "trig-new", f.hookURL("new")))
	if p := f.ack(env); string(p) != "null" {
		t.Fatalf("/collab new acked with %s, want an empty ack", p)
	}
	view := f.waitView("trig-new")
	for _, key := range []string{"topic", "goal", "departments", "contacts", "requirements", "due"} {
		if inputType(view, key) == "" {
			t.Errorf("the request modal has no %q input", key)
		}
	}
	if got := inputType(view, "departments"); got != "multi_static_select" {
		t.Errorf("departments input = %s, want a multi select of the directory's departments", got)
	}

	// She fills it in and submits: the request is filed.
	env = f.push("interactive", submitPayload(view, "U0AMY", "trig-submit-new", map[string]map[string]any{
		"topic": text("新品推广接口调试"), "goal": text("Q4 新品上线\n12月1日前完成接口联调"),
		"departments": picks("运营部"), "requirements": text("完成接口联调并提供测试报告"), "due": date("2026-12-18"),
	}))
	if p := f.ack(env); string(p) != "null" {
		t.Fatalf("submission acked with %s, want the modal closed", p)
	}
	f.waitPost("new", "COL-1")
	c := w.collab(1)
	if c.Status != bot.StatusInReview || c.Group != "slack:C0LAUNCH" || c.Request.Topic != "新品推广接口调试" {
		t.Fatalf("COL-1 = %s in %q about %q", c.Status, c.Group, c.Request.Topic)
	}
	if !strings.Contains(c.Request.Goal, "12月1日") {
		t.Errorf("goal lost its second line: %q", c.Request.Goal)
	}

	// 市场部 reviews its requests first: alice gets a DM with buttons.
	w.drain(a)
	review := f.waitPost("D0ALICE", "请初审")
	if !review.hasButtons() {
		t.Fatalf("review DM without buttons: %s", render(review.Blocks))
	}
	env = f.push("interactive", clickPayload(t, review, "Approve", "U0ALICE", "trig-approve", f.hookURL("approve")))
	f.ack(env)
	f.waitPost("D0ALICE", "初审通过")
	f.waitFor("the review DM to lose its buttons", func() bool { return updated(f.posts, review.Channel, review.TS) })
	if s := w.collab(1).Status; s != bot.StatusAwaitingAck {
		t.Fatalf("after review: %s", s)
	}

	// chris, 运营部's contact, gets his DM; Accept opens a small modal.
	w.drain(a)
	ask := f.waitPost("D0CHRIS", "请确认协作需求")
	env = f.push("interactive", clickPayload(t, ask, "Accept", "U0CHRIS", "trig-accept", f.hookURL("accept")))
	if p := f.ack(env); string(p) != "null" {
		t.Fatalf("click acked with %s", p)
	}
	modal := f.waitView("trig-accept")
	if inputType(modal, "decision") != "" || inputType(modal, "reason") != "" || inputType(modal, "scope") == "" {
		t.Errorf("accept modal should ask scope, resources and risks only: %s", render(blocksOf(modal)))
	}
	env = f.push("interactive", submitPayload(modal, "U0CHRIS", "trig-submit-accept", map[string]map[string]any{
		"scope": text("负责接口联调与测试环境"),
	}))
	if p := f.ack(env); string(p) != "null" {
		t.Fatalf("accept submission acked with %s", p)
	}
	f.waitPost("D0CHRIS", "已承接")
	f.waitFor("the acknowledgement DM to lose its buttons", func() bool { return updated(f.posts, ask.Channel, ask.TS) })
	c = w.collab(1)
	if c.Status != bot.StatusActive {
		t.Fatalf("after accepting: %s", c.Status)
	}
	if a, _ := c.Ack("运营部"); a.Scope != "负责接口联调与测试环境" {
		t.Errorf("scope = %q", a.Scope)
	}

	// The group hears about it, and /collab board shows the board there.
	w.drain(a)
	f.waitPost("C0LAUNCH", "协作已启动")
	env = f.push("slash_commands", slashPayload("U0AMY", "C0LAUNCH", "board COL-1", "trig-board", f.hookURL("board")))
	var board struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal(f.ack(env), &board); err != nil {
		t.Fatal(err)
	}
	if board.ResponseType != "in_channel" || !strings.Contains(board.Text, "进度看板") || !strings.Contains(board.Text, "运营部") {
		t.Errorf("board answer = %+v", board)
	}
}

// inputType is the element type of a modal's input block, "" if absent.
func inputType(v openedView, key string) string {
	for _, b := range blocksOf(v) {
		if b["type"] == "input" && b["block_id"] == key {
			el, _ := b["element"].(map[string]any)
			s, _ := el["type"].(string)
			return s
		}
	}
	return ""
}

func blocksOf(v openedView) []map[string]any {
	var out []map[string]any
	list, _ := v.View["blocks"].([]any)
	for _, b := range list {
		if m, ok := b.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// updated: the message at ts was replaced by one without buttons.
func updated(posts []posted, channel, ts string) bool {
	for _, p := range posts {
		if p.Method == "chat.update" && p.Channel == channel && p.TS == ts && !p.hasButtons() &&
			strings.Contains(render(p.Blocks), "✅") {
			return true
		}
	}
	return false
}
