package engine_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

// csvRows is the CSV export of id in lang, read back as a spreadsheet
// would (every row as wide as the header).
func (h *harness) csvRows(id bot.CollabID, lang bot.Lang) [][]string {
	h.t.Helper()
	var b bytes.Buffer
	err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		s, err := record.Read(context.Background(), tx, h.collab(id), h.cfg.Directory(), h.clock.Now(), h.cfg.Location())
		if err != nil {
			return err
		}
		return s.CSV(&b, lang)
	})
	if err != nil {
		h.t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		h.t.Fatalf("CSV does not parse back: %v", err)
	}
	return recs
}

// TestTypedCSV: the CSV has the collaboration type's rows the Markdown
// sheet and the JSON have — a loan's what, how much, period, approval and
// return; a problem's first response, root cause and fix; an alignment's
// read receipts by department — after the basic information, in the same
// four columns; a project has none.
func TestTypedCSV(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()                                    // COL-1, a project
	h.chat(":as amy\n发起协作\n" + pastedRequest + "确认\n") // COL-2
	h.chat(typedScenario)
	want := map[bot.Lang]map[bot.CollabID][][]string{
		bot.Chinese: {
			3: {{"协作类型", "COL-3", "类型", "资源协调申请"}, {"协作类型", "COL-3", "资源类型", "人力"}, {"协作类型", "COL-3", "数量", "2人"},
				{"协作类型", "COL-3", "使用期限", "2026-11-24 — 2026-12-04"}, {"协作类型", "COL-3", "使用边界", "仅用于回归测试,不参与值班"},
				{"协作类型", "COL-3", "出借部门审批", "已承接 · 李强 Bob · 2026-11-23 10:00"}, {"协作类型", "COL-3", "归还", "尚未归还"}},
			4: {{"协作类型", "COL-4", "类型", "问题协同解决"}, {"协作类型", "COL-4", "问题描述", "客户投诉重复扣款"}, {"协作类型", "COL-4", "影响范围", "约200单"},
				{"协作类型", "COL-4", "根本原因", "支付回调未做幂等"}, {"协作类型", "COL-4", "解决方案", "加幂等校验并退款"}, {"协作类型", "COL-4", "解决", "陈斌 Ben · 2026-11-23 10:00"}},
			5: {{"协作类型", "COL-5", "同步内容", "住宿标准调整,1月1日起执行"}, {"协作类型", "研发部", "阅读回执", "陈斌 Ben · 已阅并理解 · 2026-11-23 10:00"},
				{"协作类型", "研发部", "疑问", "酒店协议价如何申请?"}, {"协作类型", "财务部", "阅读回执", "周婷 Fiona · 未确认"}},
		},
		bot.English: {
			3: {{"Collaboration type", "COL-3", "Type", "Resource request"}, {"Collaboration type", "COL-3", "Resource type", "People"},
				{"Collaboration type", "COL-3", "Returned", "not yet"}},
			5: {{"Collaboration type", "研发部", "Read receipts", "陈斌 Ben · read and understood · 2026-11-23 10:00"},
				{"Collaboration type", "财务部", "Read receipts", "周婷 Fiona · not confirmed"}},
		},
	}
	for lang, byID := range want {
		for id, rows := range byID {
			recs := h.csvRows(id, lang)
			for _, w := range rows {
				if !slices.ContainsFunc(recs, func(r []string) bool { return slices.Equal(r, w) }) {
					t.Errorf("%s COL-%d: no row %q", lang, id, w)
				}
			}
			// After the basic information, before the acknowledgements.
			first := slices.IndexFunc(recs, func(r []string) bool { return r[0] == rows[0][0] })
			for i, r := range recs[1:] {
				if i+1 < first && r[0] != recs[1][0] {
					t.Errorf("%s COL-%d: row %q before the type's rows", lang, id, r)
				}
			}
		}
	}
	for _, r := range h.csvRows(1, bot.Chinese) {
		if r[0] == "协作类型" {
			t.Errorf("a project has a type row: %q", r)
		}
	}
}

// TestStepsCSV: the CSV has the goal consensus and the plans the Markdown
// sheet and the JSON have: who signed or refused and why, each plan's
// status, version, content and decisions.
func TestStepsCSV(t *testing.T) {
	h := newHarness(t)
	h.withSteps()
	h.chat(":as bob\n共识函 COL-1 签署 12月10日复核接口范围\n:as frank\n共识函 COL-1 拒签\n预算未到位\n确认\n" +
		":as ben\n方案 COL-1 提交\n分两轮联调\n测试环境故障时切换备用环境\n用例通过率 100%\n确认\n" +
		":as lily\n方案 COL-1 退回 研发部\n请补充回滚预案\n确认\n")
	want := map[bot.Lang][][]string{
		bot.Chinese: {{"合作目标共识函", "研发部", "签署", "李强 Bob · 已签署 · 2026-11-23 10:00"}, {"合作目标共识函", "研发部", "签署备注", "12月10日复核接口范围"},
			{"合作目标共识函", "财务部", "签署", "孙伟 Frank · 拒签 · 2026-11-23 10:00"}, {"合作目标共识函", "财务部", "拒签原因", "预算未到位"},
			{"实施方案", "研发部", "方案", "已退回修改 · 第 1 版"}, {"实施方案", "研发部", "方法", "分两轮联调"},
			{"实施方案", "研发部", "审批", "林莉 Lily 退回于 2026-11-23 10:00(第 1 版):请补充回滚预案"},
			{"实施方案", "财务部", "方案", "待提交"}},
		bot.English: {{"Goal consensus", "研发部", "Signature", "李强 Bob · signed · 2026-11-23 10:00"},
			{"Implementation plans", "研发部", "Decisions", "returned by 林莉 Lily, 2026-11-23 10:00 (version 1): 请补充回滚预案"}},
	}
	for lang, rows := range want {
		recs := h.csvRows(1, lang)
		for _, w := range rows {
			if !slices.ContainsFunc(recs, func(r []string) bool { return slices.Equal(r, w) }) {
				t.Errorf("%s: no row %q", lang, w)
			}
		}
	}
}
