package engine_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestStepSwitchOffTellsThoseAsked: switching a step off tells everyone
// it asked to act — the heads asked to sign, the contacts asked for a
// plan, the deciders asked to decide one — once each, and the group and
// the record say who switched it off.
func TestStepSwitchOffTellsThoseAsked(t *testing.T) {
	h := newHarness(t)
	h.withSteps()
	h.chat(":as ben\n方案 COL-1 提交\n先联调\n跳过\n跳过\n确认\n")
	out := h.chat(":as amy\n方案 COL-1 关\n共识函 COL-1 关\n")
	mustContain(t, out, "✅ COL-1 已关闭方案审批", "✅ COL-1 已关闭共识函",
		"→ @fiona (DM): 【COL-1 · 实施方案审批已关闭】", "你无需再提交财务部的实施方案。",
		"→ @lily (DM): 【COL-1 · 实施方案审批已关闭】", "你无需再审批研发部的实施方案。", "→ @henry (DM)",
		"→ #demo-group: 【COL-1 · 实施方案审批已关闭】", "王芳 Amy 关闭了 COL-1「新品推广接口调试」的实施方案审批:尚未批准的方案(研发部、财务部)已撤回",
		"→ @bob (DM): 【COL-1 · 合作目标共识函已撤回】", "研发部无需再签署。",
		"→ @frank (DM): 【COL-1 · 合作目标共识函已撤回】", "财务部无需再签署。",
		"→ #demo-group: 【COL-1 · 合作目标共识函已撤回】")
	for _, who := range []string{"bob", "frank", "lily", "henry", "fiona"} {
		if n := strings.Count(out, "→ @"+who+" (DM)"); n != 1 {
			t.Errorf("%s told %d times:\n%s", who, n, out)
		}
	}
	// ben submitted and amy switched: neither is told what they know.
	mustLack(t, out, "→ @ben (DM)", "→ @amy (DM)")
	// Nothing waits for them any more.
	mustLack(t, h.chat(":as lily\n确认\n"), "研发部的方案等你审批")
	mustLack(t, h.chat(":as bob\n确认\n"), "合作目标共识函等你代表研发部签署")
	mustContain(t, h.chat(":as amy\n导出 COL-1 md\n"), "王芳 Amy 关闭实施方案审批 COL-1", "王芳 Amy 关闭合作目标共识函 COL-1")
	// Switched off again, nothing is withdrawn twice.
	mustContain(t, h.chat(":as amy\n方案 COL-1 关\n"), "没有任何改动")
}

func TestStepSwitchOffTellsThoseAskedEnglish(t *testing.T) {
	h := newHarness(t)
	h.chat(":as bob\n:lang en\n:as frank\n:lang en\n:as lily\n:lang en\n:as fiona\n:lang en\n")
	h.withSteps()
	h.chat(":as ben\n方案 COL-1 提交\n先联调\n跳过\n跳过\n确认\n")
	out := h.chat(":as amy\n:lang en\nplan COL-1 off\nsignoff COL-1 off\n")
	mustContain(t, out, "→ @fiona (DM): 【COL-1 · Plan approval switched off】",
		"王芳 Amy switched off plan approval for COL-1 “新品推广接口调试”; no department's work waits for an approved plan any more.",
		"You need not submit 财务部's implementation plan.", "→ @lily (DM): 【COL-1 · Plan approval switched off】",
		"You need not decide 研发部's implementation plan.",
		"→ @bob (DM): 【COL-1 · Goal consensus withdrawn】", "王芳 Amy switched off the goal consensus of COL-1 “新品推广接口调试”: you need not sign it for 研发部.",
		"→ @frank (DM): 【COL-1 · Goal consensus withdrawn】")
	mustContain(t, h.chat(":as amy\nexport COL-1 md\n"), "王芳 Amy switched off plan approval COL-1", "王芳 Amy switched off the goal consensus sign-off COL-1")
}

// TestPlanKeptWhenSwitchedBackOn: plan approval switched off and on
// again keeps what was submitted: the submitted plan waits for its
// decision again (with its content and version, its deadline counted
// from now), a returned one is still to be revised, and only a
// department that never submitted is asked anew.
func TestPlanKeptWhenSwitchedBackOn(t *testing.T) {
	h := newHarness(t)
	h.withSteps()
	h.chat(":as ben\n方案 COL-1 提交\n先联调\n跳过\n跳过\n确认\n")
	h.chat(":as fiona\n方案 COL-1 提交\n先核预算\n跳过\n跳过\n确认\n:as lily\n方案 COL-1 退回 财务部 请补充预案\n确认\n")
	h.chat(":as amy\n方案 COL-1 关\n")
	h.at("2026-11-30 10:00") // long past the decision deadline counted from the submission
	out := h.chat(":as amy\n方案 COL-1 开\n")
	mustContain(t, out, "→ @lily (DM): 【COL-1 · 方案待你审批:研发部】", "方法:先联调", "(第 1 版)",
		"→ @fiona (DM): 【COL-1 · 请提交财务部的实施方案】")
	mustLack(t, out, "→ @ben (DM)")
	out = h.chat(":as amy\n方案 COL-1\n")
	mustContain(t, out, "• 研发部 · 待审批(第 1 版)", "方法:先联调", "• 财务部 · 已退回修改(第 1 版)", "先核预算", "请补充预案")
	mustLack(t, out, "待提交")
	// Its deadline starts anew: nobody is chased at once.
	before := len(h.sent)
	h.at("2026-11-30 11:00")
	for _, n := range h.sent[before:] {
		if strings.HasPrefix(n.Kind, "plan_") {
			t.Errorf("chased at once after switching back on: %s to %s", n.Kind, n.To)
		}
	}
	md := h.chat(":as amy\n导出 COL-1 md\n")
	mustContain(t, md, "研发部 · 待审批 · 第 1 版", "先联调", "财务部 · 已退回修改 · 第 1 版", "先核预算")
	mustLack(t, md, "第 0 版")
	var sheet struct {
		Plans []struct {
			Department, Status, Method string
			Version                    int
		} `json:"plans"`
	}
	js := h.chat(":as amy\n导出 COL-1 json\n")
	if json.Unmarshal([]byte(js[strings.Index(js, "{"):strings.LastIndex(js, "}")+1]), &sheet) != nil || len(sheet.Plans) != 2 ||
		sheet.Plans[0].Version != 1 || sheet.Plans[0].Method != "先联调" || sheet.Plans[0].Status != "submitted" ||
		sheet.Plans[1].Version != 1 || sheet.Plans[1].Method != "先核预算" || sheet.Plans[1].Status != "returned" {
		t.Fatalf("plans in the export: %+v\n%s", sheet.Plans, js)
	}
	// The plan is decided where it stood.
	mustContain(t, h.chat(":as lily\n方案 COL-1 批准 研发部\n"), "✅ 已批准研发部的 COL-1 实施方案")
	if pl := h.collab(1).PlanApproval.Plan("研发部"); pl.Status != bot.PlanApproved || pl.Version != 1 {
		t.Fatalf("研发部's plan: %+v", pl)
	}
}

// TestWithdrawnStepsInRecord: a consensus withdrawn before everyone
// signed reads as withdrawn, not pending, in the Markdown and the CSV
// (as the JSON says), in both languages; so do plans not yet approved.
func TestWithdrawnStepsInRecord(t *testing.T) {
	h := newHarness(t)
	h.withSteps()
	h.chat(":as bob\n共识函 COL-1 签署\n:as ben\n方案 COL-1 提交\n先联调\n跳过\n跳过\n确认\n")
	h.chat(":as amy\n共识函 COL-1 关\n方案 COL-1 关\n")
	md := h.chat(":as amy\n导出 COL-1 md\n")
	mustContain(t, md, "✅ 研发部 · 李强 Bob · 已签署", "↩️ 财务部 · 孙伟 Frank · 已撤回(步骤已关闭)",
		"研发部 · 待审批 · 已撤回(步骤已关闭) · 第 1 版", "财务部 · 待提交 · 已撤回(步骤已关闭)")
	mustLack(t, md, "待签署", "第 0 版")
	csv := h.chat(":as amy\n导出 COL-1 csv\n")
	mustContain(t, csv, "孙伟 Frank · 已撤回(步骤已关闭)", "待审批 · 已撤回(步骤已关闭) · 第 1 版")
	mustLack(t, csv, "待签署")
	mustContain(t, h.chat(":as amy\n导出 COL-1 json\n"), `"withdrawn": true`)
	md = h.chat(":as amy\n:lang en\nexport COL-1 md\n")
	mustContain(t, md, "↩️ 财务部 · 孙伟 Frank · withdrawn (step switched off)",
		"研发部 · waiting for approval · withdrawn (step switched off) · version 1")
	mustLack(t, md, "· to sign")
	mustContain(t, h.chat(":as amy\n:lang en\nexport COL-1 csv\n"), "孙伟 Frank · withdrawn (step switched off)")
}
