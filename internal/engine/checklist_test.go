package engine_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// checklistScript is the delivery checklist walked through in one
// language: three items delivered, the second fails, only it goes back
// with a rework deadline, chased and escalated on business days, and the
// re-delivery shows what changed before it passes.
type checklistScript struct {
	lang                            bot.Lang
	setup, deliver, fail, redeliver string
	pass                            string
	// what the chat must say
	delivered, failed, changed []string
}

var checklistScripts = []checklistScript{{
	lang: bot.Chinese,
	setup: ":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n" +
		":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例全部通过\n\"\"\"\n确认\n",
	deliver: ":as ben\n\"\"\"\n交付 COL-1\n成果交付清单:\n交付物名称 | 版本 | 数量 | 说明 | 链接 | 关联任务\n" +
		"|---|---|---|---|---|---|\n| 接口文档 | v1.0 | 1 | 含退款接口 | https://docs.example.com/api | T-1 |\n" +
		"| 测试报告 | v1.0 | 1 | 120 条用例 | https://docs.example.com/test | T-1 |\n| 部署手册 | v1.0 | 2 | | https://docs.example.com/ops | |\n" +
		"成果自检: 用例全部通过\n\"\"\"\n附件 https://files.example.com/截图.png\n确认\n",
	fail: ":clock 2026-11-25 10:00\n:as amy\n\"\"\"\n验收 COL-1 不通过\n验收意见: 测试报告缺退款场景\n整改项: 2 缺少退款场景用例\n\"\"\"\n确认\n",
	redeliver: ":as ben\n\"\"\"\n交付 COL-1\n成果交付清单: 测试报告, v1.1, 1, https://docs.example.com/test2, 说明: 补充退款用例, T-1\n" +
		"成果自检: 已补充退款用例\n\"\"\"\n确认\n",
	pass:      ":as amy\n验收 COL-1 通过\n确认\n",
	delivered: []string{"1. 接口文档 v1.0 ×1 https://docs.example.com/api — 含退款接口 (T-1)", "3. 部署手册 v1.0 ×2", "已附上 截图.png"},
	failed:    []string{"期限 2026-11-30 10:00", "只有 2. 测试报告 被退回整改;其余 2 项已通过"},
	changed:   []string{"与上次交付相比:", "测试报告 版本 v1.0 → v1.1", "重新交付:测试报告(上次未通过)", "沿用:接口文档(已通过)"},
}, {
	lang: bot.English,
	setup: ":as ben\n:lang en\nack COL-1 accept\nconfirm\n:as fiona\n:lang en\nack COL-1 accept\nconfirm\n" +
		":as amy\n:lang en\n\"\"\"\ntask add COL-1\ntitle: API testing\ndepartment: 研发部\nowner: @ben\ndue: 2026-12-10\nstandard: all cases pass\n\"\"\"\nconfirm\n",
	deliver: ":as ben\n\"\"\"\ndeliver COL-1\nitems:\nname | version | quantity | note | link | tasks\n" +
		"| API spec | v1.0 | 1 | covers refunds | https://docs.example.com/api | T-1 |\n" +
		"| Test report | v1.0 | 1 | 120 cases | https://docs.example.com/test | T-1 |\n| Runbook | v1.0 | 2 | | https://docs.example.com/ops | |\n" +
		"selfcheck: all cases pass\n\"\"\"\nattach https://files.example.com/screenshot.png\nconfirm\n",
	fail: ":clock 2026-11-25 10:00\n:as amy\n\"\"\"\naccept COL-1 fail\ncomments: the report misses refunds\nitems: Test report: no refund cases\n\"\"\"\nconfirm\n",
	redeliver: ":as ben\n\"\"\"\ndeliver COL-1\nitems: Test report, v1.1, 1, https://docs.example.com/test2, note: refund cases added, T-1\n" +
		"selfcheck: refund cases added\n\"\"\"\nconfirm\n",
	pass:      ":as amy\naccept COL-1 pass\nconfirm\n",
	delivered: []string{"1. API spec v1.0 ×1 https://docs.example.com/api — covers refunds (T-1)", "3. Runbook v1.0 ×2", "Attached screenshot.png"},
	failed:    []string{"2026-11-30 10:00", "Only 2. Test report went back for rework; the other 2 passed"},
	changed:   []string{"Changed since the last delivery:", "Test report version v1.0 → v1.1", "re-delivered: Test report (failed last time)", "kept: API spec (passed)"},
}}

func TestDeliveryChecklistReworkAndRedelivery(t *testing.T) {
	for _, sc := range checklistScripts {
		t.Run(string(sc.lang), func(t *testing.T) {
			h := newHarness(t)
			h.fileRequest()
			h.chat(sc.setup)
			mustContain(t, h.chat(sc.deliver), sc.delivered...)
			c := h.collab(1)
			if c.Status != bot.StatusAccepting || len(c.Deliveries) != 1 || len(c.Deliveries[0].Items) != 3 {
				t.Fatalf("after delivery: %s %+v", c.Status, c.Deliveries)
			}
			if it := c.Deliveries[0].Items[0]; it.Note == "" || !slices.Equal(it.Tasks, []bot.TaskID{1}) || len(c.Deliveries[0].Attachments) != 1 {
				t.Errorf("item 1 %+v, attachments %+v", it, c.Deliveries[0].Attachments)
			}

			// Wednesday: item 2 fails; the rework is due in 3 business
			// days, over the weekend: Monday 10:00.
			mustContain(t, h.chat(sc.fail), sc.failed...)
			a := h.collab(1).Acceptances[0]
			if a.Verdict != bot.VerdictFail || len(a.Results) != 3 || a.Results[1].Pass || !a.Results[0].Pass || !a.Results[2].Pass ||
				len(a.Items) != 1 || !strings.HasPrefix(a.Items[0], a.Results[1].Name) {
				t.Fatalf("verdict %+v", a)
			}

			// Chased on the deadline, not over the weekend; escalated a
			// business day later, to the heads and the requester.
			h.sent = nil
			for _, at := range []string{"2026-11-27 18:00", "2026-11-28 12:00", "2026-11-29 12:00"} {
				h.at(at)
			}
			if kinds := kindsOf(h.sent, "rework_due", "rework_escalation"); len(kinds) != 0 {
				t.Errorf("chased before the deadline or on the weekend: %v", kinds)
			}
			h.at("2026-11-30 10:00")
			if got := kindsOf(h.sent, "rework_due"); !slices.Equal(got, []string{"rework_due→amy", "rework_due→ben"}) {
				t.Errorf("on the deadline: %v", got)
			}
			for _, n := range h.sent {
				if n.Kind == "rework_due" && (!strings.Contains(n.Params["items"], a.Results[1].Name) || strings.Contains(n.Params["items"], a.Results[0].Name)) {
					t.Errorf("rework chased with items %q", n.Params["items"])
				}
			}
			h.sent = nil
			h.at("2026-12-01 10:00")
			// amy, the requester, coordinates and was reminded: her head instead.
			if got := kindsOf(h.sent, "rework_escalation"); !slices.Equal(got, []string{"rework_escalation→alice", "rework_escalation→bob", "rework_escalation→frank"}) {
				t.Errorf("escalation: %v", got)
			}

			// Only the failed item comes back; the others are kept.
			mustContain(t, h.chat(sc.redeliver), sc.changed...)
			c = h.collab(1)
			d := c.Deliveries[1]
			if len(d.Items) != 3 || d.Items[0].Version != "v1.1" || !d.Items[1].Kept || !d.Items[2].Kept {
				t.Fatalf("re-delivery %+v", d.Items)
			}
			var accept []bot.Notice
			for _, n := range h.sent {
				if n.Kind == "acceptance_requested" && n.Params["delivery"] == "2" {
					accept = append(accept, n)
				}
			}
			if len(accept) == 0 || !strings.Contains(accept[0].Params["changes"], "redelivered|") {
				t.Errorf("the requester was not told what changed: %+v", accept)
			}
			h.chat(sc.pass)
			c = h.collab(1)
			if c.Status != bot.StatusRetrospective || len(c.Acceptances[1].Failed()) != 0 {
				t.Fatalf("after pass: %s %+v", c.Status, c.Acceptances[1])
			}

			// The record shows the checklist, the change and the file.
			md := h.export(1, sc.lang)
			want := map[bot.Lang][]string{
				bot.Chinese: {"关联任务", "交付标准**:用例全部通过", "验收清单", "2. 测试报告 · 不通过 · 缺少退款场景用例", "已通过,沿用", "截图.png · https://files.example.com/截图.png"},
				bot.English: {"Tasks", "Acceptance standard**: all cases pass", "Checklist", "2. Test report · fail · no refund cases", "passed before, carried over", "screenshot.png · https://files.example.com/screenshot.png"},
			}[sc.lang]
			mustContain(t, md, want...)
		})
	}
}

// kindsOf lists the notices of the kinds as "kind→person", sorted.
func kindsOf(sent []bot.Notice, kinds ...string) []string {
	var out []string
	for _, n := range sent {
		if slices.Contains(kinds, n.Kind) {
			out = append(out, n.Kind+"→"+string(n.To))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestChecklistWrongInput: what people get wrong about deliveries and
// attachments is answered in their language, and nothing is recorded.
func TestChecklistWrongInput(t *testing.T) {
	for _, tt := range []struct {
		name, script string
		lang         bot.Lang
		want         []string
	}{
		{"item without a name", ":as ben\n\"\"\"\n交付 COL-1\n成果交付清单: , v1, 1\n成果自检: 已自检\n\"\"\"\n", bot.Chinese, []string{"缺少成果名称"}},
		{"item without a name, en", ":as ben\n:lang en\n\"\"\"\ndeliver COL-1\nitems: , v1, 1\nselfcheck: done\n\"\"\"\n", bot.English, []string{"no name"}},
		{"bad quantity", ":as ben\n\"\"\"\n交付 COL-1\n成果交付清单: 测试报告, v1, 两份\n成果自检: 已自检\n\"\"\"\n", bot.Chinese, []string{"数量应是正整数"}},
		{"bad quantity, en", ":as ben\n:lang en\n\"\"\"\ndeliver COL-1\nitems: name | quantity\nreport | lots\nselfcheck: done\n\"\"\"\n", bot.English, []string{"positive whole quantity"}},
		{"link that is not a URL", ":as ben\n\"\"\"\n交付 COL-1\n成果交付清单: 测试报告, v1, 1, docs/report\n成果自检: 已自检\n\"\"\"\n", bot.Chinese, []string{"链接无效"}},
		{"link that is not a URL, en", ":as ben\n:lang en\n\"\"\"\ndeliver COL-1\nitems: report, v1, 1, www.example.com/r\nselfcheck: done\n\"\"\"\n", bot.English, []string{"link"}},
		{"unknown task", ":as ben\n\"\"\"\n交付 COL-1\n成果交付清单: 测试报告, v1, 1, T-9\n成果自检: 已自检\n\"\"\"\n确认\n", bot.Chinese, []string{"任务 T-9 不存在"}},
		{"item twice, en", ":as ben\n:lang en\n\"\"\"\ndeliver COL-1\nitems:\nreport, v1\nReport, v2\nselfcheck: done\n\"\"\"\nconfirm\n", bot.English, []string{"repeats “Report”"}},
		{"attachment on a task form", ":as amy\n任务 新建 COL-1\n附件 https://files.example.com/a.pdf\n", bot.Chinese, []string{"不接收附件", "进度更新、成果交付、会议纪要和风险"}},
		{"attachment with nothing open, en", ":as ben\n:lang en\nattach https://files.example.com/a.pdf\n", bot.English, []string{"An attachment goes with a record"}},
		{"attachment that is no link", ":as ben\n进度 COL-1\n附件 ftp://files.example.com/a.pdf\n", bot.Chinese, []string{"不是有效的链接"}},
		{"too many attachments, en", ":as ben\n:lang en\nupdate COL-1\nattach " + strings.Repeat("https://f.example.com/x ", 0) +
			"https://f.example.com/1 https://f.example.com/2 https://f.example.com/3 https://f.example.com/4 https://f.example.com/5 " +
			"https://f.example.com/6 https://f.example.com/7 https://f.example.com/8 https://f.example.com/9 https://f.example.com/10 https://f.example.com/11\n",
			bot.English, []string{"At most 10 attachments"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.fileRequest()
			h.chat(checklistScripts[0].setup)
			out := h.chat(tt.script)
			mustContain(t, out, tt.want...)
			if strings.Contains(out, "panic") || strings.Contains(out, "(error:") {
				t.Errorf("crashed:\n%s", out)
			}
			if c := h.collab(1); len(c.Deliveries) != 0 || c.Status != bot.StatusActive {
				t.Errorf("recorded anyway: %s %+v", c.Status, c.Deliveries)
			}
		})
	}
}

// TestFailNamingNoItem: a fail naming no item sends the whole delivery
// back, as before checklists, with the rework as written.
func TestFailNamingNoItem(t *testing.T) {
	h := newHarness(t)
	h.deliver()
	h.chat(":as amy\n\"\"\"\n验收 COL-1 不通过\n验收意见: 缺性能测试\n整改项: 补充性能测试\n整改期限: 2026-12-15\n\"\"\"\n确认\n")
	a := h.collab(1).Acceptances[0]
	if len(a.Results) != 1 || a.Results[0].Pass || !slices.Equal(a.Items, []string{"补充性能测试"}) {
		t.Errorf("a fail naming no item: %+v", a)
	}
}

// TestDeliveryItemByItem: a list built one item at a time, a wrong item
// refused without losing the others, files attached on the way.
func TestDeliveryItemByItem(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.chat(checklistScripts[0].setup)
	out := h.chat(":as ben\n交付 COL-1\n接口文档, v1, 1, https://docs.example.com/api\n加一项 测试报告, v1, 2, 说明: 含压测, T-1\n" +
		"已自检\n加一项 部署手册, v1, 0\n加一项 接口文档, v2\n+ 部署手册, v1, 1\n附件 https://files.example.com/a.pdf\n确认\n")
	mustContain(t, out, "交付清单现有 2 项", "数量应是正整数", "“接口文档”出现了两次", "交付清单现有 3 项", "已附上 a.pdf")
	c := h.collab(1)
	if len(c.Deliveries) != 1 || len(c.Deliveries[0].Items) != 3 || c.Deliveries[0].Items[1].Note != "含压测" ||
		c.Deliveries[0].Items[2].Quantity != 1 || len(c.Deliveries[0].Attachments) != 1 {
		t.Fatalf("delivered %+v\n%s", c.Deliveries, out)
	}
}

// TestAttachmentsOnProgressRisksAndMinutes: the other records that take
// files keep them and the record sheet lists them, in both languages;
// a file path typed in the terminal is kept as a path, with its size.
func TestAttachmentsOnProgressRisksAndMinutes(t *testing.T) {
	h := newHarness(t)
	h.meetingHeld()
	path := t.TempDir() + "/周报.xlsx"
	if err := os.WriteFile(path, make([]byte, 2048), 0o600); err != nil {
		t.Fatal(err)
	}
	out := h.chat(":as ben\n进度 COL-1\n附件 " + path + "\n完成初稿\n确认\n" +
		"\"\"\"\n风险 上报 COL-1\n问题描述: 环境不稳\n影响范围: 联调\n影响程度: 中\n责任部门: 研发部\n\"\"\"\n附件 https://files.example.com/日志.txt\n确认\n" +
		":as amy\n\"\"\"\n会议 M-1 纪要\n共识结论: 研发部负责联调\n\"\"\"\nattach https://files.example.com/minutes.docx\n确认\n")
	mustContain(t, out, "已附上 周报.xlsx (2 KB)", "已附上 日志.txt", "已附上 minutes.docx")
	c := h.collab(1)
	r, _ := c.Risk(1)
	m, _ := c.Meeting(1)
	if len(r.Attachments) != 1 || m.Minutes == nil || len(m.Minutes.Attachments) != 1 {
		t.Fatalf("risk %+v, minutes %+v", r.Attachments, m.Minutes)
	}
	zh, en := h.export(1, bot.Chinese), h.export(1, bot.English)
	mustContain(t, zh, "**附件**", "周报.xlsx (2 KB) · "+path, "日志.txt · https://files.example.com/日志.txt", "minutes.docx")
	mustContain(t, en, "**Attachments**", "周报.xlsx (2 KB)")
}

// A modal shows a pass's notes and a fail's rework items side by side
// until a verdict is chosen; what the verdict rules out is dropped, and
// never refuses the submission.
func TestModalVerdictDropsTheOtherVerdictsLines(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values map[string][]string
	}{
		{"fail with notes left", map[string][]string{"verdict": {"fail"}, "comments": {"refunds missing"}, "items": {"1 no refund cases"}, "notes": {"overall fine"}}},
		{"pass with rework left", map[string][]string{"verdict": {"pass"}, "comments": {"good"}, "items": {"9 stale line"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.deliver()
			res, err := h.eng.Submit(context.Background(), consoleMsg(h, "amy", "", "acc-1"),
				bot.Submission{Form: "acceptance", Target: "COL-1", Values: tc.values})
			if err != nil {
				t.Fatal(err)
			}
			if !res.OK() {
				t.Errorf("refused over a field its verdict rules out: %+v", res.Problems)
			}
		})
	}
}
