package forms_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
)

// TestDeliveryChecklist: notes and tasks after the positional parts, and a
// pasted table titled in the seed's words (交付物名称、版本、数量、说明).
func TestDeliveryChecklist(t *testing.T) {
	f := templateField(t, "delivery", "items")
	for _, tt := range []struct{ in, out string }{
		{"接口文档, v1.2, 1, https://docs.example.com/api, 含退款接口, T-1",
			"接口文档|v1.2|1|https://docs.example.com/api|含退款接口|T-1"},
		{"测试报告, v1, 2, 说明: 覆盖 120 条用例, T-1 T-2", "测试报告|v1|2||覆盖 120 条用例|T-1 T-2"},
		{"操作手册, 任务: T-3", "操作手册||1|||T-3"},
		{"交付物名称 | 版本 | 数量 | 说明 | 链接 | 关联任务\n|---|---|---|---|---|---|\n| 接口文档 | v1 | 1 | 初版 | https://x.com/a | T-1 |\n| 测试报告 | v2 | 3 | | | |",
			"接口文档|v1|1|https://x.com/a|初版|T-1\n测试报告|v2|3|"},
		{"name, version, quantity, note\nAPI spec, v1, 2, first cut", "API spec|v1|2||first cut|"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.out)
	}
	for _, tt := range []struct{ in, hint string }{
		{"接口文档, v1, 1, docs/api", "链接无效"},
		{"数量 | 名称\n5 |", "缺少成果名称"},
		{"名称 | 数量\n文档 | 很多", "正整数"},
		{"名称 | 链接\n文档 | www.example.com/a", "链接无效"},
		{"接口文档, v1, 两份, 说明", "正整数"},
		{"接口文档, v1\n接口文档, v2", "重名"},
	} {
		refuses(t, ctx(t), f, tt.in, codeFor(tt.hint), tt.hint)
	}
	got := forms.Values{"items": "接口文档|v1|1|https://x.com/a|初版|T-1 T-2\n旧格式|v1|1|"}.Deliverables("items")
	if len(got) != 2 || got[0].Note != "初版" || len(got[0].Tasks) != 2 || got[0].Tasks[1] != 2 || got[1].Name != "旧格式" {
		t.Errorf("read back %+v", got)
	}
	_ = bot.Deliverable{}
}
