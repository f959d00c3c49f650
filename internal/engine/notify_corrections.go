package engine

import (
	"fmt"
	"maps"
	"strings"

	"github.com/collabot/collabot/bot"
)

// The words of the notices corrections cause: each says what changed and
// offers what the reader may do about it.

func init() { maps.Copy(notices, correctionNotices) }

var correctionNotices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"request_edited": func(v notice) (bot.Text, bot.Text, []action) {
		zh, en := v.changes()
		return bot.Text{ZH: "需求已修改", EN: "Request edited"},
			bot.Text{ZH: fmt.Sprintf("%s 修改了「%s」:\n%s", v.name(bot.PersonID(v.param("by"))), v.c.Request.Topic, zh),
				EN: fmt.Sprintf("%s edited “%s”:\n%s", v.name(bot.PersonID(v.param("by"))), v.c.Request.Topic, en)},
			[]action{{Label: bot.Text{ZH: "查看", EN: "Show"}, Command: "show " + v.c.ID.String()}}
	},
	"department_released": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "无需再答复", EN: "No answer needed"},
			bot.Text{ZH: fmt.Sprintf("「%s」不再需要%s协助,无需答复。", v.c.Request.Topic, v.param("department")),
				EN: fmt.Sprintf("“%s” no longer needs %s; no answer is needed.", v.c.Request.Topic, v.param("department"))}, nil
	},
	"contact_replaced": func(v notice) (bot.Text, bot.Text, []action) {
		who := v.name(bot.PersonID(v.param("contact")))
		return bot.Text{ZH: "对接人已更换", EN: "Contact changed"},
			bot.Text{ZH: fmt.Sprintf("「%s」中%s的对接人改为 %s,你无需再答复。", v.c.Request.Topic, v.param("department"), who),
				EN: fmt.Sprintf("%s now answers for %s on “%s”; you need not answer.", who, v.param("department"), v.c.Request.Topic)}, nil
	},
	"contact_assigned": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "你成为对接人", EN: "You are the contact"},
			bot.Text{ZH: fmt.Sprintf("你现在是「%s」中%s的对接人(该部门已承接)。", v.c.Request.Topic, v.param("department")),
				EN: fmt.Sprintf("You are now %s's contact on “%s” (the department has accepted).", v.param("department"), v.c.Request.Topic)},
			[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + v.c.ID.String()}}
	},
	"coordinator_assigned": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "你成为总协调人", EN: "You coordinate a collaboration"},
			bot.Text{ZH: fmt.Sprintf("你接替 %s 担任「%s」的总协调人:任务分派、会议、验收和复盘由你推动。", v.name(bot.PersonID(v.param("from"))), v.c.Request.Topic),
				EN: fmt.Sprintf("You take over from %s as the coordinator of “%s”: tasks, meetings, acceptance and the retrospective are yours to drive.", v.name(bot.PersonID(v.param("from"))), v.c.Request.Topic)},
			[]action{{Label: bot.Text{ZH: "看板", EN: "Board"}, Command: "board " + v.c.ID.String()}}
	},
	"coordinator_replaced": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "总协调人已更换", EN: "Coordinator changed"},
			bot.Text{ZH: fmt.Sprintf("「%s」的总协调人改为 %s。", v.c.Request.Topic, v.name(bot.PersonID(v.param("to")))),
				EN: fmt.Sprintf("%s now coordinates “%s”.", v.name(bot.PersonID(v.param("to"))), v.c.Request.Topic)}, nil
	},
	"task_released": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "任务已转交 " + v.n.Subject, EN: "Task handed over " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("「%s」已转交给 %s,你不再负责。", v.param("title"), v.name(bot.PersonID(v.param("owner")))),
				EN: fmt.Sprintf("“%s” now belongs to %s; it is no longer yours.", v.param("title"), v.name(bot.PersonID(v.param("owner"))))}, nil
	},
	"task_revised": func(v notice) (bot.Text, bot.Text, []action) {
		label := fieldLabels[v.param("field")]
		return bot.Text{ZH: "任务已调整 " + v.n.Subject, EN: "Task changed " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("「%s」的%s改为:%s", v.param("title"), label.ZH, v.param("value")),
				EN: fmt.Sprintf("The %s of “%s” is now: %s", strings.ToLower(label.EN), v.param("title"), v.param("value"))}, nil
	},
	"task_cancelled": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "任务已取消 " + v.n.Subject, EN: "Task cancelled " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("「%s」已取消,不再需要进度。原因:%s", v.param("title"), v.param("reason")),
				EN: fmt.Sprintf("“%s” is cancelled and needs no more progress. Reason: %s", v.param("title"), v.param("reason"))}, nil
	},
	"due_change_requested": func(v notice) (bot.Text, bot.Text, []action) {
		ref := v.n.Subject
		return bot.Text{ZH: "申请调整计划 " + ref, EN: "Asks to move a date: " + ref},
			bot.Text{ZH: fmt.Sprintf("%s 申请把「%s」的截止时间从 %s 改到 %s。原因:%s", v.name(bot.PersonID(v.param("owner"))), v.param("title"), v.when("before"), v.when("due"), v.param("reason")),
				EN: fmt.Sprintf("%s asks to move “%s” from %s to %s. Reason: %s", v.name(bot.PersonID(v.param("owner"))), v.param("title"), v.when("before"), v.when("due"), v.param("reason"))},
			[]action{
				{Label: bot.Text{ZH: "同意", EN: "Approve"}, Command: "task " + ref + " approve", Style: "primary"},
				{Label: bot.Text{ZH: "拒绝", EN: "Refuse"}, Command: "task " + ref + " refuse", Style: "danger"},
			}
	},
	"due_change_approved": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "改期已同意 " + v.n.Subject, EN: "Date move approved " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("「%s」的截止时间已改为 %s。", v.param("title"), v.when("due")),
				EN: fmt.Sprintf("“%s” is now due %s.", v.param("title"), v.when("due"))}, nil
	},
	"due_change_refused": func(v notice) (bot.Text, bot.Text, []action) {
		zh, en := "", ""
		if r := v.param("reason"); r != "" {
			zh, en = "原因:"+r, " Reason: "+r
		}
		return bot.Text{ZH: "改期未同意 " + v.n.Subject, EN: "Date move refused " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("「%s」改到 %s 的申请未获同意,截止时间不变。%s", v.param("title"), v.when("due"), zh),
				EN: fmt.Sprintf("Moving “%s” to %s was refused; the due date stands.%s", v.param("title"), v.when("due"), en)},
			taskButtons(v.n.Subject)
	},
	"meeting_rescheduled": func(v notice) (bot.Text, bot.Text, []action) {
		return bot.Text{ZH: "会议改期 " + v.n.Subject, EN: "Meeting moved " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("「%s」的会议从 %s 改到 %s。", v.c.Request.Topic, v.when("before"), v.when("start")),
				EN: fmt.Sprintf("The meeting about “%s” moved from %s to %s.", v.c.Request.Topic, v.when("before"), v.when("start"))}, nil
	},
	"risk_severity_changed": func(v notice) (bot.Text, bot.Text, []action) {
		before, after := bot.Severity(v.param("before")), bot.Severity(v.param("severity"))
		return bot.Text{ZH: "风险影响程度调整 " + v.n.Subject, EN: "Risk severity changed " + v.n.Subject},
			bot.Text{ZH: fmt.Sprintf("%s 的影响程度从%s改为%s:%s", v.n.Subject, before.Label(bot.Chinese), after.Label(bot.Chinese), v.param("description")),
				EN: fmt.Sprintf("%s went from %s to %s severity: %s", v.n.Subject, before, after, v.param("description"))},
			[]action{{Label: bot.Text{ZH: "响应", EN: "Respond"}, Command: "risk " + v.n.Subject + " respond", Style: "primary"}}
	},
}

// changes reads the "changes" parameter ("key: before → after; …") as
// lines with the fields' names in each language.
func (v notice) changes() (zh, en string) {
	var z, e []string
	for _, part := range strings.Split(v.param("changes"), "; ") {
		key, change, ok := strings.Cut(part, ": ")
		if !ok {
			continue
		}
		label, known := fieldLabels[key]
		if !known {
			label = bot.Text{ZH: key, EN: key}
		}
		switch key {
		case "contacts", "coordinator", "owner", "contact":
			change = v.names(change)
		}
		z, e = append(z, "• "+label.ZH+":"+change), append(e, "• "+label.EN+": "+change)
	}
	return strings.Join(z, "\n"), strings.Join(e, "\n")
}

// names shows "ben, fiona → ben, chris" with people's names.
func (v notice) names(change string) string {
	sides := strings.Split(change, " → ")
	for i, side := range sides {
		ids := strings.Split(side, ", ")
		for j, id := range ids {
			if id != "—" {
				ids[j] = v.name(bot.PersonID(id))
			}
		}
		sides[i] = strings.Join(ids, ", ")
	}
	return strings.Join(sides, " → ")
}

// fieldLabels name the fields corrections change, in notices.
var fieldLabels = map[string]bot.Text{
	"topic": {ZH: "协作主题", EN: "Topic"}, "goal": {ZH: "协作背景与目标", EN: "Goal"},
	"departments": {ZH: "需协助部门", EN: "Departments"}, "contacts": {ZH: "对接人", EN: "Contacts"},
	"requirements": {ZH: "具体需求描述", EN: "Requirements"}, "deliverables": {ZH: "交付物", EN: "Deliverables"},
	"standard": {ZH: "交付标准", EN: "Acceptance standard"}, "due": {ZH: "截止时间", EN: "Due date"},
	"scope": {ZH: "涉及场景/系统", EN: "Scope"}, "cadence": {ZH: "协同方式与频次", EN: "Cadence"},
	"risks": {ZH: "风险提示与应对预案", EN: "Risks"}, "coordinator": {ZH: "总协调人", EN: "Coordinator"},
	"title": {ZH: "任务名称", EN: "Title"}, "description": {ZH: "任务描述", EN: "Description"},
}
