package engine_test

import "testing"

// TestWaitingListsWorkToDo: a bare 确认/confirm and 任务列表 我的/tasks mine
// list, besides decisions and tasks, an issue the person owns and must
// answer, the rework of a failed acceptance (for its deliverer and the
// coordinator), and the coordinator's retrospective and archive once
// acceptance passed, each with the command that does it.
func TestWaitingListsWorkToDo(t *testing.T) {
	h := newHarness(t)
	h.deliver() // ben delivered COL-1; amy coordinates
	h.chat(":as amy\n\"\"\"\n风险 上报 COL-1\n问题描述: 环境不稳\n影响范围: 联调\n影响程度: 高\n责任部门: 研发部\n责任人: @ben\n\"\"\"\n确认\n" +
		"验收 COL-1 不通过\n\"\"\"\n验收意见: 缺退款\n整改项: 1 缺退款\n整改期限: 2026-12-04\n\"\"\"\n确认\n")
	for _, script := range []string{"确认\n", "任务列表 我的\n"} {
		mustContain(t, h.chat(":as ben\n"+script),
			"R-1「环境不稳」(COL-1)由你负责,待你应对:`风险 R-1 响应`",
			"COL-1「新品推广接口调试」验收不通过,请在 2026-12-04 18:00 前整改后重新提交:`提交成果 COL-1`")
	}
	for _, script := range []string{"confirm\n", "tasks mine\n"} {
		mustContain(t, h.chat(":as ben\n:lang en\n"+script+":lang zh\n"),
			"R-1 “环境不稳” (COL-1) is yours to answer: `risk R-1 respond`",
			"COL-1 “新品推广接口调试” failed acceptance; the rework is due 2026-12-04 18:00: `deliver COL-1`")
		mustContain(t, h.chat(":as amy\n:lang en\n"+script+":lang zh\n"), "the rework is due 2026-12-04 18:00: `deliver COL-1`")
	}
	h.chat(":as ben\n\"\"\"\n风险 R-1 响应\n解决方案: 换环境\n\"\"\"\n确认\n\"\"\"\n提交成果 COL-1\n成果交付清单: 测试报告, v2, 1, https://docs.example.com/r\n成果自检: 已补\n\"\"\"\n确认\n")
	out := h.chat(":as ben\n确认\n")
	mustLack(t, out, "R-1", "整改")
	h.chat(":as amy\n验收 COL-1 通过\n")
	for _, script := range []string{"确认\n", "任务列表 我的\n"} {
		mustContain(t, h.chat(":as amy\n"+script), "COL-1「新品推广接口调试」已验收通过,待你组织复盘:`复盘 COL-1`")
		mustContain(t, h.chat(":as amy\n:lang en\n"+script+":lang zh\n"), "COL-1 “新品推广接口调试” passed acceptance; write its retrospective: `retro COL-1`")
	}
	h.chat(":as amy\n\"\"\"\n复盘 COL-1\n协作亮点: 快\n待改进点: 环境\n\"\"\"\n确认\n")
	for _, script := range []string{"确认\n", "任务列表 我的\n"} {
		mustContain(t, h.chat(":as amy\n"+script), "COL-1「新品推广接口调试」已复盘,可以归档:`归档 COL-1`")
		mustContain(t, h.chat(":as amy\n:lang en\n"+script+":lang zh\n"), "COL-1 “新品推广接口调试” has its retrospective; archive it: `archive COL-1`")
	}
	mustLack(t, h.chat(":as ben\n确认\n"), "归档")
}
