package engine_test

import (
	"testing"
	"time"
)

// TestLoanPeriodAsWritten: a loan's 使用期限 pasted as one period fills
// both its ends, and a loan may begin and end on the same day (it begins
// at the start of the working day, ends at its end).
func TestLoanPeriodAsWritten(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as carol\n\"\"\"\n新建 资源协调\n协作主题: 借投影仪\n协作背景与目标: 发布会\n需协助部门: 研发部\n资源类型: 设备\n" +
		"资源需求: 投影仪\n数量: 2台\n使用期限: 2026-11-25 至 2026-11-25\n\"\"\"\n确认\n")
	mustContain(t, out, "使用开始日期: 2026-11-25 09:00", "使用结束日期: 2026-11-25 18:00", "✅ 已创建 COL-1")
	mustLack(t, out, "必须晚于")
	r := h.collab(1).Request.Resource
	if r == nil {
		t.Fatal("no loan recorded")
	}
	if want := time.Date(2026, 11, 25, 9, 0, 0, 0, monday.Location()); !r.From.Equal(want) {
		t.Errorf("from %v, want %v", r.From, want)
	}
	if want := time.Date(2026, 11, 25, 18, 0, 0, 0, monday.Location()); !r.Until.Equal(want) {
		t.Errorf("until %v, want %v", r.Until, want)
	}
}
