package engine_test

import (
	"testing"
)

// A recurring meeting in chat, in Chinese: made weekly, one occurrence
// cancelled, its minutes recorded and confirmed by occurrence, then the
// whole series called off; wrong rules are refused in words.
func TestSeriesChatChinese(t *testing.T) {
	h := newHarness(t)
	h.meetingTomorrow() // M-1, 2026-11-24 10:00 (Tuesday)
	for _, tt := range []struct{ rule, want string }{
		{"每周三 25:00", "不是时间"},
		{"每周星期八 10:00", "看不懂"},
		{"每0周 周三 10:00", "1 到 12"},
		{"每周三 20:00", "不在工作时间内"},
		{"每周六 10:00", "周一至周五"},
		{"", "请说明周期"},
	} {
		out := h.chat(":as amy\n会议 M-1 重复 " + tt.rule + "\n")
		mustContain(t, out, tt.want)
	}
	out := h.chat(":as amy\n会议 M-1 重复 每周三 10:00\n")
	mustContain(t, out, "M-1 已设为例会", "每周三 10:00", "2026-11-25 10:00", "M-1#2026-11-25", "遇法定节假日当次取消")

	out = h.chat(":as amy\n取消 M-1 2026-12-02\n")
	mustContain(t, out, "M-1#2026-12-02 已取消", "下次会议 M-1#2026-11-25")
	out = h.chat(":as amy\n取消 M-1 2026-12-03\n")
	mustContain(t, out, "M-1 在 2026-12-03 没有会议")

	h.clock.Set("2026-11-25 11:00", h.cfg.Location())
	out = h.chat(":as amy\n\"\"\"\n会议 M-1#2026-11-25 纪要\n共识结论: 接口按期联调\n\"\"\"\n确认\n:as ben\n确认\n")
	mustContain(t, out, "M-1#2026-11-25", "`确认 M-1#2026-11-25`")
	out = h.chat(":as ben\n确认 M-1#2026-11-25\n")
	mustContain(t, out, "M-1#2026-11-25")
	c := h.collab(1)
	m, _ := c.Meeting(1)
	o := m.Occurrences
	if len(o) != 2 || o[1].Minutes == nil || len(o[1].Unconfirmed()) != 0 || !o[0].Cancelled {
		t.Fatalf("occurrences stored: %+v", o)
	}
	out = h.chat(":as amy\n会议 M-1#2026-12-09 改期 2026-12-10 10:00\n")
	mustContain(t, out, "单次会议可用", "例会 M-1")
	out = h.chat(":as amy\n会议 M-1 纪要\n")
	mustContain(t, out, "M-1 是例会", "M-1#2026-11-25")

	out = h.chat(":as amy\n导出 COL-1 md\n")
	mustContain(t, out, "M-1 启动会", "例会", "**周期**:每周三 10:00", "**遇法定节假日**:当次取消", "**下次会议**:M-1#2026-12-09 · 2026-12-09 10:00",
		"### M-1#2026-11-25", "**所属例会**:M-1 · 2026-11-25", "### M-1#2026-12-02", "(已取消)")
	out = h.chat(":as amy\n会议 M-1 取消 项目调整\n")
	mustContain(t, out, "M-1")
	if m, _ := h.collab(1).Meeting(1); m.Repeat.Ended.IsZero() {
		t.Fatal("the series goes on after it was cancelled")
	}
	out = h.chat(":as amy\n导出 COL-1 csv\n导出 COL-1 json\n")
	mustContain(t, out, "例会停止于", "M-1#2026-11-25", `"series_id": "M-1"`, `"on_holiday": "skip"`)
}

// The same in English, with "every 2 weeks", a weekday typo, "every 0
// weeks" and a time outside working hours.
func TestSeriesChatEnglish(t *testing.T) {
	h := newHarness(t)
	h.meetingTomorrow()
	for _, tt := range []struct{ rule, want string }{
		{"weekly wendesday 10:00", "I don't understand “wendesday”"},
		{"every 0 weeks on wed 10:00", "N from 1 to 12"},
		{"weekly wed 7:00", "outside working hours"},
		{"daily wed", "every business day"},
	} {
		out := h.chat(":as amy\n:lang en\nmeeting M-1 repeat " + tt.rule + "\n")
		mustContain(t, out, tt.want)
	}
	out := h.chat(":as amy\nmeeting M-1 repeat every 2 weeks on Wednesday 14:00 until 2026-12-31 move\n")
	mustContain(t, out, "M-1 now repeats every 2 weeks on Wednesday at 14:00 until 2026-12-31",
		"moves to the next business day", "Next: 2026-11-25 14:00 (M-1#2026-11-25)")
	out = h.chat(":as amy\ncancel M-1 on 2026-12-09\n")
	mustContain(t, out, "M-1#2026-12-09 is cancelled", "next M-1#2026-11-25")
	out = h.chat(":as amy\ncancel M-1 on 2026-12-16\n")
	mustContain(t, out, "M-1 does not meet on 2026-12-16")
	out = h.chat(":as amy\nmeeting M-1 cancel\n")
	mustContain(t, out, "M-1")
	out = h.chat(":as amy\ncancel M-1 on 2026-12-23\n")
	mustContain(t, out, "no longer")
	out = h.chat(":as amy\nexport COL-1 md\n")
	mustContain(t, out, "recurring meeting", "**Repeats**: every 2 weeks on Wednesday at 14:00 until 2026-12-31",
		"**On public holidays**: moved to the next business day", "**Series ended**: 2026-11-23 10:00", "### M-1#2026-12-09")
}

// A daily stand-up: every business day at its time.
func TestSeriesDailyStandUp(t *testing.T) {
	h := newHarness(t)
	h.meetingTomorrow()
	out := h.chat(":as amy\n:lang en\nmeeting M-1 repeat daily 9:30\n")
	mustContain(t, out, "M-1 now repeats every business day at 09:30", "Next: 2026-11-24 09:30 (M-1#2026-11-24)")
	out = h.chat(":as amy\ncancel M-1 on 2026-11-28\n") // a Saturday
	mustContain(t, out, "M-1 does not meet on 2026-11-28")
	out = h.chat(":as amy\ncancel M-1 on 2026-11-24\n")
	mustContain(t, out, "M-1#2026-11-24 is cancelled", "next M-1#2026-11-25")
}
