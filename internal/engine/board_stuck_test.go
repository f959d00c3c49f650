package engine_test

import (
	"context"

	"testing"

	"github.com/collabot/collabot/bot"
)

// TestOverdueTaskAskingForHelp: help asked for, or a block reported, on a
// task already past due is confirmed as asked, and the board keeps it red
// but also shows the request with its reason and counts it as needing
// help (it read 延期 alone, and the reason was lost).
func TestOverdueTaskAskingForHelp(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		reply, board []string
		count        string
	}{
		{"zh help", ":as ben\n任务 T-1 求助 缺数据\n看板 COL-1\n",
			[]string{"✅ T-1「接口调试」→ 需协助(它已延期:截止时间 2026-12-10 18:00 已过"},
			[]string{"🔴 T-1 接口调试 · 陈斌 Ben · 12-10 18:00 · 延期 · 🟡 需协助:缺数据"},
			"共 1 项任务:0 项已完成,1 项延期,1 项需协助"},
		{"zh blocked", ":as ben\n任务 T-1 阻塞 等审批\n看板 COL-1\n",
			[]string{"✅ T-1「接口调试」→ 阻塞(它已延期"},
			[]string{"🔴 T-1 接口调试 · 陈斌 Ben · 12-10 18:00 · 延期 · 🟡 阻塞:等审批"},
			"1 项需协助"},
		{"en help", ":as ben\n:lang en\ntask T-1 help missing data\nboard COL-1\n",
			[]string{"✅ T-1 “接口调试” → needs help (it is also overdue: it was due 2026-12-10 18:00"},
			[]string{"🔴 T-1 接口调试 · 陈斌 Ben · 12-10 18:00 · overdue · 🟡 needs help: missing data"},
			"1 task: 0 done, 1 overdue, 1 need help"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.withTask()
			out := h.chat(":clock 2026-12-14 10:00\n" + tc.script)
			mustContain(t, out, tc.reply...)
			mustContain(t, out, tc.board...)
			mustContain(t, out, tc.count)
			mustLack(t, out, "→ 延期", "→ overdue")
			if n := h.collab(1).Summarize(h.clock.Now()); n.Overdue != 1 || n.NeedsHelp != 1 {
				t.Errorf("summary counts %d overdue, %d needing help; want 1 and 1", n.Overdue, n.NeedsHelp)
			}
		})
	}
}

// TestOverdueTaskAskingForHelpInLists: the collaboration lists read from
// the store's rows count the same as the board.
func TestOverdueTaskAskingForHelpInLists(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	h.chat(":clock 2026-12-14 10:00\n:as ben\n任务 T-1 求助 缺数据\n")
	for _, f := range []bot.Filter{{}, {NeedsHelp: true}} {
		list := h.summaries(f)
		if len(list) != 1 || list[0].Overdue != 1 || list[0].NeedsHelp != 1 {
			t.Errorf("%+v: %+v; want COL-1 with 1 overdue and 1 needing help", f, list)
		}
	}
}

// summaries lists the collaborations as a list page reads them.
func (h *harness) summaries(f bot.Filter) []bot.Summary {
	h.t.Helper()
	var out []bot.Summary
	err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		var err error
		out, err = tx.Summaries(context.Background(), f, h.clock.Now())
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}
