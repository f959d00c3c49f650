package engine_test

import "testing"

// TestTaskStartDateIsStartOfWorkingDay: a start given as a date is the
// beginning of that working day, as a loan's start is, not its end (the
// due time), so a one-day task starts before it is due.
func TestTaskStartDateIsStartOfWorkingDay(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 联调\n责任部门: 研发部\n直接责任人: @ben\n开始时间: 2026-11-24\n截止时间: 2026-11-24\n交付标准: 通过\n\"\"\"\n确认\n")
	mustContain(t, out, "2026-11-24 09:00")
	task := h.collab(1).Tasks[1]
	if got := task.Start.Format("2006-01-02 15:04"); got != "2026-11-24 09:00" {
		t.Errorf("start = %s, want 2026-11-24 09:00", got)
	}
	if !task.Start.Before(task.Due) {
		t.Errorf("start %v is not before due %v", task.Start, task.Due)
	}
}
