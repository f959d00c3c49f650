package engine_test

import (
	"context"
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
			"ack COL-1 accept\nconfirm\n", "A resource request is approved by the head of 研发部 (李强 Bob)", "Waiting: 研发部(李强 Bob)"},
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
	mustContain(t, bodies["bob"], "研发部 负责人 李强 Bob 仍未审批「借调测试工程师」")
	mustContain(t, bodies["amy"], "The head of 研发部, 李强 Bob, has still not decided on “借调测试工程师”")
	mustLackAll(t, bodies["bob"]+bodies["amy"], "对接人 COL-1", "contact COL-1")
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
