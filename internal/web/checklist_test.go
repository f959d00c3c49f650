package web_test

import (
	"strings"
	"testing"
)

// TestBoardShowsChecklistAndFiles: the collaboration page lists the
// delivered items with their notes and tasks, the file shared with the
// delivery as a link to where it lives, and the verdict per item.
func TestBoardShowsChecklistAndFiles(t *testing.T) {
	b := newBoard(t)
	out := b.chat(":as fiona\n确认 COL-1 承接\n确认\n:as frank\n确认 COL-1 承接\n确认\n:as ben\n\"\"\"\n交付 COL-1\n成果交付清单:\n接口文档, v1, 1, https://docs.example.com/api, 说明: 含退款, T-1\n" +
		"测试报告, v1, 1\n成果自检: 已自检\n\"\"\"\n附件 https://files.example.com/截图.png\n确认\n" +
		":as amy\n\"\"\"\n验收 COL-1 不通过\n验收意见: 缺压测\n整改项: 2 缺压测数据\n\"\"\"\n确认\n")
	if !strings.Contains(out, "只有 2. 测试报告 被退回整改") {
		t.Fatalf("the delivery did not go as written:\n%s", out)
	}
	code, page := b.get(b.client(b.token("amy")), "/web/c/COL-1")
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, want := range []string{"1. 接口文档 v1 · https://docs.example.com/api · 含退款 (T-1)", "📎 截图.png · https://files.example.com/截图.png",
		"✅ 1. 接口文档", "❌ 2. 测试报告 缺压测数据"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
