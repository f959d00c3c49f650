package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/slack/slackfake"
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
	f := slackfake.New(t)
	w, a := socketWorld(t, f)

	// amy types /collab new in the team's channel: a modal, no message.
	env := f.Push("slash_commands", slackfake.SlashPayload("U0AMY", "C0LAUNCH", "new", "trig-new", f.HookURL("new")))
	if p := f.Ack(env); string(p) != "null" {
		t.Fatalf("/collab new acked with %s, want an empty ack", p)
	}
	view := f.WaitView("trig-new")
	for _, key := range []string{"topic", "goal", "departments", "contacts", "requirements", "due"} {
		if view.InputType(key) == "" {
			t.Errorf("the request modal has no %q input", key)
		}
	}
	if got := view.InputType("departments"); got != "multi_static_select" {
		t.Errorf("departments input = %s, want a multi select of the directory's departments", got)
	}

	// She fills it in and submits: the request is filed.
	env = f.Push("interactive", slackfake.SubmitPayload(t, view, "U0AMY", "trig-submit-new", map[string]map[string]any{
		"topic": slackfake.PlainText("新品推广接口调试"), "goal": slackfake.PlainText("Q4 新品上线\n12月1日前完成接口联调"),
		"departments": slackfake.Picks("运营部"), "requirements": slackfake.PlainText("完成接口联调并提供测试报告"), "due": slackfake.Date("2026-12-18"),
	}))
	if p := f.Ack(env); string(p) != "null" {
		t.Fatalf("submission acked with %s, want the modal closed", p)
	}
	f.WaitPost("new", "COL-1")
	c := w.collab(1)
	if c.Status != bot.StatusInReview || c.Group != "slack:C0LAUNCH" || c.Request.Topic != "新品推广接口调试" {
		t.Fatalf("COL-1 = %s in %q about %q", c.Status, c.Group, c.Request.Topic)
	}
	if !strings.Contains(c.Request.Goal, "12月1日") {
		t.Errorf("goal lost its second line: %q", c.Request.Goal)
	}

	// 市场部 reviews its requests first: alice gets a DM with buttons.
	w.drain(a)
	review := f.WaitPost("D0ALICE", "请初审")
	if !review.HasButtons() {
		t.Fatalf("review DM without buttons: %s", review.Render())
	}
	env = f.Push("interactive", slackfake.ClickPayload(t, review, "通过", "U0ALICE", "trig-approve", f.HookURL("approve")))
	f.Ack(env)
	f.WaitPost("D0ALICE", "初审通过")
	f.WaitFor("the review DM to lose its buttons", func(s *slackfake.State) bool { return updated(s.Posts(), review.Channel, review.TS) })
	if s := w.collab(1).Status; s != bot.StatusAwaitingAck {
		t.Fatalf("after review: %s", s)
	}

	// chris, 运营部's contact, gets his DM; Accept is one tap: the
	// decision is the button, and the details are optional.
	w.drain(a)
	ask := f.WaitPost("D0CHRIS", "请确认协作需求")
	views := len(f.Views())
	env = f.Push("interactive", slackfake.ClickPayload(t, ask, "承接", "U0CHRIS", "trig-accept", f.HookURL("accept")))
	if p := f.Ack(env); string(p) != "null" {
		t.Fatalf("click acked with %s", p)
	}
	accepted := f.WaitPost("D0CHRIS", "已承接")
	f.WaitFor("the acknowledgement DM to lose its buttons", func(s *slackfake.State) bool { return updated(s.Posts(), ask.Channel, ask.TS) })
	if len(f.Views()) != views {
		t.Error("accepting opened a modal; it is one tap")
	}
	c = w.collab(1)
	if c.Status != bot.StatusActive {
		t.Fatalf("after accepting: %s", c.Status)
	}
	// The details come after, from the answer's button: a small modal.
	env = f.Push("interactive", slackfake.ClickPayload(t, accepted, "补充详情", "U0CHRIS", "trig-details", f.HookURL("details")))
	f.Ack(env)
	modal := f.WaitView("trig-details")
	if modal.InputType("decision") != "" || modal.InputType("reason") != "" || modal.InputType("scope") == "" {
		t.Errorf("the details modal should ask scope, resources and risks only: %s", modal.Render())
	}
	env = f.Push("interactive", slackfake.SubmitPayload(t, modal, "U0CHRIS", "trig-submit-details", map[string]map[string]any{
		"scope": slackfake.PlainText("负责接口联调与测试环境"),
	}))
	if p := f.Ack(env); string(p) != "null" {
		t.Fatalf("details submission acked with %s", p)
	}
	f.WaitPost("D0CHRIS", "已补充")
	if a, _ := w.collab(1).Ack("运营部"); a.Scope != "负责接口联调与测试环境" || a.Status != bot.AckAccepted {
		t.Errorf("after the details: %+v", a)
	}

	// The group hears about it, and /collab board shows the board there.
	w.drain(a)
	f.WaitPost("C0LAUNCH", "协作已启动")
	env = f.Push("slash_commands", slackfake.SlashPayload("U0AMY", "C0LAUNCH", "board COL-1", "trig-board", f.HookURL("board")))
	var board struct {
		ResponseType string `json:"response_type"`
		Text         string `json:"text"`
	}
	if err := json.Unmarshal(f.Ack(env), &board); err != nil {
		t.Fatal(err)
	}
	if board.ResponseType != "in_channel" || !strings.Contains(board.Text, "进度看板") || !strings.Contains(board.Text, "运营部") {
		t.Errorf("board answer = %+v", board)
	}
}

// updated: the message at ts was replaced by one without buttons.
func updated(posts []slackfake.Posted, channel, ts string) bool {
	for _, p := range posts {
		if p.Method == "chat.update" && p.Channel == channel && p.TS == ts && !p.HasButtons() &&
			strings.Contains(p.Render(), "✅") {
			return true
		}
	}
	return false
}
