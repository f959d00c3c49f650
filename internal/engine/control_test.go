package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/scheduler"
)

// withTask brings COL-1 to active with a task owned by ben, due 2026-12-10.
func (h *harness) withTask() {
	h.fileRequest()
	h.chat(":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n" +
		":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n")
	if c := h.collab(1); c.Status != bot.StatusActive || len(c.Tasks) != 1 {
		h.t.Fatalf("setup: %s with %d tasks", c.Status, len(c.Tasks))
	}
}

func (h *harness) settings(p bot.PersonID) bot.Settings {
	h.t.Helper()
	var st bot.Settings
	h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		var err error
		st, err = tx.Settings(context.Background(), p)
		return err
	})
	return st
}

// tick runs the scheduler at t over the harness's database.
func (h *harness) tick(t time.Time) scheduler.Report {
	h.t.Helper()
	cal, err := h.cfg.Calendar(quiet())
	if err != nil {
		h.t.Fatal(err)
	}
	s := &scheduler.Scheduler{Store: h.store, Calendar: cal, Policy: scheduler.DefaultPolicy(),
		Workspaces: map[bot.Workspace]*bot.Directory{h.ws: h.cfg.Directory()}, Log: quiet()}
	rep, err := s.Tick(context.Background(), t, false)
	if err != nil {
		h.t.Fatal(err)
	}
	return rep
}

func TestRemindCommand(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	cases := []struct {
		script string
		want   []string
		check  func(c *bot.Collaboration) bool
	}{
		{":as amy\n提醒 COL-1\n", []string{"• 对接确认 `acknowledgement`:1 个工作日 · 开", "• 每日进度 `daily_progress`:17:00 · 开", "• 风险响应 `risk_response`:9 个工作小时 · 开", "• 每周进度 `weekly_summary`:周一 10:00 · 开", "• 会前议程 `agenda`:24 小时 · 开"},
			func(c *bot.Collaboration) bool { return c.Reminders == nil }},
		{":as amy\n提醒 COL-1 进度 16:30\n", []string{"• 每日进度 `daily_progress`:16:30 · 开(本协作设置)"}, func(c *bot.Collaboration) bool { return c.Reminders["daily_progress"] == "16:30" }},
		// Out of working hours, or not before the 18:00 summary: refused,
		// the setting kept.
		{":as amy\n提醒 COL-1 进度 21:00\n", []string{"每日进度提醒时间 21:00 不在工作时间(09:00–18:00)内", "`提醒 COL-1 daily_progress 16:30`"}, func(c *bot.Collaboration) bool { return c.Reminders["daily_progress"] == "16:30" }},
		{":as amy\n提醒 COL-1 进度 7:00\n", []string{"每日进度提醒时间 7:00 不在工作时间(09:00–18:00)内"}, func(c *bot.Collaboration) bool { return c.Reminders["daily_progress"] == "16:30" }},
		{":as amy\n提醒 COL-1 进度 18:00\n", []string{"不早于总协调人 18:00 收到的进度汇总"}, func(c *bot.Collaboration) bool { return c.Reminders["daily_progress"] == "16:30" }},
		{":as amy\n:lang en\nremind COL-1 daily_progress 21:00\n", []string{"The daily progress request at 21:00 would fall outside working hours (09:00–18:00)"}, func(c *bot.Collaboration) bool { return c.Reminders["daily_progress"] == "16:30" }},
		{":as amy\nremind COL-1 daily_progress 18:00\n", []string{"would not come before the coordinator's 18:00 summary"}, func(c *bot.Collaboration) bool { return c.Reminders["daily_progress"] == "16:30" }},
		{":as amy\n:lang en\nremind COL-1 off\n", []string{"• Acknowledgement `acknowledgement`: 1 business day · off", "• Risk response `risk_response`: 9 business hours · off"}, func(c *bot.Collaboration) bool { return c.Reminders["all"] == "off" }},
		{":as amy\nremind COL-1 on\n", []string{"• Daily progress `daily_progress`: 17:00 · on"}, func(c *bot.Collaboration) bool { return c.Reminders == nil }},
		{":as amy\nremind COL-1 lunch on\n", []string{"COL-1 has no reminder called “lunch”", "Acknowledgement `acknowledgement`", "Usage: `remind COL-1 off`"}, func(c *bot.Collaboration) bool { return c.Reminders == nil }},
		{":as amy\nremind COL-1 daily_progress 25:00\n", []string{"Daily progress needs a time of day like 17:30, not “25:00”"}, func(c *bot.Collaboration) bool { return c.Reminders == nil }},
		{":as ben\nremind COL-1 off\n", []string{"只有需求发起人"}, func(c *bot.Collaboration) bool { return c.Reminders == nil }},
		// The names the list shows, in either language, name the timer too.
		{":as amy\n:lang zh\n提醒 COL-1 每日进度 16:15\n", []string{"• 每日进度 `daily_progress`:16:15 · 开(本协作设置)"},
			func(c *bot.Collaboration) bool { return c.Reminders["daily_progress"] == "16:15" }},
		{":as amy\n提醒 COL-1 风险响应 关\n", []string{"• 风险响应 `risk_response`:9 个工作小时 · 关(本协作设置)"},
			func(c *bot.Collaboration) bool { return c.Reminders["risk_response"] == "off" }},
		{":as amy\n:lang en\nremind COL-1 weekly board off\n", []string{"• Weekly board `weekly_summary`: Monday 10:00 · off (set here)"},
			func(c *bot.Collaboration) bool { return c.Reminders["weekly_summary"] == "off" }},
		{":as amy\nremind COL-1 Minutes after meetings 3h\n", []string{"• Minutes after meetings `minutes`: 3 hours · on (set here)"},
			func(c *bot.Collaboration) bool { return c.Reminders["minutes"] == "3h" }},
	}
	for _, c := range cases {
		out := h.chat(c.script)
		mustContain(t, out, c.want...)
		if col := h.collab(1); !c.check(col) {
			t.Errorf("%q left reminders %v", c.script, col.Reminders)
		}
	}
}

// TestTaskDueTimerSaysWhatItSwitches: task_due switches the owner's due
// and overdue reminders as well as the escalation, and the list says so
// (it read 任务逾期上报, and turning it off silenced the owner too); its
// old name still names it.
func TestTaskDueTimerSaysWhatItSwitches(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	for _, tc := range []struct{ script, want string }{
		{":as amy\n提醒 COL-1\n", "• 任务到期与逾期提醒(含上报) `task_due`:1 个工作日 · 开"},
		{":as amy\n提醒 COL-1 任务逾期上报 关\n", "• 任务到期与逾期提醒(含上报) `task_due`:1 个工作日 · 关(本协作设置)"},
		{":as amy\n:lang en\nremind COL-1 task due and overdue reminders (and escalation) on\n",
			"• Task due and overdue reminders (and escalation) `task_due`: 1 business day · on"},
	} {
		mustContain(t, h.chat(tc.script), tc.want)
	}
}

func TestSnoozeCommand(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		script string
		want   string
		until  time.Time
	}{
		{":as ben\n免打扰 2h\n", "前不打扰你", monday.Add(2 * time.Hour)},
		{":as ben\n免打扰\n", "暂停到 2026-11-23 12:00", monday.Add(2 * time.Hour)},
		{":as ben\nsnooze until 2026-11-25\n", "2026-11-25 00:00", time.Date(2026, 11, 25, 0, 0, 0, 0, monday.Location())},
		{":as ben\nsnooze 30d\n", "至多 7 天", time.Date(2026, 11, 25, 0, 0, 0, 0, monday.Location())},
		{":as ben\nsnooze until 2026-11-01\n", "7 天", time.Date(2026, 11, 25, 0, 0, 0, 0, monday.Location())},
		{":as ben\nsnooze soonish\n", "看不懂", time.Date(2026, 11, 25, 0, 0, 0, 0, monday.Location())},
		{":as ben\nsnooze off\n", "已恢复提醒", time.Time{}},
	}
	for _, c := range cases {
		out := h.chat(c.script)
		if !strings.Contains(out, c.want) && !strings.Contains(out, strings.ReplaceAll(c.want, "至多", "最长")) {
			t.Errorf("%q printed:\n%s\nwant %q", c.script, out, c.want)
		}
		if got := h.settings("ben").SnoozeUntil; !got.Equal(c.until) {
			t.Errorf("after %q snoozed until %v, want %v", c.script, got, c.until)
		}
	}
}

func TestLeaveTellsCoordinatorAndSuppressesReminders(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as ben\n请假 2026-11-24..2026-11-25\n")
	mustContain(t, out, "已登记请假 2026-11-24(周二) 至 2026-11-25(周三)", "1 个协作", "→ @amy (DM)", "陈斌 Ben 请假 2026-11-24 至 2026-11-25", "T-1")
	for _, bad := range []string{"请假 2026-11-01\n", "请假 过几天\n", "请假 2026-11-30..2027-06-30\n", "请假 3天\n"} {
		mustContain(t, h.chat(":as ben\n"+bad), "请假日期看不懂")
	}
	if l := h.settings("ben").Leave; len(l) != 1 || l[0] != (bot.Leave{From: "2026-11-24", To: "2026-11-25"}) {
		t.Errorf("leave = %v", l)
	}
	rep := h.tick(time.Date(2026, 11, 24, 17, 0, 0, 0, monday.Location()))
	for _, f := range rep.Firings {
		if f.To == "ben" && f.New && f.Outcome != bot.ReminderSuppressed {
			t.Errorf("on leave, ben's %s was %s", f.Timer, f.Outcome)
		}
	}
	if rep.Count(bot.ReminderSuppressed) != 1 {
		t.Errorf("on leave: %d suppressed", rep.Count(bot.ReminderSuppressed))
	}
	mustContain(t, h.chat(":as ben\n请假\n"), "2026-11-24..2026-11-25")
	mustContain(t, h.chat(":as ben\n请假 2026-11-30..2026-11-27\n"), "请假的结束日期 2026-11-27(周五) 早于开始日期 2026-11-30(周一)")
	mustContain(t, h.chat(":as ben\n销假\n"), "已销假:2026-11-24(周二) 至 2026-11-25(周三)")
	if l := h.settings("ben").Leave; len(l) != 0 {
		t.Errorf("leave after cancelling = %v", l)
	}
}

func TestRemindersReadWell(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	loc := monday.Location()
	steps := []struct {
		at   time.Time
		want []string
	}{
		{time.Date(2026, 11, 24, 17, 0, 0, 0, loc), []string{"→ @ben (DM): 【📝 今日进度 2026-11-24】", "COL-1 T-1「接口调试」待执行,截止 2026-12-10", "[提交进度 COL-1] 进度更新 COL-1"}},
		{time.Date(2026, 11, 24, 18, 0, 0, 0, loc), []string{"→ @amy (DM): 【COL-1 · 今日进度汇总 2026-11-24】", "⏳ 已提醒未提交:陈斌 Ben"}},
		{time.Date(2026, 11, 30, 10, 0, 0, 0, loc), []string{"📊 每周进度", "进度看板"}},
		{time.Date(2026, 12, 10, 18, 0, 0, 0, loc), []string{"→ @ben (DM): 【COL-1 · ⏰ 任务到期 T-1】", "[完成] 任务 T-1 完成"}},
		{time.Date(2026, 12, 11, 18, 0, 0, 0, loc), []string{"🔴 任务逾期 T-1", "已逾期 1 个工作日", "→ @bob (DM): 【COL-1 · 🔺 任务逾期上报 T-1】"}},
	}
	for _, s := range steps {
		if _, err := h.clock.Set(s.at.Format(time.RFC3339), loc); err != nil {
			t.Fatal(err)
		}
		h.tick(h.clock.Now())
		mustContain(t, h.chat(":as carol\n任务列表\n"), s.want...)
	}
}

// TestRemindTunesTheWaitingStages: the first review and a department's
// question are timers like the others: listed, and tuned by their names
// in either language.
func TestRemindTunesTheWaitingStages(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	mustContain(t, h.chat(":as amy\n提醒 COL-1\n"), "• 需求初审 `review`:1 个工作日 · 开", "• 需补充信息答复 `needs_info`:1 个工作日 · 开")
	mustContain(t, h.chat(":as amy\n提醒 COL-1 需补充信息 2bd\n"), "• 需补充信息答复 `needs_info`:2 个工作日 · 开(本协作设置)")
	mustContain(t, h.chat(":as amy\n:lang en\nremind COL-1 review off\n"), "• First review `review`: 1 business day · off")
	if c := h.collab(1); c.Reminders["needs_info"] != "2bd" || c.Reminders["review"] != "off" {
		t.Errorf("reminders %v", c.Reminders)
	}
}
