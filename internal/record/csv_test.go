package record_test

import (
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

const bom = "\uFEFF"

// rows exports the sheet as CSV and reads it back as a spreadsheet would.
func rows(t *testing.T, s *record.Sheet, lang bot.Lang) [][]string {
	t.Helper()
	var b strings.Builder
	if err := s.CSV(&b, lang); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, bom) {
		t.Fatalf("no byte order mark: Excel would show mojibake:\n%q", out[:min(len(out), 40)])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, bom)))
	recs, err := r.ReadAll() // also checks every row has as many fields as the header
	if err != nil {
		t.Fatalf("does not parse back: %v", err)
	}
	return recs
}

func TestCSV(t *testing.T) {
	s := drive(t, "新品推广接口调试", bot.StatusArchived)
	sheet := record.Build(s.c, s.timeline, s.progress, s.dir, day(3), shanghai)
	tests := []struct {
		lang   bot.Lang
		header []string
		want   [][]string
	}{
		{bot.Chinese, []string{"分区", "编号", "字段", "内容"}, [][]string{
			{"基本信息", "COL-1", "协作主题", "新品推广接口调试"},
			{"基本信息", "COL-1", "状态", "已归档"},
			{"基本信息", "COL-1", "budget", "5 万"},
			{"基本信息", "COL-1", "具体需求描述", "3月8日前完成3个核心接口调试\n提供测试覆盖率≥90%的报告"},
			{"基本信息", "COL-1", "需协助部门/对接人", "研发部 / 李工 Ben、财务部 / 赵芳 Fiona"},
			{"对接确认", "研发部", "状态", "已承接"},
			{"会议与纪要", "M-1", "会议纪要", "待确认"},
			{"会议与纪要", "M-1", "议程", "对齐目标\n确认分工"},
			{"任务分工", "T-2", "上级任务", "T-1"},
			{"任务分工", "T-2", "任务状态", "待执行"},
			{"任务分工", "T-2", "看板状态", "🔴 延期"},
			{"任务分工", "T-3", "看板状态", "🟡 需协助"},
			{"任务分工", "T-4", "看板状态", "✅ 已完成"},
			{"进度更新", "2026-11-24 李工 Ben", "遇到的问题", "需协调测试资源"},
			{"问题与风险", "R-2", "影响程度", "高"},
			{"成果交付与验收", "第 2 次交付", "验收结果", "通过"},
			{"复盘总结", "COL-1", "待改进点", "需求描述需更细化"},
			{"操作记录", "2026-11-25 10:00", "上报分管领导", "collabot · R-2"},
		}},
		{bot.English, []string{"Section", "Item", "Field", "Value"}, [][]string{
			{"Basic information", "COL-1", "Topic", "新品推广接口调试"},
			{"Acknowledgements", "研发部", "Status", "accepted"},
			{"Tasks", "T-2", "Board status", "🔴 overdue"},
			{"Delivery and acceptance", "Delivery 1", "Verdict", "fail"},
			{"Activity log", "2026-11-23 10:00", "drafted the request", "张敏 Amy · COL-1 — 新品推广接口调试"},
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			recs := rows(t, sheet, tt.lang)
			if !slices.Equal(recs[0], tt.header) {
				t.Errorf("header %q, want %q", recs[0], tt.header)
			}
			for _, want := range tt.want {
				if !slices.ContainsFunc(recs, func(r []string) bool { return slices.Equal(r, want) }) {
					t.Errorf("no row %q", want)
				}
			}
			for _, r := range recs[1:] {
				if strings.TrimSpace(r[3]) == "" {
					t.Errorf("empty value in row %q: a long table lists filled fields only", r)
				}
			}
		})
	}
}
