package main

import (
	"os"
	"strings"
	"testing"
)

// TestReworkChasedAfterNationalDay: a delivery failed on 2026-09-28 with
// its rework due 10-02, a National Day holiday, is chased when work
// resumes — 10-08 09:00 — with the items and the deadline, to the
// coordinator and the task's owner; a business day later, still not
// delivered, the assisting departments' heads and — the requester being
// the coordinator, who was reminded — her head are told.
func TestReworkChasedAfterNationalDay(t *testing.T) {
	db := t.TempDir() + "/c.db"
	script := ":as amy\n\"\"\"\n发起协作\n协作主题: 国庆后上线\n协作背景与目标: 假期后上线活动页\n需协助部门: 研发部、财务部\n" +
		"具体需求描述: 活动页面与预算\n期望完成时间: 2026-11-30\n\"\"\"\n确认\n:as alice\n初审 COL-1 通过\n" +
		":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n" +
		":as amy\n提醒 COL-1 进度 关\n提醒 COL-1 周报 关\n" +
		"\"\"\"\n任务 新建 COL-1\n任务名称: 活动页开发\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-10-30\n交付标准: 用例通过\n\"\"\"\n确认\n" +
		":as ben\n\"\"\"\n提交成果 COL-1\n成果交付清单: 活动页, v1, 1, https://docs.example.com/page\n成果自检: 已自检\n\"\"\"\n确认\n" +
		":clock 2026-09-28 10:00\n:as amy\n\"\"\"\n验收 COL-1 不通过\n验收意见: 缺压测\n整改项: 补充压测报告、修复退款页\n整改期限: 2026-10-02\n\"\"\"\n确认\n"
	for _, at := range []string{"2026-10-02 18:00", "2026-10-05 10:00", "2026-10-08 08:59", "2026-10-08 09:00", "2026-10-08 18:00",
		"2026-10-09 08:59", "2026-10-09 09:00", "2026-10-12 09:00"} {
		script += ":clock " + at + "\n"
	}
	stdin = strings.NewReader(script)
	defer func() { stdin = os.Stdin }()
	code, out, errOut := runCLI(t, map[string]string{"COLLABOT_DB": db}, "chat", "--now", "2026-09-25T10:00:00+08:00")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got := steps(out)
	for at, printed := range got {
		if at == "start" || at == "2026-09-28 10:00" {
			continue
		}
		due, escalated := strings.Contains(printed, "整改期限已到"), strings.Contains(printed, "整改超期")
		if due != (at == "2026-10-08 09:00") || escalated != (at == "2026-10-09 09:00") {
			t.Errorf("at %s: rework reminded %v, escalated %v:\n%s", at, due, escalated, printed)
		}
	}
	due := got["2026-10-08 09:00"]
	mustContain(t, due, "→ @ben (DM): 【COL-1 · ⏰ 整改期限已到】", "→ @amy (DM): 【COL-1 · ⏰ 整改期限已到】",
		"整改期限 2026-10-02 18:00 已到", "• 补充压测报告", "• 修复退款页", "`交付 COL-1`")
	escalated := got["2026-10-09 09:00"]
	mustContain(t, escalated, "→ @bob (DM): 【COL-1 · 🔺 整改超期】", "→ @frank (DM): 【COL-1 · 🔺 整改超期】",
		"→ @alice (DM): 【COL-1 · 🔺 整改超期】", "整改期限 2026-10-02 18:00 已过 1 个工作日", "• 补充压测报告")
	// amy, the requester, coordinates and was reminded: her head is told.
	if strings.Contains(escalated, "→ @ben (DM): 【COL-1 · 🔺") || strings.Contains(escalated, "→ @amy (DM): 【COL-1 · 🔺") {
		t.Errorf("the escalation went to one who was reminded:\n%s", escalated)
	}
}

func mustContain(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}
