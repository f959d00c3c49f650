package engine

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
	"github.com/collabot/collabot/internal/words"
)

// The words of the scheduler's reminders and escalations. Each says what
// is late, since when, and offers the command that settles it.

// standalone kinds are about a person, not one collaboration: no
// "COL-n ·" before their title.
var standalone = map[string]bool{"daily_progress": true, "calendar_missing": true, "weekly_digest": true}

func init() { maps.Copy(notices, reminderNotices) }

var reminderNotices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"ack_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"department": v.param("department"), "deadline": v.when("deadline")})
		title, body := v.ackWords("reminder")
		buttons := ackButtons(v.c.ID.String(), v.param("department"))
		if v.c.Has(bot.StepApproval) {
			// The head approves or refuses a loan, as the request asked.
			cmd := "ack " + v.c.ID.String() + " " + v.param("department")
			buttons = []action{button("button.approve", cmd+" accept", "primary"), button("button.reject", cmd+" decline", "danger")}
		}
		return words.Text(title, nil), words.Text(body, a), buttons
	},
	"ack_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		dept := v.param("department")
		asked := ""
		if a, ok := v.c.Ack(dept); ok {
			asked = v.stamp(a.AskedAt)
		}
		a := v.args(words.Args{"department": dept, "contact": v.name(bot.PersonID(v.param("contact"))), "asked": asked, "deadline": v.when("deadline"),
			"reminded": v.reminded()})
		title, body := v.ackWords("escalation")
		return words.Text(title, nil), words.Text(body, a), v.boardButton()
	},
	"resolution_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"due": v.when("due")})
		return words.Text("notice.resolution_reminder.title", nil), words.Text("notice.resolution_reminder.body", a),
			append([]action{button("button.solve", "solve "+v.c.ID.String(), "primary")}, v.boardButton()...)
	},
	"resolution_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		var depts []bot.Text
		for _, ack := range v.c.Acks {
			if ack.Status == bot.AckAccepted {
				depts = append(depts, bot.Text{ZH: ack.Department, EN: ack.Department})
			}
		}
		a := v.args(words.Args{"due": v.when("due"), "departments": joined(depts), "reminded": v.reminded()})
		return words.Text("notice.resolution_escalation.title", nil), words.Text("notice.resolution_escalation.body", a), v.boardButton()
	},
	"review_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		ref := v.c.ID.String()
		a := v.args(words.Args{"requester": v.name(v.c.Requester), "asked": v.when("asked"), "deadline": v.when("deadline")})
		var b body
		b.say("notice.review_reminder.body", a)
		b.say("notice.review_reminder.hint", a)
		return words.Text("notice.review_reminder.title", nil), b.text(),
			[]action{button("button.approve", "review "+ref+" approve", "primary"), button("button.reject", "review "+ref+" reject", "danger")}
	},
	"review_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"head": v.name(bot.PersonID(v.param("head"))), "asked": v.when("asked"), "deadline": v.when("deadline"),
			"reminded": v.reminded()})
		return words.Text("notice.review_escalation.title", nil), words.Text("notice.review_escalation.body", a), v.boardButton()
	},
	"needs_info_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"department": v.param("department"), "asked": v.when("asked"), "deadline": v.when("deadline")})
		var b body
		b.say("notice.needs_info_reminder.body", a)
		b.field("field.question", bot.Truncate(v.param("question"), maxQuote))
		b.say("notice.needs_info_reminder.hint", a)
		return words.Text("notice.needs_info_reminder.title", a), b.text(), nil
	},
	"needs_info_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"department": v.param("department"), "requester": v.name(v.c.Requester),
			"asked": v.when("asked"), "deadline": v.when("deadline"), "reminded": v.reminded()})
		var b body
		b.say("notice.needs_info_escalation.body", a)
		b.field("field.question", bot.Truncate(v.param("question"), maxQuote))
		return words.Text("notice.needs_info_escalation.title", a), b.text(), v.boardButton()
	},
	"agenda": func(v notice) (bot.Text, bot.Text, []action) {
		m := v.meeting()
		var agenda, materials string
		if m != nil {
			agenda, materials = bullets(m.Agenda), bullets(m.Materials)
		}
		a := words.Args{"meeting": v.n.Subject, "start": v.when("start"), "agenda": agenda, "materials": materials}
		var b body
		b.say("notice.agenda.body", a)
		if materials != "" {
			b.say("notice.agenda.materials", a)
		}
		return words.Text("notice.agenda.title", a), b.text(), nil
	},
	"agenda_missing": func(v notice) (bot.Text, bot.Text, []action) {
		a := words.Args{"meeting": v.n.Subject, "start": v.when("start"), "span": v.within(v.policy.Agenda.After)}
		return words.Text("notice.agenda_missing.title", a), words.Text("notice.agenda_missing.body", a),
			[]action{button("button.agenda", "meeting "+v.n.Subject+" agenda", "primary")}
	},
	"minutes_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := words.Args{"meeting": v.n.Subject, "span": v.within(v.policy.Minutes.After)}
		return words.Text("notice.minutes_reminder.title", a), words.Text("notice.minutes_reminder.body", a),
			[]action{button("button.minutes", "meeting "+v.n.Subject+" minutes", "primary")}
	},
	"minutes_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		// Its reader was not at the meeting, perhaps: the collaboration
		// names it, and the board is where to follow up.
		a := v.args(words.Args{"meeting": v.n.Subject, "start": v.when("start"), "organiser": v.organiser()})
		return words.Text("notice.minutes_escalation.title", a), words.Text("notice.minutes_escalation.body", a), v.boardButton()
	},
	"minutes_confirmation": func(v notice) (bot.Text, bot.Text, []action) {
		a := words.Args{"meeting": v.n.Subject, "span": v.within(v.policy.MinutesConfirmation.After)}
		var b body
		b.say("notice.minutes_confirmation.intro", a)
		if m := v.meeting(); m != nil && m.Minutes != nil {
			v.minutes(&b, m.Minutes)
		}
		b.say("notice.minutes_confirmation.hint", nil)
		return words.Text("notice.minutes_confirmation.title", a), b.text(),
			[]action{button("button.confirm", "confirm "+v.n.Subject, "primary")}
	},
	"daily_progress":   dailyProgress,
	"progress_summary": progressSummary,
	"task_due": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.taskArgs(words.Args{"status": both(bot.TaskStatus(v.param("status")).Label)})
		if v.forCoordinator() {
			a["owner"] = v.name(v.task().Owner)
			return words.Text("notice.task_due.title", a), words.Text("notice.task_due.coordinator", a), v.boardButton()
		}
		return words.Text("notice.task_due.title", a), words.Text("notice.task_due.body", a), taskButtons(v.n.Subject)
	},
	"task_overdue": func(v notice) (bot.Text, bot.Text, []action) {
		move := "notice.task_overdue.ask_move"
		if v.n.To == v.c.Coordinator {
			move = "notice.task_overdue.move"
		}
		a := v.taskArgs(words.Args{"days": v.days()})
		a["move"] = words.Text(move, a)
		buttons := taskButtons(v.n.Subject)
		if v.forCoordinator() {
			buttons = v.boardButton()
		}
		return words.Text("notice.task_overdue.title", a), words.Text("notice.task_overdue.body", a), buttons
	},
	"task_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.taskArgs(words.Args{"owner": v.name(bot.PersonID(v.param("owner"))), "span": v.within(v.policy.TaskDue.EscalateAfter),
			"reminded": v.reminded()})
		body := "notice.task_escalation.body"
		if until, ok := strings.CutPrefix(v.param("reminded"), bot.RemindedOnLeave); ok {
			// Only the coordinator was reminded: the owner was on leave.
			body, a["until"] = "notice.task_escalation.body_on_leave", until
		}
		return words.Text("notice.task_escalation.title", a), words.Text(body, a), v.boardButton()
	},
	"risk_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := words.Args{"risk": v.n.Subject, "span": v.within(v.policy.RiskResponse.After),
			"severity": both(bot.Severity(v.param("severity")).Label), "owner": v.name(bot.PersonID(v.param("owner"))),
			"description": bot.Truncate(v.param("description"), maxQuote)}
		return words.Text("notice.risk_reminder.title", a), words.Text("notice.risk_reminder.body", a),
			[]action{button("button.respond", "risk "+v.n.Subject+" respond", "primary")}
	},
	"acceptance_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := words.Args{"delivery": v.param("delivery"), "span": v.within(v.policy.Acceptance.After), "deadline": v.when("deadline")}
		return words.Text("notice.acceptance_reminder.title", nil), words.Text("notice.acceptance_reminder.body", a),
			acceptanceButtons(v.c.ID.String())
	},
	"acceptance_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := words.Args{"requester": v.name(v.c.Requester), "delivery": v.param("delivery"), "deadline": v.when("deadline"), "reminded": v.reminded()}
		// Only the requester and the coordinator decide: a head told
		// above them gets the board and what can be done, not buttons
		// that would be refused.
		if !v.c.MayAccept(v.reader) {
			a = v.args(a.With(words.Args{"coordinator": v.name(v.c.Coordinator)}))
			return words.Text("notice.acceptance_escalation.title", nil), words.Text("notice.acceptance_escalation.body_above", a), v.boardButton()
		}
		return words.Text("notice.acceptance_escalation.title", nil), words.Text("notice.acceptance_escalation.body", a),
			acceptanceButtons(v.c.ID.String())
	},
	"rework_due": func(v notice) (bot.Text, bot.Text, []action) {
		var b body
		b.say("notice.rework_due.body", v.reworkArgs())
		b.list("field.rework", strings.Split(v.param("items"), "\n"))
		b.say("notice.rework_due.hint", v.reworkArgs())
		return words.Text("notice.rework_due.title", nil), b.text(),
			[]action{button("button.deliver", "deliver "+v.c.ID.String(), "primary")}
	},
	"rework_escalation": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.reworkArgs().With(words.Args{"span": v.within(v.policy.Acceptance.EscalateAfter), "coordinator": v.name(v.c.Coordinator),
			"reminded": v.reminded()})
		var b body
		b.say("notice.rework_escalation.body", a)
		b.list("field.rework", strings.Split(v.param("items"), "\n"))
		b.say("notice.rework_escalation.hint", a)
		return words.Text("notice.rework_escalation.title", nil), b.text(), v.boardButton()
	},
	"retro_reminder": func(v notice) (bot.Text, bot.Text, []action) {
		a := v.args(words.Args{"span": v.within(v.policy.Retrospective.After), "deadline": v.when("deadline")})
		return words.Text("notice.retro_reminder.title", nil), words.Text("notice.retro_reminder.body", a),
			[]action{button("button.retro", "retro "+v.c.ID.String(), "primary")}
	},
	"weekly_summary": func(v notice) (bot.Text, bot.Text, []action) {
		return words.Text("notice.weekly_summary.title", nil), both(v.board), nil
	},
	"weekly_digest": func(v notice) (bot.Text, bot.Text, []action) {
		return words.Text("notice.weekly_digest.title", words.Args{"week": v.param("week")}), v.digest,
			[]action{{Label: words.Text("digest.button", nil), Command: "board web"}}
	},
	"calendar_missing": func(v notice) (bot.Text, bot.Text, []action) {
		a := words.Args{"year": v.param("year")}
		return words.Text("notice.calendar_missing.title", a), words.Text("notice.calendar_missing.body", a), nil
	},
	"leave_declared": func(v notice) (bot.Text, bot.Text, []action) {
		a := words.Args{"person": v.name(bot.PersonID(v.param("person"))), "from": v.param("from"), "to": v.param("to"), "tasks": v.param("tasks")}
		var b body
		b.say("notice.leave_declared.body", a)
		if due := v.param("due"); due != "" {
			// Falls due while nobody reminds them: the coordinator decides.
			b.say("notice.leave_declared.due", a)
			for _, line := range strings.Split(due, "\n") {
				if d, ok := dueItemOf(line); ok {
					b.bullet(d.text())
				}
			}
		}
		return words.Text("notice.leave_declared.title", nil), b.text(), v.boardButton()
	},
	"leave_cancelled": func(v notice) (bot.Text, bot.Text, []action) {
		a := words.Args{"person": v.name(bot.PersonID(v.param("person"))), "from": v.param("from"), "to": v.param("to"), "tasks": v.param("tasks")}
		return words.Text("notice.leave_cancelled.title", nil), words.Text("notice.leave_cancelled.body", a), v.boardButton()
	},
}

// ackWords is the catalogue prefix of a department's overdue answer
// ("reminder" or "escalation"), by the step the type asks it for: a
// loan's approval by the lending head, a problem's first response, or
// the project's acknowledgement.
func (v notice) ackWords(kind string) (title, body string) {
	escalation := kind == "escalation"
	switch {
	case v.c.Has(bot.StepApproval): // only the head decides: no other contact to name
		if escalation {
			return "notice.approval_escalation.title", "notice.approval_escalation.body"
		}
		return "notice.approval_reminder.title", "notice.approval_reminder.body"
	case v.c.Has(bot.StepResolution):
		if escalation {
			return "notice.response_escalation.title", "notice.response_escalation.body"
		}
		return "notice.response_reminder.title", "notice.response_reminder.body"
	}
	if escalation {
		return "notice.ack_escalation.title", "notice.ack_escalation.body"
	}
	return "notice.ack_reminder.title", "notice.ack_reminder.body"
}

// reworkArgs are what a rework notice says of the failed acceptance: the
// delivery, who failed it and when, and the rework deadline.
func (v notice) reworkArgs() words.Args {
	return v.args(words.Args{"delivery": v.param("delivery"), "by": v.name(bot.PersonID(v.param("by"))),
		"failed": v.when("failed"), "deadline": v.when("deadline")})
}

// forCoordinator tells a task's notice to the coordinator who does not
// own the task: done, help and blocked are the owner's to say; she
// follows up or replans.
func (v notice) forCoordinator() bool {
	t := v.task()
	return t != nil && v.n.To == v.c.Coordinator && t.Owner != v.n.To
}

func taskButtons(ref string) []action {
	return []action{
		button("button.done", "task "+ref+" done", "primary"),
		button("button.need_help", "task "+ref+" help", ""),
		button("button.blocked", "task "+ref+" block", "danger"),
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
	id, on, ok := meetingRef(v.n.Subject)
	if !ok {
		return nil
	}
	m, err := v.c.Meeting(id)
	if err != nil {
		return nil
	}
	if on != "" {
		for _, o := range m.Occurrences {
			if o.On == on {
				return o
			}
		}
		// Not stored: what the series says every occurrence has.
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
	var b body
	b.say("notice.daily_progress.intro", nil)
	var buttons []action
	for _, line := range strings.Split(v.param("tasks"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 5 {
			continue
		}
		collab := f[0]
		due := ""
		if t, err := time.Parse(time.RFC3339, f[4]); err == nil {
			due = v.date(t)
		}
		b.bullet(words.Text("notice.daily_progress.task", words.Args{"collab": collab, "task": f[1], "title": f[2],
			"status": both(bot.TaskStatus(f[3]).Label), "due": due}))
		if len(buttons) < 5 && !slices.ContainsFunc(buttons, func(b action) bool { return b.Command == "update "+collab }) {
			buttons = append(buttons, action{Label: words.Text("button.post", words.Args{"collab": collab}), Command: "update " + collab, Style: "primary"})
		}
	}
	b.say("notice.daily_progress.outro", nil)
	return words.Text("notice.daily_progress.title", words.Args{"day": v.param("day")}), b.text(), buttons
}

// progressSummary tells the coordinator who posted today, who was asked
// and has not, and who was not asked (the bot was down at the time, or
// they are on leave).
func progressSummary(v notice) (bot.Text, bot.Text, []action) {
	names := func(key string) bot.Text {
		var items []bot.Text
		for _, item := range strings.Split(v.param(key), ",") {
			if item == "" {
				continue
			}
			who, why, _ := strings.Cut(item, ":")
			name := v.name(bot.PersonID(who))
			n := words.Args{"name": name}
			switch why {
			case bot.ReminderMissed:
				items = append(items, words.Text("notice.progress_summary.bot_down", n))
			case bot.ReminderSuppressed:
				items = append(items, words.Text("notice.progress_summary.on_leave", n))
			case bot.ReminderSkipped: // held by quiet hours past the day (scheduler)
				items = append(items, words.Text("notice.progress_summary.quiet", n))
			default:
				items = append(items, bot.Text{ZH: name, EN: name})
			}
		}
		if len(items) == 0 {
			return words.Text("notice.progress_summary.nobody", nil)
		}
		return joined(items)
	}
	count := len(strings.FieldsFunc(v.param("missing"), func(r rune) bool { return r == ',' }))
	day := words.Args{"day": v.param("day")}
	return words.Text("notice.progress_summary.title", day),
		words.Text("notice.progress_summary.body", words.Args{"posted": names("posted"), "missing": names("missing"), "not_asked": names("not_asked")}),
		[]action{{Label: words.Text("button.board_count", words.Args{"count": count}), Command: "board " + v.c.ID.String()}}
}

// reminded says when an escalation's reminder went out, from the time the
// scheduler gave it: at the deadline (or due date), or at the start of
// working hours when that fell outside them (a Friday-night deadline is
// reminded on Monday morning, not "then"). A notice queued without it
// says only that the reminder went, which is never false.
func (v notice) reminded() bot.Text {
	switch at := v.param("reminded"); {
	case strings.HasPrefix(at, bot.RemindedOnLeave):
		// The reminder was held back: the person was on leave.
		return words.Text("notice.ack_escalation.not_reminded_leave", words.Args{"until": strings.TrimPrefix(at, bot.RemindedOnLeave)})
	case at == "":
		return words.Text("notice.ack_escalation.reminded", nil)
	case at == cmp.Or(v.param("deadline"), v.param("due")):
		return words.Text("notice.ack_escalation.reminded_then", nil)
	default:
		return words.Text("notice.ack_escalation.reminded_at", words.Args{"reminded": v.when("reminded")})
	}
}
