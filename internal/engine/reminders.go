package engine

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// The words of the scheduler's reminders and escalations. Each says what
// is late, since when, and offers the command that settles it.

// standalone kinds are about a person, not one collaboration: no
// "COL-n ·" before their title.
var standalone = map[string]bool{"daily_progress": true, "calendar_missing": true}

func init() { maps.Copy(notices, reminderNotices) }

var reminderNotices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"ack_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		ref := v.c.ID.String()
		return bot.Text{ZH: "⏰ 对接确认已到期", EN: "⏰ Acknowledgement due"},
			bot.Text{ZH: fmt.Sprintf("%s 对「%s」的对接确认已于 %s 到期。请答复:承接 / 无法承接 / 需补充信息。", v.param("department"), v.c.Request.Topic, v.when("deadline")),
				EN: fmt.Sprintf("%s's acknowledgement of “%s” was due %s. Please answer: accept / decline / needs info.", v.param("department"), v.c.Request.Topic, v.when("deadline"))},
			[]action{
				{Label: bot.Text{ZH: "承接", EN: "Accept"}, Command: "ack " + ref + " " + v.param("department") + " accept", Style: "primary"},
				{Label: bot.Text{ZH: "无法承接", EN: "Decline"}, Command: "ack " + ref + " " + v.param("department") + " decline", Style: "danger"},
				{Label: bot.Text{ZH: "需补充信息", EN: "Need info"}, Command: "ack " + ref + " " + v.param("department") + " info"},
			}
	},
	"ack_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		dept, ref := v.param("department"), v.c.ID.String()
		contact := v.name(bot.PersonID(v.param("contact")))
		asked := ""
		if a, ok := v.c.Ack(dept); ok {
			asked = v.stamp(a.AskedAt)
		}
		return bot.Text{ZH: "🔺 对接确认超时", EN: "🔺 Acknowledgement overdue"},
			bot.Text{ZH: fmt.Sprintf("%s 仍未确认「%s」:对接人 %s 于 %s 收到请求,截止 %s,到期时已提醒。请督促,或请他人答复(`对接人 %s %s @某人`)。", dept, v.c.Request.Topic, contact, asked, v.when("deadline"), ref, dept),
				EN: fmt.Sprintf("%s has still not acknowledged “%s”: its contact %s was asked on %s, due %s, and reminded then. Please follow up, or have someone else answer (`contact %s %s @someone`).", dept, v.c.Request.Topic, contact, asked, v.when("deadline"), ref, dept)},
			[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + ref}}
	},
	"agenda": func(v notice) (bot.Text, bot.Text, []action) {
		m := v.meeting()
		var agenda, materials string
		if m != nil {
			agenda, materials = bullets(m.Agenda), bullets(m.Materials)
		}
		zh, en := fmt.Sprintf("会议 %s 于 %s 召开。\n**议程**\n%s", v.n.Subject, v.when("start"), agenda), fmt.Sprintf("Meeting %s starts %s.\n**Agenda**\n%s", v.n.Subject, v.when("start"), agenda)
		if materials != "" {
			zh, en = zh+"\n**预阅读材料**\n"+materials, en+"\n**Read before**\n"+materials
		}
		return bot.Text{ZH: "📋 会议议程 " + v.n.Subject, EN: "📋 Agenda of " + v.n.Subject}, bot.Text{ZH: zh, EN: en}, nil
	},
	"agenda_missing": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "请补充议程 " + v.n.Subject, EN: "Agenda needed for " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("会议 %s 将于 %s 召开,还没有议程。请在会前 %s发出议程与预阅读材料。", v.n.Subject, v.when("start"), v.within(v.policy.Agenda.After).ZH),
				EN: fmt.Sprintf("Meeting %s starts %s and has no agenda yet. Please send the agenda and reading %s ahead.", v.n.Subject, v.when("start"), v.within(v.policy.Agenda.After).EN)},
			[]action{{Label: bot.Text{ZH: "填写议程", EN: "Agenda"}, Command: "meeting " + v.n.Subject + " agenda", Style: "primary"}}
	},
	"minutes_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "⏰ 请提交会议纪要 " + v.n.Subject, EN: "⏰ Minutes due for " + v.n.Subject},
			bot.Text{ZH: "会议已结束 " + v.within(v.policy.Minutes.After).ZH + ",请提交纪要:共识结论、待办事项(责任人、截止时间)、风险。",
				EN: "The meeting ended " + v.within(v.policy.Minutes.After).EN + " ago. Please record the minutes: decisions, action items (owner, due date) and risks."},
			[]action{{Label: bot.Text{ZH: "填写纪要", EN: "Minutes"}, Command: "meeting " + v.n.Subject + " minutes", Style: "primary"}}
	},
	"minutes_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "🔺 会议纪要未提交 " + v.n.Subject, EN: "🔺 Minutes missing for " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("%s 开始的会议 %s 仍没有纪要,待办事项还没有变成任务;组织者 %s 已被提醒。", v.when("start"), v.n.Subject, v.organiser()),
				EN: fmt.Sprintf("Meeting %s (%s) still has no minutes, so its action items are not tasks yet; the organiser, %s, was reminded.", v.n.Subject, v.when("start"), v.organiser())}, nil
	},
	"minutes_confirmation": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		b.line(bot.Text{ZH: "会议纪要已发出 " + v.within(v.policy.MinutesConfirmation.After).ZH + ",你还没有确认。纪要要点:",
			EN: "The minutes went out " + v.within(v.policy.MinutesConfirmation.After).EN + " ago and you have not confirmed them. What they say:"})
		if m := v.meeting(); m != nil && m.Minutes != nil {
			v.minutes(&b, m.Minutes)
		}
		b.line(bot.Text{ZH: "有出入请直接回复组织者;无误请点“确认无误”。", EN: "If something is off, tell the organiser; if it is right, click Confirm."})
		return bot.Text{ZH: "请确认会议纪要 " + v.n.Subject, EN: "Please confirm the minutes of " + v.n.Subject}, b.text(),
			[]action{{Label: bot.Text{ZH: "确认无误", EN: "Confirm"}, Command: "confirm " + v.n.Subject, Style: "primary"}}
	},
	"daily_progress":   dailyProgress,
	"progress_summary": progressSummary,
	"task_due": func(v notice) (bot.Text, bot.Text, []action) {
		ref := v.n.Subject
		return bot.Text{ZH: "⏰ 任务到期 " + ref, EN: "⏰ Task due " + ref},
			bot.Text{ZH: fmt.Sprintf("「%s」截止时间 %s 已到,当前状态:%s。完成了请标记完成,需要协助请说明;需要改期请 `任务 %s 申请改期 <日期> <原因>`。", v.param("title"), v.when("due"), bot.TaskStatus(v.param("status")).Label(bot.Chinese), ref),
				EN: fmt.Sprintf("“%s” was due %s (status: %s). Mark it done, or say what help you need; to move the date, `task %s ask-due <date> <reason>`.", v.param("title"), v.when("due"), bot.TaskStatus(v.param("status")).Label(bot.English), ref)},
			taskButtons(ref)
	},
	"task_overdue": func(v notice) (bot.Text, bot.Text, []action) {
		ref := v.n.Subject
		move := bot.Text{ZH: "申请调整计划:`任务 " + ref + " 申请改期 <日期> <原因>`", EN: "ask to move the date: `task " + ref + " ask-due <date> <reason>`"}
		if v.n.To == v.c.Coordinator {
			move = bot.Text{ZH: "调整计划:`任务 " + ref + " 改期 <日期> <原因>`", EN: "move the date: `task " + ref + " due <date> <reason>`"}
		}
		return bot.Text{ZH: "🔴 任务逾期 " + ref, EN: "🔴 Task overdue " + ref},
			bot.Text{ZH: fmt.Sprintf("「%s」已逾期 %s(截止 %s)。请完成、说明阻塞,或%s。", v.param("title"), v.days().ZH, v.when("due"), move.ZH),
				EN: fmt.Sprintf("“%s” is %s overdue (due %s). Finish it, report what blocks it, or %s.", v.param("title"), v.days().EN, v.when("due"), move.EN)},
			taskButtons(ref)
	},
	"task_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "🔺 任务逾期上报 " + v.n.Subject, EN: "🔺 Overdue task escalated: " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("%s 的任务「%s」已逾期超过 %s(截止 %s);责任人与总协调人到期时已被提醒。请协调资源,或调整计划(`任务 %s 改期 <日期> <原因>`)。", v.name(bot.PersonID(v.param("owner"))), v.param("title"), v.within(v.policy.TaskDue.EscalateAfter).ZH, v.when("due"), v.n.Subject),
				EN: fmt.Sprintf("%s's task “%s” is more than %s overdue (due %s); the owner and the coordinator were reminded when it fell due. Please find resources or replan (`task %s due <date> <reason>`).", v.name(bot.PersonID(v.param("owner"))), v.param("title"), v.within(v.policy.TaskDue.EscalateAfter).EN, v.when("due"), v.n.Subject)},
			[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + v.c.ID.String()}}
	},
	"risk_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "⏰ 风险待响应 " + v.n.Subject, EN: "⏰ Risk awaiting response " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("%s 提出已 %s仍未响应(影响程度:%s,责任人 %s):%s", v.n.Subject, v.within(v.policy.RiskResponse.After).ZH, bot.Severity(v.param("severity")).Label(bot.Chinese), v.name(bot.PersonID(v.param("owner"))), bot.Truncate(v.param("description"), maxQuote)),
				EN: fmt.Sprintf("%s has had no response for %s (severity %s; owner %s): %s", v.n.Subject, v.within(v.policy.RiskResponse.After).EN, bot.Severity(v.param("severity")).Label(bot.English), v.name(bot.PersonID(v.param("owner"))), bot.Truncate(v.param("description"), maxQuote))},
			[]action{{Label: bot.Text{ZH: "响应", EN: "Respond"}, Command: "risk " + v.n.Subject + " respond", Style: "primary"}}
	},
	"acceptance_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		buttons := acceptanceButtons(v.c.ID.String())
		return bot.Text{ZH: "⏰ 验收已到期", EN: "⏰ Acceptance due"},
			bot.Text{ZH: fmt.Sprintf("第 %s 次交付已等待验收 %s(截止 %s)。请给出通过或不通过(附整改项)。", v.param("delivery"), v.within(v.policy.Acceptance.After).ZH, v.when("deadline")),
				EN: fmt.Sprintf("Delivery %s has waited %s for your decision (due %s). Please pass it, or fail it with the items to rework.", v.param("delivery"), v.within(v.policy.Acceptance.After).EN, v.when("deadline"))}, buttons
	},
	"acceptance_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "🔺 验收超时", EN: "🔺 Acceptance overdue"},
			bot.Text{ZH: fmt.Sprintf("%s 还没有验收第 %s 次交付(截止 %s,到期时已提醒)。", v.name(v.c.Requester), v.param("delivery"), v.when("deadline")),
				EN: fmt.Sprintf("%s has not decided on delivery %s yet (due %s; reminded then).", v.name(v.c.Requester), v.param("delivery"), v.when("deadline"))}, acceptanceButtons(v.c.ID.String())
	},
	"retro_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "⏰ 请完成复盘", EN: "⏰ Retrospective due"},
			bot.Text{ZH: fmt.Sprintf("「%s」验收通过已 %s(截止 %s),请组织复盘:协作亮点、待改进点、改进措施。", v.c.Request.Topic, v.within(v.policy.Retrospective.After).ZH, v.when("deadline")),
				EN: fmt.Sprintf("“%s” passed acceptance %s ago (due %s). Please write the retrospective: highlights, improvements, actions.", v.c.Request.Topic, v.within(v.policy.Retrospective.After).EN, v.when("deadline"))},
			[]action{{Label: bot.Text{ZH: "复盘", EN: "Retro"}, Command: "retro " + v.c.ID.String(), Style: "primary"}}
	},
	"weekly_summary": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "📊 每周进度", EN: "📊 Weekly progress"},
			bot.Text{ZH: v.board(bot.Chinese), EN: v.board(bot.English)}, nil
	},
	"calendar_missing": func(v notice) (bot.Text, bot.Text, []action) {
		y := v.param("year")
		return bot.Text{ZH: "📅 节假日日历缺少 " + y + " 年", EN: "📅 No holiday calendar for " + y},
			bot.Text{ZH: fmt.Sprintf("collabot 还没有 %s 年的法定节假日与调休安排:这些日子会被当作工作日来计算截止时间和提醒。请联系管理员添加 %s 年的日历文件(configs/calendars/)。", y, y),
				EN: fmt.Sprintf("collabot has no public holidays or make-up working days for %s yet: deadlines and reminders would count those days as working days. Please ask an administrator to add the %s calendar file (configs/calendars/).", y, y)}, nil
	},
	"leave_declared": func(v notice) (bot.Text, bot.Text, []action) {
		who := v.name(bot.PersonID(v.param("person")))
		return bot.Text{ZH: "请假通知", EN: "Leave"},
			bot.Text{ZH: fmt.Sprintf("%s 请假 %s 至 %s,期间不会收到提醒。TA 在本协作中的未完成任务:%s", who, v.param("from"), v.param("to"), v.param("tasks")),
				EN: fmt.Sprintf("%s is on leave from %s to %s and gets no reminders then. Their open tasks here: %s", who, v.param("from"), v.param("to"), v.param("tasks"))},
			[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + v.c.ID.String()}}
	},
}

func taskButtons(ref string) []action {
	return []action{
		{Label: bot.Text{ZH: "完成", EN: "Done"}, Command: "task " + ref + " done", Style: "primary"},
		{Label: bot.Text{ZH: "需协助", EN: "Need help"}, Command: "task " + ref + " help"},
		{Label: bot.Text{ZH: "阻塞", EN: "Blocked"}, Command: "task " + ref + " block", Style: "danger"},
	}
}

// days is the "days" parameter as business days.
func (v notice) days() bot.Text {
	n, _ := strconv.Atoi(v.param("days"))
	return spanText(calendar.Span{N: n, Unit: calendar.BusinessDays})
}

// organiser names the organiser of the meeting a notice is about.
func (v notice) organiser() string {
	if m := v.meeting(); m != nil {
		return v.name(m.Organiser)
	}
	return ""
}

func (v notice) meeting() *bot.Meeting {
	id, err := bot.ParseRef(bot.KindMeeting, v.n.Subject)
	if err != nil {
		return nil
	}
	m, err := v.c.Meeting(bot.MeetingID(id))
	if err != nil {
		return nil
	}
	return m
}

func bullets(items []string) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("• " + it + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// dailyProgress lists the person's open tasks, by collaboration, with a
// button to post progress on each.
func dailyProgress(v notice) (bot.Text, bot.Text, []action) {
	var zh, en strings.Builder
	zh.WriteString("今天还没有提交进度。你的未完成任务:\n")
	en.WriteString("You have not posted today's progress. Your open tasks:\n")
	var buttons []action
	for _, line := range strings.Split(v.param("tasks"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			continue
		}
		collab, task, title, status := f[0], f[1], f[2], bot.TaskStatus(f[3])
		due := ""
		if t, err := time.Parse(time.RFC3339, f[4]); err == nil {
			due = v.date(t)
		}
		fmt.Fprintf(&zh, "• %s %s「%s」%s,截止 %s\n", collab, task, title, status.Label(bot.Chinese), due)
		fmt.Fprintf(&en, "• %s %s “%s” %s, due %s\n", collab, task, title, status.Label(bot.English), due)
		if len(buttons) < 5 && !slices.ContainsFunc(buttons, func(b action) bool { return b.Command == "update "+collab }) {
			buttons = append(buttons, action{Label: bot.Text{ZH: "提交进度 " + collab, EN: "Post " + collab}, Command: "update " + collab, Style: "primary"})
		}
	}
	zh.WriteString("请说明:已完成、未完成、遇到的问题、任务状态。")
	en.WriteString("Please say what is done, what is not, any problems, and your tasks' status.")
	return bot.Text{ZH: "📝 今日进度 " + v.param("day"), EN: "📝 Today's progress " + v.param("day")},
		bot.Text{ZH: zh.String(), EN: en.String()}, buttons
}

// progressSummary tells the coordinator who posted today, who was asked
// and has not, and who was not asked (the bot was down at the time, or
// they are on leave).
func progressSummary(v notice) (bot.Text, bot.Text, []action) {
	names := func(key string) (string, string) {
		var zh, en []string
		for _, item := range strings.Split(v.param(key), ",") {
			if item == "" {
				continue
			}
			who, why, _ := strings.Cut(item, ":")
			n := v.name(bot.PersonID(who))
			switch why {
			case bot.ReminderMissed:
				zh, en = append(zh, n+"(提醒时机器人未运行)"), append(en, n+" (the bot was down at reminder time)")
			case bot.ReminderSuppressed:
				zh, en = append(zh, n+"(休假)"), append(en, n+" (on leave)")
			default:
				zh, en = append(zh, n), append(en, n)
			}
		}
		if len(zh) == 0 {
			return "—", "—"
		}
		return strings.Join(zh, "、"), strings.Join(en, ", ")
	}
	pz, pe := names("posted")
	mz, me := names("missing")
	nz, ne := names("not_asked")
	count := len(strings.FieldsFunc(v.param("missing"), func(r rune) bool { return r == ',' }))
	return bot.Text{ZH: "今日进度汇总 " + v.param("day"), EN: "Progress today " + v.param("day")},
		bot.Text{ZH: fmt.Sprintf("✅ 已提交:%s\n⏳ 已提醒未提交:%s\n⚠️ 未提醒:%s", pz, mz, nz),
			EN: fmt.Sprintf("✅ Posted: %s\n⏳ Asked, not posted: %s\n⚠️ Not asked: %s", pe, me, ne)},
		[]action{{Label: bot.Text{ZH: "看板(" + strconv.Itoa(count) + ")", EN: "Board (" + strconv.Itoa(count) + ")"}, Command: "board " + v.c.ID.String()}}
}
