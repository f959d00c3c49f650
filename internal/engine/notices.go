package engine

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/collabot/collabot/bot"
)

// The notices people's actions cause. Each carries what its reader must
// decide — the request to review, the question to answer, the minutes to
// confirm, the deliverables to accept — and ends with the commands that
// settle it, as buttons where the platform has them.

// notices writes each kind of notification in both languages: a title, a
// body and the commands the recipient can answer with. The scheduler's
// reminders and the corrections' notices join it from their own files.
var notices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"review_requested":     reviewRequested,
	"ack_requested":        ackRequested,
	"review_rejected":      reviewRejected,
	"request_submitted":    requestSubmitted,
	"ack_accepted":         ackAccepted,
	"ack_declined":         ackDeclined,
	"ack_needs_info":       ackNeedsInfo,
	"info_supplied":        infoSupplied,
	"risk_raised_on_ack":   riskRaisedOnAck,
	"activated":            activated,
	"cancelled":            cancelled,
	"task_assigned":        taskAssigned,
	"task_collaborator":    taskCollaborator,
	"task_needs_help":      taskHelp(bot.TaskNeedsHelp),
	"task_blocked":         taskHelp(bot.TaskBlocked),
	"task_moved":           taskMoved,
	"meeting_invited":      meetingInvited,
	"minutes_to_confirm":   minutesToConfirm,
	"meeting_cancelled":    meetingCancelled,
	"progress_problem":     progressProblem,
	"risk_assigned":        riskAssigned,
	"risk_escalated":       riskEscalated,
	"risk_responded":       riskResponded,
	"risk_resolved":        riskResolved,
	"acceptance_requested": acceptanceRequested,
	"accepted":             accepted,
	"acceptance_failed":    acceptanceFailed,
	"retrospective_due":    retrospectiveDue,
	"retrospective_shared": retrospectiveShared,
	"archived":             archived,
}

// request writes the 5W1H of the request, as the reviewer reads it.
func (v notice) request(b *body) {
	r := v.c.Request
	var depts []string
	for _, a := range r.Departments {
		depts = append(depts, a.Department+" "+v.name(a.Contact))
	}
	b.field("协作主题", "Topic", r.Topic)
	b.field("协作背景与目标", "Goal", r.Goal)
	b.field("需协助部门/对接人", "Departments", strings.Join(depts, "、"))
	b.field("具体需求描述", "Requirements", r.Requirements)
	b.field("交付物", "Deliverables", r.Deliverables)
	b.field("交付标准", "Acceptance standard", r.Standard)
	b.field("期望完成时间", "Due", v.stamp(r.Due))
	b.field("涉及场景/系统", "Scope", r.Scope)
	b.field("协同方式与频次", "Cadence", r.Cadence)
	b.field("风险提示与应对预案", "Risks", r.Risks)
	for _, k := range sortedExtra(r) {
		b.field(r.ExtraLabels[k].In(bot.Chinese), r.ExtraLabels[k].In(bot.English), r.Extra[k])
	}
	b.field("总协调人", "Coordinator", v.name(v.c.Coordinator))
}

func sortedExtra(r bot.Request) []string { return slices.Sorted(maps.Keys(r.Extra)) }

func reviewRequested(v notice) (bot.Text, bot.Text, []action) {
	ref := v.c.ID.String()
	var b body
	b.line(v.name(v.c.Requester)+" 提交了协作需求,请初审:目标是否可衡量、接收方是否明确、时间是否合理。",
		v.name(v.c.Requester)+" filed a request. Please review it: is the goal measurable, are the receivers clear, are the dates reasonable?")
	v.request(&b)
	b.line("驳回请附意见:`初审 "+ref+" 驳回 <意见>`。", "To send it back, say why: `review "+ref+" reject <comments>`.")
	return bot.Text{ZH: "请初审", EN: "Please review"}, b.text(),
		[]action{{Label: bot.Text{ZH: "通过", EN: "Approve"}, Command: "review " + ref + " approve", Style: "primary"}, {Label: bot.Text{ZH: "驳回", EN: "Reject"}, Command: "review " + ref + " reject", Style: "danger"}}
}

func ackButtons(ref, dept string) []action {
	if dept != "" {
		dept = " " + dept
	}
	return []action{
		{Label: bot.Text{ZH: "承接", EN: "Accept"}, Command: "ack " + ref + dept + " accept", Style: "primary"},
		{Label: bot.Text{ZH: "无法承接", EN: "Decline"}, Command: "ack " + ref + dept + " decline", Style: "danger"},
		{Label: bot.Text{ZH: "需补充信息", EN: "Need info"}, Command: "ack " + ref + dept + " info"},
	}
}

func ackRequested(v notice) (bot.Text, bot.Text, []action) {
	span := v.within(v.policy.Acknowledgement.After)
	var b body
	b.line(fmt.Sprintf("%s 请%s协助:", v.name(v.c.Requester), v.param("department")),
		fmt.Sprintf("%s asks %s for help:", v.name(v.c.Requester), v.param("department")))
	v.request(&b)
	b.line("请在 "+span.ZH+"内答复:承接 / 无法承接(附原因与替代方案)/ 需补充信息。",
		"Please answer within "+span.EN+": accept / decline (with a reason and an alternative) / needs info.")
	return bot.Text{ZH: "请确认协作需求", EN: "Please acknowledge"}, b.text(), ackButtons(v.c.ID.String(), "")
}

func reviewRejected(v notice) (bot.Text, bot.Text, []action) {
	ref := v.c.ID.String()
	return bot.Text{ZH: "初审未通过", EN: "Sent back in review"},
		bot.Text{ZH: fmt.Sprintf("「%s」初审未通过。\n审核意见:%s\n发送 `修改 %s` 修改,确认后自动重新提交初审。", v.c.Request.Topic, v.param("comments"), ref),
			EN: fmt.Sprintf("“%s” was sent back in review.\nComments: %s\nSend `edit %s` to change it; once you confirm, it goes back to review.", v.c.Request.Topic, v.param("comments"), ref)},
		[]action{{Label: bot.Text{ZH: "修改", EN: "Edit"}, Command: "edit " + ref, Style: "primary"}, {Label: bot.Text{ZH: "原样重新提交", EN: "Resubmit"}, Command: "resubmit " + ref}}
}

// waiting lists the departments that have not answered, with contacts.
func (v notice) waiting() (zh, en string) {
	var z, e []string
	for _, a := range v.c.Acks {
		if a.Status == bot.AckPending || a.Status == bot.AckNeedsInfo {
			z = append(z, a.Department+"("+v.name(a.Contact)+")")
			e = append(e, a.Department+" ("+v.name(a.Contact)+")")
		}
	}
	return strings.Join(z, "、"), strings.Join(e, ", ")
}

func requestSubmitted(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.line(fmt.Sprintf("%s 发起了「%s」,期望 %s 完成。", v.name(v.c.Requester), v.c.Request.Topic, v.stamp(v.c.Request.Due)),
		fmt.Sprintf("%s filed “%s”, wanted by %s.", v.name(v.c.Requester), v.c.Request.Topic, v.stamp(v.c.Request.Due)))
	if zh, en := v.waiting(); zh != "" {
		b.line("等待确认:"+zh+"。", "Waiting for: "+en+".")
	}
	return bot.Text{ZH: "新的协作需求", EN: "New collaboration request"}, b.text(),
		[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + v.c.ID.String()}}
}

func ackAccepted(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.line(v.param("department")+" 已承接「"+v.c.Request.Topic+"」。", v.param("department")+" accepted “"+v.c.Request.Topic+"”.")
	v.answeredBy(&b)
	b.field("承接范围", "Scope", v.param("scope"))
	b.field("资源需求", "Resources needed", v.param("resources"))
	b.field("风险提示", "Risks seen", v.param("risks"))
	if zh, en := v.waiting(); zh != "" {
		b.line("还在等:"+zh+"。", "Still waiting for: "+en+".")
	}
	return bot.Text{ZH: "部门已承接", EN: "Department accepted"}, b.text(), nil
}

func ackDeclined(v notice) (bot.Text, bot.Text, []action) {
	ref, dept := v.c.ID.String(), v.param("department")
	var b body
	b.line(dept+" 无法承接「"+v.c.Request.Topic+"」。", dept+" declined “"+v.c.Request.Topic+"”.")
	v.answeredBy(&b)
	b.field("原因", "Reason", v.param("reason"))
	b.field("替代方案", "Alternative", v.param("alternative"))
	b.line("可以移除该部门(`移除部门 "+ref+" "+dept+"`),或请其他人答复(`对接人 "+ref+" "+dept+" @某人`)。",
		"You can remove the department (`drop "+ref+" "+dept+"`) or have someone else answer (`contact "+ref+" "+dept+" @someone`).")
	return bot.Text{ZH: "部门无法承接", EN: "Department declined"}, b.text(),
		[]action{{Label: bot.Text{ZH: "移除部门 " + dept, EN: "Drop " + dept}, Command: "drop " + ref + " " + dept, Style: "danger"}}
}

func ackNeedsInfo(v notice) (bot.Text, bot.Text, []action) {
	ref, dept := v.c.ID.String(), v.param("department")
	var b body
	b.line(dept+" 需要补充信息才能答复「"+v.c.Request.Topic+"」:", dept+" needs more information to answer “"+v.c.Request.Topic+"”:")
	v.answeredBy(&b)
	b.field("问题", "Question", v.param("question"))
	b.line("答复:`补充 "+ref+" "+dept+" <内容>`。", "Answer with `answer "+ref+" "+dept+" <text>`.")
	return bot.Text{ZH: "部门需补充信息", EN: "Department needs information"}, b.text(), nil
}

// answeredBy names who answered for a department when it was not its
// contact (a head answering for the team), so the contact knows.
func (v notice) answeredBy(b *body) {
	if by := v.param("by"); by == "" || by == v.param("contact") {
		return
	}
	b.field("答复人", "Answered by", v.name(bot.PersonID(v.param("by"))))
}

func infoSupplied(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.line("需求方答复了你对「"+v.c.Request.Topic+"」的问题。", "The requester answered your question about “"+v.c.Request.Topic+"”.")
	b.field("你的问题", "Your question", v.param("question"))
	b.field("答复", "Answer", v.param("answer"))
	span := v.within(v.policy.Acknowledgement.After)
	b.line("请在 "+span.ZH+"内重新确认。", "Please acknowledge within "+span.EN+".")
	return bot.Text{ZH: "已补充信息", EN: "Information supplied"}, b.text(), ackButtons(v.c.ID.String(), v.param("department"))
}

func riskRaisedOnAck(v notice) (bot.Text, bot.Text, []action) {
	span := v.within(v.policy.RiskResponse.After)
	var b body
	b.line(v.param("department")+" 承接时提出了风险,已登记为 "+v.n.Subject+"(影响程度:中),其对接人需在 "+span.ZH+"内响应。",
		v.param("department")+" named a risk on accepting; it is registered as "+v.n.Subject+" (medium severity), and its contact responds within "+span.EN+".")
	b.field("风险", "Risk", v.param("description"))
	return bot.Text{ZH: "承接时提出风险", EN: "Risk named on acceptance"}, b.text(),
		[]action{{Label: bot.Text{ZH: "调整影响程度", EN: "Severity"}, Command: "risk " + v.n.Subject + " severity high"}}
}

func activated(v notice) (bot.Text, bot.Text, []action) {
	return bot.Text{ZH: "协作已启动", EN: "Collaboration active"},
		bot.Text{ZH: fmt.Sprintf("所有部门均已承接「%s」,进入执行阶段。总协调人 %s 分派任务、安排会议。", v.c.Request.Topic, v.name(v.c.Coordinator)),
			EN: fmt.Sprintf("Every department accepted “%s”; work starts. The coordinator, %s, assigns tasks and arranges meetings.", v.c.Request.Topic, v.name(v.c.Coordinator))},
		[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + v.c.ID.String()}}
}

func cancelled(v notice) (bot.Text, bot.Text, []action) {
	return bot.Text{ZH: "协作已撤销", EN: "Collaboration cancelled"},
		bot.Text{ZH: fmt.Sprintf("「%s」已撤销,不再需要任何工作。原因:%s", v.c.Request.Topic, v.param("reason")),
			EN: fmt.Sprintf("“%s” is cancelled; no more work is needed. Reason: %s", v.c.Request.Topic, v.param("reason"))}, nil
}

// task is the task a notice is about, if it still exists.
func (v notice) task() *bot.Task {
	id, err := bot.ParseTaskID(v.n.Subject)
	if err != nil {
		return nil
	}
	t, err := v.c.Task(id)
	if err != nil {
		return nil
	}
	return t
}

func taskAssigned(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.line("你是「"+v.param("title")+"」的直接责任人,截止 "+v.when("due")+"。", "You own “"+v.param("title")+"”, due "+v.when("due")+".")
	if t := v.task(); t != nil {
		b.field("任务描述", "Description", t.Description)
		b.pair("责任部门", "Department", t.Department+" "+t.Role.Label(bot.Chinese), t.Department+" ("+t.Role.Label(bot.English)+")")
		b.field("交付标准", "Acceptance standard", t.Standard)
	}
	at := clockText(v.policy.DailyProgress.At)
	b.line("每个工作日 "+at+" 会请你提交进度;需要改期请 `任务 "+v.n.Subject+" 申请改期 <日期> <原因>`。",
		"You will be asked for progress every business day at "+at+"; to move the date, `task "+v.n.Subject+" ask-due <date> <reason>`.")
	return bot.Text{ZH: "新任务 " + v.n.Subject, EN: "New task " + v.n.Subject}, b.text(),
		[]action{{Label: bot.Text{ZH: "开始", EN: "Start"}, Command: "task " + v.n.Subject + " start", Style: "primary"}}
}

func taskCollaborator(v notice) (bot.Text, bot.Text, []action) {
	owner := ""
	if t := v.task(); t != nil {
		owner = v.name(t.Owner)
	}
	return bot.Text{ZH: "协同任务 " + v.n.Subject, EN: "You collaborate on " + v.n.Subject},
		bot.Text{ZH: fmt.Sprintf("你是「%s」的协同责任人,直接责任人 %s,截止 %s。", v.param("title"), owner, v.when("due")),
			EN: fmt.Sprintf("You collaborate on “%s”, owned by %s, due %s.", v.param("title"), owner, v.when("due"))}, nil
}

func taskHelp(status bot.TaskStatus) func(v notice) (bot.Text, bot.Text, []action) {
	return func(v notice) (bot.Text, bot.Text, []action) {
		owner := ""
		if t := v.task(); t != nil {
			owner = v.name(t.Owner)
		}
		title := bot.Text{ZH: "任务需协助 " + v.n.Subject, EN: "A task needs help: " + v.n.Subject}
		if status == bot.TaskBlocked {
			title = bot.Text{ZH: "任务阻塞 " + v.n.Subject, EN: "A task is blocked: " + v.n.Subject}
		}
		return title,
			bot.Text{ZH: fmt.Sprintf("「%s」(%s)%s:%s", v.param("title"), owner, status.Label(bot.Chinese), v.param("note")),
				EN: fmt.Sprintf("“%s” (%s) %s: %s", v.param("title"), owner, map[bot.TaskStatus]string{bot.TaskNeedsHelp: "needs help", bot.TaskBlocked: "is blocked"}[status], v.param("note"))},
			[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + v.c.ID.String()}}
	}
}

func taskMoved(v notice) (bot.Text, bot.Text, []action) {
	return bot.Text{ZH: "任务计划调整 " + v.n.Subject, EN: "Task rescheduled " + v.n.Subject},
		bot.Text{ZH: fmt.Sprintf("「%s」的截止时间从 %s 改为 %s。原因:%s", v.param("title"), v.when("before"), v.when("due"), v.param("reason")),
			EN: fmt.Sprintf("“%s” moved from %s to %s. Reason: %s", v.param("title"), v.when("before"), v.when("due"), v.param("reason"))}, nil
}

func meetingInvited(v notice) (bot.Text, bot.Text, []action) {
	var b body
	if m := v.meeting(); m != nil {
		b.line(fmt.Sprintf("%s 邀请你参加「%s」的%s:%s,%d 分钟。", v.name(m.Organiser), v.c.Request.Topic, m.Kind.Label(bot.Chinese), v.when("start"), int(m.Duration.Minutes())),
			fmt.Sprintf("%s invites you to a %s about “%s”: %s, %d minutes.", v.name(m.Organiser), m.Kind.Label(bot.English), v.c.Request.Topic, v.when("start"), int(m.Duration.Minutes())))
		b.list("议程", "Agenda", m.Agenda)
		b.list("预阅读材料", "Read before", m.Materials)
		if len(m.Agenda) == 0 {
			before := v.within(v.policy.Agenda.After)
			b.line("议程会在会前 "+before.ZH+"发出。", "The agenda follows "+before.EN+" before.")
		}
	}
	return bot.Text{ZH: "会议邀请 " + v.n.Subject, EN: "Meeting invitation " + v.n.Subject}, b.text(), nil
}

func minutesToConfirm(v notice) (bot.Text, bot.Text, []action) {
	var b body
	if m := v.meeting(); m != nil && m.Minutes != nil {
		b.line(v.name(m.Minutes.By)+" 记录了 "+v.n.Subject+" 的会议纪要,请确认无误:", v.name(m.Minutes.By)+" recorded the minutes of "+v.n.Subject+"; please confirm them:")
		v.minutes(&b, m.Minutes)
		b.line("有出入请直接回复组织者;无误请点“确认无误”或发送 `确认 "+v.n.Subject+"`。",
			"If something is off, tell the organiser; if it is right, click Confirm or send `confirm "+v.n.Subject+"`.")
	}
	return bot.Text{ZH: "请确认会议纪要 " + v.n.Subject, EN: "Please confirm the minutes of " + v.n.Subject}, b.text(),
		[]action{{Label: bot.Text{ZH: "确认无误", EN: "Confirm"}, Command: "confirm " + v.n.Subject, Style: "primary"}}
}

// minutes quotes what the minutes decided and who does what by when.
func (v notice) minutes(b *body, mn *bot.Minutes) {
	b.list("共识结论", "Decisions", mn.Decisions)
	var zh, en []string
	for _, id := range mn.Actions {
		if t, err := v.c.Task(id); err == nil {
			zh = append(zh, fmt.Sprintf("%s %s(%s,截止 %s)", t.ID, t.Title, v.name(t.Owner), v.stamp(t.Due)))
			en = append(en, fmt.Sprintf("%s %s (%s, due %s)", t.ID, t.Title, v.name(t.Owner), v.stamp(t.Due)))
		}
	}
	if len(zh) > 0 {
		b.line("待办事项:", "Action items:")
		for i := range zh {
			b.line("• "+zh[i], "• "+en[i])
		}
	}
	b.list("风险", "Risks", mn.Risks)
}

func meetingCancelled(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.line("「"+v.c.Request.Topic+"」的会议 "+v.n.Subject+" 已取消。", "The meeting "+v.n.Subject+" about “"+v.c.Request.Topic+"” is cancelled.")
	b.field("原因", "Reason", v.param("reason"))
	return bot.Text{ZH: "会议取消 " + v.n.Subject, EN: "Meeting cancelled " + v.n.Subject}, b.text(), nil
}

func progressProblem(v notice) (bot.Text, bot.Text, []action) {
	who := v.name(bot.PersonID(v.param("person")))
	return bot.Text{ZH: "进度中的问题", EN: "A problem in a progress update"},
		bot.Text{ZH: fmt.Sprintf("%s 在今天的进度里报告了问题:%s", who, bot.Truncate(v.param("problems"), maxQuote)),
			EN: fmt.Sprintf("%s reported a problem in today's progress: %s", who, bot.Truncate(v.param("problems"), maxQuote))},
		[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + v.c.ID.String()}}
}

// risk is the register entry a notice is about.
func (v notice) risk() *bot.Risk {
	id, err := bot.ParseRiskID(v.n.Subject)
	if err != nil {
		return nil
	}
	r, err := v.c.Risk(id)
	if err != nil {
		return nil
	}
	return r
}

// riskCard writes a risk as its owner and leadership read it.
func (v notice) riskCard(b *body, r *bot.Risk) {
	b.field("问题描述", "Description", r.Description)
	b.field("影响范围", "Impact", r.Impact)
	b.line("影响程度:"+r.Severity.Label(bot.Chinese), "Severity: "+r.Severity.Label(bot.English))
	b.field("责任部门/责任人", "Department / owner", r.Department+" "+v.name(r.Owner))
	if !r.Due.IsZero() {
		b.field("期望解决时间", "Expected resolution", v.stamp(r.Due))
	}
	b.field("应对措施", "Mitigation", r.Mitigation)
	b.field("提出", "Raised", v.name(r.RaisedBy)+" "+v.stamp(r.RaisedAt))
}

func riskAssigned(v notice) (bot.Text, bot.Text, []action) {
	span := v.within(v.policy.RiskResponse.After)
	var b body
	b.line("你是 "+v.n.Subject+" 的责任人,请在 "+span.ZH+"内响应(解决方案与预计解决时间):",
		"You own "+v.n.Subject+"; please respond within "+span.EN+" (what you will do, and by when):")
	if r := v.risk(); r != nil {
		v.riskCard(&b, r)
	}
	return bot.Text{ZH: "请响应风险 " + v.n.Subject, EN: "Please respond to " + v.n.Subject}, b.text(),
		[]action{{Label: bot.Text{ZH: "响应", EN: "Respond"}, Command: "risk " + v.n.Subject + " respond", Style: "primary"}}
}

func riskEscalated(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.line("「"+v.c.Request.Topic+"」出现高影响风险 "+v.n.Subject+",威胁关键节点(期望完成 "+v.stamp(v.c.Request.Due)+")。",
		"A high-severity risk, "+v.n.Subject+", threatens “"+v.c.Request.Topic+"” (wanted by "+v.stamp(v.c.Request.Due)+").")
	if r := v.risk(); r != nil {
		v.riskCard(&b, r)
		b.line("已通知责任人 "+v.name(r.Owner)+" 与总协调人 "+v.name(v.c.Coordinator)+"。",
			"The owner, "+v.name(r.Owner)+", and the coordinator, "+v.name(v.c.Coordinator)+", have been told.")
	}
	return bot.Text{ZH: "🚨 高影响风险上报 " + v.n.Subject, EN: "🚨 High-severity risk " + v.n.Subject}, b.text(),
		[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + v.c.ID.String()}}
}

func riskResponded(v notice) (bot.Text, bot.Text, []action) {
	var b body
	if r := v.risk(); r != nil {
		by := r.Owner
		if p := v.param("by"); p != "" {
			by = bot.PersonID(p)
		}
		b.line(v.name(by)+" 响应了 "+v.n.Subject+"("+bot.Truncate(r.Description, 60)+"):",
			v.name(by)+" responded to "+v.n.Subject+" ("+bot.Truncate(r.Description, 60)+"):")
		b.field("解决方案", "Response", r.Response)
		if !r.ResponseDue.IsZero() {
			b.field("预计解决时间", "Expected by", v.stamp(r.ResponseDue))
		}
	}
	return bot.Text{ZH: "风险已响应 " + v.n.Subject, EN: "Risk responded " + v.n.Subject}, b.text(), nil
}

func riskResolved(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.line(v.n.Subject+" 已解决。", v.n.Subject+" is resolved.")
	b.field("解决情况", "Resolution", v.param("resolution"))
	return bot.Text{ZH: "风险已解决 " + v.n.Subject, EN: "Risk resolved " + v.n.Subject}, b.text(), nil
}

// delivery is the delivery a notice names ("delivery": its number).
func (v notice) delivery() *bot.Delivery {
	n, err := strconv.Atoi(v.param("delivery"))
	if err != nil || n < 1 || n > len(v.c.Deliveries) {
		if len(v.c.Deliveries) == 0 {
			return nil
		}
		n = len(v.c.Deliveries)
	}
	return &v.c.Deliveries[n-1]
}

func acceptanceButtons(ref string) []action {
	return []action{{Label: bot.Text{ZH: "通过", EN: "Pass"}, Command: "accept " + ref + " pass", Style: "primary"}, {Label: bot.Text{ZH: "不通过", EN: "Fail"}, Command: "accept " + ref + " fail", Style: "danger"}}
}

func acceptanceRequested(v notice) (bot.Text, bot.Text, []action) {
	span := v.within(v.policy.Acceptance.After)
	var b body
	if d := v.delivery(); d != nil {
		b.line(fmt.Sprintf("%s 提交了第 %d 次交付,请在 %s内验收(通过 / 不通过并列出整改项):", v.name(d.By), d.Number, span.ZH),
			fmt.Sprintf("%s submitted delivery %d; please decide within %s (pass / fail with the items to rework):", v.name(d.By), d.Number, span.EN))
		var items []string
		for _, it := range d.Items {
			items = append(items, deliverableLine(it))
		}
		b.list("成果交付清单", "Deliverables", items)
		b.field("成果自检", "Self-check", d.SelfCheck)
		b.field("交付标准", "Acceptance standard", v.c.Request.Standard)
	}
	return bot.Text{ZH: "请验收", EN: "Please accept"}, b.text(), acceptanceButtons(v.c.ID.String())
}

func deliverableLine(d bot.Deliverable) string {
	s := d.Name
	if d.Version != "" {
		s += " " + d.Version
	}
	s += " ×" + strconv.Itoa(d.Quantity)
	if d.Link != "" {
		s += " " + d.Link
	}
	return s
}

func accepted(v notice) (bot.Text, bot.Text, []action) {
	span := v.within(v.policy.Retrospective.After)
	return bot.Text{ZH: "验收通过", EN: "Accepted"},
		bot.Text{ZH: fmt.Sprintf("「%s」验收通过。总协调人 %s 将在 %s内组织复盘。", v.c.Request.Topic, v.name(v.c.Coordinator), span.ZH),
			EN: fmt.Sprintf("“%s” passed acceptance. The coordinator, %s, holds the retrospective within %s.", v.c.Request.Topic, v.name(v.c.Coordinator), span.EN)}, nil
}

func acceptanceFailed(v notice) (bot.Text, bot.Text, []action) {
	ref := v.c.ID.String()
	var b body
	b.line("「"+v.c.Request.Topic+"」验收不通过,请整改后重新提交(`交付 "+ref+"`)。", "“"+v.c.Request.Topic+"” failed acceptance; rework it and deliver again (`deliver "+ref+"`).")
	b.field("验收意见", "Comments", v.param("comments"))
	b.list("整改项", "Rework", strings.Split(v.param("items"), "\n"))
	b.field("整改期限", "Rework due", v.when("due"))
	return bot.Text{ZH: "验收不通过", EN: "Acceptance failed"}, b.text(),
		[]action{{Label: bot.Text{ZH: "重新交付", EN: "Deliver"}, Command: "deliver " + ref, Style: "primary"}}
}

func retrospectiveDue(v notice) (bot.Text, bot.Text, []action) {
	span := v.within(v.policy.Retrospective.After)
	return bot.Text{ZH: "请组织复盘", EN: "Retrospective due"},
		bot.Text{ZH: fmt.Sprintf("「%s」验收通过,请在 %s内完成复盘:协作亮点、待改进点、后续措施。", v.c.Request.Topic, span.ZH),
			EN: fmt.Sprintf("“%s” passed acceptance; please write the retrospective within %s: highlights, improvements, follow-up actions.", v.c.Request.Topic, span.EN)},
		[]action{{Label: bot.Text{ZH: "复盘", EN: "Retro"}, Command: "retro " + v.c.ID.String(), Style: "primary"}}
}

func retrospectiveShared(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.line("「"+v.c.Request.Topic+"」的复盘:", "The retrospective of “"+v.c.Request.Topic+"”:")
	if r := v.c.Retrospective; r != nil {
		b.list("协作亮点", "Highlights", r.Highlights)
		b.list("待改进点", "Improvements", r.Improvements)
		b.list("后续措施", "Follow-up actions", r.Actions)
	}
	return bot.Text{ZH: "复盘已分享", EN: "Retrospective shared"}, b.text(), nil
}

func archived(v notice) (bot.Text, bot.Text, []action) {
	ref := v.c.ID.String()
	return bot.Text{ZH: "协作已归档", EN: "Collaboration archived"},
		bot.Text{ZH: fmt.Sprintf("「%s」已归档,只读。发送 `导出 %s` 获取记录表(也可 `导出 %s csv`)。", v.c.Request.Topic, ref, ref),
			EN: fmt.Sprintf("“%s” is archived and read-only. Send `export %s` for the record (or `export %s csv`).", v.c.Request.Topic, ref, ref)},
		[]action{{Label: bot.Text{ZH: "导出记录表", EN: "Export the record"}, Command: "export " + ref}}
}
