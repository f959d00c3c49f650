package engine_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestFailAsksReworkItemsFirst: the delivery notice says to send
// `验收 COL-1 不通过` and list the failing items by number, so the line
// after the verdict is a rework item (checked on the line: an item the
// delivery lacks is refused) and the comments are asked after the items.
// Before, the first question was 验收意见 and "3 …" became a comment.
func TestFailAsksReworkItemsFirst(t *testing.T) {
	for _, tt := range []struct {
		lang                          bot.Lang
		script                        string
		itemsQ, refusal, commentsQ    string
		comments, itemNote, notInNote string
	}{
		{bot.Chinese, ":as amy\n验收 COL-1 不通过\n3 缺少对账用例\n1 缺少退款场景用例\n退款场景未覆盖\n跳过\n确认\n",
			"【验收 · 整改项】", "没有第 3 项", "【验收 · 验收意见】", "退款场景未覆盖", "缺少退款场景用例", "缺少对账用例"},
		{bot.English, ":as amy\n:lang en\naccept COL-1 fail\n3 no reconciliation cases\n1 no refund cases\nrefunds are not covered\nskip\nconfirm\n",
			"【Acceptance · Rework items】", "There is no item 3", "【Acceptance · Comments】", "refunds are not covered", "no refund cases", "reconciliation"},
	} {
		t.Run(string(tt.lang), func(t *testing.T) {
			h := newHarness(t)
			h.deliver() // one item: 测试报告
			out := h.chat(tt.script)
			items, refused, comments := strings.Index(out, tt.itemsQ), strings.Index(out, tt.refusal), strings.Index(out, tt.commentsQ)
			if items < 0 || refused < items || comments < refused {
				t.Fatalf("want the items asked first, the wrong item refused, then the comments (%d, %d, %d):\n%s", items, refused, comments, out)
			}
			a := h.collab(1).Acceptances
			if len(a) != 1 || a[0].Verdict != bot.VerdictFail || len(a[0].Results) != 1 || a[0].Results[0].Pass {
				t.Fatalf("acceptance %+v\n%s", a, out)
			}
			if a[0].Comments != tt.comments || !strings.Contains(a[0].Results[0].Comment, tt.itemNote) || strings.Contains(a[0].Comments+a[0].Results[0].Comment, tt.notInNote) {
				t.Errorf("comments %q, item note %q", a[0].Comments, a[0].Results[0].Comment)
			}
		})
	}
}

