package dingtalk_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
)

// TestCorrectionsOverDingTalk: an @-mention that is a whole command runs
// while a form is open in the group, and the form's question comes back;
// a department that declines is removed from the group with one command,
// and the collaboration goes active.
func TestCorrectionsOverDingTalk(t *testing.T) {
	e := newEnv(t)
	e.run()
	e.fileByLine()
	e.drain()
	review := dingtest.SentTo(e.fake.Sent(), alice.StaffID)
	fr, err := e.fake.Click(dingtest.DirectChat(alice.StaffID), alice, button(t, review[0], "通过"))
	if err != nil {
		t.Fatal(err)
	}
	e.answers(fr, "COL-1")
	e.drain()

	// ben accepts in his 1:1 chat; halfway through he asks for the board.
	dm := dingtest.DirectChat(ben.StaffID)
	e.say(dm, ben, "确认 COL-1 承接", "承接范围")
	e.say(dm, ben, "看板 COL-1", "进度看板", "↩ 继续“对接确认 · COL-1 研发部”")
	e.say(dm, ben, "接口联调", "资源需求")
	e.say(dm, ben, "确认", "已承接")

	// fiona declines, pasting the reason and the alternative.
	fdm := dingtest.DirectChat(fiona.StaffID)
	e.say(fdm, fiona, "确认 COL-1 无法承接\n原因: 本季度无预算\n替代方案: 走市场部预算", "请确认")
	e.say(fdm, fiona, "确认", "无法承接")
	e.drain()
	notice := texts(dingtest.SentTo(e.fake.Sent(), amy.StaffID))
	if !strings.Contains(notice, "本季度无预算") || !strings.Contains(notice, "移除部门 COL-1 财务部") {
		t.Fatalf("amy's decline notice lacks the reason or the command:\n%s", notice)
	}

	// In the group, amy is halfway through a risk form when she removes
	// 财务部: the command runs, the form waits.
	e.say(launch, amy, "风险 上报 COL-1", "问题描述")
	out := e.say(launch, amy, "移除部门 COL-1 财务部", "已从 COL-1 移除财务部", "↩ 继续“问题/风险登记 · COL-1”")
	if !strings.Contains(out, "进入执行阶段") {
		t.Errorf("no word of the collaboration going active:\n%s", out)
	}
	e.say(launch, amy, "取消", "已取消")
	// DingTalk takes no files from the robot here: the record comes as
	// Markdown, the basic information as a list.
	e.say(launch, amy, "导出 COL-1", "COL-1 跨部门沟通记录表", "协作主题", "新品推广接口调试")
	if c := e.collab(1); c.Status != bot.StatusActive || len(c.Acks) != 1 {
		t.Fatalf("COL-1 = %s with %d departments", c.Status, len(c.Acks))
	}
}
