package engine_test

import "testing"

// TestReminderChangesInTheRecord: changing a collaboration's reminders
// is written as who set which timer to what, in the record, its
// Markdown and its CSV; it was summed up with the reminders sent ("每日
// 进度:提醒 1 次(发给 协作群)"), and "all" leaked as a timer name.
func TestReminderChangesInTheRecord(t *testing.T) {
	for _, tc := range []struct {
		name, script string
		wants        []string
	}{
		{"zh show", "查看 COL-1\n", []string{"王芳 Amy 把每日进度提醒改为 16:30。", "王芳 Amy 把对接确认提醒改为 2 个工作日。",
			"王芳 Amy 把每日进度提醒恢复为工作区设置。", "王芳 Amy 关闭了全部提醒。"}},
		{"zh csv", "导出 COL-1 csv\n", []string{"调整提醒,王芳 Amy 把每日进度提醒改为 16:30", "调整提醒,王芳 Amy 关闭了全部提醒"}},
		{"en show", ":lang en\nshow COL-1\n", []string{"王芳 Amy changed the “Daily progress” reminder to 16:30.",
			"王芳 Amy changed the “Acknowledgement” reminder to 2 business days.", "王芳 Amy turned off all reminders."}},
		{"en csv", ":lang en\nexport COL-1 csv\n", []string{"changed a reminder,王芳 Amy turned off all reminders"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.withTask()
			h.chat(":as amy\n提醒 COL-1 daily_progress 16:30\n提醒 COL-1 acknowledgement 2bd\n提醒 COL-1 daily_progress on\n提醒 COL-1 关\n")
			out := h.chat(":as amy\n" + tc.script)
			mustContain(t, out, tc.wants...)
			mustLack(t, out, "提醒 1 次", "all 1", "reminder_changed", "daily_progress")
		})
	}
}
