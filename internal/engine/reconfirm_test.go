package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestEditAsksAcceptedDepartmentsAgain: a department that took the
// request on is asked again when what it took on changes (the scope, the
// due date), and only told when the wording of the topic changes; the
// trace says why its acceptance was reopened.
func TestEditAsksAcceptedDepartmentsAgain(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.chat(":as ben\n\"\"\"\n确认 COL-1 承接\n承接范围: 接口\n\"\"\"\n确认\n")
	if a := h.collab(1).Acks[0]; a.Status != bot.AckAccepted {
		t.Fatalf("ben's answer %s", a.Status)
	}
	out := h.chat(":as amy\n\"\"\"\n修改 COL-1\n协作主题: 新品推广接口联调\n\"\"\"\n确认\n")
	mustContain(t, out, "→ @ben (DM): 【COL-1 · 需求已修改】")
	mustLack(t, out, "→ @ben (DM): 【COL-1 · 请确认协作需求】")
	if a := h.collab(1).Acks[0]; a.Status != bot.AckAccepted {
		t.Fatalf("a new topic wording reopened ben's answer: %s", a.Status)
	}
	out = h.chat(":as amy\n\"\"\"\n修改 COL-1\n具体需求描述: 完成接口调试、压测,并提供测试报告\n期望完成时间: 2026-12-11\n\"\"\"\n确认\n")
	// One card says it had accepted, what changed, and asks again.
	mustContain(t, out, "→ @ben (DM): 【COL-1 · 请重新确认协作需求】", "研发部已承接,因 王芳 Amy 修改了具体需求描述、期望完成时间,需重新确认", "压测")
	mustLack(t, out, "→ @ben (DM): 【COL-1 · 需求已修改】")
	if a := h.collab(1).Acks[0]; a.Status != bot.AckPending {
		t.Fatalf("after the scope changed ben's answer is %s, want pending", a.Status)
	}
	mustContain(t, h.timeline(1), "ack_reopened 研发部: requirements")
}

// TestEditedAlignmentIsReadAgain: a department that confirmed reading
// what is to be aligned confirms again once the content changed, and the
// alignment does not close on the old confirmations.
func TestEditedAlignmentIsReadAgain(t *testing.T) {
	h := newHarness(t)
	h.chat(":as carol\n\"\"\"\n新建 信息同步\n协作主题: 降价通知\n同步内容: 全线降价5%\n需确认部门: 研发部、财务部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n" +
		":as ben\n已阅 COL-1\n")
	out := h.chat(":as carol\n\"\"\"\n修改 COL-1\n同步内容: 全线降价10%\n\"\"\"\n确认\n")
	mustContain(t, out, "→ @ben (DM): 【COL-1 · 请确认已阅】", "全线降价10%")
	out = h.chat(":as fiona\n已阅 COL-1\n")
	if c := h.collab(1); c.Status != bot.StatusAwaitingAck {
		t.Fatalf("closed on ben's reading of the old content: %s\n%s", c.Status, out)
	}
	h.chat(":as ben\n已阅 COL-1\n")
	if c := h.collab(1); c.Status != bot.StatusArchived {
		t.Fatalf("after both read the new content: %s", c.Status)
	}
}

// TestArchiveWithOpenTasksAsksFirst: archiving while tasks are open names
// them and asks again (they are not chased once archived); confirmed, it
// archives, and the record reads as it was closed: a task falling due
// after the archive does not turn red on the board later.
func TestArchiveWithOpenTasksAsksFirst(t *testing.T) {
	h := newHarness(t)
	h.deliver() // T-1 接口调试, due 2026-12-10, still open
	h.chat(":as amy\n验收 COL-1 通过\n\"\"\"\n复盘 COL-1\n协作亮点: 快\n待改进点: 环境\n\"\"\"\n确认\n")
	out := h.chat(":as amy\n归档 COL-1\n")
	mustContain(t, out, "COL-1 还有 1 项任务未完成:T-1 接口调试", "`任务 T-1 完成`", "[仍然归档] 归档 COL-1 确认")
	if c := h.collab(1); c.Status != bot.StatusRetrospective {
		t.Fatalf("archived without asking: %s", c.Status)
	}
	mustContain(t, h.chat(":as amy\n:lang en\narchive COL-1\n:lang zh\n"), "COL-1 still has 1 open task: T-1 接口调试", "[Archive anyway] archive COL-1 confirm")
	mustContain(t, h.chat(":as bob\n归档 COL-1\n"), "只有总协调人或需求发起人可以归档")
	mustContain(t, h.chat(":as amy\n归档 COL-1 确认\n"), "COL-1 已归档")
	if c := h.collab(1); c.Status != bot.StatusArchived {
		t.Fatalf("after confirming: %s", c.Status)
	}
	board := h.chat(":as amy\n:clock 2026-12-21 10:00\n看板 COL-1\n")
	mustLack(t, board, "🔴")
}

// TestTaskOwnerComesFromItsDepartment: a task's direct owner belongs to
// its responsible department (whose head is escalated to about it); a
// handover to someone of another department, or a new task for 研发部
// owned by someone of 运营部, is refused naming both departments, and a
// collaborator may come from anywhere.
func TestTaskOwnerComesFromItsDepartment(t *testing.T) {
	h := newHarness(t)
	h.withTask() // T-1, 研发部, ben
	out := h.chat(":as amy\n任务 T-1 转交 @gary\n")
	mustContain(t, out, "郑刚 Gary 属于法务部,不是研发部的人")
	if c := h.collab(1); c.Tasks[0].Owner != "ben" {
		t.Fatalf("handed over to %s", c.Tasks[0].Owner)
	}
	out = h.chat(":as amy\n:lang en\n\"\"\"\ntask add COL-1\ntitle: 运营方案\ndepartment: 研发部\nowner: @carol\ndue: 2026-12-10\nstandard: 评审通过\n\"\"\"\nconfirm\ncancel\n:lang zh\n")
	mustContain(t, out, "赵敏 Carol is in 运营部, not 研发部")
	if n := len(h.collab(1).Tasks); n != 1 {
		t.Fatalf("%d tasks", n)
	}
	h.chat(":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 联调支持\n责任部门: 研发部\n直接责任人: @david\n协同责任人: @carol\n截止时间: 2026-12-10\n交付标准: 联调通过\n\"\"\"\n确认\n")
	if n := len(h.collab(1).Tasks); n != 2 {
		t.Fatalf("a collaborator from another department was refused: %d tasks", n)
	}
}

// TestActivatedSaysWhatWorkWaitsFor: with the goal consensus and the
// plans to come, the group is not told to assign tasks (they would be
// refused) but what comes first, with those steps' buttons.
func TestActivatedSaysWhatWorkWaitsFor(t *testing.T) {
	h := newHarness(t)
	out := h.withSteps()
	mustContain(t, out, "开始分派任务前还需:各部门负责人签署合作目标共识函(`共识函 COL-1`)、各部门提交实施方案并获批准(`方案 COL-1`)",
		"[共识函] 共识函 COL-1", "[实施方案] 方案 COL-1")
	mustLack(t, out, "[添加任务] 任务 新建 COL-1")
}

// TestReadQuestionIsAnswered: a question asked with a read receipt keeps
// the alignment open until the sender answers it (补充 COL-n 部门 …); the
// department's contact gets the answer, and then it closes.
func TestReadQuestionIsAnswered(t *testing.T) {
	h := newHarness(t)
	h.chat(":as carol\n\"\"\"\n新建 信息同步\n协作主题: 降价通知\n同步内容: 全线降价5%\n需确认部门: 研发部、财务部\n确认截止时间: 2026-11-27\n\"\"\"\n确认\n" +
		":as ben\n已阅 COL-1\n")
	out := h.chat(":as fiona\n已阅 COL-1 降价是否含税?\n")
	mustContain(t, out, "请答复疑问:`补充 COL-1 财务部 <答复>`", "各部门均已确认;还在等你答复财务部的疑问,答复后关闭。")
	mustContain(t, h.chat(":as carol\n看板 COL-1\n"), "❓ 疑问待答复:降价是否含税?")
	if c := h.collab(1); c.Status != bot.StatusAwaitingAck {
		t.Fatalf("closed with a question unanswered: %s", c.Status)
	}
	mustContain(t, h.chat(":as ben\n补充 COL-1 含税\n"), "只有")
	out = h.chat(":as carol\n:lang en\nanswer COL-1 含税\n:lang zh\n")
	mustContain(t, out, "Your answer to 财务部's question went to its contact", "→ @fiona (DM): 【COL-1 · 疑问已答复】", "答复:含税",
		"Every department of COL-1 has confirmed")
	if c := h.collab(1); c.Status != bot.StatusArchived || c.Acks[1].Answer != "含税" {
		t.Fatalf("after the answer: %s %+v", c.Status, c.Acks)
	}
	mustContain(t, h.timeline(1), "read_answered 财务部: 含税")
}

// TestYesMidFormIsAnAnswer: "yes" or "ok" typed to a question is its
// answer, not a submission of a request nobody has seen summed up; at the
// summary it confirms.
func TestYesMidFormIsAnAnswer(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as amy\n:lang en\nnew\nAPI debugging\nQ4 launch\nengineering\nskip\nfinish the API work\nskip\nskip\nnext friday\nskip\nyes\n")
	mustLack(t, out, "✅ Filed COL-1")
	mustContain(t, out, "【Collaboration request · Risks and mitigations】")
	out = h.chat(":as amy\nskip\nskip\nok\n")
	mustContain(t, out, "Cadence: yes", "✅ Filed COL-1")
}

// TestReturnEscalationButtonsForWhoMayReturn: the overdue-loan
// escalation offers [已归还] to those who may record the return (the
// borrower, the lender) and, to the people above them, says what to do
// instead, with the board only.
func TestReturnEscalationButtonsForWhoMayReturn(t *testing.T) {
	h := newHarness(t)
	h.chat(":as carol\n\"\"\"\n新建 资源协调\n协作主题: 借调测试工程师\n协作背景与目标: 回归测试\n需协助部门: 研发部\n" +
		"资源类型: 人力\n资源需求: 测试工程师\n数量: 2人\n使用期限: 2026-11-24 至 2026-11-27\n\"\"\"\n确认\n:as bob\n确认 COL-1 承接\n确认\n")
	h.sent = nil
	h.at("2026-12-02 10:00")
	seen := 0
	for _, n := range h.sent {
		if n.Kind != "return_escalation" {
			continue
		}
		seen++
		r, err := h.eng.Notification(context.Background(), h.ws, n)
		if err != nil {
			t.Fatal(err)
		}
		var buttons string
		for _, b := range r.Reply.Buttons {
			buttons += b.Value + ";"
		}
		may := h.collab(1).MayReturn(h.cfg.Directory().Actor(n.To))
		if got := strings.Contains(buttons, "return COL-1"); got != may {
			t.Errorf("%s (may return: %v) got buttons %q:\n%s", n.To, may, buttons, r.Reply.Body)
		}
		if !may && !strings.Contains(r.Reply.Body, "督促借用人归还") && !strings.Contains(r.Reply.Body, "see that the borrower returns it") {
			t.Errorf("%s above the loan was not told what to do:\n%s", n.To, r.Reply.Body)
		}
	}
	if seen == 0 {
		t.Fatal("no return escalation was sent")
	}
}

// TestLoanHeadMayApproveAfterDeclining: a loan's head, the only one who
// decides, may still approve a loan he declined (nobody else can be asked
// for him); the decline stays on the timeline. A project's contact is
// who declined by mistake may accept too; anyone else is sent to the
// requester, who asks the department again.
func TestLoanHeadMayApproveAfterDeclining(t *testing.T) {
	h := newHarness(t)
	h.chat(":as carol\n\"\"\"\n新建 资源协调\n协作主题: 借调测试工程师\n协作背景与目标: 回归测试\n需协助部门: 研发部\n" +
		"资源类型: 人力\n资源需求: 测试工程师\n数量: 2人\n使用期限: 2026-11-30 至 2026-12-04\n\"\"\"\n确认\n" +
		":as bob\n\"\"\"\n确认 COL-1 无法承接\n原因: 没有空闲\n替代方案: 下月再借\n\"\"\"\n确认\n")
	if c := h.collab(1); c.Acks[0].Status != bot.AckDeclined {
		t.Fatalf("setup: %s", c.Acks[0].Status)
	}
	h.chat(":as bob\n确认 COL-1 承接\n确认\n")
	if c := h.collab(1); c.Acks[0].Status != bot.AckAccepted || c.Status != bot.StatusActive {
		t.Fatalf("after approving: %s %s", c.Acks[0].Status, c.Status)
	}
	mustContain(t, h.timeline(1), "decline_withdrawn 研发部")

	p := newHarness(t)
	p.fileRequest()
	p.chat(":as fiona\n\"\"\"\n确认 COL-1 无法承接\n原因: 没预算\n替代方案: 下季度\n\"\"\"\n确认\n")
	mustContain(t, p.chat(":as frank\n确认 COL-1 财务部 承接\n"), "要改变答复,请需求发起人")
	p.chat(":as fiona\n确认 COL-1 承接\n跳过\n跳过\n跳过\n确认\n")
	if a, _ := p.collab(1).Ack("财务部"); a.Status != bot.AckAccepted {
		t.Fatalf("fiona took back her decline: %s", a.Status)
	}
}
