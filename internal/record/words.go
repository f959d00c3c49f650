package record

import (
	"strings"

	"github.com/collabot/collabot/bot"
)

// The Chinese labels are the record sheet's own (跨部门沟通记录表 and the
// forms of process.md), so a filled sheet reads like the paper one people
// already know.
var label = struct {
	Title, None, Generated, Bot                                                             bot.Text
	SecBasic, SecAck, SecMeetings, SecTasks, SecProgress, SecRisks                          bot.Text
	SecDelivery, SecRetro, SecTimeline, DeliveryList, AcceptanceResult                      bot.Text
	ID, Status, Topic, Requesting, Assisting, Coordinator, Goal                             bot.Text
	Requirements, Deliverables, Standard, Due, Scope, Cadence, RiskPlan                     bot.Text
	Review, Approved, Returned, Created, Submitted, Activated                               bot.Text
	Closed                                                                                  bot.Text
	Contact, AckScope, Resources, AckRisks, Reason, Alternative, Question                   bot.Text
	Answer, Answered                                                                        bot.Text
	Meeting, Organiser, Attendees, Agenda, Materials, Minutes, Decisions                    bot.Text
	Actions, MinutesRisks, Unconfirmed, MinutesNone, MinutesPending                         bot.Text
	MinutesConfirmed, Cancelled, MinutesUnit                                                bot.Text
	TaskTitle, Description, Department, Role, Owner, Collaborators                          bot.Text
	Start, TaskDue, TaskStatus, ShownStatus, Note, Source, Parent                           bot.Text
	LinkedRisks, DoneAt                                                                     bot.Text
	Done, NotDone, Problems, Changes                                                        bot.Text
	RiskDescription, Severity, Impact, RiskOwner, Mitigation, ExpectedBy, RaisedBy          bot.Text
	Response, ResponseDue, Resolution, LinkedTasks                                          bot.Text
	DeliveryN, Quantity, SelfCheck, By                                                      bot.Text
	Verdict, Accepter, AcceptComments, Items, ItemsDue, Highlights, Improvements, FollowUps bot.Text
	Acks, Tasks, OpenRisks, Field, Value, Section, Item, Duration, MeetingTime              bot.Text
}{
	Title:     bot.Text{ZH: "跨部门沟通记录表", EN: "Cross-department collaboration record"},
	None:      bot.Text{ZH: "(无)", EN: "(none)"},
	Generated: bot.Text{ZH: "导出时间", EN: "Exported"},
	Bot:       bot.Text{ZH: "collabot", EN: "collabot"},

	SecBasic:         bot.Text{ZH: "一、基本信息(5W1H 需求)", EN: "1. Basic information (5W1H request)"},
	SecAck:           bot.Text{ZH: "二、对接确认", EN: "2. Acknowledgements"},
	SecMeetings:      bot.Text{ZH: "三、会议与纪要(会议共识/待办事项)", EN: "3. Meetings and minutes"},
	SecTasks:         bot.Text{ZH: "四、任务分工(WBS)", EN: "4. Tasks (WBS)"},
	SecProgress:      bot.Text{ZH: "五、进度更新", EN: "5. Progress"},
	SecRisks:         bot.Text{ZH: "六、问题与风险(风险应对记录表)", EN: "6. Issues and risks"},
	SecDelivery:      bot.Text{ZH: "七、成果交付与验收", EN: "7. Delivery and acceptance"},
	SecRetro:         bot.Text{ZH: "八、复盘总结", EN: "8. Retrospective"},
	SecTimeline:      bot.Text{ZH: "九、操作记录", EN: "9. Activity log"},
	DeliveryList:     bot.Text{ZH: "成果交付清单", EN: "Deliverables"},
	AcceptanceResult: bot.Text{ZH: "成果验收结果", EN: "Acceptance"},

	ID:           bot.Text{ZH: "协作编号", EN: "Collaboration"},
	Status:       bot.Text{ZH: "状态", EN: "Status"},
	Topic:        bot.Text{ZH: "协作主题", EN: "Topic"},
	Requesting:   bot.Text{ZH: "需求发起部门/对接人", EN: "Requesting department / contact"},
	Assisting:    bot.Text{ZH: "需协助部门/对接人", EN: "Assisting departments / contacts"},
	Coordinator:  bot.Text{ZH: "总协调人", EN: "Coordinator"},
	Goal:         bot.Text{ZH: "协作背景与目标", EN: "Background and goal"},
	Requirements: bot.Text{ZH: "具体需求描述", EN: "Requirements"},
	Deliverables: bot.Text{ZH: "交付物", EN: "Deliverables"},
	Standard:     bot.Text{ZH: "交付标准", EN: "Acceptance standard"},
	Due:          bot.Text{ZH: "期望完成时间", EN: "Expected completion"},
	Scope:        bot.Text{ZH: "涉及场景/系统", EN: "Scenarios / systems"},
	Cadence:      bot.Text{ZH: "协同方式与频次", EN: "Collaboration mode and cadence"},
	RiskPlan:     bot.Text{ZH: "风险提示与应对预案", EN: "Risks and mitigations"},
	Review:       bot.Text{ZH: "需求初审", EN: "First review"},
	Approved:     bot.Text{ZH: "通过", EN: "approved"},
	Returned:     bot.Text{ZH: "退回", EN: "returned"},
	Created:      bot.Text{ZH: "起草时间", EN: "Drafted"},
	Submitted:    bot.Text{ZH: "提交时间", EN: "Submitted"},
	Activated:    bot.Text{ZH: "启动时间", EN: "Active since"},
	Closed:       bot.Text{ZH: "关闭时间", EN: "Closed"},

	Contact:     bot.Text{ZH: "对接人", EN: "Contact"},
	AckScope:    bot.Text{ZH: "承接范围", EN: "Scope"},
	Resources:   bot.Text{ZH: "资源需求", EN: "Resources"},
	AckRisks:    bot.Text{ZH: "风险提示", EN: "Risks"},
	Reason:      bot.Text{ZH: "原因", EN: "Reason"},
	Alternative: bot.Text{ZH: "替代方案", EN: "Alternative"},
	Question:    bot.Text{ZH: "需补充的信息", EN: "Question"},
	Answer:      bot.Text{ZH: "补充信息", EN: "Answer"},
	Answered:    bot.Text{ZH: "答复时间", EN: "Answered"},

	Meeting:          bot.Text{ZH: "会议", EN: "Meeting"},
	Organiser:        bot.Text{ZH: "组织者", EN: "Organiser"},
	Attendees:        bot.Text{ZH: "参会人", EN: "Attendees"},
	Agenda:           bot.Text{ZH: "议程", EN: "Agenda"},
	Materials:        bot.Text{ZH: "预阅读材料", EN: "Pre-reading"},
	Minutes:          bot.Text{ZH: "会议纪要", EN: "Minutes"},
	Decisions:        bot.Text{ZH: "共识结论", EN: "Decisions"},
	Actions:          bot.Text{ZH: "待办事项", EN: "Action items"},
	MinutesRisks:     bot.Text{ZH: "风险", EN: "Risks"},
	Unconfirmed:      bot.Text{ZH: "未确认", EN: "Not confirmed by"},
	MinutesNone:      bot.Text{ZH: "未记录", EN: "not recorded"},
	MinutesPending:   bot.Text{ZH: "待确认", EN: "awaiting confirmation"},
	MinutesConfirmed: bot.Text{ZH: "已确认无误", EN: "confirmed by all"},
	Cancelled:        bot.Text{ZH: "已取消", EN: "cancelled"},
	MinutesUnit:      bot.Text{ZH: "分钟", EN: "min"},

	TaskTitle:     bot.Text{ZH: "任务名称", EN: "Title"},
	Description:   bot.Text{ZH: "任务描述", EN: "Description"},
	Department:    bot.Text{ZH: "责任部门", EN: "Department"},
	Role:          bot.Text{ZH: "主责/配合", EN: "Role"},
	Owner:         bot.Text{ZH: "直接责任人", EN: "Owner"},
	Collaborators: bot.Text{ZH: "协同责任人", EN: "Collaborators"},
	Start:         bot.Text{ZH: "开始时间", EN: "Start"},
	TaskDue:       bot.Text{ZH: "截止时间", EN: "Due"},
	TaskStatus:    bot.Text{ZH: "任务状态", EN: "Status"},
	ShownStatus:   bot.Text{ZH: "看板状态", EN: "Board status"},
	Note:          bot.Text{ZH: "说明", EN: "Note"},
	Source:        bot.Text{ZH: "来源", EN: "From"},
	Parent:        bot.Text{ZH: "上级任务", EN: "Parent"},
	LinkedRisks:   bot.Text{ZH: "关联问题", EN: "Issues"},
	DoneAt:        bot.Text{ZH: "完成时间", EN: "Done at"},

	Done:     bot.Text{ZH: "已完成", EN: "Done"},
	NotDone:  bot.Text{ZH: "未完成", EN: "Not done"},
	Problems: bot.Text{ZH: "遇到的问题", EN: "Problems"},
	Changes:  bot.Text{ZH: "任务状态", EN: "Task status"},

	RiskDescription: bot.Text{ZH: "问题描述", EN: "Description"},
	Severity:        bot.Text{ZH: "影响程度", EN: "Severity"},
	Impact:          bot.Text{ZH: "影响范围", EN: "Impact"},
	RiskOwner:       bot.Text{ZH: "责任人", EN: "Owner"},
	Mitigation:      bot.Text{ZH: "应对措施", EN: "Mitigation"},
	ExpectedBy:      bot.Text{ZH: "期望解决时间", EN: "Resolve by"},
	RaisedBy:        bot.Text{ZH: "提出人", EN: "Raised by"},
	Response:        bot.Text{ZH: "解决方案", EN: "Response"},
	ResponseDue:     bot.Text{ZH: "预计解决时间", EN: "Expected resolution"},
	Resolution:      bot.Text{ZH: "解决情况", EN: "Resolution"},
	LinkedTasks:     bot.Text{ZH: "关联任务", EN: "Tasks moved"},

	DeliveryN: bot.Text{ZH: "第 %d 次交付", EN: "Delivery %d"},
	Quantity:  bot.Text{ZH: "数量", EN: "Quantity"},
	SelfCheck: bot.Text{ZH: "成果自检", EN: "Self-check"},
	By:        bot.Text{ZH: "提交人", EN: "By"},

	Verdict:        bot.Text{ZH: "验收结果", EN: "Verdict"},
	Accepter:       bot.Text{ZH: "验收人", EN: "accepted by"},
	AcceptComments: bot.Text{ZH: "验收意见", EN: "Comments"},
	Items:          bot.Text{ZH: "整改项", EN: "Rework items"},
	ItemsDue:       bot.Text{ZH: "整改期限", EN: "Rework due"},
	Highlights:     bot.Text{ZH: "协作亮点", EN: "Highlights"},
	Improvements:   bot.Text{ZH: "待改进点", EN: "Improvements"},
	FollowUps:      bot.Text{ZH: "后续措施", EN: "Follow-up actions"},

	Acks:        bot.Text{ZH: "对接确认", EN: "Acknowledgements"},
	Tasks:       bot.Text{ZH: "任务", EN: "Tasks"},
	OpenRisks:   bot.Text{ZH: "未解决风险", EN: "Open risks"},
	Field:       bot.Text{ZH: "字段", EN: "Field"},
	Value:       bot.Text{ZH: "内容", EN: "Value"},
	Section:     bot.Text{ZH: "分区", EN: "Section"},
	Item:        bot.Text{ZH: "编号", EN: "Item"},
	Duration:    bot.Text{ZH: "时长(分钟)", EN: "Duration (min)"},
	MeetingTime: bot.Text{ZH: "会议时间", EN: "Start"},
}

// actions names the timeline's verbs (操作留痕) for people. A verb added
// later shows as itself until it is named here.
var actions = map[string]bot.Text{
	"drafted":                  {ZH: "起草需求", EN: "drafted the request"},
	"edited":                   {ZH: "修改需求", EN: "edited the request"},
	"submitted_for_review":     {ZH: "提交初审", EN: "submitted for first review"},
	"review_approved":          {ZH: "初审通过", EN: "approved the request"},
	"review_rejected":          {ZH: "初审退回", EN: "returned the request"},
	"submitted":                {ZH: "提交各部门确认", EN: "sent the request to the departments"},
	"ack_accepted":             {ZH: "确认承接", EN: "accepted"},
	"ack_declined":             {ZH: "无法承接", EN: "declined"},
	"ack_needs_info":           {ZH: "要求补充信息", EN: "asked for more information"},
	"info_supplied":            {ZH: "补充信息", EN: "answered the question"},
	"department_dropped":       {ZH: "移除部门", EN: "removed the department"},
	"activated":                {ZH: "协作启动(各部门均已承接)", EN: "became active: every department accepted"},
	"task_added":               {ZH: "分派任务", EN: "assigned a task"},
	"task_todo":                {ZH: "任务改为待执行", EN: "task set to to do"},
	"task_in_progress":         {ZH: "任务进行中", EN: "task in progress"},
	"task_needs_help":          {ZH: "任务需协助", EN: "task needs help"},
	"task_blocked":             {ZH: "任务阻塞", EN: "task blocked"},
	"task_done":                {ZH: "任务已完成", EN: "task done"},
	"task_moved":               {ZH: "调整计划", EN: "moved the due date"},
	"meeting_scheduled":        {ZH: "安排会议", EN: "scheduled a meeting"},
	"agenda_set":               {ZH: "发布议程", EN: "set the agenda"},
	"minutes_recorded":         {ZH: "记录纪要", EN: "recorded the minutes"},
	"minutes_confirmed":        {ZH: "确认纪要", EN: "confirmed the minutes"},
	"minutes_confirmed_by_all": {ZH: "纪要已全员确认", EN: "minutes confirmed by every attendee"},
	"meeting_cancelled":        {ZH: "取消会议", EN: "cancelled the meeting"},
	"progress_posted":          {ZH: "提交进度", EN: "posted progress"},
	"risk_raised":              {ZH: "登记风险", EN: "raised a risk"},
	"risk_escalated":           {ZH: "上报分管领导", EN: "escalated to leadership"},
	"risk_responded":           {ZH: "响应风险", EN: "responded to the risk"},
	"risk_resolved":            {ZH: "风险已解决", EN: "resolved the risk"},
	"delivered":                {ZH: "提交交付", EN: "submitted deliverables"},
	"acceptance_pass":          {ZH: "验收通过", EN: "accepted the delivery"},
	"acceptance_fail":          {ZH: "验收不通过", EN: "rejected the delivery"},
	"retrospective":            {ZH: "提交复盘", EN: "submitted the retrospective"},
	"archived":                 {ZH: "归档", EN: "archived"},
	"cancelled":                {ZH: "取消协作", EN: "cancelled the collaboration"},
	"request_edited":           {ZH: "修改需求", EN: "edited the request"},
	"contact_changed":          {ZH: "更换对接人", EN: "changed the contact"},
	"coordinator_changed":      {ZH: "更换总协调人", EN: "changed the coordinator"},
	"task_reassigned":          {ZH: "转交任务", EN: "reassigned a task"},
	"task_revised":             {ZH: "调整任务", EN: "revised a task"},
	"task_cancelled":           {ZH: "取消任务", EN: "cancelled a task"},
	"due_change_requested":     {ZH: "申请调整计划", EN: "asked to move a date"},
	"due_change_refused":       {ZH: "未同意调整计划", EN: "refused to move a date"},
	"meeting_rescheduled":      {ZH: "会议改期", EN: "rescheduled a meeting"},
	"attendees_added":          {ZH: "邀请参会人", EN: "invited attendees"},
	"risk_severity_changed":    {ZH: "调整影响程度", EN: "changed the severity"},
	"risk_linked":              {ZH: "关联任务", EN: "linked tasks"},
	"reminder_sent":            {ZH: "发送提醒", EN: "sent a reminder"},
	"reminder_missed":          {ZH: "提醒因停机未发送", EN: "missed a reminder (bot down)"},
	"reminder_suppressed":      {ZH: "提醒因请假未发送", EN: "held a reminder (on leave)"},
	"reminder_snoozed":         {ZH: "提醒因免打扰暂缓", EN: "held a reminder (snoozed)"},
	"leave_declared":           {ZH: "登记请假", EN: "declared leave"},
}

// reminders names the scheduler's timers, as the timeline sums them up.
var reminders = map[string]bot.Text{
	"ack_reminder": {ZH: "对接确认提醒", EN: "Acknowledgement reminders"}, "ack_escalation": {ZH: "对接确认超时上报", EN: "Acknowledgement escalations"},
	"agenda": {ZH: "会议议程", EN: "Agendas"}, "agenda_missing": {ZH: "补充议程提醒", EN: "Agenda reminders"},
	"minutes_reminder": {ZH: "会议纪要提醒", EN: "Minutes reminders"}, "minutes_escalation": {ZH: "会议纪要上报", EN: "Minutes escalations"},
	"minutes_confirmation": {ZH: "纪要确认提醒", EN: "Minutes confirmation reminders"},
	"daily_progress":       {ZH: "每日进度提醒", EN: "Daily progress requests"}, "progress_summary": {ZH: "每日进度汇总", EN: "Daily progress summaries"},
	"task_due": {ZH: "任务到期提醒", EN: "Task due reminders"}, "task_overdue": {ZH: "任务逾期提醒", EN: "Overdue task reminders"},
	"task_escalation": {ZH: "任务逾期上报", EN: "Overdue task escalations"}, "risk_reminder": {ZH: "风险响应提醒", EN: "Risk response reminders"},
	"acceptance_reminder": {ZH: "验收提醒", EN: "Acceptance reminders"}, "acceptance_escalation": {ZH: "验收超时上报", EN: "Acceptance escalations"},
	"retro_reminder": {ZH: "复盘提醒", EN: "Retrospective reminders"}, "weekly_summary": {ZH: "每周进度", EN: "Weekly boards"},
	"calendar_missing": {ZH: "节假日日历提醒", EN: "Holiday calendar notices"},
}

func reminderLabel(kind string, lang bot.Lang) string {
	if t, ok := reminders[kind]; ok {
		return t.In(lang)
	}
	return kind
}

// outcomeLabel says what became of reminders: sent, held, skipped.
func outcomeLabel(outcome string, lang bot.Lang) string {
	return map[string]bot.Text{
		"sent":       {ZH: "已发送", EN: "sent"},
		"missed":     {ZH: "因停机未发送", EN: "missed while the bot was down"},
		"suppressed": {ZH: "因请假未发送", EN: "not sent (on leave)"},
		"snoozed":    {ZH: "因免打扰暂缓", EN: "held (snoozed)"},
	}[outcome].In(lang)
}

func actionLabel(action string, lang bot.Lang) string {
	if t, ok := actions[action]; ok {
		return t.In(lang)
	}
	return strings.ReplaceAll(action, "_", " ")
}

// Status words as people read them; a JSON sheet holds the contract words.
func collabLabel(s string, lang bot.Lang) string   { return bot.CollabStatus(s).Label(lang) }
func ackLabel(s string, lang bot.Lang) string      { return bot.AckStatus(s).Label(lang) }
func taskLabel(s string, lang bot.Lang) string     { return bot.TaskStatus(s).Label(lang) }
func riskLabel(s string, lang bot.Lang) string     { return bot.RiskStatus(s).Label(lang) }
func severityLabel(s string, lang bot.Lang) string { return bot.Severity(s).Label(lang) }
func verdictLabel(s string, lang bot.Lang) string  { return bot.Verdict(s).Label(lang) }
func roleLabel(s string, lang bot.Lang) string     { return bot.DeptRole(s).Label(lang) }
func kindLabel(s string, lang bot.Lang) string     { return bot.MeetingKind(s).Label(lang) }

// TaskEmoji is the board's colour for what a task shows.
func TaskEmoji(shown bot.TaskStatus) string {
	switch shown {
	case bot.TaskOverdue:
		return "🔴"
	case bot.TaskNeedsHelp, bot.TaskBlocked:
		return "🟡"
	case bot.TaskDone:
		return "✅"
	case bot.TaskCancelled:
		return "⚪"
	}
	return "🟢"
}

func ackEmoji(s bot.AckStatus) string {
	switch s {
	case bot.AckAccepted:
		return "✅"
	case bot.AckDeclined:
		return "❌"
	case bot.AckNeedsInfo:
		return "❓"
	}
	return "⏳"
}

// sep joins list items the way each language writes a list.
func sep(lang bot.Lang) string {
	if lang == bot.English {
		return ", "
	}
	return "、"
}

// paren adds a remark in the language's own brackets.
func paren(s string, lang bot.Lang) string {
	if lang == bot.English {
		return " (" + s + ")"
	}
	return "(" + s + ")"
}

// colon follows a label.
func colon(lang bot.Lang) string {
	if lang == bot.English {
		return ": "
	}
	return ":"
}

const stamp = "2006-01-02 15:04"
