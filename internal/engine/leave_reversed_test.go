package engine_test

import "testing"

// TestLeaveReversedDatesSaySo: a period whose end comes before its start
// is read, and the answer says that rather than "unreadable".
func TestLeaveReversedDatesSaySo(t *testing.T) {
	for _, tt := range []struct{ text, want string }{
		{"请假 2026-12-07..2026-12-04", "请假的结束日期 2026-12-04(周五) 早于开始日期 2026-12-07(周一)"},
		{"请假 12月9日到12月7日", "请假的结束日期 2026-12-07(周一) 早于开始日期 2026-12-09(周三):先写开始,再写结束,例如 `请假 2026-12-07..2026-12-09`"},
		{":lang en\nleave 2026-12-07..2026-12-04", "The leave ends (2026-12-04 (Friday)) before it starts (2026-12-07 (Monday))"},
	} {
		h := newHarness(t)
		out := h.chat(":as ben\n" + tt.text + "\n")
		mustContain(t, out, tt.want)
		mustLack(t, out, "请假日期看不懂", "I could not read those dates")
		if l := h.settings("ben").Leave; len(l) != 0 {
			t.Errorf("%q declared %v", tt.text, l)
		}
	}
}
