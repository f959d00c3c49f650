package slack

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

// say has a person type text in the terminal chat of the same workspace:
// the parts of a collaboration the test does not exercise on Slack.
func (w *world) say(person, text string) {
	w.t.Helper()
	_, err := w.eng.Handle(context.Background(), bot.Message{Workspace: w.ws(), Platform: bot.Console, Channel: "setup",
		From: bot.Identity{Platform: bot.Console, ID: person}, Text: text})
	if err != nil {
		w.t.Fatal(err)
	}
}

// TestCorrectionsOverSlack: on Slack, a command typed in a DM while a form
// waits runs and the form's question comes back; the owner's request to
// move a date reaches the coordinator with Approve / Refuse buttons, and
// clicking Approve moves the date and tells the owner.
func TestCorrectionsOverSlack(t *testing.T) {
	f := slackfake.New(t)
	w, a := socketWorld(t, f)

	w.say("amy", "发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 上线\n需协助部门: 运营部\n具体需求描述: 活动页面\n期望完成时间: 2026-12-18")
	w.say("amy", "确认")
	w.say("alice", "初审 COL-1 通过")
	w.say("chris", "确认 COL-1 承接")
	w.say("chris", "确认")
	w.say("amy", "任务 新建 COL-1\n任务名称: 活动页面\n直接责任人: chris\n截止时间: 2026-12-10\n交付标准: 上线")
	w.say("amy", "确认")
	if c := w.collab(1); c.Status != bot.StatusActive || len(c.Tasks) != 1 {
		t.Fatalf("setup: %s with %d tasks", c.Status, len(c.Tasks))
	}
	w.drain(a)

	n := 0
	dm := func(user, text string) {
		n++
		f.Push("events_api", slackfake.MessageEvent("EvC"+strconv.Itoa(n), "D0"+strings.TrimPrefix(user, "U0"), user, text, nil))
	}

	// amy starts a task in her DM, asks for the board halfway, goes on.
	dm("U0AMY", "任务 新建 COL-1")
	f.WaitPost("D0AMY", "任务名称")
	dm("U0AMY", "看板 COL-1")
	f.WaitPost("D0AMY", "进度看板")
	f.WaitPost("D0AMY", "↩ 继续“任务 · COL-1”")
	dm("U0AMY", "取消")
	f.WaitPost("D0AMY", "已取消“任务”")

	// chris asks to move T-1; amy approves with the button.
	dm("U0CHRIS", "任务 T-1 申请改期 2026-12-18 等测试环境")
	f.WaitPost("D0CHRIS", "已申请把 T-1 改到 2026-12-18 18:00")
	w.drain(a)
	ask := f.WaitPost("D0AMY", "申请调整计划 T-1")
	if _, v, _, ok := ask.Button("同意"); !ok || v != "task T-1 approve" {
		t.Fatalf("request DM buttons: %s", ask.Render())
	}
	env := f.Push("interactive", slackfake.ClickPayload(t, ask, "同意", "U0AMY", "trig-approve", f.HookURL("approve")))
	f.Ack(env)
	f.WaitPost("D0AMY", "已同意,T-1 截止时间改为 2026-12-18 18:00")
	w.drain(a)
	f.WaitPost("D0CHRIS", "改期已同意")
	if t1, _ := w.collab(1).Task(1); t1.Due.Format("2006-01-02") != "2026-12-18" {
		t.Errorf("T-1 due %v", t1.Due)
	}
}

// TestExportUploadsAFile: on Slack the record arrives as a file in the
// chat it was asked in; without the permission to upload, as messages.
func TestExportUploadsAFile(t *testing.T) {
	f := slackfake.New(t)
	w, _ := socketWorld(t, f)
	w.say("amy", "发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 上线\n需协助部门: 运营部\n具体需求描述: 活动页面\n期望完成时间: 2026-12-18")
	w.say("amy", "确认")

	f.Push("events_api", slackfake.MessageEvent("EvX1", "D0AMY", "U0AMY", "导出 COL-1 csv", nil))
	f.WaitFor("the record uploaded", func(s *slackfake.State) bool { return len(s.Uploads()) == 1 })
	u := f.Uploads()[0]
	if u.Channel != "D0AMY" || u.Name != "COL-1.csv" || !strings.Contains(string(u.Data), "新品推广接口调试") ||
		!strings.Contains(u.Comment, "COL-1 跨部门沟通记录表") {
		t.Errorf("upload = %+v (%d bytes)", u, len(u.Data))
	}

	f.Fail("files.getUploadURLExternal", "missing_scope")
	f.Push("events_api", slackfake.MessageEvent("EvX2", "D0AMY", "U0AMY", "导出 COL-1", nil))
	p := f.WaitPost("D0AMY", "协作主题")
	if !strings.Contains(p.Render(), "新品推广接口调试") || len(f.Uploads()) != 1 {
		t.Errorf("fallback post: %s", p.Render())
	}
}

// TestExportBySlashGoesToTheDM: /collab 导出 in a channel is answered only
// to the asker, so the record goes to their direct messages — not to the
// channel — and the slash command's answer says where it is.
func TestExportBySlashGoesToTheDM(t *testing.T) {
	f := slackfake.New(t)
	w, _ := socketWorld(t, f)
	w.say("amy", "发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 上线\n需协助部门: 运营部\n具体需求描述: 活动页面\n期望完成时间: 2026-12-18")
	w.say("amy", "确认")

	env := f.Push("slash_commands", slackfake.SlashPayload("U0AMY", "C0LAUNCH", "导出 COL-1 md", "trig-x", f.HookURL("export")))
	if raw := f.Ack(env); strings.Contains(string(raw), "新品推广接口调试") {
		t.Errorf("the record rode in the slash command's ack: %s", raw)
	}
	f.WaitFor("the record uploaded", func(s *slackfake.State) bool { return len(s.Uploads()) == 1 })
	if u := f.Uploads()[0]; u.Channel == "C0LAUNCH" || !strings.HasPrefix(u.Channel, "D") || u.Name != "COL-1.md" {
		t.Errorf("upload went to %s as %s, want amy's DM", u.Channel, u.Name)
	}
	f.WaitPost("export", "COL-1.md 已发到你与 collabot 的私聊")
	for _, p := range f.PostsTo("C0LAUNCH") {
		if strings.Contains(p.Render(), "新品推广接口调试") {
			t.Errorf("the record was posted to the channel: %s", p.Render())
		}
	}
}
