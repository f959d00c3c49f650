package engine_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/console"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/engine"
)

// TestMinutesButtonSpeaksTheReadersLanguage: the 确认无误 button of the
// minutes notice and its reminder, written out for a Chinese reader, is a
// Chinese command (it was "confirm M-1"), and it confirms the minutes.
func TestMinutesButtonSpeaksTheReadersLanguage(t *testing.T) {
	h := newHarness(t)
	if got := engine.Spoken(h.eng, "confirm M-1", bot.Chinese); got != "确认 M-1" {
		t.Errorf("spoken(confirm M-1) = %q", got)
	}
	if got := engine.Spoken(h.eng, "confirm M-1", bot.English); got != "confirm M-1" {
		t.Errorf("spoken in English = %q", got)
	}
	h.meetingHeld()
	out := h.chat(":as amy\n\"\"\"\n会议 M-1 纪要\n共识结论: 范围确定\n\"\"\"\n确认\n")
	mustContain(t, out, "[确认无误] 确认 M-1")
	mustLack(t, out, "confirm M-1")
	out = h.atOut("2026-11-26 10:00")
	mustContain(t, out, "请确认", "[确认无误] 确认 M-1")
	mustLack(t, out, "confirm M-1")
	out = h.chat(":as ben\n确认 M-1\n")
	mustContain(t, out, "已确认 M-1 的纪要")
}

// atOut is at, returning what the notices it delivered print.
func (h *harness) atOut(moment string) string {
	h.t.Helper()
	if _, err := h.clock.Set(moment, h.cfg.Location()); err != nil {
		h.t.Fatal(err)
	}
	h.tick(h.clock.Now())
	var out bytes.Buffer
	if _, err := h.dispatcher(&console.Console{Out: &out}).DrainAll(context.Background()); err != nil {
		h.t.Fatal(err)
	}
	return out.String()
}

// TestDueChangeAskedByResolvingARisk: a due change asked for by resolving
// a risk names who resolved it and the risk, not the task's owner.
func TestDueChangeAskedByResolvingARisk(t *testing.T) {
	for _, tc := range []struct {
		lang, cmd string
		wants     []string
	}{
		{"zh", "风险 R-1 解决 已切换备用环境 顺延 T-1 T-2 至 2026-12-20",
			[]string{"陈斌 Ben 解决 R-1 时申请把「预算审批」的截止时间从 2026-12-11 18:00 改到 2026-12-20 18:00。原因:已切换备用环境"}},
		{"en", "risk R-1 resolve switched to the spare environment move T-1 T-2 to 2026-12-20",
			[]string{"陈斌 Ben, resolving R-1, asks to move “预算审批” from 2026-12-11 18:00 to 2026-12-20 18:00. Reason: switched to the spare environment"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t)
			h.withIssue()
			h.chat(":as amy\n:lang " + tc.lang + "\n")
			out := h.chat(":as ben\n" + tc.cmd + "\n")
			mustContain(t, out, tc.wants...)
			mustLack(t, out, "周婷 Fiona 申请", "周婷 Fiona asks")
		})
	}
}

// noticesTo is the notices in out delivered to person, each from its
// "→ @person" line to the next notice.
func noticesTo(out string, person bot.PersonID) string {
	var b strings.Builder
	for _, block := range strings.Split(out, "→ @")[1:] {
		if strings.HasPrefix(block, string(person)+" ") {
			b.WriteString("→ @" + block)
		}
	}
	return b.String()
}

// TestTaskDueToTheCoordinator: the coordinator's notice of a task falling
// due and overdue offers her own actions (replan, the board), not the
// owner's done/help/blocked or ask-due.
func TestTaskDueToTheCoordinator(t *testing.T) {
	for _, tc := range []struct {
		lang              string
		due, owners, lack []string
	}{
		{"zh", []string{"陈斌 Ben 的任务「接口调试」截止时间 2026-12-10 18:00 已到", "已提醒责任人", "`任务 T-1 改期 <日期> <原因>`", "[看板] 看板 COL-1"},
			[]string{"[完成] 任务 T-1 完成", "申请改期"}, []string{"申请改期", "[完成]", "[需协助]", "[阻塞]"}},
		{"en", []string{"陈斌 Ben's task “接口调试” was due 2026-12-10 18:00", "the owner has been reminded", "`task T-1 due <date> <reason>`", "board COL-1"},
			[]string{"[完成] 任务 T-1 完成"}, []string{"ask-due", "task T-1 done", "task T-1 help", "task T-1 block"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t)
			h.withTask()
			h.chat(":as amy\n:lang " + tc.lang + "\n")
			out := h.atOut("2026-12-10 18:00")
			amy := noticesTo(out, "amy")
			mustContain(t, amy, tc.due...)
			mustLack(t, amy, tc.lack...)
			mustContain(t, noticesTo(out, "ben"), tc.owners...)
			out = h.atOut("2026-12-11 18:00")
			amy = noticesTo(out, "amy")
			mustContain(t, amy, "T-1", "COL-1")
			mustLack(t, amy, tc.lack...)
			mustContain(t, noticesTo(out, "ben"), "[完成] 任务 T-1 完成")
		})
	}
}

// TestTypedAsksNameTheCollaboration: a problem's and an alignment's notice
// to a department writes the command with the real reference (it showed
// "解决 <COL-n>" and "已阅 <COL-n> [疑问]").
func TestTypedAsksNameTheCollaboration(t *testing.T) {
	for _, tc := range []struct {
		name, lang, file string
		wants            []string
	}{
		{"problem zh", "zh", "\"\"\"\n新建 问题\n协作主题: 订单重复扣款\n问题描述: 客户投诉重复扣款\n需协助部门: 研发部\n期望解决时间: 下周五\n\"\"\"\n确认\n",
			[]string{"`解决 COL-1`"}},
		{"problem en", "en", "\"\"\"\n新建 问题\n协作主题: 订单重复扣款\n问题描述: 客户投诉重复扣款\n需协助部门: 研发部\n期望解决时间: 下周五\n\"\"\"\n确认\n",
			[]string{"`solve COL-1`"}},
		{"alignment zh", "zh", "\"\"\"\n新建 信息同步\n协作主题: 差旅制度更新\n同步内容: 住宿标准调整\n需确认部门: 研发部\n确认截止时间: 2026-11-25\n\"\"\"\n确认\n",
			[]string{"`已阅 COL-1 [疑问]`"}},
		{"alignment en", "en", "\"\"\"\n新建 信息同步\n协作主题: 差旅制度更新\n同步内容: 住宿标准调整\n需确认部门: 研发部\n确认截止时间: 2026-11-25\n\"\"\"\n确认\n",
			[]string{"`read COL-1 [questions]`"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.chat(":as ben\n:lang " + tc.lang + "\n")
			out := noticesTo(h.chat(":as carol\n"+tc.file), "ben")
			mustContain(t, out, tc.wants...)
			mustLack(t, out, "COL-n")
		})
	}
}

// TestPastMeetingTimeSpeaksOfTheMeeting: a meeting time in the past is
// refused as a meeting time, pasted, typed or rescheduled (it said "the
// due date has passed").
func TestPastMeetingTimeSpeaksOfTheMeeting(t *testing.T) {
	for _, tc := range []struct {
		name, lang, script, want, lack string
	}{
		{"form zh", "zh", "\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 2026-11-20 10:00\n时长: 1h\n参会人: @ben\n\"\"\"\n确认\n",
			"会议时间 2026-11-20 10:00 已过", "截止时间"},
		{"form en", "en", "\"\"\"\nmeeting new COL-1\ntype: kickoff\ntime: 2026-11-20 10:00\nduration: 1h\nattendees: @ben\n\"\"\"\nconfirm\n",
			"The meeting time 2026-11-20 10:00 has passed", "due date"},
		{"reschedule zh", "zh", "会议 M-1 改期 2026-11-20 10:00\n", "会议时间 2026-11-20 10:00 已过", "截止时间"},
		{"reschedule en", "en", "meeting M-1 reschedule 2026-11-20 10:00\n", "The meeting time 2026-11-20 10:00 has passed", "due date"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.meetingTomorrow()
			out := h.chat(":as amy\n:lang " + tc.lang + "\n" + tc.script)
			mustContain(t, out, tc.want)
			mustLack(t, out, tc.lack)
		})
	}
}

// TestPastMeetingTimeTyped: the same, answered line by line.
func TestPastMeetingTimeTyped(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as amy\n会议 安排 COL-1\n启动会\n2026-11-20 10:00\n")
	mustContain(t, out, "会议时间 2026-11-20 10:00 已过")
	mustLack(t, out, "截止时间 2026-11-20")
}

// TestExportRefusesAnUnknownFormat: `export COL-1 xml` names the formats
// instead of answering Markdown as if xml were not there.
func TestExportRefusesAnUnknownFormat(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	out := h.chat(":as amy\n导出 COL-1 xml\n")
	mustContain(t, out, "不认识导出格式“xml”:可选 md, csv, json")
	mustLack(t, out, "跨部门沟通记录表")
	out = h.chat(":lang en\nexport COL-1 xml\n")
	mustContain(t, out, "Unknown export format “xml”: use md, csv, json")
	mustLack(t, out, "collaboration record")
	// What it takes still works: a format, a language, both.
	mustContain(t, h.chat("export COL-1 csv zh\n"), "(COL-1.csv)", "基本信息,COL-1,协作主题")
	mustContain(t, h.chat("export COL-1 en\n"), "COL-1 collaboration record", "(COL-1.md)")
	// Words people put before the format are no format.
	mustContain(t, h.chat("export COL-1 as csv\n"), "(COL-1.csv)")
	mustContain(t, h.chat("导出 COL-1 为 json\n"), "(COL-1.json)")
}

// TestAgendaLateGoesNow: an agenda written less than 24 hours before the
// meeting is said to go to the attendees now (it said "24 hours before"),
// and it does; one written earlier still waits for its moment.
func TestAgendaLateGoesNow(t *testing.T) {
	for _, tc := range []struct {
		lang, agenda, early, late string
	}{
		{"zh", "\"\"\"\n会议 M-1 议程\n议程: 确认目标\n\"\"\"\n确认\n", "会前 24 小时会发给参会人", "已到会前约 24 小时(工作时间内)的发送时间,议程现在就发给参会人"},
		{"en", "\"\"\"\nmeeting M-1 agenda\nagenda: confirm goals\n\"\"\"\nconfirm\n", "attendees get it 24 hours before", "its time to go out (about 24 hours before, within working hours) has come, so it goes to the attendees now"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t)
			h.withTask()
			// M-1 on Wednesday 10:00, two days ahead.
			h.chat(":as amy\n:lang " + tc.lang + "\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 2026-11-25 10:00\n时长: 1h\n参会人: @ben\n\"\"\"\n确认\n")
			out := h.chat(tc.agenda)
			mustContain(t, out, tc.early)
			mustLack(t, out, tc.late)
			// Tuesday 15:00: less than 24 hours to go.
			h.atOut("2026-11-24 15:00")
			out = h.chat(tc.agenda)
			mustContain(t, out, tc.late)
			mustLack(t, out, tc.early)
		})
	}
	// A meeting at 17:30 has its agenda go the day before at 17:00, an
	// hour before work ends (the scheduler's margin): written at 17:10,
	// 24 h 20 min ahead, it goes now, and the reply says so.
	late := newHarness(t)
	late.withTask()
	late.chat(":as amy\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 2026-11-25 17:30\n时长: 1h\n参会人: @ben\n\"\"\"\n确认\n")
	late.atOut("2026-11-24 17:10")
	mustContain(t, late.chat("\"\"\"\n会议 M-1 议程\n议程: 确认目标\n\"\"\"\n确认\n"), "议程现在就发给参会人")
	mustContain(t, noticesTo(late.atOut("2026-11-24 17:11"), "ben"), "M-1", "确认目标")
	// A meeting this afternoon: the agenda goes at the next tick.
	h := newHarness(t)
	h.withTask()
	h.chat(":as amy\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 2026-11-23 16:00\n时长: 1h\n参会人: @ben\n\"\"\"\n确认\n")
	out := h.chat("\"\"\"\n会议 M-1 议程\n议程: 确认目标\n\"\"\"\n确认\n")
	mustContain(t, out, "议程现在就发给参会人")
	mustContain(t, noticesTo(h.atOut("2026-11-23 10:01"), "ben"), "M-1", "确认目标")
}

// TestMeetingCancelledSaysWhich: the cancellation notice names the
// meeting's type and time and the reason given (it said only "会议 M-1
// 已取消").
func TestMeetingCancelledSaysWhich(t *testing.T) {
	for _, tc := range []struct {
		lang, cmd string
		wants     []string
	}{
		{"zh", "会议 M-1 取消 客户改期", []string{"「新品推广接口调试」的启动会 M-1(2026-11-24 10:00)已取消。", "原因:客户改期"}},
		{"en", "meeting M-1 cancel the client moved", []string{"The kickoff meeting M-1 about “新品推广接口调试” on 2026-11-24 10:00 is cancelled.", "Reason: the client moved"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t)
			h.meetingTomorrow()
			out := noticesTo(h.chat(":as ben\n:lang "+tc.lang+"\n:as amy\n"+tc.cmd+"\n"), "ben")
			mustContain(t, out, tc.wants...)
		})
	}
}

// TestMinutesActionItemsCheckedAsTyped: an action item that cannot become
// a task — its owner in no department of the collaboration, its date
// past — is refused when the action items are given, naming the item
// and why (it was refused at 确认 as "责任部门必须是…", a field the
// minutes do not have, or "the due date has passed", naming no line).
func TestMinutesActionItemsCheckedAsTyped(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		wants, lacks []string
	}{
		{"outside zh", ":as amy\n会议 M-1 纪要\n范围确定\n\"\"\"\n@ben 补充接口文档 2026-12-11\n@carol 准备运营方案 2026-12-12\n\"\"\"\n",
			[]string{"⚠️ 待办事项第 2 条「准备运营方案」:赵敏 Carol(运营部)不在 COL-1 的参与部门中", "【会议纪要 · 待办事项】\n有哪些待办?(每行一条:负责人、事项、截止时间,例如:@陈斌 完成接口调试 12月1日)\n(选填:`跳过` 跳过;`上一步` 返回,`取消` 放弃)\n"},
			[]string{"责任部门", "【请确认"}},
		{"past zh", ":as amy\n会议 M-1 纪要\n范围确定\n@ben 修复登录 2026-11-20\n",
			[]string{"⚠️ 待办事项第 1 条「修复登录」:截止时间 2026-11-20 18:00 已过,请填写将来的时间。"}, []string{"【请确认"}},
		{"outside en", ":as amy\n:lang en\n\"\"\"\nmeeting M-1 minutes\ndecisions: scope agreed\naction items: @ben write the API notes 2026-12-11\n@carol plan the campaign 2026-12-12\n\"\"\"\n",
			[]string{"Action item 2 “plan the campaign”: 赵敏 Carol (运营部) is in no department taking part in COL-1"}, []string{"responsible department"}},
		{"past en", ":as amy\n:lang en\nmeeting M-1 minutes\nscope agreed\n@ben fix login 2026-11-20\n",
			[]string{"Action item 1 “fix login”: the due date 2026-11-20 18:00 has passed; give a date in the future."}, []string{"Please confirm"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.meetingHeld()
			out := h.chat(tc.script)
			mustContain(t, out, tc.wants...)
			mustLack(t, out, tc.lacks...)
			if m, _ := h.collab(1).Meeting(1); m.Minutes != nil {
				t.Errorf("minutes recorded: %+v", m.Minutes)
			}
		})
	}
	// Fixed on the spot, the minutes go through.
	h := newHarness(t)
	h.meetingHeld()
	out := h.chat(":as amy\n会议 M-1 纪要\n范围确定\n@ben 修复登录 2026-11-20\n@ben 修复登录 2026-12-11\n跳过\n确认\n")
	mustContain(t, out, "截止时间 2026-11-20 18:00 已过", "T-2 修复登录")
}
