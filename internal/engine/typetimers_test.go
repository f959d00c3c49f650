package engine_test

import (
	"context"
	"strings"
	"testing"
)

// rendered is every notice of kind sent so far, as its reader reads it:
// title, body and the buttons' commands.
func (h *harness) rendered(kind string) string {
	h.t.Helper()
	var b strings.Builder
	for _, n := range h.sent {
		if n.Kind != kind {
			continue
		}
		r, err := h.eng.Notification(context.Background(), h.ws, n)
		if err != nil {
			h.t.Fatal(err)
		}
		b.WriteString("@" + string(n.To) + " " + r.Reply.Title + "\n" + r.Reply.Body + "\n")
		for _, btn := range r.Reply.Buttons {
			b.WriteString("[" + btn.Value + "]")
		}
		b.WriteString("\n")
	}
	return b.String()
}

const (
	fileLoan = ":as carol\n\"\"\"\n新建 资源协调\n协作主题: 借调测试工程师\n协作背景与目标: 回归测试\n需协助部门: 研发部\n" +
		"资源类型: 人力\n资源需求: 测试工程师\n数量: 2人\n使用期限: 2026-11-24 至 2026-12-18\n\"\"\"\n确认\n"
	fileProblem = ":as carol\n\"\"\"\n新建 问题\n协作主题: 订单重复扣款\n问题描述: 客户投诉重复扣款\n需协助部门: 研发部、财务部\n" +
		"期望解决时间: 2026-12-04\n\"\"\"\n确认\n"
	fileAlignment = ":as carol\n\"\"\"\n发起协作\n协作主题: 差旅制度更新宣贯\n同步内容: 住宿标准调整\n需确认部门: 研发部\n确认截止时间: 2026-12-04\n\"\"\"\n确认\n"
)

// TestTypedAckRemindersSpeakOfTheirStep: a loan's head is reminded of
// the approval he owes (approve or refuse, no "needs info"), a problem's
// department of its first response; their escalations say the same, in
// both languages.
func TestTypedAckRemindersSpeakOfTheirStep(t *testing.T) {
	for _, tt := range []struct {
		name, file, lang     string
		reminder, escalation []string
		buttons, lacks       []string
	}{
		{"loan zh", fileLoan, "zh", []string{"借用审批已到期", "请部门负责人审批"}, []string{"借用审批超时", "仍未审批"},
			[]string{"[ack COL-1 研发部 accept][ack COL-1 研发部 decline]"}, []string{"对接确认", "需补充信息", " info]"}},
		{"loan en", fileLoan, "en", []string{"Loan approval due", "approve the loan"}, []string{"Loan approval overdue", "has still not decided"},
			[]string{"[ack COL-1 研发部 accept][ack COL-1 研发部 decline]"}, []string{"Acknowledgement", "needs info", " info]"}},
		{"problem zh", fileProblem, "zh", []string{"首次响应已到期", "首次响应已于"}, []string{"首次响应超时", "仍未首次响应"},
			[]string{"[ack COL-1 研发部 info]"}, []string{"对接确认"}},
		{"problem en", fileProblem, "en", []string{"First response due", "first response to the problem"},
			[]string{"First response overdue", "has still not responded"}, []string{"[ack COL-1 研发部 info]"}, []string{"Acknowledgement"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.chat(tt.file)
			if tt.lang == "en" {
				h.chat(":as bob\nlang en\n:as ben\nlang en\n:as fiona\nlang en\n:as carol\nlang en\n:as amy\nlang en\n")
			}
			h.sent = nil
			h.at("2026-11-24 17:00")
			rem, esc := h.rendered("ack_reminder"), h.rendered("ack_escalation")
			if rem == "" || esc == "" {
				t.Fatalf("no reminder or escalation: %q %q", rem, esc)
			}
			mustContain(t, rem, append(tt.reminder, tt.buttons...)...)
			mustContain(t, esc, tt.escalation...)
			mustLack(t, rem+esc, tt.lacks...)
		})
	}
}

// TestProjectAckReminderUnchanged: the project's acknowledgement keeps
// its words and its three answers.
func TestProjectAckReminderUnchanged(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.sent = nil
	h.at("2026-11-25 17:00")
	mustContain(t, h.rendered("ack_reminder"), "对接确认已到期", "需补充信息", " info]")
	mustContain(t, h.rendered("ack_escalation"), "对接确认超时")
}

// TestProblemChasedPastItsResolutionDate: a problem both departments
// took on and nobody solved by its date reminds their contacts, tells
// the requester's head a business day later, and shows overdue on the
// board; solved, it is chased no more.
func TestProblemChasedPastItsResolutionDate(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			h.chat(fileProblem + ":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n")
			if lang == "en" {
				h.chat(":as ben\nlang en\n:as fiona\nlang en\n:as carol\nlang en\n:as amy\nlang en\n:as bob\nlang en\n")
			}
			h.sent = nil
			h.at("2026-12-04 17:00")
			if got := h.rendered("resolution_reminder"); got != "" {
				t.Fatalf("reminded before the date: %s", got)
			}
			h.at("2026-12-10 10:00")
			rem, esc := h.rendered("resolution_reminder"), h.rendered("resolution_escalation")
			mustContain(t, rem, "@ben ", "@fiona ", "[solve COL-1]")
			mustLack(t, esc, "@ben ", "@fiona ")
			if esc == "" {
				t.Fatal("no escalation")
			}
			board := h.chat(":as carol\nboard COL-1\n")
			if lang == "zh" {
				mustContain(t, rem, "问题已过期望解决时间", "`解决 COL-1`")
				mustContain(t, esc, "问题逾期未解决", "研发部、财务部")
				mustContain(t, board, "🔴 已逾期")
			} else {
				mustContain(t, rem, "Problem past its resolution date", "`solve COL-1`")
				mustContain(t, esc, "Problem not resolved in time", "研发部, 财务部")
				mustContain(t, board, "🔴 overdue")
			}
			h.chat(":as ben\n\"\"\"\n解决 COL-1\n根本原因: 回调未做幂等\n\"\"\"\n加幂等校验\n确认\n")
			h.sent = nil
			h.at("2026-12-11 10:00")
			mustLack(t, h.rendered("resolution_reminder")+h.rendered("resolution_escalation"), "@")
			mustLack(t, h.chat(":as carol\nboard COL-1\n"), "🔴 已逾期", "🔴 overdue")
		})
	}
}

// TestRemindListsTheTypesTimers: `remind COL-n` lists only the timers
// of the collaboration's steps, the type's own among them, which tune
// like the others; a timer it does not have is refused in the user's
// language, naming its timers and its own reference.
func TestRemindListsTheTypesTimers(t *testing.T) {
	project := []string{"agenda", "minutes", "acceptance", "retrospective", "signoff", "plan_submission", "daily_progress", "weekly_summary"}
	for _, tt := range []struct {
		name, file, lang, script string
		want, lacks              []string
	}{
		{"loan", fileLoan, "zh", "提醒 COL-1\n提醒 COL-1 resource_return 2bd\n",
			[]string{"`resource_return`:2 个工作日 · 开(本协作设置)", "`acknowledgement`", "资源归还"}, append(project, "resolution", "read_receipt")},
		{"problem", fileProblem, "zh", "提醒 COL-1\n提醒 COL-1 resolution 2bd\n",
			[]string{"`resolution`:2 个工作日 · 开(本协作设置)", "`acknowledgement`:24 小时", "`risk_response`"}, append(project, "resource_return", "read_receipt")},
		{"alignment", fileAlignment, "en", "remind COL-1\nremind COL-1 read_receipt 09:30\n",
			[]string{"`read_receipt`: 09:30 · on (set here)"}, append(project, "acknowledgement", "resolution", "resource_return")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.chat(tt.file)
			out := h.chat(":as carol\n:lang " + tt.lang + "\n" + tt.script)
			mustContain(t, out, tt.want...)
			for _, timer := range tt.lacks {
				mustLack(t, out, "`"+timer+"`")
			}
		})
	}
	h := newHarness(t)
	h.chat(fileProblem)
	out := h.chat(":as carol\n提醒 COL-1 resource_return 2bd\n:lang en\nremind COL-1 agenda 2h\nremind COL-1 resolution soon\n")
	mustContain(t, out, "COL-1 没有名为“resource_return”的提醒,可调整的有:对接确认 `acknowledgement`", "问题逾期上报 `resolution`",
		"用法:`提醒 COL-1 关`", "COL-1 has no reminder called “agenda”; its reminders are: Acknowledgement",
		"Usage: `remind COL-1 off` / `remind COL-1 acknowledgement 24h`", "Problem overdue escalation needs a positive delay like 4h or 2bd, not “soon”")
	mustLack(t, out, "no timer called", "COL-3")
}

// TestResolutionTimerTunes: `remind COL-n resolution 3bd` moves the
// escalation of a problem past its date; `remind COL-n resolution off`
// stops the chase.
func TestResolutionTimerTunes(t *testing.T) {
	h := newHarness(t)
	h.chat(fileProblem + ":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n:as carol\n提醒 COL-1 resolution 3bd\n")
	h.sent = nil
	h.at("2026-12-08 10:00")
	mustContain(t, h.rendered("resolution_reminder"), "@ben ")
	if esc := h.rendered("resolution_escalation"); esc != "" {
		t.Fatalf("escalated before 3 business days: %s", esc)
	}
	h.at("2026-12-10 10:00")
	if h.rendered("resolution_escalation") == "" {
		t.Fatal("not escalated 3 business days after the date")
	}

	h = newHarness(t)
	h.chat(fileProblem + ":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n:as carol\n提醒 COL-1 解决 关\n")
	h.sent = nil
	h.at("2026-12-10 10:00")
	if got := h.rendered("resolution_reminder") + h.rendered("resolution_escalation"); got != "" {
		t.Fatalf("chased with the timer off: %s", got)
	}
}
