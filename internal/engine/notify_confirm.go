package engine

import (
	"maps"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The notices of the head's confirmation of a new task: the request with
// its buttons, the planner's news, and the scheduler's reminder and
// escalation.

func init() { maps.Copy(notices, confirmNotices) }

// confirmButtons settle a task waiting for its head: confirm as planned,
// or reassign (the command asks for the person when none is typed).
func confirmButtons(ref string) []action {
	return []action{
		button("button.confirm_task", "task "+ref+" confirm", "primary"),
		button("button.reassign", "task "+ref+" reassign", ""),
	}
}

func (v notice) confirmArgs() words.Args {
	return v.taskArgs(words.Args{"owner": v.name(bot.PersonID(v.param("owner"))), "department": v.param("department"),
		"head": v.name(bot.PersonID(v.param("head"))), "deadline": v.when("deadline"),
		"span": v.within(v.policy.TaskConfirmation.After)})
}

var confirmNotices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"task_confirmation_requested": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.confirmArgs()
		var b body
		b.say("notice.task_confirmation_requested.intro", a)
		if t := v.task(); t != nil {
			b.field("field.task_description", t.Description)
			b.field("field.standard", t.Standard)
		}
		b.say("notice.task_confirmation_requested.hint", a)
		return words.Text("notice.task_confirmation_requested.title", a), b.text(), confirmButtons(v.n.Subject)
	},
	"task_confirmed": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.taskArgs(words.Args{"owner": v.name(bot.PersonID(v.param("owner"))), "from": v.name(bot.PersonID(v.param("from")))})
		text := "notice.task_confirmed.body"
		if v.param("from") != v.param("owner") {
			text = "notice.task_confirmed.body_reassigned"
		}
		return words.Text("notice.task_confirmed.title", a), words.Text(text, a), nil
	},
	"task_confirmation_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.confirmArgs()
		return words.Text("notice.task_confirmation_reminder.title", a), words.Text("notice.task_confirmation_reminder.body", a),
			confirmButtons(v.n.Subject)
	},
	"task_confirmation_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.confirmArgs()
		return words.Text("notice.task_confirmation_escalation.title", a), words.Text("notice.task_confirmation_escalation.body", a),
			append(confirmButtons(v.n.Subject), v.boardButton()...)
	},
}

func init() { notices["risk_tasks_moved"] = riskTasksMoved }

// riskTasksMoved tells an owner which of their tasks an issue's
// resolution moved, or asked the coordinator to move.
func riskTasksMoved(v notice) (bot.Text, bot.Text, []action) {
	a := v.args(words.Args{"risk": v.n.Subject, "due": v.when("due"), "resolution": v.param("resolution"),
		"description": bot.Truncate(v.param("description"), maxQuote)})
	var b body
	b.say("notice.risk_tasks_moved.intro", a)
	for _, ref := range strings.Split(v.param("tasks"), ",") {
		ref, asked := strings.CutSuffix(ref, "?")
		title := ""
		if id, err := bot.ParseTaskID(ref); err == nil {
			if t, err := v.c.Task(id); err == nil {
				title = t.Title
			}
		}
		key := "notice.risk_tasks_moved.line"
		if asked {
			key = "notice.risk_tasks_moved.line_asked"
		}
		b.bullet(words.Text(key, words.Args{"task": ref, "title": title, "due": v.when("due")}))
	}
	return words.Text("notice.risk_tasks_moved.title", a), b.text(), v.boardButton()
}
