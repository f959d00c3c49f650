package engine

import (
	"maps"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The notices of the collaboration types' own steps (types.go): what the
// domain says when a loan ends, a problem is solved or a department
// confirms reading, and the scheduler's chases of them.

func init() {
	maps.Copy(notices, typeNotices)
	maps.Copy(fieldLabels, map[string]string{"problem": "field.problem", "impact": "field.impact", "content": "field.content",
		"resource_kind": "field.resource_kind", "resource": "field.resource", "quantity": "field.quantity",
		"start": "field.loan_start", "end": "field.loan_end", "boundaries": "field.boundaries"})
}

var typeNotices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"read_confirmed": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		b.say("notice.read_confirmed.intro", v.args(words.Args{"department": v.param("department")}))
		b.field("field.questions", v.param("questions"))
		if v.param("questions") != "" {
			b.say("notice.read_confirmed.answer_how", v.args(words.Args{"department": v.param("department")}))
		}
		if depts, ok := v.waiting(); ok {
			b.say("notice.ack_accepted.waiting", words.Args{"departments": depts})
		} else if open := v.c.OpenReadQuestions(); len(open) > 0 {
			var depts []string
			for _, a := range open {
				depts = append(depts, a.Department)
			}
			b.say("notice.read_confirmed.awaiting_answers", words.Args{"departments": listOf(depts)})
		}
		return words.Text("notice.read_confirmed.title", nil), b.text(), nil
	},
	"read_answered": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		b.say("notice.read_answered.intro", v.args(words.Args{"department": v.param("department"), "by": v.name(bot.PersonID(v.param("by")))}))
		b.field("field.questions", bot.Truncate(v.param("question"), maxQuote))
		b.field("field.answer", bot.Truncate(v.param("answer"), maxQuote))
		return words.Text("notice.read_answered.title", nil), b.text(), v.boardButton()
	},
	"read_summary":     readSummary("notice.read_summary.title"),
	"read_summary_due": readSummary("notice.read_summary_due.title"),
	"resource_returned": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		b.say("notice.resource_returned.intro", v.args(nil))
		b.field("field.return_note", v.param("note"))
		return words.Text("notice.resource_returned.title", nil), b.text(), nil
	},
	"problem_resolved": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		b.say("notice.problem_resolved.intro", v.args(nil))
		b.field("field.cause", bot.Truncate(v.param("cause"), maxQuote))
		b.field("field.fix", bot.Truncate(v.param("fix"), maxQuote))
		return words.Text("notice.problem_resolved.title", nil), b.text(), nil
	},
	"return_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(v.loanArgs())
		return words.Text("notice.return_reminder.title", nil), words.Text("notice.return_reminder.body", a),
			[]action{button("button.returned", "return "+v.c.ID.String(), "primary")}
	},
	"return_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(v.loanArgs().With(words.Args{"requester": v.name(v.c.Requester)}))
		// The borrower, the coordinator and the lenders may record the
		// return; the heads told above them may not, and get the board.
		if !v.c.MayReturn(v.reader) {
			return words.Text("notice.return_escalation.title", nil), words.Text("notice.return_escalation.body_above", a), v.boardButton()
		}
		return words.Text("notice.return_escalation.title", nil), words.Text("notice.return_escalation.body", a),
			append([]action{button("button.returned", "return "+v.c.ID.String(), "primary")}, v.boardButton()...)
	},
	"read_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"department": v.param("department"), "deadline": v.when("deadline")})
		return words.Text("notice.read_reminder.title", nil), words.Text("notice.read_reminder.body", a),
			[]action{button("button.read", "read "+v.c.ID.String()+" "+v.param("department"), "primary")}
	},
	"read_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"department": v.param("department"), "deadline": v.when("deadline"),
			"contact": v.name(bot.PersonID(v.param("contact")))})
		return words.Text("notice.read_escalation.title", nil), words.Text("notice.read_escalation.body", a), v.boardButton()
	},
}

func (v notice) loanArgs() words.Args {
	a := words.Args{"until": "", "what": "", "quantity": ""}
	if r := v.c.Request.Resource; r != nil {
		a["until"], a["what"], a["quantity"] = v.stamp(r.Until), r.What, r.Quantity
	}
	return a
}

// readSummary is the read receipts so far: who confirmed, with their
// questions, and who has not.
func readSummary(title string) func(v notice) (bot.Text, bot.Text, []action) {
	return func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		b.say("notice.read_summary.intro", v.args(nil))
		for _, a := range v.c.Acks {
			if a.Status != bot.AckAccepted {
				b.say("notice.read_summary.unread", words.Args{"department": a.Department, "contact": v.name(a.Contact)})
				continue
			}
			b.say("notice.read_summary.read", words.Args{"department": a.Department, "by": v.name(a.By), "at": v.stamp(a.At)})
			if a.Question != "" {
				b.field("field.questions", bot.Truncate(a.Question, maxQuote))
				if a.Answer != "" {
					b.field("field.answer", bot.Truncate(a.Answer, maxQuote))
				} else {
					b.say("notice.read_confirmed.answer_how", v.args(words.Args{"department": a.Department}))
				}
			}
		}
		return words.Text(title, nil), b.text(), v.boardButton()
	}
}

// typedRequest writes the type's own fields of the request.
func (v notice) typedRequest(b *body) {
	r := v.c.Request
	b.field("field.problem", r.Problem)
	b.field("field.impact", r.Impact)
	b.field("field.content", r.Content)
	if res := r.Resource; res != nil {
		kind := words.Text("record.resource_kind."+res.Kind, nil)
		if kind.ZH == "" {
			kind = bot.Text{ZH: res.Kind, EN: res.Kind}
		}
		b.pair("field.resource_kind", kind)
		b.field("field.resource", res.What)
		b.field("field.quantity", res.Quantity)
		b.field("field.period", v.date(res.From)+" — "+v.date(res.Until))
		b.field("field.boundaries", res.Boundaries)
	}
}

// typedAsk is how a department is asked by a type whose step is not the
// plain acknowledgement: its head approves a loan, it confirms reading,
// it responds to a problem. ok is false for the acknowledgement.
func (v notice) typedAsk() (intro, within, title string, buttons []action, ok bool) {
	ref := v.c.ID.String()
	switch {
	case v.c.Has(bot.StepReadReceipt):
		return "notice.typed.read_intro", "notice.typed.read_within", "notice.typed.read_title",
			[]action{button("button.read", "read "+ref, "primary")}, true
	case v.c.Has(bot.StepApproval):
		return "notice.typed.approval_intro", "notice.typed.approval_within", "notice.typed.approval_title",
			[]action{button("button.approve", "ack "+ref+" accept", "primary"), button("button.reject", "ack "+ref+" decline", "danger")}, true
	case v.c.Has(bot.StepResolution):
		return "notice.typed.response_intro", "notice.typed.response_within", "notice.typed.response_title",
			ackButtons(ref, ""), true
	}
	return "", "", "", nil, false
}

// typedActivated is what follows every department's yes in a type
// without tasks and meetings: a loan runs until its end, a problem waits
// for its root cause and fix. ok is false for the project's plan.
func (v notice) typedActivated() (bot.Text, bool) {
	switch {
	case v.c.Has(bot.StepPlan):
		return bot.Text{}, false
	case v.c.Has(bot.StepReturn):
		return words.Text("notice.typed.loan_started", v.args(v.loanArgs())), true
	case v.c.Has(bot.StepResolution):
		return words.Text("notice.typed.all_responded", v.args(nil)), true
	}
	return bot.Text{}, false
}
