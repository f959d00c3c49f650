package engine

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// The notices people's actions cause. Each carries what its reader must
// decide — the request to review, the question to answer, the minutes to
// confirm, the deliverables to accept — and ends with the commands that
// settle it, as buttons where the platform has them.

// notices writes each kind of notification in both languages from the
// catalogue (internal/words): a title, a body and the commands the
// recipient can answer with. The scheduler's
// reminders and the corrections' notices join it from their own files.
var notices = map[string]func(v notice) (title, body bot.Text, buttons []action){
	"review_requested":      reviewRequested,
	"ack_requested":         ackRequested,
	"review_rejected":       reviewRejected,
	"request_submitted":     requestSubmitted,
	"ack_accepted":          ackAccepted,
	"ack_details_added":     ackDetailsAdded,
	"ack_declined":          ackDeclined,
	"ack_needs_info":        ackNeedsInfo,
	"info_supplied":         infoSupplied,
	"risk_raised_on_ack":    riskRaisedOnAck,
	"activated":             activated,
	"cancelled":             cancelled,
	"task_assigned":         taskAssigned,
	"task_collaborator":     taskCollaborator,
	"task_needs_help":       taskHelp("notice.task_needs_help.title", "notice.task_needs_help.body"),
	"task_blocked":          taskHelp("notice.task_blocked.title", "notice.task_blocked.body"),
	"task_moved":            taskMoved,
	"meeting_invited":       meetingInvited,
	"minutes_to_confirm":    minutesToConfirm,
	"meeting_cancelled":     meetingCancelled,
	"progress_problem":      progressProblem,
	"risk_assigned":         riskAssigned,
	"risk_escalated":        riskEscalated,
	"risk_responded":        riskResponded,
	"risk_resolved":         riskResolved,
	"acceptance_requested":  acceptanceRequested,
	"accepted":              accepted,
	"acceptance_failed":     acceptanceFailed,
	"retrospective_due":     retrospectiveDue,
	"retrospective_shared":  retrospectiveShared,
	"retrospective_revised": retrospectiveRevised,
	"archived":              archived,
	"minutes_amended":       minutesAmended,
	"meeting_uninvited":     meetingUninvited,
}

// request writes the 5W1H of the request, as the reviewer reads it.
func (v notice) request(b *body) {
	r := v.c.Request
	var depts []bot.Text
	for _, a := range r.Departments {
		d := a.Department + " " + v.name(a.Contact)
		depts = append(depts, bot.Text{ZH: d, EN: d})
	}
	b.field("field.topic", r.Topic)
	b.field("field.goal", r.Goal)
	v.typedRequest(b)
	b.pair("field.departments", joined(depts))
	b.field("field.requirements", r.Requirements)
	b.field("field.deliverables", r.Deliverables)
	b.field("field.standard", r.Standard)
	b.field("field.due", v.stamp(r.Due))
	b.field("field.scope", r.Scope)
	b.field("field.cadence", r.Cadence)
	b.field("field.risks", r.Risks)
	for _, k := range sortedExtra(r) {
		b.fieldText(r.ExtraLabels[k], r.Extra[k])
	}
	b.field("field.coordinator", v.name(v.c.Coordinator))
}

func sortedExtra(r bot.Request) []string { return slices.Sorted(maps.Keys(r.Extra)) }

// button is an action labelled from the catalogue.
func button(key, command, style string) action {
	return action{Label: words.Text(key, nil), Command: command, Style: style}
}

func (v notice) boardButton() []action {
	return []action{button("button.board", "board "+v.c.ID.String(), "")}
}

// args are the placeholders most notices fill: the collaboration's
// reference and topic and what the notice is about, plus extra.
func (v notice) args(extra words.Args) words.Args {
	a := words.Args{"subject": v.n.Subject}
	if v.c != nil {
		a["ref"], a["topic"] = v.c.ID.String(), v.c.Request.Topic
	}
	return a.With(extra)
}

func reviewRequested(v notice) (bot.Text, bot.Text, []action) {
	ref := v.c.ID.String()
	var b body
	b.say("notice.review_requested.intro", words.Args{"requester": v.name(v.c.Requester)})
	v.request(&b)
	b.say("notice.review_requested.reject_hint", v.args(nil))
	return words.Text("notice.review_requested.title", nil), b.text(),
		[]action{button("button.approve", "review "+ref+" approve", "primary"), button("button.reject", "review "+ref+" reject", "danger")}
}

func ackButtons(ref, dept string) []action {
	if dept != "" {
		dept = " " + dept
	}
	return []action{
		button("button.accept", "ack "+ref+dept+" accept", "primary"),
		button("button.decline", "ack "+ref+dept+" decline", "danger"),
		button("button.need_info", "ack "+ref+dept+" info", ""),
	}
}

func ackRequested(v notice) (bot.Text, bot.Text, []action) {
	var b body
	intro, within, title, buttons, typed := v.typedAsk()
	again := v.askedAgain(&b, typed)
	if typed {
		b.say(intro, words.Args{"requester": v.name(v.c.Requester), "department": v.param("department")})
		v.request(&b)
		b.say(within, words.Args{"span": v.within(v.policy.Acknowledgement.After), "deadline": v.stamp(v.c.Request.Due), "ref": v.c.ID.String()})
		return words.Text(title, nil), b.text(), buttons // a type's own ask, again or not
	}
	b.say("notice.ack_requested.intro", words.Args{"requester": v.name(v.c.Requester), "department": v.param("department")})
	v.request(&b)
	b.say("notice.ack_requested.answer_within", words.Args{"span": v.within(v.policy.Acknowledgement.After)})
	if again {
		return words.Text("notice.ack_requested.title_again", nil), b.text(), ackButtons(v.c.ID.String(), "")
	}
	return words.Text("notice.ack_requested.title", nil), b.text(), ackButtons(v.c.ID.String(), "")
}

// askedAgain opens the card of a department asked anew with why: it had
// accepted and the request changed, or its decline or question was set
// aside (the request edited, or its contact named again). It reports
// whether the department was asked again. A type's ask (a read receipt,
// an approval) says only what changed: "accepted" is a project's word.
func (v notice) askedAgain(b *body, typed bool) bool {
	was := v.param("again")
	if was == "" {
		return false
	}
	a := words.Args{"department": v.param("department"), "by": v.name(bot.PersonID(v.param("by"))), "fields": v.changedFields()}
	switch bot.AckStatus(was) {
	case bot.AckAccepted:
		if typed {
			b.say("notice.ack_requested.changes", a)
			break
		}
		b.say("notice.ack_requested.again_accepted", a)
	case bot.AckNeedsInfo:
		b.say("notice.ack_requested.again_needs_info", a)
	default:
		b.say("notice.ack_requested.again_declined", a)
		if v.param("changes") != "" {
			b.say("notice.ack_requested.changes", a)
		}
	}
	if v.param("changes") != "" {
		b.line(v.changes())
	}
	return true
}

func reviewRejected(v notice) (bot.Text, bot.Text, []action) {
	ref := v.c.ID.String()
	return words.Text("notice.review_rejected.title", nil),
		words.Text("notice.review_rejected.body", v.args(words.Args{"comments": v.param("comments")})),
		[]action{button("button.edit", "edit "+ref, "primary"), button("button.resubmit", "resubmit "+ref, "")}
}

// waiting lists the departments that have not answered, with contacts.
func (v notice) waiting() (bot.Text, bool) {
	var items []bot.Text
	for _, a := range v.c.Acks {
		if a.Status == bot.AckPending || a.Status == bot.AckNeedsInfo {
			items = append(items, words.Text("notice.waiting_item", words.Args{"department": a.Department, "contact": v.name(a.Contact)}))
		}
	}
	return joined(items), len(items) > 0
}

func requestSubmitted(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.say("notice.request_submitted.intro", v.args(words.Args{"requester": v.name(v.c.Requester), "due": v.stamp(v.c.Request.Due)}))
	if depts, ok := v.waiting(); ok {
		b.say("notice.request_submitted.waiting", words.Args{"departments": depts})
	}
	return words.Text("notice.request_submitted.title", nil), b.text(), v.boardButton()
}

// ackDetailsAdded tells the requester what a department added to its
// acceptance (承接范围, 资源需求) after it accepted.
func ackDetailsAdded(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.say("notice.ack_details_added.intro", v.args(words.Args{"department": v.param("department")}))
	b.field("field.ack_scope", v.param("scope"))
	b.field("field.resources", v.param("resources"))
	return words.Text("notice.ack_details_added.title", nil), b.text(), v.boardButton()
}

func ackAccepted(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.say("notice.ack_accepted.intro", v.args(words.Args{"department": v.param("department")}))
	v.answeredBy(&b)
	b.field("field.ack_scope", v.param("scope"))
	b.field("field.resources", v.param("resources"))
	b.field("field.ack_risks", v.param("risks"))
	if depts, ok := v.waiting(); ok {
		b.say("notice.ack_accepted.waiting", words.Args{"departments": depts})
	}
	return words.Text("notice.ack_accepted.title", nil), b.text(), nil
}

func ackDeclined(v notice) (bot.Text, bot.Text, []action) {
	ref, dept := v.c.ID.String(), v.param("department")
	var b body
	b.say("notice.ack_declined.intro", v.args(words.Args{"department": dept}))
	v.answeredBy(&b)
	b.field("field.reason", v.param("reason"))
	b.field("field.alternative", v.param("alternative"))
	hint := "notice.ack_declined.hint"
	if v.c.Has(bot.StepApproval) {
		hint = "notice.ack_declined.hint_approval" // the head decides: naming another contact would not change that
	}
	b.say(hint, v.args(words.Args{"department": dept}))
	return words.Text("notice.ack_declined.title", nil), b.text(),
		[]action{{Label: words.Text("button.drop", words.Args{"department": dept}), Command: "drop " + ref + " " + dept, Style: "danger"}}
}

func ackNeedsInfo(v notice) (bot.Text, bot.Text, []action) {
	var b body
	dept := words.Args{"department": v.param("department")}
	b.say("notice.ack_needs_info.intro", v.args(dept))
	v.answeredBy(&b)
	b.field("field.question", v.param("question"))
	b.say("notice.ack_needs_info.hint", v.args(dept))
	return words.Text("notice.ack_needs_info.title", nil), b.text(), nil
}

// answeredBy names who answered for a department when it was not its
// contact (a head answering for the team), so the contact knows.
func (v notice) answeredBy(b *body) {
	if by := v.param("by"); by == "" || by == v.param("contact") {
		return
	}
	b.field("field.answered_by", v.name(bot.PersonID(v.param("by"))))
}

func infoSupplied(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.say("notice.info_supplied.intro", v.args(nil))
	b.field("field.your_question", v.param("question"))
	b.field("field.answer", v.param("answer"))
	b.say("notice.info_supplied.answer_within", words.Args{"span": v.within(v.policy.Acknowledgement.After)})
	return words.Text("notice.info_supplied.title", nil), b.text(), ackButtons(v.c.ID.String(), v.param("department"))
}

func riskRaisedOnAck(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.say("notice.risk_raised_on_ack.intro", words.Args{"department": v.param("department"), "risk": v.n.Subject,
		"span": v.within(v.policy.RiskResponse.After)})
	b.field("field.risk", v.param("description"))
	return words.Text("notice.risk_raised_on_ack.title", nil), b.text(),
		[]action{button("button.severity", "risk "+v.n.Subject+" severity high", "")}
}

func activated(v notice) (bot.Text, bot.Text, []action) {
	if body, ok := v.typedActivated(); ok {
		return words.Text("notice.activated.title", nil), body, v.boardButton()
	}
	// With the goal consensus or the plans still to come, work waits for
	// them (tasks are refused until then): say so, and offer those.
	var next []bot.Text
	var buttons []action
	if v.c.Consensus.Open() {
		next = append(next, words.Text("notice.activated.next_signoff", v.args(nil)))
		buttons = append(buttons, button("button.view_signoff", "signoff "+v.c.ID.String(), "primary"))
	}
	if v.c.PlanApproval.Open() {
		next = append(next, words.Text("notice.activated.next_plans", v.args(nil)))
		buttons = append(buttons, button("button.view_plans", "plan "+v.c.ID.String(), ""))
	}
	if len(next) > 0 {
		return words.Text("notice.activated.title", nil),
			words.Text("notice.activated.steps_body", v.args(words.Args{"coordinator": v.name(v.c.Coordinator), "next": joinTexts(next)})),
			append(buttons, v.boardButton()...)
	}
	return words.Text("notice.activated.title", nil),
		words.Text("notice.activated.body", v.args(words.Args{"coordinator": v.name(v.c.Coordinator)})),
		// Planning and delivery start here, where a platform without a
		// home page (DingTalk) has nowhere else to press them.
		[]action{button("home.button.add_task", "task add "+v.c.ID.String(), "primary"),
			button("home.button.deliver", "deliver "+v.c.ID.String(), ""), v.boardButton()[0]}
}

func cancelled(v notice) (bot.Text, bot.Text, []action) {
	return words.Text("notice.cancelled.title", nil),
		words.Text("notice.cancelled.body", v.args(words.Args{"reason": v.param("reason")})), nil
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

// taskArgs are a task notice's placeholders: the task, its title and
// when it is due.
func (v notice) taskArgs(extra words.Args) words.Args {
	return v.args(words.Args{"task": v.n.Subject, "title": v.param("title"), "due": v.when("due")}).With(extra)
}

func taskAssigned(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.say("notice.task_assigned.intro", v.taskArgs(nil))
	if due, err := time.Parse(time.RFC3339, v.param("due")); err == nil && !v.n.At.IsZero() && v.n.At.After(due) {
		// Handed over past its due time: the owner hears it here, not in a
		// "deadline reached" that would come before this notice.
		b.say("notice.task_assigned.past_due", v.taskArgs(nil))
	}
	if t := v.task(); t != nil {
		b.field("field.task_description", t.Description)
		b.pair("field.department", words.Text("notice.task_assigned.department", words.Args{"department": t.Department, "role": both(t.Role.Label)}))
		b.field("field.standard", t.Standard)
	}
	b.say("notice.task_assigned.progress_hint", v.taskArgs(words.Args{"at": clockText(v.policy.DailyProgress.At)}))
	return words.Text("notice.task_assigned.title", v.taskArgs(nil)), b.text(),
		[]action{button("button.start", "task "+v.n.Subject+" start", "primary")}
}

// owner names the owner of the task a notice is about.
func (v notice) owner() string {
	if t := v.task(); t != nil {
		return v.name(t.Owner)
	}
	return ""
}

func taskCollaborator(v notice) (bot.Text, bot.Text, []action) {
	a := v.taskArgs(words.Args{"owner": v.owner()})
	return words.Text("notice.task_collaborator.title", a), words.Text("notice.task_collaborator.body", a), nil
}

// taskHelp writes the notice of a task that needs help or is blocked.
func taskHelp(title, text string) func(v notice) (bot.Text, bot.Text, []action) {
	return func(v notice) (bot.Text, bot.Text, []action) {
		a := v.taskArgs(words.Args{"owner": v.owner(), "note": v.param("note")})
		return words.Text(title, a), words.Text(text, a), v.boardButton()
	}
}

func taskMoved(v notice) (bot.Text, bot.Text, []action) {
	a := v.taskArgs(words.Args{"before": v.when("before"), "reason": v.param("reason")})
	return words.Text("notice.task_moved.title", a), words.Text("notice.task_moved.body", a), nil
}

func meetingInvited(v notice) (bot.Text, bot.Text, []action) {
	var b body
	if m := v.meeting(); m != nil {
		b.say("notice.meeting_invited.intro", v.args(words.Args{"organiser": v.name(m.Organiser), "kind": both(m.Kind.Label),
			"start": v.when("start"), "minutes": int(m.Duration.Minutes())}))
		b.list("field.agenda", m.Agenda)
		b.list("field.materials", m.Materials)
		if len(m.Agenda) == 0 {
			b.say("notice.meeting_invited.agenda_follows", words.Args{"span": v.within(v.policy.Agenda.After)})
		}
	}
	return words.Text("notice.meeting_invited.title", words.Args{"meeting": v.n.Subject}), b.text(), nil
}

func minutesToConfirm(v notice) (bot.Text, bot.Text, []action) {
	var b body
	mt := words.Args{"meeting": v.n.Subject}
	if m := v.meeting(); m != nil && m.Minutes != nil {
		b.say("notice.minutes_to_confirm.intro", mt.With(words.Args{"by": v.name(m.Minutes.By)}))
		v.minutes(&b, m.Minutes)
		b.say("notice.minutes_to_confirm.hint", mt)
	}
	return words.Text("notice.minutes_to_confirm.title", mt), b.text(),
		[]action{button("button.confirm", "confirm "+v.n.Subject, "primary")}
}

// minutesAmended asks attendees to confirm amended minutes: what changed
// (old → new), then the minutes as they now read.
func minutesAmended(v notice) (bot.Text, bot.Text, []action) {
	var b body
	mt := words.Args{"meeting": v.n.Subject, "by": v.name(bot.PersonID(v.param("by")))}
	b.say("notice.minutes_amended.intro", mt)
	labels := map[string]string{"decisions": "field.decisions", "actions": "record.label.actions", "risks": "field.minutes_risks"}
	for _, part := range strings.Split(v.param("changes"), "; ") {
		if key, change, ok := strings.Cut(part, ": "); ok {
			label := bot.Text{ZH: key, EN: key}
			if k, ok := labels[key]; ok {
				label = words.Text(k, nil)
			}
			b.bullet(words.Text("format.field", words.Args{"label": label, "value": bot.Text{ZH: change, EN: change}}))
		}
	}
	if m := v.meeting(); m != nil && m.Minutes != nil {
		b.say("notice.minutes_amended.now", nil)
		v.minutes(&b, m.Minutes)
	}
	b.say("notice.minutes_amended.hint", mt)
	return words.Text("notice.minutes_amended.title", mt), b.text(),
		[]action{button("button.confirm", "confirm "+v.n.Subject, "primary")}
}

// minutes quotes what the minutes decided and who does what by when.
func (v notice) minutes(b *body, mn *bot.Minutes) {
	b.list("field.decisions", mn.Decisions)
	var items []bot.Text
	for _, id := range mn.Actions {
		if t, err := v.c.Task(id); err == nil {
			items = append(items, words.Text("notice.minutes_action",
				words.Args{"task": t.ID.String(), "title": t.Title, "owner": v.name(t.Owner), "due": v.stamp(t.Due)}))
		}
	}
	if len(items) > 0 {
		b.say("notice.minutes_actions", nil)
		for _, it := range items {
			b.bullet(it)
		}
	}
	b.list("field.minutes_risks", mn.Risks)
}

// meetingUninvited tells someone invited by mistake that the meeting no
// longer expects them: what it is and when, so they can drop it.
func meetingUninvited(v notice) (bot.Text, bot.Text, []action) {
	mt := words.Args{"meeting": v.n.Subject}
	var body bot.Text
	if m := v.meeting(); m != nil {
		body = words.Text("notice.meeting_uninvited.body", v.args(words.Args{"meeting": v.n.Subject, "organiser": v.name(bot.PersonID(v.param("by"))),
			"kind": both(m.Kind.Label), "start": v.when("start")}))
	}
	return words.Text("notice.meeting_uninvited.title", mt), body, nil
}

func meetingCancelled(v notice) (bot.Text, bot.Text, []action) {
	var b body
	// Attendees placing the meeting need what it was and when.
	if m := v.meeting(); m != nil {
		b.say("notice.meeting_cancelled.what", v.args(words.Args{"meeting": v.n.Subject, "kind": both(m.Kind.Label), "start": v.when("start")}))
	} else {
		b.say("notice.meeting_cancelled.intro", v.args(words.Args{"meeting": v.n.Subject}))
	}
	b.field("field.reason", v.param("reason"))
	return words.Text("notice.meeting_cancelled.title", words.Args{"meeting": v.n.Subject}), b.text(), nil
}

func progressProblem(v notice) (bot.Text, bot.Text, []action) {
	return words.Text("notice.progress_problem.title", nil),
		words.Text("notice.progress_problem.body", words.Args{"person": v.name(bot.PersonID(v.param("person"))),
			"problems": bot.Truncate(v.param("problems"), maxQuote)}),
		v.boardButton()
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
	b.field("field.risk_description", r.Description)
	b.field("field.impact", r.Impact)
	b.say("format.field", words.Args{"label": words.Text("field.severity", nil), "value": both(r.Severity.Label)})
	b.field("field.owner_department", r.Department+" "+v.name(r.Owner))
	if !r.Due.IsZero() {
		b.field("field.expected_resolution", v.stamp(r.Due))
	}
	b.field("field.mitigation", r.Mitigation)
	b.field("field.raised", v.name(r.RaisedBy)+" "+v.stamp(r.RaisedAt))
}

func riskAssigned(v notice) (bot.Text, bot.Text, []action) {
	var b body
	rk := words.Args{"risk": v.n.Subject}
	b.say("notice.risk_assigned.intro", rk.With(words.Args{"span": v.within(v.policy.RiskResponse.After)}))
	if r := v.risk(); r != nil {
		v.riskCard(&b, r)
	}
	return words.Text("notice.risk_assigned.title", rk), b.text(),
		[]action{button("button.respond", "risk "+v.n.Subject+" respond", "primary")}
}

func riskEscalated(v notice) (bot.Text, bot.Text, []action) {
	var b body
	rk := words.Args{"risk": v.n.Subject}
	b.say("notice.risk_escalated.intro", v.args(rk.With(words.Args{"due": v.stamp(v.c.Request.Due)})))
	if r := v.risk(); r != nil {
		v.riskCard(&b, r)
		b.say("notice.risk_escalated.told", words.Args{"owner": v.name(r.Owner), "coordinator": v.name(v.c.Coordinator)})
	}
	return words.Text("notice.risk_escalated.title", rk), b.text(), v.boardButton()
}

func riskResponded(v notice) (bot.Text, bot.Text, []action) {
	var b body
	rk := words.Args{"risk": v.n.Subject}
	if r := v.risk(); r != nil {
		by := r.Owner
		if p := v.param("by"); p != "" {
			by = bot.PersonID(p)
		}
		b.say("notice.risk_responded.intro", rk.With(words.Args{"by": v.name(by), "description": bot.Truncate(r.Description, 60)}))
		b.field("field.response", r.Response)
		if !r.ResponseDue.IsZero() {
			b.field("field.expected_by", v.stamp(r.ResponseDue))
		}
	}
	return words.Text("notice.risk_responded.title", rk), b.text(), nil
}

func riskResolved(v notice) (bot.Text, bot.Text, []action) {
	var b body
	rk := words.Args{"risk": v.n.Subject}
	b.say("notice.risk_resolved.intro", rk)
	b.field("field.resolution", v.param("resolution"))
	return words.Text("notice.risk_resolved.title", rk), b.text(), nil
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
	return []action{button("button.pass", "accept "+ref+" pass", "primary"), button("button.fail", "accept "+ref+" fail", "danger")}
}

func acceptanceRequested(v notice) (bot.Text, bot.Text, []action) {
	var b body
	if d := v.delivery(); d != nil {
		b.say("notice.acceptance_requested.intro", words.Args{"by": v.name(d.By), "n": d.Number, "span": v.within(v.policy.Acceptance.After)})
		b.checklist(d)
		if v.param("changes") != "" {
			b.changed(bot.ParseChanges(v.param("changes")))
		}
		b.attached(d.Attachments)
		b.field("field.self_check", d.SelfCheck)
		b.field("field.standard", v.c.Request.Standard)
		b.say("checklist.accept_hint", words.Args{"ref": v.c.ID.String()})
	}
	return words.Text("notice.acceptance_requested.title", nil), b.text(), acceptanceButtons(v.c.ID.String())
}

func accepted(v notice) (bot.Text, bot.Text, []action) {
	return words.Text("notice.accepted.title", nil),
		words.Text("notice.accepted.body", v.args(words.Args{"coordinator": v.name(v.c.Coordinator), "span": v.within(v.policy.Retrospective.After)})),
		[]action{button("button.retro", "retro "+v.c.ID.String(), "primary")}
}

func acceptanceFailed(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.say("notice.acceptance_failed.intro", v.args(nil))
	b.field("field.accept_comments", v.param("comments"))
	b.list("field.rework", strings.Split(v.param("items"), "\n"))
	b.field("field.rework_due", v.when("due"))
	if v.param("partial") != "" {
		b.say("checklist.rework_only_failed", nil)
	}
	return words.Text("notice.acceptance_failed.title", nil), b.text(),
		[]action{button("button.deliver", "deliver "+v.c.ID.String(), "primary")}
}

func retrospectiveDue(v notice) (bot.Text, bot.Text, []action) {
	return words.Text("notice.retrospective_due.title", nil),
		words.Text("notice.retrospective_due.body", v.args(words.Args{"span": v.within(v.policy.Retrospective.After)})),
		[]action{button("button.retro", "retro "+v.c.ID.String(), "primary")}
}

func retrospectiveShared(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.say("notice.retrospective_shared.intro", v.args(nil))
	if r := v.c.Retrospective; r != nil {
		b.list("field.highlights", r.Highlights)
		b.list("field.improvements", r.Improvements)
		b.list("field.follow_ups", r.Actions)
	}
	return words.Text("notice.retrospective_shared.title", nil), b.text(),
		[]action{button("home.button.archive", "archive "+v.c.ID.String(), "primary")}
}

// retrospectiveRevised tells the group what a rewrite of the
// retrospective changed, not the whole of it again as if it were new.
func retrospectiveRevised(v notice) (bot.Text, bot.Text, []action) {
	var b body
	b.say("notice.retrospective_revised.intro", v.args(words.Args{"by": v.name(bot.PersonID(v.param("by")))}))
	b.line(v.changes())
	return words.Text("notice.retrospective_revised.title", nil), b.text(),
		[]action{button("home.button.archive", "archive "+v.c.ID.String(), "primary")}
}

func archived(v notice) (bot.Text, bot.Text, []action) {
	return words.Text("notice.archived.title", nil), words.Text("notice.archived.body", v.args(nil)),
		[]action{button("button.export", "export "+v.c.ID.String(), "")}
}

// joinTexts lists texts as each language lists things.
func joinTexts(ts []bot.Text) bot.Text {
	var zh, en []string
	for _, t := range ts {
		zh, en = append(zh, t.ZH), append(en, t.EN)
	}
	return bot.Text{ZH: joinList(bot.Chinese, zh), EN: joinList(bot.English, en)}
}
