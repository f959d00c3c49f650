package dingtalk_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
)

var launch = dingtest.GroupChat("cid-group-launch", "新品推广项目群")

// fileByLine has amy file COL-1 in the group, answering the request form
// one line at a time, each line an @-mention of the bot.
func (e *env) fileByLine() {
	e.t.Helper()
	steps := []struct{ say, want string }{
		{"发起协作", "协作主题"},
		{"新品推广接口调试", "协作背景与目标"},
		{"Q4 新品上线,12月18日前完成接口调试", "需协助部门"},
		{"研发部、财务部", "对接人"},
		{"跳过", "具体需求描述"},
		{"完成产品接口调试并提供测试报告", "交付物"},
		{"测试报告", "交付标准"},
		{"用例全部通过", "期望完成时间"},
		{"2026-12-18", "涉及场景"},
		{"跳过", "协同方式与频次"},
		{"每日17:00同步", "风险提示"},
		{"跳过", "总协调人"},
		{"跳过", "请确认"},
	}
	for _, s := range steps {
		e.say(launch, amy, s.say, s.want)
	}
	e.say(launch, amy, "确认", "COL-1")
}

// TestCollaborationEndToEnd runs one collaboration through DingTalk: the
// request filed line by line in a group, the first review and both
// acknowledgements by clicking action card buttons in 1:1 chats, and the
// board in the group.
func TestCollaborationEndToEnd(t *testing.T) {
	e := newEnv(t)
	e.run()
	e.fake.Read(func(v *dingtest.View) {
		subs := strings.Join(v.Subscriptions(), "\n")
		for _, want := range []string{"CALLBACK /v1.0/im/bot/messages/get", "CALLBACK /v1.0/card/instances/callback"} {
			if !strings.Contains(subs, want) {
				t.Errorf("subscriptions lack %q:\n%s", want, subs)
			}
		}
	})

	e.fileByLine()
	// In the group, the confirmation's buttons are written out: a click
	// there would not reach the robot.
	for _, m := range e.fake.Sent() {
		if m.Conversation == launch.ID && len(m.Buttons) > 0 {
			t.Errorf("a group reply has buttons: %+v", m)
		}
	}
	if c := e.collab(1); c.Status != bot.StatusInReview || c.Group != "dingtalk:"+launch.ID {
		t.Fatalf("COL-1 after filing: status %s, group %q", c.Status, c.Group)
	}

	// alice, head of 市场部, reviews from the card in her 1:1 chat.
	if n := e.drain(); n == 0 {
		t.Fatal("nothing to send after filing")
	}
	review := dingtest.SentTo(e.fake.Sent(), alice.StaffID)
	if len(review) != 1 || review[0].MsgKey != "sampleActionCard2" {
		t.Fatalf("alice's review request: %+v", review)
	}
	fr, err := e.fake.Click(dingtest.DirectChat(alice.StaffID), alice, button(t, review[0], "通过"))
	if err != nil {
		t.Fatal(err)
	}
	e.answers(fr, "COL-1")

	// Both contacts get a 1:1 card and accept with its buttons.
	e.drain()
	sent := e.fake.Sent()
	for _, u := range []dingtest.User{ben, fiona} {
		cards := dingtest.SentTo(sent, u.StaffID)
		if len(cards) != 1 || cards[0].MsgKey != "sampleActionCard3" || !strings.Contains(cards[0].Text, "新品推广接口调试") {
			t.Fatalf("%s's acknowledgement request: %+v", u.Nick, cards)
		}
		dm := dingtest.DirectChat(u.StaffID)
		fr, err := e.fake.Click(dm, u, button(t, cards[0], "承接"))
		if err != nil {
			t.Fatal(err)
		}
		e.answers(fr, "承接范围")
		e.say(dm, u, "跳过", "资源需求")
		e.say(dm, u, "跳过", "风险提示")
		e.say(dm, u, "跳过", "请确认")
		// The confirmation in a 1:1 chat is an action card: click 确认.
		var confirm dingtest.Message
		for _, m := range e.fake.Sent() {
			if m.Conversation == dm.ID && m.MsgKey == "actionCard" {
				confirm = m
			}
		}
		fr, err = e.fake.Click(dm, u, button(t, confirm, "确认"))
		if err != nil {
			t.Fatal(err)
		}
		e.answers(fr, "已承接")
	}
	if c := e.collab(1); c.Status != bot.StatusActive {
		t.Fatalf("COL-1 after both acknowledgements: %s", c.Status)
	}

	// The group hears of it, and the board reads well in markdown.
	e.drain()
	var group []string
	for _, m := range e.fake.Sent() {
		if m.Via == "group" && m.Conversation == launch.ID {
			group = append(group, m.Text)
		}
	}
	if all := strings.Join(group, "\n"); !strings.Contains(all, "新的协作需求") || !strings.Contains(all, "协作已启动") {
		t.Errorf("group notifications:\n%s", all)
	}
	board := e.say(launch, amy, "看板", "进度看板")
	for _, want := range []string{"#### ", "**对接确认**", "\n\n- ✅ 研发部", "  \n- ✅ 财务部", "已承接"} {
		if !strings.Contains(board, want) {
			t.Errorf("board lacks %q:\n%s", want, board)
		}
	}
}

// TestMixedPlatforms: a requester on Slack and a department on DingTalk.
// The adapter delivers the DingTalk side and declines, as undeliverable,
// what only Slack can reach, so the dispatcher sends it there.
func TestMixedPlatforms(t *testing.T) {
	e := newEnv(t)
	e.run()
	ctx := t.Context()
	// david (研发部) is on Slack only and asks 财务部 (fiona, DingTalk).
	_, err := e.eng.Handle(ctx, bot.Message{Workspace: e.ws, Platform: bot.Slack, EventID: "Ev1", Channel: "C0SLACK",
		From: bot.Identity{Platform: bot.Slack, ID: "U0DAVID"}, Text: `发起协作
协作主题: 对账接口
协作背景与目标: 月底前完成对账接口联调
需协助部门: 财务部
具体需求描述: 提供对账接口与测试账号
期望完成时间: 2026-12-18`})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Handle(ctx, bot.Message{Workspace: e.ws, Platform: bot.Slack, EventID: "Ev2", Channel: "C0SLACK",
		From: bot.Identity{Platform: bot.Slack, ID: "U0DAVID"}, Text: "确认"}); err != nil {
		t.Fatal(err)
	}
	slack := e.drainMixed()
	if len(dingtest.SentTo(e.fake.Sent(), fiona.StaffID)) != 1 {
		t.Fatalf("fiona got no 1:1 card on DingTalk: %+v", e.fake.Sent())
	}
	if !strings.Contains(strings.Join(slack, ","), "slack:C0SLACK") {
		t.Errorf("the Slack group notice was not left for Slack: %v", slack)
	}

	// fiona accepts on DingTalk; david hears of it on Slack.
	dm := dingtest.DirectChat(fiona.StaffID)
	fr, err := e.fake.Click(dm, fiona, button(t, dingtest.SentTo(e.fake.Sent(), fiona.StaffID)[0], "承接"))
	if err != nil {
		t.Fatal(err)
	}
	e.answers(fr, "承接范围")
	e.say(dm, fiona, "跳过")
	e.say(dm, fiona, "跳过")
	e.say(dm, fiona, "跳过")
	e.say(dm, fiona, "确认", "已承接")
	slack = e.drainMixed()
	if !strings.Contains(strings.Join(slack, ","), "david") {
		t.Errorf("david's notice was not left for Slack: %v", slack)
	}
}

// drainMixed drains the outbox through the adapter and returns, as
// "person/group" strings, what it declined as undeliverable (for Slack).
func (e *env) drainMixed() []string {
	e.t.Helper()
	var slack []string
	_, err := e.drainWith(func(ctx context.Context, n bot.Notification) error {
		err := e.ad.Send(ctx, n)
		if errors.Is(err, bot.ErrUndeliverable) {
			slack = append(slack, string(n.To)+"/"+n.Group)
			return nil // the Slack adapter's
		}
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return slack
}
