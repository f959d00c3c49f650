package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

// timeline reads a collaboration's timeline as "action subject: note" lines.
func (h *harness) timeline(id bot.CollabID) string {
	h.t.Helper()
	var b strings.Builder
	err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		entries, err := tx.Timeline(context.Background(), id)
		for _, e := range entries {
			b.WriteString(e.Action + " " + e.Subject + ": " + e.Note + "\n")
		}
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return b.String()
}

// export renders the record sheet as Markdown in lang.
func (h *harness) export(id bot.CollabID, lang bot.Lang) string {
	h.t.Helper()
	var b strings.Builder
	err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		ctx := context.Background()
		c, err := tx.Collaboration(ctx, id)
		if err != nil {
			return err
		}
		sheet, err := record.Read(ctx, tx, c, h.cfg.Directory(), h.clock.Now(), h.cfg.Location())
		if err != nil {
			return err
		}
		return sheet.Markdown(&b, lang)
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return b.String()
}

func TestRejectEditResubmitApprove(t *testing.T) {
	h := newHarness(t)
	out := h.chat("发起协作\n" + pastedRequest + "确认\n:as alice\n初审 COL-1 驳回 目标不可衡量,请加指标\n")
	mustContain(t, out, "→ @amy (DM): 【COL-1 · 初审未通过】", "修改 COL-1", "[修改] 修改 COL-1")
	if c := h.collab(1); c.Status != bot.StatusRejected {
		t.Fatalf("status = %s", c.Status)
	}
	out = h.chat(":as amy\n修改 COL-1\n修改 协作背景与目标\nQ4 上线,接口通过率 100%\n确认\n")
	mustContain(t, out, "正在修改 COL-1", "✅ 已修改 COL-1:协作背景与目标", "已重新提交 COL-1「新品推广接口调试」,已提交市场部负责人 张丽 Alice 初审",
		"→ @alice (DM): 【COL-1 · 请初审】")
	out = h.chat(":as alice\n初审 COL-1 通过\n")
	mustContain(t, out, "初审通过")
	c := h.collab(1)
	if c.Status != bot.StatusAwaitingAck || c.Request.Goal != "Q4 上线,接口通过率 100%" {
		t.Fatalf("after edit and approval: %s, goal %q", c.Status, c.Request.Goal)
	}
	mustContain(t, h.timeline(1), "request_edited COL-1: goal: Q4 新品上线,3 个工作日内完成接口调试 → Q4 上线,接口通过率 100%")
	mustContain(t, h.export(1, bot.Chinese), "修改需求 COL-1:协作背景与目标:Q4 新品上线")

	// In English, with the changed lines pasted under the command, while
	// the departments are answering: only the new department is asked.
	out = h.chat(":as amy\n:lang en\n\"\"\"\nedit COL-1\nassisting departments: engineering, operations\n\"\"\"\nconfirm\n")
	mustContain(t, out, "✅ Edited COL-1: Assisting departments", "→ @fiona (DM): 【COL-1 · 无需再答复】", "→ @chris (DM): 【COL-1 · 请确认协作需求】",
		"需协助部门:研发部、财务部 → 研发部、运营部", "对接人:陈斌 Ben、周婷 Fiona → 陈斌 Ben、刘洋 Chris")
	mustLack(t, after(out, "Edited COL-1"), "→ @ben (DM): 【COL-1 · Please acknowledge】", "→ @ben (DM): 【COL-1 · 请确认协作需求】")
	c = h.collab(1)
	if _, ok := c.Ack("运营部"); !ok || len(c.Acks) != 2 {
		t.Errorf("acks = %+v", c.Acks)
	}
	out = h.chat(":as ben\nedit COL-1\n")
	mustContain(t, out, "只有需求发起人或总协调人可以修改需求")
}

func TestResubmitAsItIs(t *testing.T) {
	h := newHarness(t)
	h.chat("发起协作\n" + pastedRequest + "确认\n:as alice\n初审 COL-1 驳回 请补充交付标准\n")
	out := h.chat(":as amy\n:lang en\nresubmit COL-1\n")
	mustContain(t, out, "✅ Submitted again: COL-1", "for first review")
	if c := h.collab(1); c.Status != bot.StatusInReview {
		t.Errorf("status = %s", c.Status)
	}
}

func TestDeclineThenDropMakesItActive(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.chat(":as ben\n确认 COL-1 承接\n确认\n")
	out := h.chat(":as fiona\n\"\"\"\n确认 COL-1 无法承接\n原因: 本季度无预算\n替代方案: 走市场部预算\n\"\"\"\n确认\n")
	mustContain(t, out, "→ @amy (DM): 【COL-1 · 部门无法承接】", "原因:本季度无预算", "替代方案:走市场部预算", "移除部门 COL-1 财务部")
	if c := h.collab(1); c.Status != bot.StatusAwaitingAck {
		t.Fatalf("status = %s", c.Status)
	}
	out = h.chat(":as ben\n移除部门 COL-1 财务部\n")
	mustContain(t, out, "只有总协调人或需求发起人可以移除部门")
	out = h.chat(":as amy\n移除部门 COL-1 财务部\n")
	mustContain(t, out, "✅ 已从 COL-1 移除财务部", "🎉 其余部门均已承接", "→ @fiona (DM): 【COL-1 · 无需再答复】")
	if c := h.collab(1); c.Status != bot.StatusActive || len(c.Acks) != 1 {
		t.Errorf("after drop: %s with %d departments", c.Status, len(c.Acks))
	}
	mustContain(t, h.timeline(1), "department_dropped 财务部: 本季度无预算")
}

func TestAnotherContactAfterDecline(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.chat(":as fiona\n\"\"\"\n确认 COL-1 无法承接\n原因: 不是我负责\n替代方案: 问 frank\n\"\"\"\n确认\n")
	out := h.chat(":as amy\n对接人 COL-1 财务部 @frank\n")
	mustContain(t, out, "✅ 财务部 的对接人改为 孙伟 Frank", "→ @frank (DM): 【COL-1 · 请确认协作需求】")
	out = h.chat(":as frank\n确认 COL-1 承接\n确认\n")
	mustContain(t, out, "财务部 已承接 COL-1")
}

func TestTaskCorrections(t *testing.T) {
	h := newHarness(t)
	h.withTask()

	out := h.chat(":as amy\n任务 T-1 改期 2026-12-15 测试环境延迟\n")
	mustContain(t, out, "✅ T-1 截止时间改为 2026-12-15 18:00", "→ @ben (DM): 【COL-1 · 任务计划调整 T-1】",
		"从 2026-12-10 18:00 改为 2026-12-15 18:00。原因:测试环境延迟")
	mustContain(t, h.timeline(1), "task_moved T-1: due: 2026-12-10 18:00 → 2026-12-15 18:00; reason: — → 测试环境延迟")
	mustContain(t, h.export(1, bot.English), "moved the due date T-1: Due: 2026-12-10 18:00 → 2026-12-15 18:00, Reason: 测试环境延迟.")
	mustContain(t, h.export(1, bot.Chinese), "调整计划 T-1:截止时间:2026-12-10 18:00 → 2026-12-15 18:00、原因:测试环境延迟。")

	out = h.chat(":as emma\n任务 T-1 改期 2026-12-20 想多点时间\n")
	mustContain(t, out, "只有总协调人或研发部负责人可以调整 T-1")
	out = h.chat(":as amy\n任务 T-1 改期 昨天 手滑\n")
	mustContain(t, out, "已过,请填写将来的时间")

	out = h.chat(":as amy\n任务 T-1 转交 @david\n")
	mustContain(t, out, "✅ T-1 转交给 David Miller(研发部)", "→ @david (DM): 【COL-1 · New task T-1】", "→ @ben (DM): 【COL-1 · 任务已转交 T-1】")
	out = h.chat(":as amy\n任务 T-1 改名 接口调试(含退款)\n任务 T-1 交付标准 用例全部通过且无 P1 缺陷\n")
	mustContain(t, out, "✅ 已更新 T-1", "→ @david (DM): 【COL-1 · Task changed T-1】")
	c := h.collab(1)
	t1, _ := c.Task(1)
	if t1.Owner != "david" || t1.Title != "接口调试(含退款)" || t1.Standard != "用例全部通过且无 P1 缺陷" {
		t.Errorf("T-1 = %+v", t1)
	}

	out = h.chat(":as amy\n任务 T-1 取消 需求调整\n")
	mustContain(t, out, "已取消 T-1", "→ @david (DM): 【COL-1 · Task cancelled T-1】")
	if t1, _ := h.collab(1).Task(1); t1.Status != bot.TaskCancelled {
		t.Errorf("T-1 status = %s", t1.Status)
	}
	rep := h.tick(time.Date(2026, 12, 15, 18, 0, 0, 0, h.cfg.Location()))
	for _, f := range rep.Firings {
		if f.Entity == "T-1" {
			t.Errorf("a cancelled task was chased: %+v", f)
		}
	}
}

func TestDateMoveRequestApprovedByTheCoordinator(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as ben\n:lang en\ntask T-1 ask-due 2026-12-18 waiting for the test environment\n")
	mustContain(t, out, "✅ Asked to move T-1 to 2026-12-18 18:00", "→ @amy (DM): 【COL-1 · 申请调整计划 T-1】",
		"[同意] 任务 T-1 同意", "[拒绝] 任务 T-1 拒绝")
	// The owner typing the coordinator's command asks as well.
	out = h.chat(":as ben\ntask T-1 due 2026-12-19 even later\n")
	mustContain(t, out, "Asked to move T-1 to 2026-12-19 18:00")
	out = h.chat(":as amy\n确认\n")
	mustContain(t, out, "T-1「接口调试」申请改期到 2026-12-19 18:00")
	out = h.chat("task T-1 approve\n")
	mustContain(t, out, "✅ 已同意,T-1 截止时间改为 2026-12-19 18:00", "→ @ben (DM): 【COL-1 · Date move approved T-1】")
	if t1, _ := h.collab(1).Task(1); t1.Due.In(h.cfg.Location()).Format("2006-01-02") != "2026-12-19" || t1.DueRequest != nil {
		t.Errorf("T-1 = %+v", t1)
	}
	out = h.chat("task T-1 approve\n")
	mustContain(t, out, "T-1 没有待审批的调整申请")

	h.chat(":as ben\ntask T-1 ask-due 2026-12-30 more\n")
	out = h.chat(":as amy\n任务 T-1 拒绝 年底前必须完成\n")
	mustContain(t, out, "已拒绝 T-1 的改期申请", "→ @ben (DM): 【COL-1 · Date move refused T-1】", "Reason: 年底前必须完成")
}

func TestSeverityRaisedEscalatesOnce(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	h.chat(":as ben\n\"\"\"\n风险 上报 COL-1\n问题描述: 测试环境不稳定\n影响范围: 联调延期\n影响程度: 中\n责任部门: 研发部\n\"\"\"\n确认\n")
	out := h.chat(":as ben\n风险 R-1 影响程度 高 影响上线\n")
	mustContain(t, out, "✅ R-1 的影响程度改为高", "🚨 已上报分管领导", "→ @lily (DM): 【COL-1 · 🚨 高影响风险上报 R-1】", "→ @henry (DM)")
	out = h.chat("风险 R-1 影响程度 高 再确认\n")
	mustLack(t, out, "→ @lily", "🚨 已上报")
	out = h.chat(":as david\nrisk R-1 severity low fine now\n")
	mustContain(t, out, "Only the owner of R-1 or the coordinator can change it")
	out = h.chat(":as amy\n风险 R-1 关联 T-1\n")
	mustContain(t, out, "✅ R-1 已关联 T-1")
	if t1, _ := h.collab(1).Task(1); len(t1.Risks) != 1 {
		t.Errorf("T-1 risks = %v", t1.Risks)
	}
}

func TestMeetingAndCollaborationCorrections(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	h.chat(":as amy\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 2026-11-25 10:00\n时长: 1h\n参会人: @ben\n\"\"\"\n确认\n")
	out := h.chat("会议 M-1 改期 2026-11-26 15:00\n")
	mustContain(t, out, "✅ M-1 改到 2026-11-26 15:00", "→ @ben (DM): 【COL-1 · 会议改期 M-1】", "从 2026-11-25 10:00 改到 2026-11-26 15:00")
	out = h.chat("会议 M-1 加人 @fiona, @david\n")
	mustContain(t, out, "✅ 已邀请 周婷 Fiona、David Miller 参加 M-1", "→ @fiona (DM): 【COL-1 · 会议邀请 M-1】")
	out = h.chat(":as ben\n会议 M-1 改期 2026-11-27 10:00\n")
	mustContain(t, out, "只有会议组织者或总协调人可以调整会议")

	out = h.chat(":as amy\n总协调人 COL-1 @mike\n")
	mustContain(t, out, "✅ COL-1 的总协调人改为 马克 Mike", "→ @mike (DM): 【COL-1 · You coordinate a collaboration】")
	if c := h.collab(1); c.Coordinator != "mike" {
		t.Errorf("coordinator = %s", c.Coordinator)
	}
	out = h.chat(":as ben\n总协调人 COL-1 @ben\n")
	mustContain(t, out, "只有需求发起人或总协调人可以更换总协调人")
}

// TestContactsBelongToTheirDepartment: nobody answers for a department
// they are not in, and an edit of the departments keeps a contact that
// was changed.
func TestContactsBelongToTheirDepartment(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.chat(":as fiona\n\"\"\"\n确认 COL-1 无法承接\n原因: 不归我管\n替代方案: 问 frank\n\"\"\"\n确认\n")
	out := h.chat(":as amy\n对接人 COL-1 财务部 @amy\n")
	mustContain(t, out, "王芳 Amy 不属于财务部,不能代表该部门答复")
	h.chat("对接人 COL-1 财务部 @frank\n")
	out = h.chat("\"\"\"\n修改 COL-1\n需协助部门: 研发部、财务部、运营部\n\"\"\"\n确认\n")
	mustContain(t, out, "→ @chris (DM): 【COL-1 · 请确认协作需求】", "→ @frank (DM): 【COL-1 · 需求已修改】")
	mustLack(t, out, "→ @frank (DM): 【COL-1 · 无需再答复】", "→ @fiona")
	if a, _ := h.collab(1).Ack("财务部"); a.Contact != "frank" || a.Status != bot.AckPending {
		t.Errorf("财务部 = %+v", a)
	}
}

// TestDeclinedDepartmentIsAskedAgainAfterAnEdit: an edit may answer why a
// department declined; it is asked again.
func TestDeclinedDepartmentIsAskedAgainAfterAnEdit(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.chat(":as fiona\n\"\"\"\n确认 COL-1 无法承接\n原因: 期限太紧\n替代方案: 推迟一周\n\"\"\"\n确认\n")
	out := h.chat(":as amy\n\"\"\"\n修改 COL-1\n期望完成时间: 2026-12-25\n\"\"\"\n确认\n")
	mustContain(t, out, "→ @fiona (DM): 【COL-1 · 请重新确认协作需求】", "财务部此前答复无法承接,王芳 Amy 请你重新答复",
		"王芳 Amy 修改了期望完成时间:", "→ @ben (DM): 【COL-1 · 需求已修改】", "已请以下部门重新确认:财务部。")
	if a, _ := h.collab(1).Ack("财务部"); a.Status != bot.AckPending {
		t.Errorf("财务部 = %s", a.Status)
	}
	out = h.chat(":as fiona\n确认 COL-1 承接\n确认\n")
	mustContain(t, out, "财务部 已承接 COL-1")
}

// TestBareConfirmAfterARejection points the requester at the edit.
func TestBareConfirmAfterARejection(t *testing.T) {
	h := newHarness(t)
	h.chat("发起协作\n" + pastedRequest + "确认\n:as alice\n初审 COL-1 驳回 目标不清\n")
	out := h.chat(":as amy\n确认\n")
	mustContain(t, out, "COL-1「新品推广接口调试」初审被退回:`修改 COL-1`")
}

// TestHeadsReplanWithinTheirDepartment: bob, head of 研发部, may move a
// 研发部 task's date, not hand it to 财务部.
func TestHeadsReplanWithinTheirDepartment(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as bob\n任务 T-1 改期 2026-12-14 排期冲突\n任务 T-1 转交 @fiona\n任务 T-1 转交 @emma\n")
	mustContain(t, out, "✅ T-1 截止时间改为 2026-12-14 18:00", "把任务交给财务部需要总协调人或财务部负责人", "✅ T-1 转交给 刘艳 Emma(研发部)")
	out = h.chat(":as amy\n任务 T-1 取消 不做了\n任务 T-1 取消 再取消\n")
	mustContain(t, out, "T-1 已取消,不能再调整")
	mustLack(t, out, "已已")
}

// TestExportInChat: 导出 returns the record in the chat, in the format
// asked; the archive notice offers it.
func TestExportInChat(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as amy\n导出 COL-1\n")
	mustContain(t, out, "【COL-1 跨部门沟通记录表】", "(COL-1.md)", "| 协作主题 | 新品推广接口调试 |")
	out = h.chat(":as ben\n:lang en\nexport COL-1 csv\n")
	mustContain(t, out, "【COL-1 collaboration record】", "(COL-1.csv)", "Section,Item,Field,Value")
	out = h.chat(":as ben\nexport COL-1 json zh\n")
	mustContain(t, out, "(COL-1.json)", `"id": "COL-1"`)
	out = h.chat(":as ben\nexport COL-9\n")
	mustContain(t, out, "COL-9 was not found")
}
