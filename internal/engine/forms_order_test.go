package engine_test

import (
	"slices"
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

// TestAgendaOneItemPerMessage: on a phone the agenda is typed one topic
// per message; each adds to the agenda (the question stays, listing what
// is noted) until `下一步`/`next`, and only then come the materials.
// Before, the second topic landed in 预阅读材料. A message of several
// lines adds them all and moves on (the rest of the agenda at once), and
// the meeting form's agenda works the same.
func TestAgendaOneItemPerMessage(t *testing.T) {
	for _, tt := range []struct {
		lang                      bot.Lang
		script, noted, materialsQ string
	}{
		{bot.Chinese, ":as amy\n会议 M-1 议程\n确认目标\n分工\n排期\n风险\n下一步\nhttps://docs.example.com/plan\n确认\n",
			"已记下 2 项:确认目标、分工", "【会议议程 · 预阅读材料】"},
		{bot.English, ":as amy\n:lang en\nmeeting M-1 agenda\n确认目标\n分工\n\"\"\"\n排期\n风险\n\"\"\"\nhttps://docs.example.com/plan\nconfirm\n",
			"Noted 2 so far: 确认目标, 分工", "【Meeting agenda · Pre-reading】"},
	} {
		t.Run(string(tt.lang), func(t *testing.T) {
			h := newHarness(t)
			h.meetingTomorrow()
			out := h.chat(tt.script)
			mustContain(t, out, tt.noted, tt.materialsQ)
			m := h.collab(1).Meetings[0]
			if want := []string{"确认目标", "分工", "排期", "风险"}; !slices.Equal(m.Agenda, want) {
				t.Errorf("agenda %q, want %q\n%s", m.Agenda, want, out)
			}
			if want := []string{"https://docs.example.com/plan"}; !slices.Equal(m.Materials, want) {
				t.Errorf("materials %q, want %q", m.Materials, want)
			}
		})
	}
	// The meeting form's optional agenda, and `确认` straight from it.
	h := newHarness(t)
	h.withTask()
	h.chat(":as amy\n会议 安排 COL-1\n启动会\n明天 10:00\n1h\n@ben\n确认目标\n分工\n确认\n")
	if ms := h.collab(1).Meetings; len(ms) != 1 || !slices.Equal(ms[0].Agenda, []string{"确认目标", "分工"}) || len(ms[0].Materials) != 0 {
		t.Errorf("meetings %+v", ms)
	}
}
