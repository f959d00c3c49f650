package engine_test

import (
	"strings"
	"testing"
)

// TestNoProgressRequestForWorkJustReceived: a task handed over, or
// created, after the day's 17:00 progress request is not asked about that
// day (its owner has had it for seconds); the next business day it is. A
// task handed over already past due says so in its assignment notice and
// brings no "deadline reached" ahead of it. Both languages.
func TestNoProgressRequestForWorkJustReceived(t *testing.T) {
	for _, lang := range []struct {
		name, set, progress, assigned, pastDue, due, overdue string
	}{
		{"zh", "", "今日进度", "新任务 T-1", "截止时间已过", "任务到期 T-1", "任务逾期 T-1"},
		{"en", ":lang en\n", "Today's progress", "New task T-1", "due time has passed", "T-1", "T-1"},
	} {
		t.Run(lang.name, func(t *testing.T) {
			h := newHarness(t)
			h.withTask() // T-1, ben, due 2026-12-10
			h.chat(":as emma\n" + lang.set + ":as david\n" + lang.set)
			h.at("2026-12-07 12:00")
			h.chat(":clock 2026-12-07 17:05\n:as amy\n任务 T-1 转交 @emma\n" +
				"\"\"\"\n任务 新建 COL-1\n任务名称: 联调支持\n责任部门: 研发部\n直接责任人: @david\n截止时间: 2026-12-18\n交付标准: 联调通过\n\"\"\"\n确认\n")
			out := h.atOut("2026-12-07 17:06")
			for _, who := range []string{"@emma", "@david"} {
				if strings.Contains(out, "→ "+who) {
					t.Errorf("%s asked for today's progress on work received after 17:00:\n%s", who, out)
				}
			}
			mustLack(t, h.atOut("2026-12-07 18:05"), "→ @amy") // nobody to summarise for 12-07
			mustContain(t, h.atOut("2026-12-08 17:00"), "→ @emma (DM): 【📝 "+lang.progress, "→ @david (DM): 【📝 ")

			// Handed back to ben after its due time on 12-10.
			h.at("2026-12-10 18:05") // emma and amy hear it is due
			out = h.chat(":clock 2026-12-10 18:30\n:as amy\n任务 T-1 转交 @ben\n")
			mustContain(t, out, "→ @ben (DM): 【COL-1 · 新任务 T-1】", "截止时间已过")
			mustLack(t, h.atOut("2026-12-10 18:31"), "→ @ben")
			mustContain(t, h.atOut("2026-12-11 18:00"), "→ @ben (DM): 【COL-1 · 🔴 任务逾期 T-1】")
			if lang.name == "en" {
				out = h.chat(":as emma\n:clock 2026-12-11 18:10\n:as amy\n任务 T-1 转交 @emma\n")
				mustContain(t, out, "→ @emma (DM): 【COL-1 · "+lang.assigned+"】", lang.pastDue)
			}
		})
	}
}

// TestDigestShowsWhatTheRequestingDepartmentAsked: alice heads 市场部,
// which requested COL-1; 研发部 does its task, overdue by the Monday
// digest. Her digest no longer says 市场部 had nothing to count: it names
// the collaboration under way that 市场部 requested and lists its overdue
// task. The figures row stays the department's own work, as on the web
// board's Departments page. Both languages.
func TestDigestShowsWhatTheRequestingDepartmentAsked(t *testing.T) {
	h := newHarness(t)
	h.withTask()                    // COL-1 requested by 市场部; T-1 研发部, ben, due 2026-12-10
	h.chat(":as frank\n:lang en\n") // frank heads 财务部, which assists; in English
	out := h.atOut("2026-12-14 09:30")
	alice := section(out, "→ @alice")
	mustContain(t, alice, "**市场部** 作为需求方:1 项协作进行中(COL-1)", "目前延期(1 项)", "🔴 COL-1 T-1 接口调试")
	mustLack(t, alice, "市场部近 30 天没有可统计的协作")
	frank := section(out, "→ @frank")
	mustContain(t, frank, "**财务部** Acknowledged on time", "Nothing is overdue")
	mustLack(t, frank, "as the requesting department", "COL-1 T-1")
	// Leadership reads every department, the requesting one included.
	mustContain(t, section(out, "→ @henry"), "**市场部** as the requesting department: collaborations under way 1 (COL-1)", "🔴 COL-1 T-1 接口调试")
}

// section is what out printed for one recipient's notice, up to the next.
func section(out, head string) string {
	i := strings.Index(out, head)
	if i < 0 {
		return ""
	}
	rest := out[i+len(head):]
	if j := strings.Index(rest, "\n→ "); j >= 0 {
		rest = rest[:j]
	}
	return head + rest
}
