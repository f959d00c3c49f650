package engine_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

// The collaboration types (configs/templates/types.yaml) end to end in
// the chat, in both languages.

// typedScenario files one collaboration of each type other than the
// project on Monday 2026-11-23: COL-3 a loan bob approves, COL-4 a
// problem ben solves, COL-5 an alignment only ben confirms, COL-6 one
// everyone confirms (as the scenario of every notice numbers them).
const typedScenario = ":as carol\n\"\"\"\n新建 资源协调\n协作主题: 借调测试工程师\n协作背景与目标: 双十二回归测试人手不足\n需协助部门: 研发部\n" +
	"资源类型: 人力\n资源需求: 测试工程师\n数量: 2人\n使用开始日期: 2026-11-24\n使用期限: 2026-12-04\n使用边界: 仅用于回归测试,不参与值班\n\"\"\"\n确认\n" +
	":as bob\n确认 COL-3 承接\n确认\n" +
	":as carol\n\"\"\"\n新建 问题协同\n协作主题: 订单重复扣款\n问题描述: 客户投诉重复扣款\n影响范围: 约200单\n需协助部门: 研发部\n期望解决时间: 2026-11-27\n\"\"\"\n确认\n" +
	":as ben\n\"\"\"\n解决 COL-4\n根本原因: 支付回调未做幂等\n解决方案: 加幂等校验并退款\n\"\"\"\n确认\n" +
	":as carol\n\"\"\"\n新建 信息同步\n协作主题: 差旅制度更新\n同步内容: 住宿标准调整,1月1日起执行\n需确认部门: 研发部、财务部\n确认截止时间: 2026-11-25\n\"\"\"\n确认\n" +
	":as ben\n已阅 COL-5 酒店协议价如何申请?\n" +
	":as carol\n\"\"\"\n新建 信息同步\n协作主题: Q1 规划宣贯\n同步内容: Q1 目标与分工\n需确认部门: 研发部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n" +
	":as ben\n已阅 COL-6\n"

// problemFiled has carol file a problem for 研发部 (COL-1).
func (h *harness) problemFiled() {
	h.t.Helper()
	out := h.chat(":as carol\n\"\"\"\n新建 问题\n协作主题: 订单重复扣款\n问题描述: 客户投诉重复扣款\n需协助部门: 研发部\n期望解决时间: 下周五\n\"\"\"\n确认\n")
	if c := h.collab(1); c.Type != "problem" || c.Status != bot.StatusAwaitingAck {
		h.t.Fatalf("problem filed: %s %s\n%s", c.Type, c.Status, out)
	}
}

func init() {
	formCases["resolution"] = formCase{(*harness).problemFiled, "ben", "解决 COL-1", "", ""}
}

// markdown is the record sheet of id in lang.
func (h *harness) markdown(id bot.CollabID, lang bot.Lang) string {
	h.t.Helper()
	var b bytes.Buffer
	err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		c, err := tx.Collaboration(context.Background(), id)
		if err != nil {
			return err
		}
		s, err := record.Read(context.Background(), tx, c, h.cfg.Directory(), h.clock.Now(), h.cfg.Location())
		if err != nil {
			return err
		}
		return s.Markdown(&b, lang)
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return b.String()
}

func mustLackAll(t *testing.T, out string, nots ...string) {
	t.Helper()
	for _, n := range nots {
		if strings.Contains(out, n) {
			t.Errorf("output has %q:\n%s", n, out)
		}
	}
}

// TestResourceRequestChinese: 新建 资源协调, step by step: a quantity cannot
// be skipped, an end before the start is refused as it is typed; the
// lending department's head (not its contact) approves; 归还 closes it;
// the record sheet shows what, how much, the period, the approval and the
// return.
func TestResourceRequestChinese(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as carol\n新建 资源协调\n借调测试工程师\n双十二回归测试人手不足\n研发部\n跳过\n人力\n测试工程师\n跳过\n2人\n" +
		"2026-12-10\n2026-12-05\n2026-12-31\n仅用于回归测试\n跳过\n确认\n")
	mustContain(t, out, "【协作需求表 · 资源类型】", "“数量”是必填项,不能跳过。", "⚠️ 结束日期(2026-12-05)必须晚于开始日期(2026-12-10)。",
		"协作类型: 资源协调申请", "数量: 2人", "✅ 已创建 COL-1「借调测试工程师」", "研发部 李强 Bob",
		"→ @bob (DM): 【COL-1 · 请审批资源协调申请】", "使用期限:2026-12-10 — 2026-12-31", "[通过] 确认 COL-1 承接")
	mustLackAll(t, out, "【协作需求表 · 具体需求描述】", "【协作需求表 · 期望完成时间】")
	c := h.collab(1)
	if c.Type != "resource" || c.Request.Resource == nil || c.Request.Resource.Quantity != "2人" || c.Acks[0].Contact != "bob" {
		t.Fatalf("filed: %+v %+v %+v", c.Type, c.Request.Resource, c.Acks)
	}
	out = h.chat(":as ben\n归还 COL-1\n:as bob\n确认 COL-1 承接\n确认\n:as carol\n任务 新建 COL-1\n提交成果 COL-1\n归还 COL-1 两人已回组\n归还 COL-1\n")
	mustContain(t, out, "⚠️ 资源未处于借出状态", "COL-1 的类型不包含「任务、会议与进度」这一步。", "COL-1 的类型不包含「成果交付与验收」这一步。", "出借部门均已同意「借调测试工程师」:测试工程师(2人),用到 2026-12-31 18:00",
		"COL-1「借调测试工程师」:已记录归还", "→ @bob (DM): 【COL-1 · 资源已归还】",
		"备注:两人已回组", "⚠️ COL-1 已归档")
	if c := h.collab(1); c.Status != bot.StatusArchived || c.Returned == nil || c.Returned.Note != "两人已回组" {
		t.Fatalf("returned: %s %+v", c.Status, c.Returned)
	}
	md := h.markdown(1, bot.Chinese)
	mustContain(t, md, "## 协作类型", "- **类型**:资源协调申请", "- **资源类型**:人力", "- **资源需求**:测试工程师", "- **数量**:2人",
		"- **使用期限**:2026-12-10 — 2026-12-31", "- **使用边界**:仅用于回归测试", "- **出借部门审批**:已承接 · 李强 Bob",
		"- **归还**:赵敏 Carol · 2026-11-23 10:00 · 两人已回组", "归还了资源")
}

// TestResourceRequestEnglish: "new resourse" is refused with the types;
// a pasted loan whose end is before its start and without a quantity is
// asked for both; the head approves; "return" closes it.
func TestResourceRequestEnglish(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as mike\nnew resourse\n\"\"\"\nnew resource\ntopic: Loan of two testers\ngoal: Regression tests for the sale\n" +
		"departments: engineering\nresource_kind: people\nresource: test engineers\nstart: 2026-12-10\nend: 2026-12-05\n\"\"\"\n" +
		"2 people\n2026-12-31\nconfirm\n")
	mustContain(t, out, "There is no collaboration type “resourse”: did you mean Resource request? Then send `new resource`. Types: Project collaboration (project), Resource request (resource)",
		"The end (2026-12-05) must be after the start (2026-12-10).", "How much? (e.g. 2 people",
		"Resource type: People", "Quantity: 2 people", "Until: 2026-12-31", "✅ Filed COL-1 “Loan of two testers”")
	out = h.chat(":as bob\nack COL-1 accept\nconfirm\n:as mike\nexport COL-1\nreturn COL-1\n")
	mustContain(t, out, "## Collaboration type", "- **Type**: Resource request", "- **Quantity**: 2 people",
		"- **Returned**: not yet", "“Loan of two testers”: recorded as returned")
	var b bytes.Buffer
	if err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		s, err := record.Read(context.Background(), tx, h.collab(1), h.cfg.Directory(), h.clock.Now(), h.cfg.Location())
		if err != nil {
			return err
		}
		return s.JSON(&b)
	}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, b.String(), `"type": "resource"`, `"quantity": "2 people"`, `"approval": "accepted"`, `"returned_by": "mike"`)
}

// TestProblemChinese: 新建 问题 with the problem's own fields; the
// responsible departments are asked for a first response within 24 hours;
// 解决 records the root cause and the fix, which closes it for everyone.
func TestProblemChinese(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as carol\n\"\"\"\n新建 问题\n协作主题: 订单重复扣款\n问题描述: 客户投诉重复扣款\n影响范围: 约200单\n需协助部门: 研发部、财务部\n期望解决时间: 2026-11-27\n\"\"\"\n确认\n")
	mustContain(t, out, "协作类型: 问题协同解决", "问题描述: 客户投诉重复扣款", "请各部门在 2026-11-24 10:00 前答复",
		"→ @ben (DM): 【COL-1 · 问题协同:请首次响应】", "请在24 小时内首次响应")
	out = h.chat(":as ben\n确认 COL-1 承接\n确认\n\"\"\"\n解决 COL-1\n根本原因: 支付回调未做幂等\n\"\"\"\n加幂等校验并退款\n确认\n")
	mustContain(t, out, "【问题解决记录 · 解决方案】", "已记录根本原因和解决方案,问题关闭", "→ @carol (DM): 【COL-1 · 问题已解决】",
		"根本原因:支付回调未做幂等", "→ @fiona (DM): 【COL-1 · 问题已解决】")
	md := h.markdown(1, bot.Chinese)
	mustContain(t, md, "- **类型**:问题协同解决", "- **问题描述**:客户投诉重复扣款", "- **影响范围**:约200单",
		"- **首次响应**:陈斌 Ben", "- **根本原因**:支付回调未做幂等", "- **解决方案**:加幂等校验并退款", "- **解决**:陈斌 Ben")
}

// TestProblemEnglish: a problem pasted in English is recognised by its
// fields; "solve" by someone not responsible is refused; a responsible
// contact solves it.
func TestProblemEnglish(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as olivia\n\"\"\"\nnew\ntopic: Double charges on orders\nproblem: customers were charged twice\nimpact: about 200 orders\n" +
		"departments: engineering\ndue: 2026-11-27\n\"\"\"\nconfirm\n")
	mustContain(t, out, "Collaboration type: Problem to solve", "Problem: customers were charged twice", "✅ Filed COL-1")
	out = h.chat(":as chris\nlang en\nsolve COL-1\n:as ben\nlang en\n\"\"\"\nsolve COL-1\ncause: the callback retried without idempotency\nfix: idempotency check and refunds\n\"\"\"\nconfirm\n")
	mustContain(t, out, "Only a responsible department's contact or head", "root cause and fix recorded; the problem is closed")
	if c := h.collab(1); c.Status != bot.StatusArchived || c.Resolution == nil || c.Resolution.By != "ben" {
		t.Fatalf("solved: %s %+v", c.Status, c.Resolution)
	}
}

// TestAlignmentChinese: an alignment pasted with 同步内容 and 需确认部门;
// each department confirms it read it, one with a question; a second
// confirmation is refused; when all have confirmed the sender gets the
// read receipts and it closes.
func TestAlignmentChinese(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as carol\n\"\"\"\n发起协作\n协作主题: 差旅制度更新宣贯\n同步内容: 住宿标准调整,2027年1月1日起执行\n需确认部门: 研发部、财务部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n")
	mustContain(t, out, "协作类型: 信息同步对齐", "请各部门在 2026-11-27 18:00 前答复", "→ @fiona (DM): 【COL-1 · 请确认已阅】",
		"[已阅并理解] 已阅 COL-1")
	out = h.chat(":as ben\n已阅 COL-1 酒店协议价如何申请?\n已阅 COL-1\n:as fiona\n确认 COL-1\n:as carol\n补充 COL-1 研发部 见差旅系统\n")
	mustContain(t, out, "COL-1:已记录研发部已阅并理解", "疑问:酒店协议价如何申请?", "⚠️ 研发部已经确认过已阅。",
		"→ @carol (DM): 【COL-1 · 阅读回执:全部已确认】", "✅ 财务部:周婷 Fiona", "阅读回执已发给发起人")
	md := h.markdown(1, bot.Chinese)
	mustContain(t, md, "- **类型**:信息同步对齐", "- **同步内容**:住宿标准调整", "- **阅读回执**:",
		"研发部 / 陈斌 Ben · 已阅并理解", "- **疑问**:酒店协议价如何申请?")
	// An alignment has no meetings, tasks, delivery or retrospective:
	// its record does not list them as empty project sections.
	mustLack(t, md, "会议与纪要", "任务分工", "成果交付与验收", "复盘总结")
	if out := h.chat(":as carol\n归还 COL-1\n"); !strings.Contains(out, "已归档") {
		t.Errorf("a closed alignment: %s", out)
	}
}

// TestAlignmentEnglish: "new alignment" step by step; a department that
// is not asked cannot confirm; a step the type lacks is refused.
func TestAlignmentEnglish(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as mike\nnew alignment\nQ1 plan briefing\nQ1 goals and who does what\nengineering, finance\nskip\n2026-11-27\nskip\nconfirm\n")
	mustContain(t, out, "What must every department understand alike?", "By when must every department confirm it read this?", "Confirm by: 2026-11-27", "Collaboration type: Information alignment", "✅ Filed COL-1")
	mustLackAll(t, out, "Background and goal")
	out = h.chat(":as grace\nlang en\nread COL-1\n:as mike\nreturn COL-1\nsolve COL-1\n:as ben\nlang en\nread COL-1 what about contractors?\n")
	mustContain(t, out, "You are not the contact or head of any department COL-1 is waiting for",
		"COL-1 has no return step", "COL-1 has no root cause and fix step", "COL-1: 研发部 confirmed as read and understood")
	if c := h.collab(1); c.Status != bot.StatusAwaitingAck || c.Acks[0].Question != "what about contractors?" {
		t.Fatalf("after one confirmation: %s %+v", c.Status, c.Acks)
	}
}

// TestNewWithoutTypeIsAProject: "new" alone is a project as before: its
// type is stored, and its steps are a project's.
func TestNewWithoutTypeIsAProject(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	c := h.collab(1)
	if c.TypeName() != bot.ProjectType || !c.Has(bot.StepPlan) || c.Has(bot.StepReadReceipt) {
		t.Fatalf("a request without a type: %q %v", c.Type, c.Steps)
	}
	if out := h.chat(":as amy\n已阅 COL-1\n"); !strings.Contains(out, "不包含「确认已阅」这一步") {
		t.Errorf("a project has no read receipts: %s", out)
	}
}

// TestTypeFromPaste: a pasted request's own fields (资源类型, 数量, 使用期限)
// make it a resource request; a type nobody configured is refused with
// the ones there are.
func TestTypeFromPaste(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as carol\n\"\"\"\n发起协作\n协作主题: 借投影仪\n协作背景与目标: 发布会\n需协助部门: 研发部\n资源类型: 设备\n" +
		"资源需求: 投影仪\n数量: 2台\n使用开始日期: 2026-11-25\n使用期限: 2026-11-27\n\"\"\"\n")
	mustContain(t, out, "协作类型: 资源协调申请", "资源类型: 设备", "数量: 2台", "使用结束日期: 2026-11-27")
	out = h.chat(":as carol\n取消\n\"\"\"\n发起协作\n协作类型: 外包协作\n协作主题: 外包开发\n\"\"\"\n")
	mustContain(t, out, "“协作类型”不能是“外包协作”,请从选项中选一个。例如:项目协同推进 / 资源协调申请 / 问题协同解决 / 信息同步对齐")
}

// TestEditLoan: editing a loan's quantity and end tells the lender in the
// fields' names, once (its due date is its end).
func TestEditLoan(t *testing.T) {
	h := newHarness(t)
	h.chat(":as carol\n\"\"\"\n新建 资源\n协作主题: 借投影仪\n协作背景与目标: 发布会\n需协助部门: 研发部\n资源类型: 设备\n" +
		"资源需求: 投影仪\n数量: 2台\n使用开始日期: 2026-11-25\n使用期限: 2026-11-27\n\"\"\"\n确认\n")
	out := h.chat(":as carol\n\"\"\"\n修改 COL-1\n数量: 3台\n使用期限: 2026-11-30\n\"\"\"\n确认\n")
	mustContain(t, out, "✅ 已修改 COL-1:数量、使用结束日期。", "→ @bob (DM): 【COL-1 · 需求已修改】", "数量:2台 → 3台")
	mustLackAll(t, out, "期望完成时间", "quantity")
	if c := h.collab(1); c.Request.Resource.Quantity != "3台" || c.Type != "resource" {
		t.Fatalf("edited: %+v", c.Request.Resource)
	}
}

// TestTypedFormAsData: "new resource" as data (a Slack modal, a DingTalk
// card) is the resource request: its type given, the loan's fields there
// with the quantity required, a project's requirements not, the type's
// name in its subject; "new" alone is the project's, as before.
func TestTypedFormAsData(t *testing.T) {
	h := newHarness(t)
	f, err := h.eng.FormFor(context.Background(), consoleMsg(h, "carol", "new resource", ""))
	if err != nil || f == nil {
		t.Fatalf("new resource: %v %v", f, err)
	}
	if f.Given["type"] != "resource" {
		t.Errorf("given %v", f.Given)
	}
	if q, ok := field(f, "quantity"); !ok || !q.Required {
		t.Errorf("quantity: %+v %v", q, ok)
	}
	if _, ok := field(f, "requirements"); ok {
		t.Error("a resource request asks for a project's requirements")
	}
	if !slices.Contains(f.Subject, "资源协调申请") {
		t.Errorf("subject %v", f.Subject)
	}
	f, _ = h.eng.FormFor(context.Background(), consoleMsg(h, "mike", "new", ""))
	if _, ok := field(f, "quantity"); ok || f.Given["type"] != "project" {
		t.Errorf("new: given %v", f.Given)
	}
}

// TestAlignmentRecordKeepsQuestionsInReceipts: a reader's question is in
// the read receipts, not shown as the department needing information.
func TestAlignmentRecordKeepsQuestionsInReceipts(t *testing.T) {
	h := newHarness(t)
	h.chat(":as carol\n\"\"\"\n新建 信息同步\n协作主题: 差旅制度\n同步内容: 住宿标准调整\n需确认部门: 研发部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n:as ben\n已阅 COL-1 协议价?\n")
	md := h.markdown(1, bot.Chinese)
	mustContain(t, md, "- **疑问**:协议价?")
	mustLackAll(t, md, "需补充的信息")
}

// TestLoanOnlyHeadApproves: the lending department's contact cannot
// approve a loan; its head can.
func TestLoanOnlyHeadApproves(t *testing.T) {
	for _, tt := range []struct{ script, refused string }{
		{":as ben\n确认 COL-1 承接\n确认\n", "资源协调申请由研发部的负责人(李强 Bob)审批"},
		{":as ben\n:lang en\nack COL-1 accept\nconfirm\n", "A resource request is approved by the head of 研发部 (李强 Bob)"},
	} {
		h := newHarness(t)
		h.chat(":as carol\n\"\"\"\n新建 资源协调\n协作主题: 借调测试工程师\n协作背景与目标: 人手不足\n需协助部门: 研发部\n" +
			"资源类型: 人力\n资源需求: 测试工程师\n数量: 2人\n使用开始日期: 2026-11-24\n使用期限: 2026-12-04\n\"\"\"\n确认\n")
		out := h.chat(tt.script)
		mustContain(t, out, tt.refused)
		if c := h.collab(1); c.Acks[0].Status == bot.AckAccepted {
			t.Fatalf("the contact approved the loan: %+v", c.Acks)
		}
		h.chat(":as bob\n确认 COL-1 承接\n确认\n")
		if c := h.collab(1); c.Acks[0].Status != bot.AckAccepted || c.Acks[0].By != "bob" {
			t.Fatalf("the head could not approve: %+v", c.Acks)
		}
	}
}

// TestAlignmentRefusesDecisions: an alignment is read, not accepted or
// declined: a decline or a request for details is refused with the read
// command, not recorded as read; "已阅，无问题" records no question.
func TestAlignmentRefusesDecisions(t *testing.T) {
	for _, tt := range []struct{ decide, refused, read string }{
		{":as ben\n确认 COL-1 无法承接\n确认 COL-1 需补充\n", "请用 `已阅 COL-1 [疑问]` 确认已阅并理解", ":as ben\n已阅 COL-1 已阅，无问题\n"},
		{":as ben\n:lang en\nack COL-1 decline\nack COL-1 info\n", "confirm you read it with `read COL-1 [questions]`", ":as ben\nread COL-1 read, no questions\n"},
	} {
		h := newHarness(t)
		h.chat(":as carol\n\"\"\"\n发起协作\n协作主题: 差旅制度更新宣贯\n同步内容: 住宿标准调整\n需确认部门: 研发部、财务部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n")
		out := h.chat(tt.decide)
		if strings.Count(out, tt.refused) != 2 {
			t.Errorf("decisions not refused twice:\n%s", out)
		}
		if c := h.collab(1); c.Acks[0].Status != bot.AckPending {
			t.Fatalf("a decision was recorded as read: %+v", c.Acks[0])
		}
		h.chat(tt.read)
		if a := h.collab(1).Acks[0]; a.Status != bot.AckAccepted || a.Question != "" {
			t.Errorf("read with no question: %+v", a)
		}
	}
}

// TestReadWithPunctuationAfterTheReference: people type the question
// straight after the reference, with a comma and no space.
func TestReadWithPunctuationAfterTheReference(t *testing.T) {
	for _, tt := range []struct{ read, question string }{
		{":as ben\n已阅 COL-1，酒店协议价如何申请?\n", "酒店协议价如何申请?"},
		{":as ben\n:lang en\nread COL-1, no questions\n", ""},
		{":as ben\n:lang en\nread COL-1: which hotels?\n", "which hotels?"},
	} {
		h := newHarness(t)
		h.chat(":as carol\n\"\"\"\n发起协作\n协作主题: 差旅制度更新宣贯\n同步内容: 住宿标准调整\n需确认部门: 研发部、财务部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n")
		h.chat(tt.read)
		if a := h.collab(1).Acks[0]; a.Status != bot.AckAccepted || a.Question != tt.question {
			t.Errorf("%q: status %s, question %q, want %q", tt.read, a.Status, a.Question, tt.question)
		}
	}
}

// TestSwitchStepTheTypeLacks: a step the type leaves out cannot be
// switched on: it would be said on and recorded, and never run.
func TestSwitchStepTheTypeLacks(t *testing.T) {
	h := newHarness(t)
	h.chat(":as carol\n\"\"\"\n发起协作\n协作主题: 差旅制度更新宣贯\n同步内容: 住宿标准调整\n需确认部门: 研发部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n")
	coord := string(h.collab(1).Coordinator)
	out := h.chat(":as " + coord + "\n共识函 COL-1 开\n:lang en\nplan COL-1 on\n")
	mustContain(t, out, "COL-1 的类型不包含「合作目标共识函」这一步。", "COL-1 has no plan approval step")
	if c := h.collab(1); len(c.Switches) != 0 {
		t.Errorf("switched: %v", c.Switches)
	}
}

// TestAlignmentBoard: an alignment's board shows read receipts, not
// acceptances and an empty task list.
func TestAlignmentBoard(t *testing.T) {
	h := newHarness(t)
	h.chat(":as carol\n\"\"\"\n发起协作\n协作主题: 差旅制度更新宣贯\n同步内容: 住宿标准调整\n需确认部门: 研发部、财务部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n:as ben\n已阅 COL-1\n")
	out := h.chat(":as carol\n看板 COL-1\n:lang en\nboard COL-1\n")
	mustContain(t, out, "**阅读回执**", "研发部 · 陈斌 Ben · 已阅并理解", "财务部 · 周婷 Fiona · 未确认",
		"**Read receipts**", "read and understood", "not confirmed")
	mustLack(t, out, "**对接确认**", "暂无任务", "**Acknowledgements**", "no tasks yet")
}

// TestMisspeltTypeAsks: a lone word after 新建/new that is nearly a type's
// name is asked about ("did you mean …?") with the types, in the speaker's
// language, and opens nothing; a real topic that merely looks like a
// type's name opens the request with it as the topic, and so does the
// typo given as the answer to the topic question.
func TestMisspeltTypeAsks(t *testing.T) {
	for _, tt := range []struct {
		lang  bot.Lang
		typed string
		asked string // "": taken as the topic
	}{
		{bot.Chinese, "新建 资源协凋", "没有“资源协凋”这种协作类型,你是不是想用资源协调申请?是的话请发送 `新建 资源协调申请`。可选:项目协同推进 (project)"},
		{bot.Chinese, "新建 资源申情", "你是不是想用资源协调申请?"},
		{bot.Chinese, "新建 信息同步对其", "你是不是想用信息同步对齐?是的话请发送 `新建 信息同步对齐`"},
		{bot.Chinese, "new resourse", "你是不是想用资源协调申请?"},
		{bot.English, "new resourse", "There is no collaboration type “resourse”: did you mean Resource request? Then send `new resource`. Types: Project collaboration (project)"},
		{bot.English, "new problme", "did you mean Problem to solve? Then send `new problem`."},
		{bot.English, "新建 问题协同解绝", "did you mean Problem to solve?"},
		{bot.Chinese, "新建 资源盘点会议", ""},
		{bot.Chinese, "新建 资源协调会议", ""},
		{bot.Chinese, "新建 信息同步会", ""},
		{bot.Chinese, "新建 问答", ""},
		{bot.English, "new ｒｅｓｏｕｒｓｅ", "did you mean Resource request?"}, // full-width, as type names compare
		{bot.English, "new login", ""},
		{bot.English, "new research", ""},
		{bot.English, "new product", ""}, // two edits from "project"
		{bot.English, "new protect", ""}, // near the default type: a project all the same
		{bot.Chinese, "新建 项目合作", ""},     // likewise, near 项目协作
	} {
		lang := map[bot.Lang]string{bot.Chinese: "zh", bot.English: "en"}[tt.lang]
		t.Run(lang+" "+tt.typed, func(t *testing.T) {
			h := newHarness(t)
			out := h.chat(":as carol\n:lang " + lang + "\n" + tt.typed + "\n")
			goal := map[bot.Lang]string{bot.Chinese: "【协作需求表 · 协作背景与目标】", bot.English: "【Collaboration request · Background and goal】"}[tt.lang]
			if tt.asked != "" {
				mustContain(t, out, tt.asked)
				mustLack(t, out, goal)
				return
			}
			mustContain(t, out, goal)
			mustLack(t, out, "⚠️")
		})
	}
	// Given as the answer to the topic question, the word is the topic.
	h := newHarness(t)
	out := h.chat(":as carol\n新建\n资源协凋\n")
	mustContain(t, out, "【协作需求表 · 协作背景与目标】")
	mustLack(t, out, "你是不是想用")
}
