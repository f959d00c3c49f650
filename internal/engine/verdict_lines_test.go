package engine_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestVerdictLinesCheckedAsTyped: a fail's rework line naming an item
// the delivery does not have is refused on the line, with the reason; the
// form stays at the same question, and the next line goes on from there.
func TestVerdictLinesCheckedAsTyped(t *testing.T) {
	for _, tt := range []struct {
		lang               bot.Lang
		script             string
		refusal, question  string
		next, summaryLacks string
	}{
		{bot.Chinese, ":as amy\n验收 COL-1 不通过\n9 缺少退款用例\n1 缺少退款用例\n测试报告缺退款场景\n跳过\n确认\n",
			"没有第 9 项:本次交付只有第 1 至 1 项", "【验收 · 整改项】", "【验收 · 验收意见】", "9 缺少退款用例"},
		{bot.English, ":as amy\n:lang en\naccept COL-1 fail\n9 missing\n#1 no refund cases\nthe report misses refunds\nskip\nconfirm\n",
			"There is no item 9: this delivery has items 1 to 1", "【Acceptance · Rework items】", "【Acceptance · Comments】", "9 missing"},
	} {
		t.Run(string(tt.lang), func(t *testing.T) {
			h := newHarness(t)
			h.deliver()
			out := h.chat(tt.script)
			refused, next := strings.Index(out, tt.refusal), strings.Index(out, tt.next)
			if refused < 0 || next < 0 || refused > next {
				t.Fatalf("the wrong item was not refused as typed (refusal at %d, next question at %d):\n%s", refused, next, out)
			}
			// Asked again: the same question follows the refusal.
			after := out[refused:]
			if i := strings.Index(after, "【"); i < 0 || !strings.HasPrefix(after[i:], tt.question) {
				t.Errorf("the form moved on after the refusal:\n%s", out[refused:])
			}
			mustLack(t, out, tt.summaryLacks)
			a := h.collab(1).Acceptances
			if len(a) != 1 || a[0].Verdict != bot.VerdictFail || len(a[0].Results) != 1 || a[0].Results[0].Pass {
				t.Fatalf("acceptance %+v", a)
			}
		})
	}
}

// TestPassWithItemNotes: a pass says something of single items, in the
// lines of a fail (number or name, then the note); a line naming no item,
// an item the delivery lacks or a failing item is refused as typed.
func TestPassWithItemNotes(t *testing.T) {
	for _, tt := range []struct {
		lang    bot.Lang
		script  string
		refused []string
		record  string
	}{
		{bot.Chinese, ":as amy\n验收 COL-1\n通过\n整体满意\n2 很好\n整体不错\n1 不通过 缺页\n测试报告 格式规范,结论清楚\n确认\n",
			[]string{"没有第 2 项", "“整体不错”没有指明交付项", "判定通过时不能有不通过的交付项(“测试报告”)", "逐项意见: 测试报告 格式规范,结论清楚"},
			"1. 测试报告 · 通过 · 格式规范,结论清楚"},
		{bot.English, ":as amy\n:lang en\naccept COL-1\npass\nall good\n2 fine\nnice work\n1 fail pages missing\n1 clear and complete\nconfirm\n",
			[]string{"There is no item 2", "“nice work” names no item", "A pass cannot have a failing item (“测试报告”)", "Item notes: 1 clear and complete"},
			"1. 测试报告 · pass · clear and complete"},
	} {
		t.Run(string(tt.lang), func(t *testing.T) {
			h := newHarness(t)
			h.deliver()
			mustContain(t, h.chat(tt.script), tt.refused...)
			c := h.collab(1)
			if c.Status != bot.StatusRetrospective || len(c.Acceptances) != 1 {
				t.Fatalf("%s %+v", c.Status, c.Acceptances)
			}
			if r := c.Acceptances[0].Results; len(r) != 1 || !r[0].Pass || r[0].Comment == "" {
				t.Fatalf("results %+v", r)
			}
			mustContain(t, h.export(1, tt.lang), tt.record)
		})
	}
	// Pasted, by the field's key or its label; the one-tap pass asks nothing more.
	h := newHarness(t)
	h.deliver()
	h.chat(":as amy\n\"\"\"\naccept COL-1\nverdict: pass\nnotes: 测试报告: 用例覆盖全面\n\"\"\"\nconfirm\n")
	if r := h.collab(1).Acceptances[0].Results; len(r) != 1 || r[0].Comment != "用例覆盖全面" {
		t.Fatalf("pasted notes: %+v", r)
	}
	h = newHarness(t)
	h.deliver()
	mustLack(t, h.chat(":as amy\n验收 COL-1 通过\n"), "逐项意见")
	if c := h.collab(1); c.Status != bot.StatusRetrospective {
		t.Fatalf("one-tap pass: %s", c.Status)
	}
}

// TestDeliveryTasksCheckedAsTyped: an item answering for a task the
// collaboration does not have is refused on its line, not at the
// confirmation; the list is asked again.
func TestDeliveryTasksCheckedAsTyped(t *testing.T) {
	for _, tt := range []struct {
		lang                    bot.Lang
		script, refusal, itemsQ string
	}{
		{bot.Chinese, ":as ben\n交付 COL-1\n测试报告, v1, 1, T-9\n测试报告, v1, 1, T-1\n已自检\n确认\n", "任务 T-9 不存在", "【成果交付 · 成果交付清单】"},
		{bot.English, ":as ben\n:lang en\ndeliver COL-1\nreport, v1, 1, T-9\nreport, v1, 1, T-1\nself-checked\nconfirm\n", "The task T-9 named for “report” does not exist", "【Delivery · Deliverables】"},
	} {
		t.Run(string(tt.lang), func(t *testing.T) {
			h := newHarness(t)
			h.fileRequest()
			h.chat(checklistScripts[0].setup)
			out := h.chat(tt.script)
			i := strings.Index(out, tt.refusal)
			if i < 0 {
				t.Fatalf("not refused:\n%s", out)
			}
			if j := strings.Index(out[i:], "【"); j < 0 || !strings.HasPrefix(out[i+j:], tt.itemsQ) {
				t.Errorf("not asked again:\n%s", out[i:])
			}
			if c := h.collab(1); len(c.Deliveries) != 1 || c.Deliveries[0].Items[0].Tasks[0] != 1 {
				t.Fatalf("deliveries %+v", c.Deliveries)
			}
		})
	}
}
