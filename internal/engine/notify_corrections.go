package engine

import (
	"maps"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The words of the notices corrections cause: each says what changed and
// offers what the reader may do about it.

func init() { maps.Copy(notices, correctionNotices) }

var correctionNotices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"request_edited": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"by": v.name(bot.PersonID(v.param("by"))), "changes": v.changes()})
		return words.Text("notice.request_edited.title", nil), words.Text("notice.request_edited.body", a),
			[]action{button("button.show", "show "+v.c.ID.String(), "")}
	},
	"department_released": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"department": v.param("department")})
		return words.Text("notice.department_released.title", nil), words.Text("notice.department_released.body", a), nil
	},
	"contact_replaced": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"department": v.param("department"), "contact": v.name(bot.PersonID(v.param("contact")))})
		return words.Text("notice.contact_replaced.title", nil), words.Text("notice.contact_replaced.body", a), nil
	},
	"contact_assigned": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"department": v.param("department")})
		return words.Text("notice.contact_assigned.title", nil), words.Text("notice.contact_assigned.body", a), v.boardButton()
	},
	"coordinator_assigned": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"from": v.name(bot.PersonID(v.param("from")))})
		return words.Text("notice.coordinator_assigned.title", nil), words.Text("notice.coordinator_assigned.body", a), v.boardButton()
	},
	"coordinator_replaced": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"to": v.name(bot.PersonID(v.param("to")))})
		return words.Text("notice.coordinator_replaced.title", nil), words.Text("notice.coordinator_replaced.body", a), nil
	},
	"task_released": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.taskArgs(words.Args{"owner": v.name(bot.PersonID(v.param("owner")))})
		return words.Text("notice.task_released.title", a), words.Text("notice.task_released.body", a), nil
	},
	"task_revised": func(v notice) (bot.Text, bot.Text, []action) {
		label := fieldLabel(v.param("field"))
		// English names the field inside a sentence ("The due date of …").
		label.EN = strings.ToLower(label.EN)
		a := v.taskArgs(words.Args{"field": label, "value": v.param("value")})
		return words.Text("notice.task_revised.title", a), words.Text("notice.task_revised.body", a), nil
	},
	"task_cancelled": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.taskArgs(words.Args{"reason": v.param("reason")})
		return words.Text("notice.task_cancelled.title", a), words.Text("notice.task_cancelled.body", a), nil
	},
	"due_change_requested": func(v notice) (bot.Text, bot.Text, []action) {
		ref := v.n.Subject
		a := v.taskArgs(words.Args{"owner": v.name(bot.PersonID(v.param("owner"))), "before": v.when("before"), "reason": v.param("reason"),
			"by": v.name(bot.PersonID(v.param("by"))), "risk": v.param("risk")})
		text := "notice.due_change_requested.body"
		if v.param("risk") != "" { // asked by whoever resolved the risk
			text = "notice.due_change_requested.body_risk"
		}
		return words.Text("notice.due_change_requested.title", a), words.Text(text, a),
			[]action{
				button("button.agree", "task "+ref+" approve", "primary"),
				button("button.refuse", "task "+ref+" refuse", "danger"),
			}
	},
	"due_change_approved": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.taskArgs(nil)
		return words.Text("notice.due_change_approved.title", a), words.Text("notice.due_change_approved.body", a), nil
	},
	"due_change_refused": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.taskArgs(words.Args{"reason": v.param("reason")})
		text := "notice.due_change_refused.body"
		if v.param("reason") != "" {
			text = "notice.due_change_refused.body_reason"
		}
		return words.Text("notice.due_change_refused.title", a), words.Text(text, a), taskButtons(v.n.Subject)
	},
	"meeting_rescheduled": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"meeting": v.n.Subject, "before": v.when("before"), "start": v.when("start")})
		return words.Text("notice.meeting_rescheduled.title", a), words.Text("notice.meeting_rescheduled.body", a), nil
	},
}

// changes reads the "changes" parameter ("key: before → after; …") as
// lines with the fields' names in each language.
func (v notice) changes() bot.Text {
	var b body
	for _, part := range strings.Split(v.param("changes"), "; ") {
		key, change, ok := strings.Cut(part, ": ")
		if !ok {
			continue
		}
		switch key {
		case "contacts", "coordinator", "owner", "contact":
			change = v.names(change)
		}
		// A list is stored "a, b"; Chinese lists it "a、b".
		value := bot.Text{ZH: change, EN: change}
		if key == "departments" || key == "contacts" {
			value.ZH = strings.ReplaceAll(change, ", ", "、")
		}
		b.bullet(words.Text("format.field", words.Args{"label": requestLabel(key), "value": value}))
	}
	return b.text()
}

// requestLabel names a field of the request as its form does: the
// request's due date is its 期望完成时间, not a task's 截止时间.
func requestLabel(field string) bot.Text {
	if field == "due" {
		return words.Text("change.request_due", nil)
	}
	return fieldLabel(field)
}

// changedFields names the fields a change note changed: "期望完成时间、交付物".
func (v notice) changedFields() bot.Text {
	var items []bot.Text
	for _, part := range strings.Split(v.param("changes"), "; ") {
		if key, _, ok := strings.Cut(part, ": "); ok {
			items = append(items, requestLabel(key))
		}
	}
	return joined(items)
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

// fieldLabels are the catalogue's names of the fields corrections change.
var fieldLabels = map[string]string{
	"topic": "change.topic", "goal": "change.goal", "departments": "change.departments", "contacts": "change.contacts",
	"requirements": "change.requirements", "deliverables": "change.deliverables", "standard": "change.standard",
	"due": "change.due", "scope": "change.scope", "cadence": "change.cadence", "risks": "change.risks",
	"coordinator": "change.coordinator", "title": "change.title", "description": "change.description",
	"highlights": "field.highlights", "improvements": "field.improvements", "actions": "field.follow_ups",
}

// fieldLabel names a field for people; a field this version does not
// name shows as itself.
func fieldLabel(field string) bot.Text {
	if key, ok := fieldLabels[field]; ok {
		return words.Text(key, nil)
	}
	return bot.Text{ZH: field, EN: field}
}
