package engine_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
)

// withConfirmation files and activates COL-1 and has its coordinator,
// amy, switch the head's confirmation of new tasks on.
func (h *harness) withConfirmation() string {
	h.t.Helper()
	h.fileRequest()
	h.chat(":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n")
	return h.chat(":as amy\n任务 COL-1 负责人确认 开\n")
}

const benTask = "\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n"

func TestTaskConfirmationChinese(t *testing.T) {
	h := newHarness(t)
	out := h.withConfirmation()
	mustContain(t, out, "✅ COL-1 的新任务将先由责任部门负责人确认")
	out = h.chat(":as ben\n任务 COL-1 负责人确认 关\n")
	mustContain(t, out, "只有总协调人可以开关新任务的负责人确认")

	out = h.chat(":as amy\n" + benTask)
	mustContain(t, out, "✅ 已创建任务 T-1", "任务待部门负责人 李强 Bob 确认", "→ @bob (DM): 【COL-1 · 请确认研发部的任务 T-1】",
		"[确认分配] 任务 T-1 确认", "[改派] 任务 T-1 改派")
	mustLack(t, out, "→ @ben")
	if t1, _ := h.collab(1).Task(1); t1.Status != bot.TaskAwaitingConfirmation {
		t.Fatalf("T-1 status = %s", t1.Status)
	}
	mustContain(t, h.chat(":as amy\n看板 COL-1\n"), "待负责人确认")
	mustContain(t, h.chat(":as bob\n确认\n"), "T-1「接口调试」(拟由 陈斌 Ben 执行)待你确认")
	// The head's home page (and the board's Mine page, from the same
	// rule) offers the same two answers as the notice.
	if it, ok := item(h.homeOf("bob"), "tasks", "T-1"); !ok || commands(it) != "command:task T-1 confirm | command:task T-1 reassign" {
		t.Errorf("bob's home: %+v, %v", it, ok)
	}
	if _, ok := item(h.homeOf("ben"), "tasks", "T-1"); ok {
		t.Error("ben's home shows a task his head has not confirmed yet")
	}

	// Wrong input: a member who is not the head, the owner starting
	// early, an unknown task, someone of another department, a past date.
	mustContain(t, h.chat(":as emma\n任务 T-1 确认\n"), "只有研发部负责人(或总协调人)可以确认或改派 T-1")
	mustContain(t, h.chat(":as ben\n任务 T-1 开始\n"), "T-1 正等待责任部门负责人确认")
	mustContain(t, h.chat(":as amy\n任务 T-1 转交 @david\n"), "T-1 正等待责任部门负责人确认")
	mustContain(t, h.chat(":as bob\n任务 T-9 确认\n"), "T-9")
	mustContain(t, h.chat(":as bob\n任务 T-1 改派 @fiona\n"), "周婷 Fiona 不属于研发部")
	mustContain(t, h.chat(":as bob\n任务 T-1 改派\n"), "请指定改派给谁")
	mustContain(t, h.chat(":as bob\n任务 T-1 改派 @david 2020-01-01\n"), "请填写将来的时间")

	out = h.chat(":as bob\n任务 T-1 改派 @david 2026-12-20\n")
	mustContain(t, out, "✅ 已确认 T-1,改由 David Miller 执行,截止 2026-12-20 18:00", "→ @david (DM): 【COL-1 · New task T-1】",
		"→ @amy (DM): 【COL-1 · 任务已确认 T-1】", "从 陈斌 Ben 改派给 David Miller")
	t1, _ := h.collab(1).Task(1)
	if t1.Status != bot.TaskTodo || t1.Owner != "david" || t1.Confirmation == nil || t1.Confirmation.By != "bob" || t1.Confirmation.From != "ben" {
		t.Fatalf("T-1 = %+v, confirmation %+v", t1, t1.Confirmation)
	}
	mustContain(t, h.chat(":as bob\n任务 T-1 确认\n"), "T-1 不在待确认状态")
	mustContain(t, h.timeline(1), "task_confirmation_requested T-1: bob", "task_reassigned T-1: owner: ben → david; due: 2026-12-10 18:00 → 2026-12-20 18:00", "task_confirmed T-1: david")
}

func TestTaskConfirmationEnglish(t *testing.T) {
	h := newHarness(t)
	h.withConfirmation()
	out := h.chat(":as amy\n" + benTask)
	mustContain(t, out, "→ @bob (DM)")
	out = h.chat(":as david\n:lang en\ntask T-1 confirm\n")
	mustContain(t, out, "Only the head of 研发部 (or the coordinator) can confirm or reassign T-1")
	out = h.chat(":as bob\n:lang en\ntask T-1 start\ntask T-1 reassign @fiona\ntask T-1 confirm\n")
	mustContain(t, out, "T-1 waits for its department head's confirmation", "周婷 Fiona is not of 研发部", "✅ Confirmed T-1; 陈斌 Ben was told.",
		"→ @ben (DM): 【COL-1 · 新任务 T-1】")
	out = h.chat(":as amy\n:lang en\ntask COL-1 confirmation off\n")
	mustContain(t, out, "New tasks of COL-1 now go straight to their owners")
	out = h.chat(":as amy\n" + benTask)
	mustContain(t, out, "→ @ben (DM): 【COL-1 · 新任务 T-2】")
	mustLack(t, out, "→ @bob")
}

// TestMinutesTasksGoToHeads: with the head's confirmation on, the action
// items of minutes are tasks like any other (seed 001: 负责人确认后系统自动向
// 任务执行人发送待办提醒): each goes to its department's head first, and the
// owners hear of them only once confirmed.
func TestMinutesTasksGoToHeads(t *testing.T) {
	for _, tc := range []struct {
		lang, minutes string
		want          []string
	}{
		{"zh", "\"\"\"\n会议 M-1 纪要\n共识结论: 范围确定\n待办事项: @ben 补充接口文档 2026-12-10\n@fiona 预算审批 2026-12-11\n\"\"\"\n确认\n",
			[]string{"待办事项已转为任务", "以上任务先交部门负责人(", "确认后系统自动向执行人发送待办提醒"}},
		{"en", ":lang en\n\"\"\"\nmeeting M-1 minutes\nDecisions: scope agreed\nAction items: @ben API docs 2026-12-10\n@fiona budget approval 2026-12-11\n\"\"\"\nconfirm\n",
			[]string{"Action items became tasks", "They go to their department heads first (", "each owner is told once their head confirms"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t)
			h.withConfirmation()
			h.chat(":as amy\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 明天 10:00\n时长: 1h\n参会人: @ben, @fiona\n\"\"\"\n确认\n")
			h.clock.Set("+1d", h.cfg.Location())
			h.clock.Set("+2h", h.cfg.Location())
			out := h.chat(":as amy\n" + tc.minutes)
			mustContain(t, out, tc.want...)
			mustContain(t, out, "→ @bob (DM)", "→ @frank (DM)", "T-1", "T-2")
			mustLack(t, out, "→ @ben (DM): 【COL-1 · 新任务", "→ @fiona (DM): 【COL-1 · 新任务",
				"→ @ben (DM): 【COL-1 · New task", "→ @fiona (DM): 【COL-1 · New task")
			c := h.collab(1)
			for _, id := range []bot.TaskID{1, 2} {
				if tk, err := c.Task(id); err != nil || tk.Status != bot.TaskAwaitingConfirmation {
					t.Fatalf("%s: %+v, %v", id, tk, err)
				}
			}
			out = h.chat(":as bob\n任务 T-1 确认\n")
			mustContain(t, out, "→ @ben (DM)")
			if tk, _ := h.collab(1).Task(1); tk.Status != bot.TaskTodo {
				t.Fatalf("T-1 after the head confirmed: %s", tk.Status)
			}
		})
	}
}
