package dingtalk_test

import (
	"context"
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
)

// setup has a person type text in the terminal chat of the same
// workspace: the steps the test does not exercise on DingTalk.
func (e *env) setup(person, text string) {
	e.t.Helper()
	_, err := e.eng.Handle(context.Background(), bot.Message{Workspace: e.ws, Platform: bot.Console, Channel: "setup",
		From: bot.Identity{Platform: bot.Console, ID: person}, Text: text})
	if err != nil {
		e.t.Fatal(err)
	}
}

// TestFileSentWithDelivery: ben sends a file (msgtype file) and a picture
// while his delivery form is open in his 1:1 chat; the adapter trades each
// download code for a link through the robot message file download
// OpenAPI, and the delivery keeps name and link — not the file. A
// redelivered picture asks for no link again.
func TestFileSentWithDelivery(t *testing.T) {
	e := newEnv(t)
	e.run()
	e.setup("amy", "发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 上线\n需协助部门: 研发部\n具体需求描述: 接口\n期望完成时间: 2026-12-18")
	e.setup("amy", "确认")
	e.setup("alice", "初审 COL-1 通过")
	e.setup("ben", "确认 COL-1 承接")
	e.setup("ben", "确认")
	e.setup("amy", "任务 新建 COL-1\n任务名称: 接口调试\n直接责任人: ben\n截止时间: 2026-12-10\n交付标准: 用例通过")
	e.setup("amy", "确认")
	if c := e.collab(1); c.Status != bot.StatusActive {
		t.Fatalf("setup: %s", c.Status)
	}

	dm := dingtest.DirectChat(ben.StaffID)
	// Nothing open yet: the file is refused, in words.
	fr := e.fake.FileMessage(dm, ben, "stray.pdf")
	e.fake.Deliver(fr)
	e.answers(fr, "附件要附在某项记录上")

	e.say(dm, ben, "交付 COL-1\n成果交付清单: 测试报告, v1, 1, https://docs.example.com/r\n成果自检: 已自检", "请确认")
	fr = e.fake.FileMessage(dm, ben, "测试报告.pdf")
	e.fake.Deliver(fr)
	e.answers(fr, "已附上 测试报告.pdf")
	fr = e.fake.PictureMessage(dm, ben)
	e.fake.Deliver(fr)
	e.answers(fr, "已附上 image.png")
	e.fake.Deliver(fr) // redelivered: acknowledged, no link asked for again
	e.fake.WaitFor(t, "the redelivered picture", func(v *dingtest.View) bool { return v.Acked(fr.ID()) == 2 })
	e.say(dm, ben, "确认", "成果已提交验收")

	c := e.collab(1)
	if len(c.Deliveries) != 1 {
		t.Fatalf("deliveries %+v", c.Deliveries)
	}
	atts := c.Deliveries[0].Attachments
	if len(atts) != 2 || atts[0].Name != "测试报告.pdf" || atts[0].Platform != bot.DingTalk ||
		!strings.HasPrefix(atts[0].Link, e.fake.URL+"/files/") || atts[1].Name != "image.png" {
		t.Fatalf("attachments %+v", atts)
	}
	if n := e.fake.FileDownloads(); n != 3 {
		t.Errorf("%d download codes resolved, want 3 (the stray one too, not the redelivery)", n)
	}
}
