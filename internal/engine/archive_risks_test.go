package engine_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestArchiveWithOpenRisksAsksFirst: archiving while an issue or risk is
// unresolved names it, with the open tasks, and asks again (it is not
// chased once archived), as for open tasks alone; counts read in the
// singular where there is one.
func TestArchiveWithOpenRisksAsksFirst(t *testing.T) {
	h := newHarness(t)
	h.deliver() // T-1 接口调试, still open
	h.chat(":as ben\n\"\"\"\n风险 上报 COL-1\n问题描述: 环境不稳\n影响范围: 联调\n影响程度: 高\n责任部门: 研发部\n责任人: @ben\n\"\"\"\n确认\n" +
		":as amy\n验收 COL-1 通过\n\"\"\"\n复盘 COL-1\n协作亮点: 快\n待改进点: 环境\n\"\"\"\n确认\n")
	for _, tt := range []struct {
		script string
		want   []string
	}{
		{":as amy\n归档 COL-1\n", []string{"COL-1 还有 1 项任务未完成:T-1 接口调试;1 项问题/风险未解决:R-1 环境不稳", "`风险 R-1 解决 <解决方案>`", "[仍然归档] 归档 COL-1 确认"}},
		{":as amy\n:lang en\narchive COL-1\n:lang zh\n", []string{"COL-1 still has 1 open task: T-1 接口调试; and 1 unresolved issue or risk: R-1 环境不稳", "`risk R-1 resolve <how>`", "[Archive anyway] archive COL-1 confirm"}},
	} {
		mustContain(t, h.chat(tt.script), tt.want...)
		if c := h.collab(1); c.Status != bot.StatusRetrospective {
			t.Fatalf("archived without asking: %s", c.Status)
		}
	}
	// With the task done, the risk alone is named.
	out := h.chat(":as ben\n任务 T-1 完成\n:as amy\n归档 COL-1\n:lang en\narchive COL-1\n:lang zh\n")
	mustContain(t, out, "COL-1 还有 1 项问题/风险未解决:R-1 环境不稳", "COL-1 still has 1 unresolved issue or risk: R-1 环境不稳. ")
	mustLack(t, out, "任务未完成", "open task")
	mustContain(t, h.chat(":as amy\n归档 COL-1 确认\n"), "COL-1 已归档")
}
