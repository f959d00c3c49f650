package engine_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
)

// A second post of a text that is replaced whole (an agenda, a risk
// response) leaves what it changed in the timeline, before → after, so
// the earlier words stay findable.

func TestAgendaRevisionKeepsTheOldAgenda(t *testing.T) {
	h := newHarness(t)
	h.meetingTomorrow()
	h.chat(":as amy\n\"\"\"\n会议 M-1 议程\n议程: 确认目标\n\"\"\"\n确认\n")
	h.chat(":as amy\n\"\"\"\n会议 M-1 议程\n议程: 确认目标\n讨论分工\n预阅读材料: https://docs.example.com/plan\n\"\"\"\n确认\n")
	mustContain(t, h.timeline(1), "agenda_set M-1: \n",
		"agenda_revised M-1: agenda: 确认目标 → 确认目标 / 讨论分工; materials: — → https://docs.example.com/plan")
	mustContain(t, h.export(1, bot.Chinese), "修改议程", "议程:确认目标 → 确认目标 / 讨论分工")
	mustContain(t, h.export(1, bot.English), "revised the agenda", "Agenda: 确认目标 → 确认目标 / 讨论分工")
}

func TestSecondRiskResponseRecordsTheDateChange(t *testing.T) {
	h := newHarness(t)
	h.riskRaised()
	h.chat(":as ben\n\"\"\"\n风险 R-1 响应\n解决方案: 扩容测试环境\n预计解决时间: 2026-11-24 18:00\n\"\"\"\n确认\n")
	h.chat(":as ben\n\"\"\"\n风险 R-1 响应\n解决方案: 扩容测试环境\n预计解决时间: 2026-11-26 18:00\n\"\"\"\n确认\n")
	mustContain(t, h.timeline(1), "risk_responded R-1: 扩容测试环境\n",
		"risk_responded R-1: due: 2026-11-24 18:00 → 2026-11-26 18:00\n")
	mustContain(t, h.export(1, bot.Chinese), "预计解决时间:2026-11-24 18:00 → 2026-11-26 18:00")
	mustContain(t, h.export(1, bot.English), "Expected resolution: 2026-11-24 18:00 → 2026-11-26 18:00")
	h.chat(":as ben\n\"\"\"\n风险 R-1 响应\n解决方案: 换一台测试机\n预计解决时间: 2026-11-27 12:00\n\"\"\"\n确认\n")
	mustContain(t, h.timeline(1), "risk_responded R-1: response: 扩容测试环境 → 换一台测试机; due: 2026-11-26 18:00 → 2026-11-27 12:00")
}
