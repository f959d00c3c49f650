package engine_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
)

// withIssue is COL-1 with T-1 (ben, 研发部), T-2 (fiona, 财务部) and R-1,
// an issue of 研发部 that ben owns; COL-2 has a task T-3 of its own.
func (h *harness) withIssue() {
	h.t.Helper()
	h.withTask()
	h.chat(":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 预算审批\n直接责任人: @fiona\n截止时间: 2026-12-11\n交付标准: 审批单\n\"\"\"\n确认\n" +
		":as ben\n\"\"\"\n风险 上报 COL-1\n问题描述: 测试环境不稳定\n影响范围: 联调延期\n影响程度: 中\n责任部门: 研发部\n\"\"\"\n确认\n" +
		":as carol\n\"\"\"\n发起协作\n协作主题: 双十二活动\n协作背景与目标: 活动页按时上线\n需协助部门: 研发部\n具体需求描述: 页面\n期望完成时间: 2026-12-10\n\"\"\"\n确认\n" +
		"\"\"\"\n任务 新建 COL-2\n任务名称: 活动页\n直接责任人: @ben\n截止时间: 2026-12-09\n交付标准: 上线\n\"\"\"\n确认\n")
	if c := h.collab(1); len(c.Tasks) != 2 || len(c.Risks) != 1 {
		h.t.Fatalf("setup: %d tasks, %d risks", len(c.Tasks), len(c.Risks))
	}
	if c := h.collab(2); len(c.Tasks) != 1 || c.Tasks[0].ID != 3 {
		h.t.Fatalf("setup: COL-2 tasks %+v", c.Tasks)
	}
}

func TestIssueMovesTasksChinese(t *testing.T) {
	h := newHarness(t)
	h.withIssue()
	// Wrong input first: nothing may change.
	mustContain(t, h.chat(":as ben\n风险 R-1 解决 已切换 顺延 T-1 T-9 至 2026-12-20\n"), "T-9 不是 COL-1 的任务")
	mustContain(t, h.chat(":as ben\n风险 R-1 解决 已切换 顺延 T-1 T-3 至 2026-12-20\n"), "T-3 不是 COL-1 的任务")
	mustContain(t, h.chat(":as ben\n风险 R-1 解决 已切换 顺延 T-1 至 2020-01-01\n"), "请填写将来的时间")
	mustContain(t, h.chat(":as ben\n风险 R-1 解决 已切换 顺延 T-1\n"), "请写明任务和新日期")
	if c := h.collab(1); c.Risks[0].Status == bot.RiskResolved || len(c.Risks[0].Moves) != 0 {
		t.Fatalf("a refused resolution changed R-1: %+v", c.Risks[0])
	}

	out := h.chat(":as ben\n风险 R-1 解决 已切换备用环境 顺延 T-1、T-2 至 2026-12-20\n")
	mustContain(t, out, "✅ R-1 已解决", "已把 T-1 顺延至 2026-12-20 18:00", "T-2 属于其他部门:顺延至 2026-12-20 18:00 需总协调人 王芳 Amy 审批",
		"→ @amy (DM): 【COL-1 · 申请调整计划 T-2】", "→ @fiona (DM): 【COL-1 · 问题解决,同步进度调整 R-1】", "T-2「预算审批」:调整到 2026-12-20 18:00 待总协调人审批")
	c := h.collab(1)
	t1, _ := c.Task(1)
	t2, _ := c.Task(2)
	if got := t1.Due.In(h.cfg.Location()).Format("2006-01-02"); got != "2026-12-20" || t2.DueRequest == nil {
		t.Fatalf("T-1 due %s, T-2 request %+v", got, t2.DueRequest)
	}
	sheet := h.export(1, bot.Chinese)
	mustContain(t, sheet, "**同步进度调整**", "T-1:2026-12-10 18:00 → 2026-12-20 18:00", "T-2:2026-12-11 18:00 → 2026-12-20 18:00(待总协调人审批)",
		"关联原任务并同步进度调整 R-1")

	out = h.chat(":as amy\n任务 T-2 同意\n")
	mustContain(t, out, "→ @fiona (DM): 【COL-1 · 任务计划调整 T-2】")
	mustContain(t, h.export(1, bot.Chinese), "T-2:2026-12-11 18:00 → 2026-12-20 18:00\n")
}

func TestIssueMovesTasksEnglish(t *testing.T) {
	h := newHarness(t)
	h.withIssue()
	out := h.chat(":as amy\n:lang en\nrisk R-1 resolve switched to the spare environment move T-1 T-2 to 2026-12-21\n")
	mustContain(t, out, "✅ R-1 is resolved.", "Moved T-1, T-2 to 2026-12-21 18:00", "→ @ben (DM): 【COL-1 · 问题解决,同步进度调整 R-1】",
		"→ @fiona (DM)")
	mustLack(t, out, "申请调整计划")
	sheet := h.export(1, bot.English)
	mustContain(t, sheet, "**Schedule changes**", "T-2: 2026-12-11 18:00 → 2026-12-21 18:00")
	out = h.chat(":as amy\n:lang en\nrisk R-1 resolve again move T-1 to 2026-12-22\n")
	mustContain(t, out, "R-1 is already resolved")
	out = h.chat(":as ben\n:lang en\n\"\"\"\nrisk new COL-1\ndescription: vendor late\nimpact: launch\nseverity: low\ndepartment: engineering\n\"\"\"\nconfirm\n" +
		"risk R-2 resolve done move T-3 to 2026-12-22\nrisk R-2 resolve done move T-1 to 2020-01-01\n")
	mustContain(t, out, "T-3 is not a task of COL-1", "2020-01-01")
}

func TestTaskConfirmationInTheRecord(t *testing.T) {
	h := newHarness(t)
	h.withConfirmation()
	h.chat(":as amy\n" + benTask)
	mustContain(t, h.export(1, bot.Chinese), "**负责人确认**:待 李强 Bob 确认", "待负责人确认")
	h.chat(":as bob\n任务 T-1 改派 @david 2026-12-20\n")
	mustContain(t, h.export(1, bot.Chinese), "**负责人确认**:李强 Bob 于 2026-11-23 10:00 确认并改派:陈斌 Ben → David Miller、截止时间:2026-12-10 18:00 → 2026-12-20 18:00",
		"确认任务分配 T-1")
	mustContain(t, h.export(1, bot.English), "**Head's confirmation**: confirmed by 李强 Bob on 2026-11-23 10:00, reassigned from 陈斌 Ben to David Miller, due 2026-12-10 18:00 → 2026-12-20 18:00")
}
