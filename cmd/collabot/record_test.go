package main

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// internalEncoding is what must never show in a record people read:
// values joined with "|" (a table's own " | " is fine), Go durations,
// RFC 3339 instants, the scheduler's timer ids and the status words of
// the JSON.
var internalEncoding = regexp.MustCompile(`\S\|\S|\d+m0s|\dh\d+m|\d{4}-\d\d-\d\dT\d\d:|` +
	`\b(?:ack_reminder|ack_escalation|daily_progress|progress_summary|task_due|task_overdue|task_escalation|` +
	`risk_reminder|weekly_summary|calendar_missing|reminder_sent|in_progress|needs_help|awaiting_ack)\b`)

// TestExportedRecordReadsWell: a collaboration that ran for four weeks, its
// owner chased every day, exported as Markdown, reads as the filled
// record sheet: the basic information as a table, no internal encodings,
// and its reminders summed up in a few lines however many went out.
func TestExportedRecordReadsWell(t *testing.T) {
	db := filepath.Join(t.TempDir(), "collabot.db")
	script := `"""
发起协作
协作主题: 新品推广接口调试
协作背景与目标: Q4 新品上线
需协助部门: 研发部
具体需求描述: 完成产品接口调试并提供测试报告
期望完成时间: 2026-12-31
"""
确认
:as alice
初审 COL-1 通过
:as ben
确认 COL-1 承接
确认
:as amy
"""
任务 新建 COL-1
任务名称: 接口调试
直接责任人: @ben
截止时间: 2026-11-25 18:00
交付标准: 用例通过
"""
确认
"""
风险 上报 COL-1
问题描述: 测试环境不稳定
影响范围: 联调
影响程度: 中
责任部门: 研发部
"""
确认
`
	// Four weeks of working days at 17:05 and 18:05: a progress request
	// and its summary each day, an overdue reminder, escalations.
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for i := 0; i < 28; i++ {
		d := day.AddDate(0, 0, i)
		script += fmt.Sprintf(":clock %s 17:05\n:clock %s 18:05\n", d.Format("2006-01-02"), d.Format("2006-01-02"))
	}
	script += ":as ben\n任务 T-1 完成\n\"\"\"\n提交成果 COL-1\n成果交付清单: 测试报告, v1, 1, https://docs.example.com/r\n成果自检: 已自检\n\"\"\"\n确认\n" +
		":as amy\n验收 COL-1 通过\n\"\"\"\n复盘 COL-1\n协作亮点: 快\n待改进点: 环境\n\"\"\"\n确认\n归档 COL-1\n" +
		"归档 COL-1 确认\n" // R-1 is still open: archiving asks once more
	out := sessionAt(t, db, "zh-CN", "2026-11-23T10:00:00+08:00", script)
	if !strings.Contains(out, "已归档") {
		t.Fatalf("the collaboration was not archived:\n%s", out)
	}
	code, md, errOut := exportCLIAs(t, "export", db, "COL-1", "--format", "md")
	if code != 0 {
		t.Fatalf("export: %d %s", code, errOut)
	}
	if !strings.Contains(md, "| 基础信息 | 内容 |") || !strings.Contains(md, "| 协作主题 | 新品推广接口调试 |") {
		t.Errorf("the basic information is not the sheet's table:\n%s", md)
	}
	for _, line := range strings.Split(md, "\n") {
		if m := internalEncoding.FindString(line); m != "" {
			t.Errorf("internal encoding %q in %q", m, line)
		}
	}
	_, log, _ := strings.Cut(md, "## 九、操作记录")
	reminders := 0
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "最后一次") {
			reminders++
		}
	}
	if testing.Verbose() {
		t.Log(log)
	}
	if strings.Contains(log, "节假日日历") {
		t.Errorf("the workspace's calendar notice is in a collaboration's record:\n%s", log)
	}
	if reminders == 0 || reminders > 15 {
		t.Errorf("%d timeline lines for reminders, want 1 to 15:\n%s", reminders, log)
	}
	code, csv, _ := exportCLIAs(t, "export", db, "COL-1", "--format", "csv")
	if n := strings.Count(csv, ",发送提醒,"); code != 0 || n < 40 {
		t.Errorf("the CSV keeps %d reminders, want every one (40 or more):\n%s", n, csv)
	}
	for _, line := range strings.Split(csv, "\n") {
		if m := internalEncoding.FindString(line); m != "" && !strings.Contains(line, "http") {
			t.Errorf("internal encoding %q in the CSV: %q", m, line)
		}
	}
}
