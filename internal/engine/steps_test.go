package engine_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// withSteps files COL-1 (amy coordinates; 研发部 and 财务部 assist),
// switches the consensus and the plans on for it, and has both
// departments accept: the steps open.
func (h *harness) withSteps() string {
	h.t.Helper()
	h.fileRequest()
	out := h.chat(":as amy\n共识函 COL-1 开\n方案 COL-1 开\n")
	return out + h.chat(":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n")
}

func TestSignoffAndPlanChinese(t *testing.T) {
	h := newHarness(t)
	out := h.withSteps()
	mustContain(t, out, "✅ COL-1 已开启共识函", "✅ COL-1 已开启方案审批",
		"📝 各部门均已承接:COL-1 的合作目标共识函已发给各部门负责人签署",
		"→ @bob (DM): 【COL-1 · 请代表研发部签署合作目标共识函】", "→ @frank (DM)",
		"[签署] 共识函 COL-1 签署 研发部", "[拒签] 共识函 COL-1 拒签 研发部",
		"→ @ben (DM): 【COL-1 · 请提交研发部的实施方案】", "→ @fiona (DM)")

	// Wrong input: only the department's head signs; the coordinator
	// alone switches; nobody decides a plan not submitted.
	mustContain(t, h.chat(":as ben\n共识函 COL-1 签署\n"), "COL-1 没有等你签署的共识函")
	mustContain(t, h.chat(":as bob\n共识函 COL-1 签署 财务部\n"), "只有财务部的负责人(孙伟 Frank)可以为该部门签署共识函")
	mustContain(t, h.chat(":as ben\n共识函 COL-1 关\n"), "只有总协调人(王芳 Amy)可以开关本协作的步骤")
	// Their deadlines are tuned like every timer.
	mustContain(t, h.chat(":as amy\n提醒 COL-1 共识函 2bd\n提醒 COL-1\n"), "共识函签署 `signoff`:2 个工作日", "实施方案审批 `plan_decision`:1 个工作日")
	mustContain(t, h.chat(":as bob\n共识函 COL-1 签署 法务部\n"), "法务部")
	mustContain(t, h.chat(":as bob\n共识函 COL-1 盖章\n"), "请说明要做什么,例如 `共识函 COL-1 签署`")
	mustContain(t, h.chat(":as amy\n方案 COL-1 审批人\n方案 COL-1 审批人 @nobody\n"), "请指定审批人,例如 `方案 COL-1 审批人 @lily`", "nobody")
	mustContain(t, h.chat(":as lily\n方案 COL-1 批准 研发部\n"), "研发部的方案状态为 待提交")
	mustContain(t, h.chat(":as lily\n方案 COL-1 批准\n"), "COL-1 没有待审批的方案")
	// Work waits for the plan: no task for 研发部, and the bare 确认 lists it.
	mustContain(t, h.chat(":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n"),
		"COL-1 中研发部的工作需等实施方案批准后开始")
	h.chat(":as amy\n取消\n")
	mustContain(t, h.chat(":as bob\n确认\n"), "COL-1「新品推广接口调试」:合作目标共识函等你代表研发部签署")
	mustContain(t, h.chat(":as ben\n确认\n"), "研发部的实施方案待提交:`方案 COL-1 提交 研发部`")
	// The Slack App Home offers the same answers as the notices (WaitsFor).
	if it, ok := item(h.homeOf("bob"), "reviews", "COL-1"); !ok || commands(it) != "command:signoff COL-1 sign 研发部 | command:signoff COL-1 refuse 研发部" {
		t.Errorf("bob's home: %+v, %v", it, ok)
	}
	if it, ok := item(h.homeOf("ben"), "reviews", "COL-1"); !ok || commands(it) != "command:plan COL-1 submit 研发部" {
		t.Errorf("ben's home: %+v, %v", it, ok)
	}

	// bob signs with remarks; frank refuses; amy renews; frank signs.
	out = h.chat(":as bob\n共识函 COL-1 签署 12月10日复核接口范围\n")
	mustContain(t, out, "✅ 已代表研发部签署 COL-1 的合作目标共识函", "→ @amy (DM): 【COL-1 · 研发部已签署共识函】", "12月10日复核接口范围")
	mustContain(t, h.chat(":as bob\n共识函 COL-1 签署\n"), "李强 Bob 已于 2026-11-23 10:00 代表研发部签署 COL-1 的合作目标共识函,签署意见:“12月10日复核接口范围”")
	out = h.chat(":as frank\n共识函 COL-1 拒签\n预算未到位\n确认\n")
	mustContain(t, out, "拒签原因", "✅ 已代表财务部拒签", "→ @amy (DM): 【COL-1 · 财务部拒签共识函】", "预算未到位", "共识函 COL-1 重新发起")
	mustContain(t, h.chat(":as amy\n确认\n"), "财务部拒签共识函(预算未到位)")
	out = h.chat(":as amy\n共识函 COL-1 重新发起\n")
	mustContain(t, out, "✅ 已请财务部重新签署", "→ @frank (DM)", "你此前拒签(「预算未到位」)")
	mustContain(t, h.chat(":as amy\n共识函 COL-1\n"), "• 财务部 · 孙伟 Frank · 待签署\n")
	out = h.chat(":as frank\n共识函 COL-1 签署\n")
	mustContain(t, out, "全部部门签署", "合作目标共识函已全部签署")
	mustContain(t, h.chat(":as amy\n共识函 COL-1\n"), "研发部 · 李强 Bob · 已签署", "12月10日复核接口范围", "财务部 · 孙伟 Frank · 已签署")

	// ben submits 研发部's plan; lily returns it; ben revises; lily approves.
	out = h.chat(":as ben\n方案 COL-1 提交\n分两轮联调\n测试环境故障时切换备用环境\n用例通过率 100%\n确认\n")
	mustContain(t, out, "✅ 研发部的 COL-1 实施方案已提交", "→ @lily (DM): 【COL-1 · 方案待你审批:研发部】",
		"方法: 分两轮联调", "[批准] 方案 COL-1 批准 研发部", "[退回] 方案 COL-1 退回 研发部")
	mustContain(t, h.chat(":as amy\n方案 COL-1 批准 研发部\n"), "只有决策人(林莉 Lily、Henry Zhou)可以批准或退回方案")
	mustContain(t, h.chat(":as ben\n方案 COL-1 提交\n"), "COL-1 没有等你提交的方案")
	mustContain(t, h.chat(":as lily\n确认\n"), "研发部的方案等你审批")
	if it, ok := item(h.homeOf("henry"), "reviews", "COL-1"); !ok || commands(it) != "command:plan COL-1 approve 研发部 | command:plan COL-1 return 研发部" {
		t.Errorf("henry's home: %+v, %v", it, ok)
	}
	out = h.chat(":as lily\n方案 COL-1 退回 研发部\n请补充回滚预案\n确认\n")
	mustContain(t, out, "审批意见", "✅ 已退回研发部的 COL-1 实施方案", "→ @ben (DM): 【COL-1 · 方案被退回:研发部】", "请补充回滚预案")
	out = h.chat(":as ben\n方案 COL-1 提交\n修改 预案\n测试环境故障时切换备用环境;上线失败 10 分钟内回滚\n确认\n")
	mustContain(t, out, "✅ 研发部的 COL-1 实施方案已提交", "第 2 版")
	out = h.chat(":as lily\n方案 COL-1 批准 研发部 同意\n")
	mustContain(t, out, "✅ 已批准研发部的 COL-1 实施方案", "→ @ben (DM): 【COL-1 · 方案已批准:研发部】")
	// 研发部's work may start now; 财务部's still waits.
	mustContain(t, h.chat(":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n"),
		"✅ 已创建任务 T-1")
	mustContain(t, h.chat(":as ben\n任务 T-1 开始\n"), "T-1")
	mustContain(t, h.chat(":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 预算\n责任部门: 财务部\n直接责任人: @fiona\n截止时间: 2026-12-10\n交付标准: 审批单\n\"\"\"\n确认\n"),
		"COL-1 中财务部的工作需等实施方案批准后开始")

	c := h.collab(1)
	if !c.Consensus.Signed() || c.Consensus.Signoffs[0].Remarks != "12月10日复核接口范围" {
		t.Fatalf("consensus = %+v", c.Consensus)
	}
	rd := c.PlanApproval.Plan("研发部")
	if rd.Status != bot.PlanApproved || rd.Version != 2 || len(rd.Decisions) != 2 || rd.Decisions[0].Approved || rd.Decisions[0].Comments != "请补充回滚预案" {
		t.Fatalf("研发部's plan = %+v", rd)
	}

	// The record sheet and the JSON export show who signed and decided, when, and why.
	md := h.chat(":as amy\n导出 COL-1 md\n")
	mustContain(t, md, "合作目标共识函(各部门负责人签署)", "✅ 研发部 · 李强 Bob · 已签署", "实施方案审批",
		"研发部 · 已批准 · 第 2 版", "退回于", "请补充回滚预案", "签署合作目标共识函", "退回实施方案")
	js := h.chat(":as amy\n导出 COL-1 json\n")
	mustContain(t, js, `"consensus"`, `"signoffs"`, `"plans"`, `"result": "returned"`, `"comments": "请补充回滚预案"`)
}

// TestStepsSwitchedOff: without the steps the old flow is unchanged: no
// letter, no plan, tasks start at once.
func TestStepsSwitchedOff(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	out := h.chat(":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n")
	mustLack(t, out, "共识函", "实施方案")
	c := h.collab(1)
	if c.Consensus != nil || c.PlanApproval != nil || c.Status != bot.StatusActive {
		t.Fatalf("consensus %+v, plans %+v, status %s", c.Consensus, c.PlanApproval, c.Status)
	}
	mustContain(t, h.chat(":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n"),
		"✅ 已创建任务 T-1")
	mustContain(t, h.chat(":as amy\n共识函 COL-1\n"), "COL-1 没有待签署的共识函(此步骤未开启")
	// Switched on for the workspace, a new collaboration runs them; its
	// coordinator may switch one off, which withdraws what waits.
	h.eng.Policy.Workflow.Signoff, h.eng.Policy.Workflow.PlanApproval = true, true
	h.chat(":as carol\n\"\"\"\n发起协作\n协作主题: 双十二活动\n协作背景与目标: 活动页按时上线\n需协助部门: 研发部\n具体需求描述: 页面\n期望完成时间: 2026-12-10\n\"\"\"\n确认\n")
	out = h.chat(":as ben\n确认 COL-2 承接\n确认\n")
	mustContain(t, out, "→ @bob (DM): 【COL-2 · 请代表研发部签署", "→ @ben (DM): 【COL-2 · 请提交研发部的实施方案")
	out = h.chat(":as carol\n方案 COL-2 关\n")
	mustContain(t, out, "✅ COL-2 已关闭方案审批")
	if c := h.collab(2); c.PlanApproval.Open() || c.WaitsForPlan("研发部") || !c.Consensus.Open() {
		t.Fatalf("plans %+v, consensus %+v", c.PlanApproval, c.Consensus)
	}
	mustLack(t, h.chat(":as ben\n确认\n"), "COL-2「双十二活动」:研发部的实施方案")
}

func TestSignoffAndPlanEnglish(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	h.chat(":as amy\n:lang en\nsignoff COL-1 on\nplan COL-1 on\nplan COL-1 approver @henry\n")
	out := h.chat(":as ben\n:lang en\nack COL-1 accept\nconfirm\n:as fiona\nack COL-1 accept\nconfirm\n")
	mustContain(t, out, "→ @frank (DM)")
	out = h.chat(":as bob\n:lang en\nsignoff COL-1 refuse\nthe scope is too wide\nconfirm\n")
	mustContain(t, out, "Why do you refuse to sign?", "Refused to sign for 研发部")
	mustContain(t, h.chat(":as david\n:lang en\nsignoff COL-1 sign 研发部\n"), "Only the head of 研发部 (李强 Bob) signs the goal consensus for it.")
	mustContain(t, h.chat(":as amy\nsignoff COL-1 renew\n"), "Asked 研发部 to sign the goal consensus of COL-1 again.")
	mustContain(t, h.chat(":as bob\nsignoff COL-1 sign\n"), "Signed the goal consensus of COL-1 for 研发部.")
	mustContain(t, h.chat(":as frank\n:lang en\nsignoff COL-1 sign\n"), "every department has now signed")

	out = h.chat(":as ben\n\"\"\"\nplan COL-1 submit\nmethod: two rounds of integration\ncontingency: switch to the backup environment\nstandard: every case passes\n\"\"\"\nconfirm\n")
	mustContain(t, out, "plan for COL-1 is submitted", "→ @henry (DM)")
	mustLack(t, out, "→ @lily")
	mustContain(t, h.chat(":as lily\n:lang en\nplan COL-1 approve\n"), "Only the decision maker (Henry Zhou) approves or returns plans.")
	// A named approver outside the collaboration reads the plans; another outsider is told it does not exist.
	mustContain(t, h.chat(":as amy\nplan COL-1 approver @grace\n:dm\n:as grace\n:lang en\nplan COL-1\n"), "grace", "研发部 · waiting for approval (version 1)", "two rounds of integration")
	mustLack(t, h.chat(":dm\n:as gary\n:lang en\nplan COL-1\nsignoff COL-1\n"), "two rounds", "Goal:")
	mustContain(t, h.chat(":dm\n:as gary\nplan COL-1\n"), "COL-1 was not found.")
	mustContain(t, h.chat(":as amy\nplan COL-1 approver @henry\n"), "henry", "Henry Zhou now decides the plans of COL-1.")
	mustContain(t, h.chat(":as henry\n:lang en\nplan COL-1 return\nadd a rollback plan\nconfirm\n"), "Your comments?", "Returned 研发部's plan for COL-1")
	mustContain(t, h.chat(":as ben\nconfirm\n"), "研发部's plan was returned; revise it")
	// The revision is asked again, with why it came back; the same plan again is refused.
	mustContain(t, h.chat(":as ben\nplan COL-1 submit\nconfirm\n"), "Henry Zhou returned version 1 of 研发部's plan: add a rollback plan",
		"研发部's plan is the same as version 1, which was returned")
	mustContain(t, h.chat(":as ben\ncontingency: switch to the backup environment, or roll back\nconfirm\n"), "is submitted")
	mustContain(t, h.chat(":as henry\nplan COL-1 approve 研发部\n"), "Approved 研发部's plan for COL-1; its work may start.")
	out = h.chat(":as amy\nplan COL-1\n")
	mustContain(t, out, "研发部 · approved (version 2)", "财务部 · not submitted", "Method: two rounds of integration\n")
	mustLack(t, out, "integration\ntwo rounds")

	var sheet struct {
		Plans []struct {
			Department string `json:"department"`
			Decisions  []struct {
				By, Result, Comments string
			} `json:"decisions"`
		} `json:"plans"`
	}
	js := h.chat(":as amy\nexport COL-1 json\n")
	start := strings.Index(js, "{")
	if start < 0 || json.Unmarshal([]byte(js[start:strings.LastIndex(js, "}")+1]), &sheet) != nil {
		t.Fatalf("export: %s", js)
	}
	if len(sheet.Plans) != 2 || len(sheet.Plans[0].Decisions) != 2 || sheet.Plans[0].Decisions[0].Result != "returned" ||
		sheet.Plans[0].Decisions[0].By != "henry" || sheet.Plans[0].Decisions[0].Comments != "add a rollback plan" {
		t.Fatalf("plans in the export: %+v", sheet.Plans)
	}
}

// TestStepForms: the plan, its decision and a refusal to sign are forms
// as data (a Slack modal, a DingTalk card); a signature without remarks
// and a wrong person get no form.
func TestStepForms(t *testing.T) {
	h := newHarness(t)
	h.withSteps()
	h.chat(":as ben\n方案 COL-1 提交\n分两轮联调\n跳过\n跳过\n确认\n")
	tests := []struct {
		as, text string
		form     string
		given    map[string]string
	}{
		{"fiona", "plan COL-1 submit", "plan", nil},
		{"ben", "plan COL-1 submit", "", nil}, // submitted already: refused
		{"lily", "plan COL-1 return 研发部", "plan_decision", map[string]string{"decision": "return"}},
		{"amy", "plan COL-1 return 研发部", "", nil}, // not the decision maker
		{"frank", "signoff COL-1 refuse", "signoff", map[string]string{"decision": "refuse"}},
		{"frank", "signoff COL-1 sign", "", nil}, // acts at once
		{"ben", "signoff COL-1 sign", "", nil},   // not the head
	}
	for _, tt := range tests {
		t.Run(tt.as+" "+tt.text, func(t *testing.T) {
			f, err := h.eng.FormFor(context.Background(), consoleMsg(h, tt.as, tt.text, ""))
			if err != nil {
				t.Fatal(err)
			}
			if (f != nil) != (tt.form != "") || (f != nil && f.Name != tt.form) {
				t.Fatalf("FormFor(%q) = %+v, want %q", tt.text, f, tt.form)
			}
			if f != nil && len(tt.given)+len(f.Given) > 0 && !reflect.DeepEqual(f.Given, tt.given) {
				t.Errorf("given = %v, want %v", f.Given, tt.given)
			}
		})
	}
	if c := h.collab(1); c.Consensus.Signoffs[1].Status != bot.SignoffPending {
		t.Errorf("describing signed: %+v", c.Consensus.Signoffs[1])
	}
}

// TestWorkspaceSwitchSparesRunning: switching the steps on for the
// workspace does not make a collaboration already under way ask for a
// letter or plans (its next change must not stop its work); its
// coordinator can still switch one on for it.
func TestWorkspaceSwitchSparesRunning(t *testing.T) {
	for _, tt := range []struct{ accept, task, switchOn, opened string }{
		{":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n",
			":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n",
			":as amy\n方案 COL-1 开\n", "✅ COL-1 已开启方案审批"},
		{":as ben\n:lang en\nack COL-1 accept\nconfirm\n:as fiona\n:lang en\nack COL-1 accept\nconfirm\n",
			":as amy\n:lang en\n\"\"\"\ntask add COL-1\ntitle: API testing\ndepartment: 研发部\nowner: @ben\ndue: 2026-12-10\nstandard: all cases pass\n\"\"\"\nconfirm\n",
			":as amy\n:lang en\nplan COL-1 on\n", "COL-1"},
	} {
		h := newHarness(t)
		h.fileRequest()
		h.chat(tt.accept)
		h.eng.Policy.Workflow.Signoff, h.eng.Policy.Workflow.PlanApproval = true, true
		out := h.chat(tt.task)
		c := h.collab(1)
		if c.Consensus != nil || c.PlanApproval != nil || len(c.Tasks) != 1 || c.WaitsForPlan("研发部") {
			t.Fatalf("a running collaboration was given the workspace's new steps: consensus %+v, plans %+v, tasks %d\n%s",
				c.Consensus, c.PlanApproval, len(c.Tasks), out)
		}
		mustContain(t, h.chat(tt.switchOn), tt.opened)
		if c := h.collab(1); !c.PlanApproval.Open() || c.Consensus != nil {
			t.Fatalf("switched on by its coordinator: plans %+v, consensus %+v", c.PlanApproval, c.Consensus)
		}
	}
}

// TestMinutesTaskWaitsForPlan: an action item for a department whose
// plan is not approved yet is recorded with the minutes, and the reply
// says it cannot start before the plan is approved.
func TestMinutesTaskWaitsForPlan(t *testing.T) {
	for _, tc := range []struct{ minutes, want string }{
		{"\"\"\"\n会议 M-1 纪要\n共识结论: 范围确定\n待办事项: @ben 补充接口文档 2026-12-10\n\"\"\"\n确认\n",
			"T-1 已记录,但需等研发部的实施方案审批通过后才能开始(`方案 COL-1`)"},
		{":lang en\n\"\"\"\nmeeting M-1 minutes\nDecisions: scope agreed\nAction items: @ben API docs 2026-12-10\n\"\"\"\nconfirm\n",
			"T-1 is recorded but cannot start until 研发部's implementation plan is approved (`plan COL-1`)"},
	} {
		h := newHarness(t)
		h.withSteps()
		h.chat(":as amy\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 明天 10:00\n时长: 1h\n参会人: @ben, @fiona\n\"\"\"\n确认\n")
		h.clock.Set("+1d", h.cfg.Location())
		h.clock.Set("+2h", h.cfg.Location())
		out := h.chat(":as amy\n" + tc.minutes)
		mustContain(t, out, tc.want)
		if tk, err := h.collab(1).Task(1); err != nil || tk.Status != bot.TaskTodo {
			t.Fatalf("the action item: %+v %v\n%s", tk, err, out)
		}
	}
}
