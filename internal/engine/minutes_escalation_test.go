package engine_test

import "testing"

// TestMinutesEscalationSaysWhatToDo: the escalation of missing minutes
// reaches someone who may not have been at the meeting; it names the
// collaboration and asks them to chase the organiser, with the board one
// button away (it said only that the organiser had been reminded).
func TestMinutesEscalationSaysWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		lang  string
		wants []string
	}{
		{"zh", []string{"【COL-1 · 🔺 会议纪要未提交 M-1】", "COL-1「新品推广接口调试」", "请督促组织者提交纪要(`会议 M-1 纪要`)", "[看板] 看板 COL-1"}},
		{"en", []string{"【COL-1 · 🔺 Minutes missing for M-1】", "of COL-1 “新品推广接口调试”", "Please ask them to record the minutes (`meeting M-1 minutes`)", "[Board] board COL-1"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t)
			h.meetingHeld()
			h.chat(":as alice\n:lang " + tc.lang + "\n:as bob\n:lang " + tc.lang + "\n")
			var out string
			for _, at := range []string{"2026-11-24 18:00", "2026-11-25 12:00", "2026-11-25 18:00", "2026-11-26 12:00", "2026-11-26 18:00"} {
				out += h.atOut(at)
			}
			mustContain(t, out, tc.wants...)
		})
	}
}
