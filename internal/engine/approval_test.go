package engine_test

import (
	"cmp"
	"context"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// Who decides where a decision is someone's own: a loan's approval
// (资源协调申请, the lending department's head alone) and a department's
// implementation plan (方案审批, never its own contact or submitter).

// loanFiled has amy borrow two testers from 研发部 (COL-1), which bob,
// its head, approves.
func (h *harness) loanFiled() {
	h.t.Helper()
	out := h.chat(":as amy\n\"\"\"\n新建 资源协调\n协作主题: 借调测试工程师\n协作背景与目标: 回归测试人手不足\n需协助部门: 研发部\n" +
		"资源类型: 人力\n资源需求: 测试工程师\n数量: 2人\n使用开始日期: 2026-12-07\n使用期限: 2026-12-18\n\"\"\"\n确认\n")
	if c := h.collab(1); c.Type != "resource" || c.Status != bot.StatusAwaitingAck || c.Acks[0].Contact != "bob" {
		h.t.Fatalf("loan filed: %s %s %+v\n%s", c.Type, c.Status, c.Acks, out)
	}
}

// TestLoanContactIsNotTheApprover: the borrower cannot name someone else
// the lending department's contact and have them approve the loan; the
// head is not told they need not answer; a contact who is not the head is
// offered nothing to approve, and is refused when they try.
func TestLoanContactIsNotTheApprover(t *testing.T) {
	for _, tt := range []struct{ lang, rename, refused, approve, notHead, notMember string }{
		{"zh", "对接人 COL-1 研发部 @david\n", "COL-1 由研发部的负责人审批,对接人就是负责人,不能更换",
			"确认 COL-1 承接\n确认\n", "资源协调申请由研发部的负责人(李强 Bob)审批", "待确认:研发部(李强 Bob)"},
		{"en", "contact COL-1 engineering @david\n", "COL-1 is approved by the head of 研发部, who is its contact and cannot be replaced",
			"ack COL-1 accept\nconfirm\n", "A resource request is approved by the head of 研发部 (李强 Bob)", "Waiting: 研发部 (李强 Bob)"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.loanFiled()
			out := h.chat(":as amy\n:lang " + tt.lang + "\n" + tt.rename)
			mustContain(t, out, tt.refused)
			mustLackAll(t, out, "你无需再答复", "you need not answer")
			if c := h.collab(1); c.Request.Departments[0].Contact != "bob" || c.Acks[0].Contact != "bob" {
				t.Fatalf("the contact changed: %+v %+v", c.Request.Departments, c.Acks)
			}
			// ben is 研发部's contact in the directory, david a member:
			// neither is offered the approval, neither may give it.
			for who, refused := range map[string]string{"ben": tt.notHead, "david": tt.notMember} {
				out = h.chat(":as " + who + "\n:lang " + tt.lang + "\n确认\n" + tt.approve)
				mustLackAll(t, out, "确认 COL-1 承接", "ack COL-1 accept`")
				mustContain(t, out, refused)
				if c := h.collab(1); c.Acks[0].Status != bot.AckPending {
					t.Fatalf("%s answered the loan: %+v", who, c.Acks)
				}
			}
			out = h.chat(":as bob\n确认\n")
			mustContain(t, out, "确认 COL-1 承接")
		})
	}
}

// TestLoanDeclineStaysWithTheHead: after the head declines, the borrower
// is not told to name another contact (which would hand the decision to
// them), cannot, and is offered the edit that asks the head again.
func TestLoanDeclineStaysWithTheHead(t *testing.T) {
	for _, tt := range []struct{ lang, hint, pending, rename string }{
		{"zh", "或修改申请(`修改 COL-1`)后请该部门负责人重新审批", "COL-1:研发部负责人未同意(人手不足),可 `移除部门 COL-1 研发部` 或 `修改 COL-1` 后请其重新审批",
			"对接人 COL-1 研发部 @ben\n"},
		{"en", "or edit the request (`edit COL-1`) for its head to decide again", "COL-1: the head of 研发部 declined (人手不足); `drop COL-1 研发部`, or `edit COL-1` for the head to decide again",
			"contact COL-1 rd @ben\n"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.loanFiled()
			out := h.chat(":as amy\n:lang " + tt.lang + "\n:as bob\n确认 COL-1 无法承接\n人手不足\n下月再借\n确认\n")
			if c := h.collab(1); c.Acks[0].Status != bot.AckDeclined {
				t.Fatalf("bob's decline: %+v\n%s", c.Acks, out)
			}
			mustContain(t, out, tt.hint)
			mustLackAll(t, out, "对接人 COL-1 研发部 @某人", "contact COL-1 研发部 @someone")
			out = h.chat(":as amy\n确认\n" + tt.rename)
			mustContain(t, out, tt.pending)
			mustLackAll(t, out, "@某人", "@someone")
			if c := h.collab(1); c.Acks[0].Status != bot.AckDeclined || c.Acks[0].Contact != "bob" {
				t.Fatalf("the decline was reopened: %+v", c.Acks)
			}
			// The edit asks the head again, not anyone the borrower names.
			out = h.chat(":as amy\n\"\"\"\n修改 COL-1\n数量: 1人\n\"\"\"\n确认\n")
			mustContain(t, out, "→ @bob (DM)")
			if c := h.collab(1); c.Acks[0].Status != bot.AckPending || c.Acks[0].Contact != "bob" {
				t.Fatalf("the edit did not ask the head again: %+v", c.Acks)
			}
		})
	}
}

// TestLoanEditSummaryNamesTheHead: moving a loan to another department
// shows that department's head as its contact, who is asked to approve.
func TestLoanEditSummaryNamesTheHead(t *testing.T) {
	h := newHarness(t)
	h.loanFiled()
	out := h.chat(":as amy\n修改 COL-1\n需协助部门: 运营部\n")
	mustContain(t, out, "对接人: 赵敏 Carol")
	mustLackAll(t, out, "刘洋 Chris")
	out = h.chat(":as amy\n确认\n")
	mustContain(t, out, "→ @carol (DM): 【COL-1 · 请审批资源协调申请】")
}

// TestLoanEscalationNamesNoOtherContact: a loan's overdue approval is
// escalated without suggesting another contact answer for the head.
func TestLoanEscalationNamesNoOtherContact(t *testing.T) {
	h := newHarness(t)
	h.loanFiled()
	h.chat(":as amy\n:lang en\n")
	h.sent = nil
	h.at("2026-11-26 10:00")
	bodies := map[bot.PersonID]string{}
	for _, n := range h.sent {
		if n.Kind != "ack_escalation" {
			continue
		}
		r, err := h.eng.Notification(context.Background(), h.ws, n)
		if err != nil {
			t.Fatal(err)
		}
		bodies[n.To] = r.Reply.Body
	}
	// bob, the head reminded, is not asked to chase himself (scheduler's
	// escalation rule); the requester hears of it.
	if _, told := bodies["bob"]; told {
		t.Errorf("the head who was reminded got the escalation too: %q", bodies["bob"])
	}
	mustContain(t, bodies["amy"], "The head of 研发部, 李强 Bob, has still not decided on “借调测试工程师”")
	var all string
	for _, b := range bodies {
		all += b
	}
	mustLackAll(t, all, "对接人 COL-1", "contact COL-1")
}

// TestNobodyApprovesTheirOwnPlan: the coordinator cannot make a
// department's contact the plans' approver; the approvers replaced are
// told; an approver who became a department's contact later cannot
// decide its plan, and is not offered it.
func TestNobodyApprovesTheirOwnPlan(t *testing.T) {
	for _, tt := range []struct{ lang, party, told, own string }{
		{"zh", "陈斌 Ben 是研发部的对接人或其方案的提交人,不能审批方案", "王芳 Amy 指定 David Miller 审批 COL-1「新品推广接口调试」的实施方案,你无需再审批。",
			"你是研发部的对接人或其方案的提交人,不能审批自己部门的方案"},
		{"en", "陈斌 Ben is the contact of 研发部 or submitted its plan, and cannot decide the plans", "王芳 Amy named David Miller to decide the implementation plans of COL-1 “新品推广接口调试”; you need not decide them.",
			"You are the contact of 研发部 or submitted its plan, and cannot decide your own plan"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.withPlans()
			out := h.chat(":as amy\n:lang " + tt.lang + "\n方案 COL-1 审批人 @ben\n")
			mustContain(t, out, tt.party)
			if c := h.collab(1); c.PlanApproval.Approver != "" {
				t.Fatalf("ben was made the approver: %q", c.PlanApproval.Approver)
			}
			// lily (zh) and henry (en) decided until now: they hear it.
			out = h.chat(":as lily\n:lang " + tt.lang + "\n:as henry\n:lang " + tt.lang + "\n:as amy\n方案 COL-1 审批人 @david\n")
			mustContain(t, out, "→ @lily (DM)", "→ @henry (DM)", tt.told)
			// ben submits; then david becomes 研发部's contact.
			h.chat(":as ben\n方案 COL-1 提交 研发部\n分两轮联调\n跳过\n跳过\n确认\n:as amy\n对接人 COL-1 研发部 @david\n")
			out = h.chat(":as david\n:lang " + tt.lang + "\n确认\n方案 COL-1 批准 研发部 没问题\n方案 COL-1 批准\n")
			mustContain(t, out, tt.own)
			mustLackAll(t, out, "方案 COL-1 批准 研发部`", "plan COL-1 approve 研发部`")
			if pl := h.collab(1).PlanApproval.Plan("研发部"); pl.Status != bot.PlanSubmitted {
				t.Fatalf("david decided his own department's plan: %+v", pl)
			}
		})
	}
}

// TestSubmitterCannotApprovePlan: leadership decide by default; a
// leader who submitted a department's plan (as its head may) cannot
// approve it.
func TestSubmitterCannotApprovePlan(t *testing.T) {
	h := newHarness(t)
	h.withPlans()
	h.chat(":as amy\n方案 COL-1 审批人 @bob\n:as bob\n方案 COL-1 提交 研发部\n分两轮联调\n跳过\n跳过\n确认\n")
	if pl := h.collab(1).PlanApproval.Plan("研发部"); pl.Status != bot.PlanSubmitted || pl.SubmittedBy != "bob" {
		t.Fatalf("bob's submission: %+v", pl)
	}
	out := h.chat(":as bob\n方案 COL-1 批准 研发部\n")
	mustContain(t, out, "你是研发部的对接人或其方案的提交人,不能审批自己部门的方案")
	if pl := h.collab(1).PlanApproval.Plan("研发部"); pl.Status != bot.PlanSubmitted {
		t.Fatalf("bob approved the plan he submitted: %+v", pl)
	}
}

// planReturned has ben submit 研发部's plan and lily return it.
func (h *harness) planReturned() {
	h.t.Helper()
	h.withPlans()
	out := h.chat(":as ben\n方案 COL-1 提交 研发部\n灰度发布\n回滚\n零缺陷\n确认\n:as lily\n方案 COL-1 退回 研发部 缺少压测计划\n")
	if pl := h.collab(1).PlanApproval.Plan("研发部"); pl.Status != bot.PlanReturned {
		h.t.Fatalf("plan returned: %+v\n%s", pl, out)
	}
}

// TestReturnedPlanIsRevised: resubmitting a returned plan asks its
// method again, showing the old one and why it came back; what the
// contact types is the new method (plain, or as `方法: …`); the deciders
// see the return comment and what changed; the same plan again is
// refused.
func TestReturnedPlanIsRevised(t *testing.T) {
	for _, tt := range []struct {
		name, lang, command, typed string
		shown, told                []string
	}{
		{"plain zh", "zh", "", "先压测再灰度发布\n", []string{"研发部的方案第 1 版被 林莉 Lily 退回:缺少压测计划", "原来的方法:灰度发布", "【实施方案 · COL-1 研发部 · 方法】", "方法: 先压测再灰度发布"},
			[]string{"第 2 版", "上一版由 林莉 Lily 退回,意见:缺少压测计划", "本版修改:", "• 方法:灰度发布 → 先压测再灰度发布"}},
		{"after the command zh", "zh", "方案 COL-1 提交 研发部 先压测再灰度发布\n", "", []string{"原来的方法:灰度发布", "方法: 先压测再灰度发布"},
			[]string{"• 方法:灰度发布 → 先压测再灰度发布"}},
		{"another form open zh", "zh", "风险 上报 COL-1\n方案 COL-1 提交 研发部\n", "先压测再灰度发布\n", []string{"原来的方法:灰度发布", "方法: 先压测再灰度发布"},
			[]string{"• 方法:灰度发布 → 先压测再灰度发布"}},
		{"keyed zh", "zh", "", "方法: 先压测再灰度发布\n", []string{"方法: 先压测再灰度发布"}, []string{"• 方法:灰度发布 → 先压测再灰度发布"}},
		{"other field zh", "zh", "", "质量标准: 压测通过且零缺陷\n先压测再灰度发布\n", []string{"质量标准: 压测通过且零缺陷", "方法: 先压测再灰度发布"},
			[]string{"• 方法:灰度发布 → 先压测再灰度发布", "• 质量标准:零缺陷 → 压测通过且零缺陷"}},
		{"plain en", "en", "", "load test first, then a canary release\n", []string{"林莉 Lily returned version 1 of 研发部's plan: 缺少压测计划", "The method was: 灰度发布", "Reply with the revised method"},
			[]string{"(version 2)", "林莉 Lily returned the previous version: 缺少压测计划", "Changed in this version:", "• Method: 灰度发布 → load test first, then a canary release"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.planReturned()
			// henry reads English, lily Chinese: each hears in theirs.
			h.chat(":as henry\n:lang en\n:as lily\n:lang zh\n")
			out := h.chat(":as ben\n:lang " + tt.lang + "\n" + cmp.Or(tt.command, "方案 COL-1 提交 研发部\n") + tt.typed)
			mustContain(t, out, tt.shown...)
			out += h.chat(":as ben\n确认\n")
			pl := h.collab(1).PlanApproval.Plan("研发部")
			if pl.Status != bot.PlanSubmitted || pl.Version != 2 {
				t.Fatalf("the revision was not submitted: %+v\n%s", pl, out)
			}
			if strings.Contains(pl.Method, "方法:") || strings.Contains(pl.Standard, "质量标准:") {
				t.Errorf("a field's name became its value: %+v", pl)
			}
			mustContain(t, out, tt.told...)
		})
	}
}

// TestReturnedPlanUnchangedIsRefused: confirming the returned plan as it
// was files no second version.
func TestReturnedPlanUnchangedIsRefused(t *testing.T) {
	for _, tt := range []struct{ lang, refused string }{
		{"zh", "研发部的方案与被退回的第 1 版相同:请按审批意见修改方法、预案或质量标准后再提交。"},
		{"en", "研发部's plan is the same as version 1, which was returned"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.planReturned()
			out := h.chat(":as ben\n:lang " + tt.lang + "\n方案 COL-1 提交 研发部\n确认\n")
			mustContain(t, out, tt.refused)
			if pl := h.collab(1).PlanApproval.Plan("研发部"); pl.Status != bot.PlanReturned || pl.Version != 1 {
				t.Fatalf("the same plan was filed again: %+v", pl)
			}
		})
	}
}

// TestLoanContactTypedIsRefused: a contact typed into a loan's request
// (filing or editing) who is not the department's head is refused as it
// is typed, rather than shown in the summary and silently replaced.
func TestLoanContactTypedIsRefused(t *testing.T) {
	for _, tt := range []struct{ lang, refused string }{
		{"zh", "研发部由负责人 李强 Bob 审批,对接人就是负责人,不能指定 David Miller。"},
		{"en", "研发部 is approved by its head, 李强 Bob, who is its contact: David Miller cannot be named."},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.loanFiled()
			out := h.chat(":as amy\n:lang " + tt.lang + "\n修改 COL-1\n对接人: @david\n")
			mustContain(t, out, tt.refused)
			mustLackAll(t, out, "对接人: David Miller", "Contacts: David Miller")
			if c := h.collab(1); c.Acks[0].Contact != "bob" {
				t.Fatalf("the contact changed: %+v", c.Acks)
			}
		})
	}
}

// TestReturnedPlanCoordinatorCopy: the coordinator's copy of a returned
// plan says who was asked to revise it and offers the board, not the
// contact's [提交方案] button the coordinator may not press.
func TestReturnedPlanCoordinatorCopy(t *testing.T) {
	h := newHarness(t)
	h.withPlans()
	out := h.chat(":as ben\n方案 COL-1 提交 研发部\n灰度发布\n回滚\n零缺陷\n确认\n:as lily\n方案 COL-1 退回 研发部 缺少压测计划\n")
	ben, amy := section(out, "→ @ben (DM)"), section(out, "→ @amy (DM)")
	mustContain(t, ben, "方案被退回:研发部", "请修改后重新提交", "方案 COL-1 提交 研发部")
	mustContain(t, amy, "方案被退回:研发部", "缺少压测计划", "已请研发部的对接人 陈斌 Ben 修改后重新提交。", "看板 COL-1")
	mustLack(t, amy, "请修改后重新提交", "方案 COL-1 提交 研发部")
}

// TestNewApproverSeesTheRevision: an approver named while a revised plan
// waits hears, as the approvers before did, why the last version came
// back and what changed.
func TestNewApproverSeesTheRevision(t *testing.T) {
	h := newHarness(t)
	h.planReturned()
	h.chat(":as ben\n方案 COL-1 提交 研发部\n先压测再灰度发布\n确认\n")
	out := h.chat(":as amy\n方案 COL-1 审批人 @gary\n")
	gary := section(out, "→ @gary (DM)")
	mustContain(t, gary, "方案待你审批:研发部", "第 2 版", "上一版由 林莉 Lily 退回,意见:缺少压测计划", "本版修改:",
		"• 方法:灰度发布 → 先压测再灰度发布", "方案 COL-1 批准 研发部")
}
