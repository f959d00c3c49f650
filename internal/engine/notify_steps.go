package engine

import (
	"maps"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The notices of the optional steps: the consensus letter to sign, the
// plans to submit and decide, and the scheduler's reminders and
// escalations of both. Each quotes what the reader decides on and ends
// with the commands that settle it.

func init() { maps.Copy(notices, stepNotices) }

// consensus writes the letter as the departments accepted it.
func (v notice) consensus(b *body, dept string) {
	k := v.c.Consensus
	if k == nil {
		return
	}
	b.field("field.goal", k.Goal)
	b.field("field.scope", k.Scope)
	b.field("field.due", v.stamp(k.Due))
	for _, s := range k.Signoffs {
		if s.Department == dept {
			b.field("field.ack_scope", s.Scope)
		}
	}
}

// plan writes a department's plan as submitted.
func (v notice) plan(b *body, dept string) {
	pl := v.c.PlanApproval.Plan(dept)
	if pl == nil {
		return
	}
	b.field("field.plan_method", pl.Method)
	b.field("field.plan_contingency", pl.Contingency)
	b.field("field.plan_standard", pl.Standard)
}

// planLabels name a plan's fields in a revision's changes.
var planLabels = map[string]string{"method": "field.plan_method", "contingency": "field.plan_contingency", "standard": "field.plan_standard"}

// planRevision is what a resubmitted plan answers: the comments it was
// returned with, and what changed since (bot.SubmitPlan's "changes").
func (v notice) planRevision(b *body) {
	if v.param("changes") == "" {
		return
	}
	b.say("notice.plan_submitted.returned", words.Args{"by": v.name(bot.PersonID(v.param("returned_by"))), "comments": v.param("returned")})
	b.say("notice.plan_submitted.changes", nil)
	for _, part := range strings.Split(v.param("changes"), "; ") {
		if key, change, ok := strings.Cut(part, ": "); ok && planLabels[key] != "" {
			b.bullet(words.Text("format.field", words.Args{"label": words.Text(planLabels[key], nil), "value": change}))
		}
	}
}

func (v notice) stepArgs() words.Args {
	return v.args(words.Args{"department": v.param("department"), "by": v.name(bot.PersonID(v.param("by"))),
		"head": v.name(bot.PersonID(v.param("head"))), "contact": v.name(bot.PersonID(v.param("contact"))),
		"deadline": v.when("deadline"), "asked": v.when("asked"), "version": v.param("version"),
		"coordinator": v.name(v.c.Coordinator)})
}

// departmentList is a list of departments a notice carries (joined by
// ", " in bot), joined as each language joins a list.
func departmentList(s string) bot.Text {
	var items []bot.Text
	for _, d := range strings.Split(s, ", ") {
		items = append(items, bot.Text{ZH: d, EN: d})
	}
	return joined(items)
}

func submitButton(ref, dept string) []action {
	return []action{button("button.submit_plan", "plan "+ref+" submit "+dept, "primary")}
}

var stepNotices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"signoff_requested": func(v notice) (bot.Text, bot.Text, []action) {
		dept := v.param("department")
		a := v.stepArgs().With(words.Args{"span": v.within(v.policy.Signoff.After), "reason": v.param("reason")})
		var b body
		b.say("notice.signoff_requested.intro", a)
		if v.param("reason") != "" {
			b.say("notice.signoff_requested.again", a)
		}
		v.consensus(&b, dept)
		b.say("notice.signoff_requested.hint", a)
		return words.Text("notice.signoff_requested.title", a), b.text(), signoffButtons(v.c.ID.String(), dept)
	},
	"signoff_signed": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		var b body
		b.say("notice.signoff_signed.body", a)
		b.field("field.signoff_remarks", v.param("remarks"))
		return words.Text("notice.signoff_signed.title", a), b.text(), nil
	},
	"signoff_refused": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		var b body
		b.say("notice.signoff_refused.body", a)
		b.field("field.signoff_reason", v.param("reason"))
		b.say("notice.signoff_refused.hint", a)
		return words.Text("notice.signoff_refused.title", a), b.text(),
			append([]action{button("button.renew_signoff", "signoff "+v.c.ID.String()+" renew", "primary")}, v.boardButton()...)
	},
	"consensus_signed": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		var b body
		b.say("notice.consensus_signed.body", a)
		v.consensus(&b, "")
		return words.Text("notice.consensus_signed.title", a), b.text(), v.boardButton()
	},
	"plan_requested": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs().With(words.Args{"span": v.within(v.policy.PlanSubmission.After)})
		return words.Text("notice.plan_requested.title", a), words.Text("notice.plan_requested.body", a),
			submitButton(v.c.ID.String(), v.param("department"))
	},
	"plan_submitted": func(v notice) (bot.Text, bot.Text, []action) {
		dept := v.param("department")
		a := v.stepArgs().With(words.Args{"span": v.within(v.policy.PlanDecision.After)})
		var b body
		b.say("notice.plan_submitted.intro", a)
		v.plan(&b, dept)
		v.planRevision(&b)
		b.say("notice.plan_submitted.hint", a)
		return words.Text("notice.plan_submitted.title", a), b.text(), planDecisionButtons(v.c.ID.String(), dept)
	},
	"plan_approved": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		var b body
		b.say("notice.plan_approved.body", a)
		b.field("field.plan_comments", v.param("comments"))
		return words.Text("notice.plan_approved.title", a), b.text(), nil
	},
	"plan_returned": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		var b body
		b.say("notice.plan_returned.body", a)
		b.field("field.plan_comments", v.param("comments"))
		// Only who may submit is asked to revise; the coordinator's copy
		// says who was asked, and offers the board.
		if dept := v.param("department"); !v.c.SpeaksFor(v.reader, dept) {
			contact := ""
			if pl := v.c.PlanApproval.Plan(dept); pl != nil {
				contact = v.name(pl.Contact)
			}
			b.say("notice.plan_returned.observer", a.With(words.Args{"contact": contact}))
			return words.Text("notice.plan_returned.title", a), b.text(), v.boardButton()
		}
		b.say("notice.plan_returned.hint", a)
		return words.Text("notice.plan_returned.title", a), b.text(), submitButton(v.c.ID.String(), v.param("department"))
	},
	"plan_approver_replaced": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs().With(words.Args{"approver": v.name(bot.PersonID(v.param("approver")))})
		return words.Text("notice.plan_approver_replaced.title", a), words.Text("notice.plan_approver_replaced.body", a), v.boardButton()
	},
	// A step switched off: each person it asked hears they need not act
	// (one notice, whatever they were asked), the group who switched it.
	"signoff_withdrawn": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs().With(words.Args{"departments": departmentList(v.param("departments"))})
		key := "notice.signoff_withdrawn.body"
		if v.n.ToGroup {
			key = "notice.signoff_withdrawn.group"
		}
		return words.Text("notice.signoff_withdrawn.title", a), words.Text(key, a), nil
	},
	"plans_withdrawn": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		if v.n.ToGroup {
			a = a.With(words.Args{"departments": departmentList(v.param("departments"))})
			return words.Text("notice.plans_withdrawn.title", a), words.Text("notice.plans_withdrawn.group", a), nil
		}
		var b body
		b.say("notice.plans_withdrawn.intro", a)
		for _, part := range []string{"submit", "decide"} {
			if d := v.param(part); d != "" {
				b.say("notice.plans_withdrawn."+part, a.With(words.Args{"departments": departmentList(d)}))
			}
		}
		return words.Text("notice.plans_withdrawn.title", a), b.text(), nil
	},
	"signoff_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		var b body
		b.say("notice.signoff_reminder.body", a)
		v.consensus(&b, v.param("department"))
		return words.Text("notice.signoff_reminder.title", a), b.text(), signoffButtons(v.c.ID.String(), v.param("department"))
	},
	"signoff_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		return words.Text("notice.signoff_escalation.title", a), words.Text("notice.signoff_escalation.body", a), v.boardButton()
	},
	"plan_submission_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		return words.Text("notice.plan_submission_reminder.title", a), words.Text("notice.plan_submission_reminder.body", a),
			submitButton(v.c.ID.String(), v.param("department"))
	},
	"plan_submission_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		return words.Text("notice.plan_submission_escalation.title", a), words.Text("notice.plan_submission_escalation.body", a), v.boardButton()
	},
	"plan_decision_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		dept := v.param("department")
		a := v.stepArgs()
		var b body
		b.say("notice.plan_decision_reminder.body", a)
		v.plan(&b, dept)
		return words.Text("notice.plan_decision_reminder.title", a), b.text(), planDecisionButtons(v.c.ID.String(), dept)
	},
	"plan_decision_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.stepArgs()
		return words.Text("notice.plan_decision_escalation.title", a), words.Text("notice.plan_decision_escalation.body", a), v.boardButton()
	},
}
