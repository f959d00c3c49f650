package forms_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

func TestActions(t *testing.T) {
	f := templateField(t, "minutes", "actions")
	for _, tt := range []struct{ in, out string }{
		{"@bob 完成接口调试 2026-12-01", "bob|完成接口调试|2026-12-01 18:00"},
		{"bob: 完成接口调试, 12/1", "bob|完成接口调试|2026-12-01 18:00"},
		{"bob：完成接口调试，12月1日", "bob|完成接口调试|2026-12-01 18:00"},
		{"完成接口调试 @bob 下周五", "bob|完成接口调试|2026-12-04 18:00"},
		{"ben 准备测试数据 明天 17:00", "ben|准备测试数据|2026-11-24 17:00"},
		{"准备测试数据 ben 周五", "ben|准备测试数据|2026-11-27 18:00"},
		{"准备测试数据 周五 ben", "ben|准备测试数据|2026-11-27 18:00"},
		{"陈斌：联调下周五", "ben|联调|2026-12-04 18:00"},
		{"finish the API tests, @david, in 3 business days", "david|finish the API tests|2026-11-26 18:00"},
		{"David: review the contract by next friday", "david|review the contract|2026-12-04 18:00"},
		{"- @王芳Amy 写发布说明 3个工作日内", "amy|写发布说明|2026-11-26 18:00"},
		{"@bob 和 @ben 对齐接口 明天", "bob|和 @陈斌 Ben 对齐接口|2026-11-24 18:00"},
		{"@bob 通知 <!channel> 明天", "bob|通知 @" + zwsp + "channel|2026-11-24 18:00"},
		{"bob|完成接口调试|2026-12-01 18:00", "bob|完成接口调试|2026-12-01 18:00"},
		{"@bob 完成接口调试 2026-12-01\n\n@ben 写文档 12/2", "bob|完成接口调试|2026-12-01 18:00\nben|写文档|2026-12-02 18:00"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.out)
	}
	// DingTalk mentions are matched to the @names of all lines in order.
	c := ctx(t)
	c.Mentions = dingtalk("staff2051", "staff1002")
	accepts(t, c, f, "@陈斌 联调 12/1\n@王芳 写文档 12/2", "ben|联调|2026-12-01 18:00\namy|写文档|2026-12-02 18:00")
	accepts(t, c, f, "@陈斌负责联调 12/1\n@王芳写文档 12/2", "ben|负责联调|2026-12-01 18:00\namy|写文档|2026-12-02 18:00")
	accepts(t, ctx(t), f, "@陈斌负责联调 12/1", "ben|负责联调|2026-12-01 18:00")

	for _, tt := range []struct {
		in    string
		code  bot.Code
		hints []string
	}{
		{"完成接口调试 12/1", bot.CodeRequired, []string{"第1行", "负责人"}},
		{"@bob 完成接口调试", bot.CodeRequired, []string{"截止时间", "no due date"}},
		{"@bob 12/1", bot.CodeRequired, []string{"要做的事"}},
		{"@bob 完成接口调试 2月30日", bot.CodeInvalid, []string{"不存在"}},
		{"@bob 完成 12/1\n完成别的", bot.CodeRequired, []string{"第2行", "line 2"}},
		{"@nobody 完成 12/1", bot.CodeUnknownPerson, []string{"nobody"}},
		{"@bob " + strings.Repeat("长", 201) + " 12/1", bot.CodeInvalid, []string{"200"}},
		{strings.Repeat("@bob x 12/1\n", 101), bot.CodeInvalid, []string{"100"}},
	} {
		refuses(t, ctx(t), f, tt.in, tt.code, tt.hints...)
	}
}

func TestDeliverables(t *testing.T) {
	f := templateField(t, "delivery", "items")
	for _, tt := range []struct{ in, out string }{
		{"接口文档, v1.2, 1, https://docs.example.com/api", "接口文档|v1.2|1|https://docs.example.com/api"},
		{"接口文档，v1.2，2", "接口文档|v1.2|2|"},
		{"接口文档 | v1.2 | 3 | https://x.com/a", "接口文档|v1.2|3|https://x.com/a"},
		{"接口文档\tv1\t2\thttps://x.com", "接口文档|v1|2|https://x.com"},
		{"https://x.com/a 接口文档", "接口文档||1|https://x.com/a"},
		{"接口文档 https://x.com/a, v2", "接口文档|v2|1|https://x.com/a"},
		{"<https://x.com/r|report>, 测试报告, 2份", "测试报告||2|https://x.com/r"},
		{"测试报告", "测试报告||1|"},
		{"测试报告, 3份", "测试报告||3|"},
		{"测试报告, ３", "测试报告||3|"},
		{"测试报告, x2", "测试报告||2|"},
		{"测试报告, 2, v2", "测试报告|v2|2|"},
		{"测试报告, v2", "测试报告|v2|1|"},
		{"测试报告||1|", "测试报告||1|"},
		{"测试报告|||https://x.com", "测试报告||1|https://x.com"},
		{"1. 接口文档, v1\n2. 测试报告, v2, 1", "接口文档|v1|1|\n测试报告|v2|1|"},
		{"<!channel>, v1", "@" + zwsp + "channel|v1|1|"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.out)
	}
	for _, tt := range []struct{ in, hint string }{
		{"测试报告, v1, 0", "正整数"},
		{"测试报告, v1, -2", "positive"},
		{"测试报告, v1, abc", "正整数"},
		{", v1, 2", "缺少成果名称"},
		{"a, b, c, d, e", "部分太多"},
		{"doc, v1, 1, https://user:pw@evil.com", "链接无效"},
		{"doc, https://a.com, https://b.com", "一个链接"},
		{"ok\nbad, v1, 0", "第2行"},
	} {
		refuses(t, ctx(t), f, tt.in, codeFor(tt.hint), tt.hint)
	}
}

func codeFor(hint string) bot.Code {
	if hint == "缺少成果名称" {
		return bot.CodeRequired
	}
	return bot.CodeInvalid
}

func TestStatuses(t *testing.T) {
	f := templateField(t, "progress", "status")
	for _, tt := range []struct{ in, out string }{
		{"T-3: needs_help 缺测试账号", "T-3|needs_help|缺测试账号"},
		{"T-3 需协助 缺测试账号", "T-3|needs_help|缺测试账号"},
		{"T-3：需协助，缺测试账号", "T-3|needs_help|缺测试账号"},
		{"T-3 需协助缺测试账号", "T-3|needs_help|缺测试账号"},
		{"T3 done", "T-3|done|"},
		{"t-4：进行中", "T-4|in_progress|"},
		{"T-5 needs help waiting for legal", "T-5|needs_help|waiting for legal"},
		{"T-6 阻塞，等法务审批", "T-6|blocked|等法务审批"},
		{"Ｔ－８ 已完成", "T-8|done|"},
		{"#T-9 in progress", "T-9|in_progress|"},
		{"- T-10 todo", "T-10|todo|"},
		{"T-3|needs_help|缺账号", "T-3|needs_help|缺账号"},
		{"T-3 blocked <!here> help", "T-3|blocked|@" + zwsp + "here help"},
		{"T-1 done\nT-2 需协助 缺账号", "T-1|done|\nT-2|needs_help|缺账号"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.out)
	}
	for _, tt := range []struct{ in, hint string }{
		{"T-3 overdue", "延期"},
		{"T-3 延期", "overdue"},
		{"T-3", "缺少状态"},
		{"T-3 finished-ish", "缺少状态"},
		{"needs help", "T-3"},
		{"T-0 done", "任务编号无效"},
		{"T-3 done\nT-3 blocked 卡住了", "重复"},
		{"T-3 blocked " + strings.Repeat("长", 501), "500"},
	} {
		refuses(t, ctx(t), f, tt.in, bot.CodeInvalid, tt.hint)
	}
}
