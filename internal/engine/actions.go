package engine

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
	"github.com/collabot/collabot/scheduler"
)

// actions commit a confirmed form: map its answers onto a domain rule and
// save. One entry per template.
var actions = map[string]func(ctx context.Context, s *session, d *dialog) error{
	"request":         commitRequest,
	"acknowledgement": commitAck,
	"review":          commitReview,
	"task":            commitTask,
	"progress":        commitProgress,
	"meeting":         commitMeeting,
	"agenda":          commitAgenda,
	"minutes":         commitMinutes,
	"risk":            commitRisk,
	"risk_response":   commitRiskResponse,
	"delivery":        commitDelivery,
	"acceptance":      commitAcceptance,
	"retrospective":   commitRetro,
	"resolution":      commitResolution,
}

func (s *session) loc() *time.Location { return s.e.Calendar.Location() }

func first[T any](xs []T) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	return xs[0]
}

// change loads the collaboration a dialog is about, applies rule and saves.
func (s *session) change(ctx context.Context, ref string, rule func(c *bot.Collaboration) error) (*bot.Collaboration, error) {
	c, err := s.collab(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := rule(c); err != nil {
		return nil, err
	}
	return c, s.tx.Save(ctx, c)
}

func (s *session) nextID(ctx context.Context, kind bot.IDKind) (int64, error) {
	return s.tx.NextID(ctx, kind)
}

// requestKeys are the request form's fields the domain knows by name;
// any other field of the template is kept as an extra of the request.
var requestKeys = []string{"topic", "goal", "departments", "contacts", "requirements", "deliverables",
	"standard", "due", "scope", "cadence", "risks", "coordinator",
	"type", "problem", "impact", "content", "resource_kind", "resource", "quantity", "start", "end", "boundaries", "confirm_by"}

// request reads a confirmed request form. Its contacts go to the
// departments they belong to, whatever order they were typed in.
func (s *session) request(d *dialog) (bot.Request, error) {
	v := s.activeValues(d)
	depts, err := s.dir.MatchContacts("contacts", v.Departments("departments"), v.People("contacts"))
	if err != nil {
		return bot.Request{}, err
	}
	req := bot.Request{
		Topic: v.Text("topic"), Goal: v.Text("goal"), Departments: depts,
		Requirements: v.Text("requirements"), Deliverables: v.Text("deliverables"), Standard: v.Text("standard"),
		Due: v.Time("due", s.loc()), Scope: v.Text("scope"), Cadence: v.Text("cadence"), Risks: v.Text("risks"),
		Coordinator: v.Person("coordinator"),
	}
	s.typedRequest(v, &req)
	for _, f := range d.template(s).Fields {
		if slices.Contains(requestKeys, f.Key) || v[f.Key] == "" {
			continue
		}
		if req.Extra == nil {
			req.Extra, req.ExtraLabels = map[string]string{}, map[string]bot.Text{}
		}
		req.Extra[f.Key], req.ExtraLabels[f.Key] = s.display(f, v[f.Key]), f.Label
	}
	return req, nil
}

// requestValues are a collaboration's request as the form's answers, for
// editing it.
func (s *session) requestValues(c *bot.Collaboration) forms.Values {
	r := c.Request
	var depts, contacts []string
	named := false // a contact other than the department's own
	for _, a := range r.Departments {
		depts, contacts = append(depts, a.Department), append(contacts, string(a.Contact))
		if d, ok := s.dir.Department(a.Department); ok && a.Contact != d.Contact && (d.Contact != "" || a.Contact != d.Head) {
			named = true
		}
	}
	if !named {
		contacts = nil
	}
	v := forms.Values{"topic": r.Topic, "goal": r.Goal, "departments": strings.Join(depts, ","),
		"contacts": strings.Join(contacts, ","), "requirements": r.Requirements, "deliverables": r.Deliverables,
		"standard": r.Standard, "scope": r.Scope, "cadence": r.Cadence, "risks": r.Risks,
		"coordinator": string(c.Coordinator)}
	if !r.Due.IsZero() {
		v["due"] = r.Due.In(s.loc()).Format(forms.TimeLayout)
	}
	s.typedValues(c, v)
	for k, x := range r.Extra {
		v[k] = x
	}
	for k, x := range v {
		if x == "" {
			delete(v, k)
		}
	}
	return v
}

func commitRequest(ctx context.Context, s *session, d *dialog) error {
	if d.Target != "" {
		return commitEdit(ctx, s, d)
	}
	id, err := s.nextID(ctx, bot.KindCollab)
	if err != nil {
		return err
	}
	kind, _ := s.e.Forms.Type(d.Values["type"])
	req, err := s.request(d)
	if err != nil {
		return err
	}
	c, err := bot.NewTyped(s.dir, bot.CollabID(id), s.actor, req, kind, s.now)
	if err != nil {
		return err
	}
	if !s.msg.Direct {
		c.Group = s.group()
	}
	if err := c.Submit(s.dir, s.actor, s.now); err != nil {
		return err
	}
	if err := s.tx.Save(ctx, c); err != nil {
		return err
	}
	s.submitted(c, s.w("reply.submitted.filed", nil))
	return nil
}

// submitted says where a request went: to first review, or to the
// departments with the date their answers are due.
func (s *session) submitted(c *bot.Collaboration, lead string) {
	if c.Status == bot.StatusInReview {
		dept, _ := s.dir.Department(c.RequestingDept)
		s.sayKey("reply.submitted.to_review", words.Args{"lead": lead, "ref": c.ID, "topic": c.Request.Topic,
			"department": c.RequestingDept, "head": s.name(dept.Head)})
		return
	}
	var who []string
	for _, a := range c.Acks {
		who = append(who, a.Department+" "+s.name(a.Contact))
	}
	s.sayKey("reply.submitted.to_departments", words.Args{"lead": lead, "ref": c.ID, "topic": c.Request.Topic,
		"contacts": joinList(s.lang, who), "due": s.fmtTime(s.ackDueOf(c))})
}

// ackDueOf is when c's departments' answers are due: by its own
// acknowledgement timer (24 hours for a problem's first response), or by
// its deadline where that timer is off (an alignment's confirmations).
func (s *session) ackDueOf(c *bot.Collaboration) time.Time {
	if p := s.e.Policy.For(c); p.Acknowledgement.On || c.Request.Due.IsZero() {
		return s.e.Calendar.Add(s.now, p.Acknowledgement.After)
	}
	return c.Request.Due
}

func (s *session) ackDue() time.Time {
	return s.e.Calendar.Add(s.now, s.e.Policy.Acknowledgement.After)
}

func (s *session) fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(s.loc()).Format("2006-01-02 15:04")
}

var ackDecisions = map[string]bot.AckStatus{"accept": bot.AckAccepted, "decline": bot.AckDeclined, "info": bot.AckNeedsInfo}

func commitAck(ctx context.Context, s *session, d *dialog) error {
	ref, dept := splitTarget(d.Target)
	v := d.Values
	ans := bot.Answer{Decision: ackDecisions[v.Text("decision")], Scope: v.Text("scope"), Resources: v.Text("resources"),
		Risks: v.Text("risks"), Reason: v.Text("reason"), Alternative: v.Text("alternative"), Question: v.Text("question")}
	if ans.Risks != "" {
		n, err := s.nextID(ctx, bot.KindRisk)
		if err != nil {
			return err
		}
		ans.RiskID = bot.RiskID(n)
	}
	if details, err := s.accepted(ctx, ref, dept, ans); details || err != nil {
		return err
	}
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error { return c.Acknowledge(s.actor, dept, ans, s.now) })
	if err != nil {
		return err
	}
	switch ans.Decision {
	case bot.AckAccepted:
		s.sayKey("reply.ack.accepted", words.Args{"department": dept, "ref": c.ID})
		if ans.Scope+ans.Resources+ans.Risks == "" {
			s.offerDetails(c.ID.String(), dept)
		}
		if ans.RiskID != 0 {
			s.sayKey("reply.ack.risks_registered", words.Args{"risk": ans.RiskID})
		}
		if c.Status == bot.StatusActive {
			s.sayKey("reply.ack.all_accepted", words.Args{"ref": c.ID})
		}
	case bot.AckDeclined:
		s.sayKey("reply.ack.declined", words.Args{"department": dept, "ref": c.ID})
	case bot.AckNeedsInfo:
		s.sayKey("reply.ack.question_sent", nil)
	}
	return nil
}

func commitReview(ctx context.Context, s *session, d *dialog) error {
	approve := d.Values.Text("decision") == "approve"
	c, err := s.change(ctx, d.Target, func(c *bot.Collaboration) error {
		return c.Review(s.dir, s.actor, approve, d.Values.Text("comments"), s.now)
	})
	if err != nil {
		return err
	}
	if approve {
		s.sayKey("reply.review.approved", words.Args{"ref": c.ID})
	} else {
		s.sayKey("reply.review.rejected", words.Args{"ref": c.ID})
	}
	return nil
}

func commitTask(ctx context.Context, s *session, d *dialog) error {
	v := d.Values
	n, err := s.nextID(ctx, bot.KindTask)
	if err != nil {
		return err
	}
	t := bot.Task{ID: bot.TaskID(n), Title: v.Text("title"), Description: v.Text("description"),
		Department: first(v.Departments("department")), Owner: v.Person("owner"),
		Collaborators: v.People("collaborators"), Start: v.Time("start", s.loc()), Due: v.Time("due", s.loc()),
		Standard: v.Text("standard")}
	if r := v.Text("role"); r != "" {
		if t.Role, err = bot.ParseDeptRole(r); err != nil {
			return err
		}
	}
	t.Parent = bot.TaskID(v.Ref("parent")) // the form checked it is a T-n
	c, err := s.change(ctx, d.Target, func(c *bot.Collaboration) error { return s.addTaskFor(c, t) })
	if err != nil {
		return err
	}
	s.taskAddedReply(c, t.ID)
	return nil
}

func commitProgress(ctx context.Context, s *session, d *dialog) error {
	v := d.Values
	u := bot.ProgressUpdate{Day: s.now.In(s.loc()).Format(time.DateOnly), Done: v.Text("done"),
		NotDone: v.Text("pending"), Problems: v.Text("problems"), Changes: v.Statuses("status"), Attachments: d.Attachments}
	for i, ch := range u.Changes {
		// The problems of the update say what a task needing help needs.
		if (ch.Status == bot.TaskNeedsHelp || ch.Status == bot.TaskBlocked) && ch.Note == "" {
			u.Changes[i].Note = u.Problems
		}
	}
	var prev *bot.ProgressUpdate
	c, err := s.change(ctx, d.Target, func(c *bot.Collaboration) error {
		var err error
		if prev, err = s.todaysProgress(ctx, c); err != nil {
			return err
		}
		_, err = c.ReplaceProgress(s.actor, prev, u, s.now)
		return err
	})
	if err != nil {
		return err
	}
	if prev != nil {
		s.sayKey("reply.progress.replaced", words.Args{"ref": c.ID, "at": prev.At.In(s.loc()).Format("15:04")})
	} else {
		s.sayKey("reply.progress.recorded", words.Args{"ref": c.ID})
	}
	if u.Problems != "" {
		s.sayKey("reply.progress.problems_sent", words.Args{"coordinator": s.name(c.Coordinator)})
	}
	return nil
}

func commitMeeting(ctx context.Context, s *session, d *dialog) error {
	v := d.Values
	kind, err := bot.ParseMeetingKind(v.Text("kind"))
	if err != nil {
		return err
	}
	n, err := s.nextID(ctx, bot.KindMeeting)
	if err != nil {
		return err
	}
	m := bot.Meeting{ID: bot.MeetingID(n), Kind: kind, Start: v.Time("start", s.loc()), Duration: v.Duration("duration"),
		Attendees: v.People("attendees"), Agenda: v.List("agenda"), Materials: v.List("materials")}
	if m.Duration == 0 {
		m.Duration = time.Hour
	}
	c, err := s.change(ctx, d.Target, func(c *bot.Collaboration) error { return c.ScheduleMeeting(s.dir, s.actor, m, s.now) })
	if err != nil {
		return err
	}
	s.sayKey("reply.meeting.scheduled", words.Args{"meeting": m.ID, "kind": kind.Label(s.lang), "start": s.fmtTime(m.Start), "attendees": len(m.Attendees)})
	if len(m.Agenda) == 0 {
		before := s.spanText(s.e.Policy.For(c).Agenda.After)
		s.sayKey("reply.meeting.agenda_hint", words.Args{"meeting": m.ID, "before": before})
	}
	seriesHint(s, m)
	return nil
}

func meetingTarget(ctx context.Context, s *session, target string) (*bot.Collaboration, bot.MeetingID, error) {
	c, n, err := s.owner(ctx, bot.KindMeeting, target)
	return c, bot.MeetingID(n), err
}

// occurrenceOf is the date of an occurrence a form is about ("" for a
// single meeting).
func occurrenceOf(target string) string {
	_, on, _ := meetingRef(target)
	return on
}

func commitAgenda(ctx context.Context, s *session, d *dialog) error {
	c, id, err := meetingTarget(ctx, s, d.Target)
	if err != nil {
		return err
	}
	if err := c.SetOccurrenceAgenda(s.e.Calendar, s.actor, id, occurrenceOf(d.Target), d.Values.List("agenda"), d.Values.List("materials"), s.now); err != nil {
		return err
	}
	if err := s.tx.Save(ctx, c); err != nil {
		return err
	}
	key := "reply.meeting.agenda_set"
	if s.agendaGoesNow(c, id, occurrenceOf(d.Target)) {
		key = "reply.meeting.agenda_set_now"
	}
	s.sayKey(key, words.Args{"meeting": canonicalTarget(c, d.Target), "span": s.spanText(s.e.Policy.For(c).Agenda.After)})
	return nil
}

// agendaGoesNow tells whether the scheduler's moment to send the agenda
// has passed, so that it goes to the attendees at its next tick rather
// than "24 hours before".
func (s *session) agendaGoesNow(c *bot.Collaboration, id bot.MeetingID, on string) bool {
	m, err := c.Meeting(id)
	if err == nil && on != "" {
		m, err = c.Occurrence(s.e.Calendar, id, on)
	}
	if err != nil {
		return false
	}
	return !s.now.Before(scheduler.AgendaDue(s.e.Calendar, s.e.Policy.For(c), m.Start))
}

func commitMinutes(ctx context.Context, s *session, d *dialog) error {
	c, id, err := meetingTarget(ctx, s, d.Target)
	if err != nil {
		return err
	}
	if m, err := minutesMeeting(s, c, id, occurrenceOf(d.Target)); err == nil && m.Minutes != nil {
		return commitAmend(ctx, s, d, c, id, m)
	}
	var items []bot.ActionItem
	for _, a := range d.Values.Actions("actions", s.loc()) {
		n, err := s.nextID(ctx, bot.KindTask)
		if err != nil {
			return err
		}
		items = append(items, bot.ActionItem{Task: bot.Task{ID: bot.TaskID(n), Title: a.What, Owner: a.Owner, Due: a.Due}})
	}
	var risks []bot.Risk
	for _, text := range d.Values.List("risks") {
		n, err := s.nextID(ctx, bot.KindRisk)
		if err != nil {
			return err
		}
		risks = append(risks, bot.Risk{ID: bot.RiskID(n), Description: text})
	}
	if err := c.RecordOccurrenceMinutes(s.e.Calendar, s.dir, s.actor, id, occurrenceOf(d.Target), d.Values.List("decisions"), items, risks, s.now); err != nil {
		return err
	}
	var asked []bot.TaskID
	if c.ConfirmsTasks(s.e.Policy.TaskConfirmation.On) {
		ids := make([]bot.TaskID, len(items))
		for i, it := range items {
			ids[i] = it.Task.ID
		}
		asked = c.AskHeads(s.dir, s.actor, ids, s.now)
	}
	if len(d.Attachments) > 0 {
		if err := c.AttachToMinutes(s.e.Calendar, id, occurrenceOf(d.Target), d.Attachments, s.now); err != nil {
			return err
		}
	}
	if err := s.tx.Save(ctx, c); err != nil {
		return err
	}
	var tasks, registered []string
	for _, it := range items {
		t, _ := c.Task(it.Task.ID)
		tasks = append(tasks, s.w("reply.meeting.action_task", words.Args{"task": t.ID, "title": t.Title, "owner": s.name(t.Owner), "department": t.Department}))
	}
	for _, r := range risks {
		registered = append(registered, r.ID.String())
	}
	s.sayKey("reply.meeting.minutes_recorded", words.Args{"meeting": canonicalTarget(c, d.Target)})
	if len(tasks) > 0 {
		s.sayKey("reply.meeting.actions_became_tasks", words.Args{"tasks": joinList(s.lang, tasks)})
	}
	for _, it := range items {
		// Recorded, but it cannot start before its department's plan is approved.
		if t, _ := c.Task(it.Task.ID); t != nil && c.WaitsForPlan(t.Department) {
			s.sayKey("reply.meeting.task_waits_plan", words.Args{"task": t.ID, "department": t.Department, "ref": c.ID})
		}
	}
	if len(asked) > 0 {
		var heads []string
		for _, id := range asked {
			t, _ := c.Task(id)
			if h := s.name(t.Confirmation.Head); !slices.Contains(heads, h) {
				heads = append(heads, h)
			}
		}
		s.sayKey("reply.meeting.actions_await_heads", words.Args{"heads": joinList(s.lang, heads)})
	}
	if len(registered) > 0 {
		s.sayKey("reply.meeting.risks_registered", words.Args{"risks": joinList(s.lang, registered), "coordinator": s.name(c.Coordinator)})
	}
	return nil
}

func commitRisk(ctx context.Context, s *session, d *dialog) error {
	v := d.Values
	sev, err := bot.ParseSeverity(v.Text("severity"))
	if err != nil {
		return err
	}
	n, err := s.nextID(ctx, bot.KindRisk)
	if err != nil {
		return err
	}
	r := bot.Risk{ID: bot.RiskID(n), Description: v.Text("description"), Impact: v.Text("impact"), Severity: sev,
		Due: v.Time("due", s.loc()), Department: first(v.Departments("department")), Owner: v.Person("owner"),
		Mitigation: v.Text("mitigation"), Attachments: d.Attachments}
	if r.Department == "" {
		r.Department = s.actor.PrimaryDepartment()
	}
	c, err := s.change(ctx, d.Target, func(c *bot.Collaboration) error { return c.RaiseRisk(s.dir, s.actor, r, s.now) })
	if err != nil {
		return err
	}
	saved, _ := c.Risk(r.ID)
	s.sayKey("reply.risk.registered", words.Args{"risk": r.ID, "severity": sev.Label(s.lang), "owner": s.name(saved.Owner), "span": s.spanText(s.e.Policy.For(c).RiskResponse.After)})
	if sev == bot.SeverityHigh {
		s.sayKey("reply.risk.escalated_high", nil)
	}
	return nil
}

func riskTarget(ctx context.Context, s *session, target string) (*bot.Collaboration, bot.RiskID, error) {
	c, n, err := s.owner(ctx, bot.KindRisk, target)
	return c, bot.RiskID(n), err
}

func commitRiskResponse(ctx context.Context, s *session, d *dialog) error {
	c, id, err := riskTarget(ctx, s, d.Target)
	if err != nil {
		return err
	}
	if err := c.RespondRisk(s.actor, id, d.Values.Text("response"), d.Values.Time("due", s.loc()), s.now); err != nil {
		return err
	}
	if err := s.tx.Save(ctx, c); err != nil {
		return err
	}
	s.sayKey("reply.risk.responded", words.Args{"risk": id})
	return nil
}

func commitDelivery(ctx context.Context, s *session, d *dialog) error {
	c, err := s.change(ctx, d.Target, func(c *bot.Collaboration) error {
		if err := c.Deliver(s.actor, d.Values.Deliverables("items"), d.Values.Text("selfcheck"), s.now); err != nil {
			return err
		}
		if len(d.Attachments) == 0 {
			return nil
		}
		return c.AttachToDelivery(s.actor, d.Attachments)
	})
	if err != nil {
		return err
	}
	s.sayKey("reply.delivery.submitted", words.Args{"ref": c.ID, "requester": s.name(c.Requester), "span": s.spanText(s.e.Policy.For(c).Acceptance.After)})
	s.deliveryChanges(c)
	return nil
}

func commitAcceptance(ctx context.Context, s *session, d *dialog) error {
	v := d.Values
	verdict, err := bot.ParseVerdict(v.Text("verdict"))
	if err != nil {
		return err
	}
	due := v.Time("due", s.loc())
	c, err := s.change(ctx, d.Target, func(c *bot.Collaboration) error {
		if due.IsZero() && verdict == bot.VerdictFail {
			// No rework deadline given: the acceptance step's own span
			// (3 business days by default), the rule the chasing follows.
			due = s.e.Calendar.Add(s.now, s.e.Policy.For(c).Acceptance.After).Truncate(time.Minute)
		}
		return c.Decide(s.actor, verdict, v.Text("comments"), verdictLines(v, verdict), due, s.now)
	})
	if err != nil {
		return err
	}
	if verdict == bot.VerdictPass && c.Status == bot.StatusArchived {
		s.sayKey("reply.acceptance.passed_closed", words.Args{"ref": c.ID}) // its type has no retrospective
	} else if verdict == bot.VerdictPass {
		s.sayKey("reply.acceptance.passed", words.Args{"ref": c.ID, "span": s.spanText(s.e.Policy.For(c).Retrospective.After)})
	} else {
		s.sayKey("reply.acceptance.failed", words.Args{"ref": c.ID, "due": s.fmtTime(due)})
		s.reworkItems(c)
	}
	return nil
}

func commitRetro(ctx context.Context, s *session, d *dialog) error {
	v := d.Values
	r := bot.Retrospective{Highlights: v.List("highlights"), Improvements: v.List("improvements"), Actions: v.List("actions")}
	revised := false
	c, err := s.change(ctx, d.Target, func(c *bot.Collaboration) error {
		revised = c.Retrospective != nil
		return c.Retrospect(s.actor, r, s.now)
	})
	if err != nil {
		return err
	}
	if revised {
		s.sayKey("reply.retro.revised", words.Args{"ref": c.ID})
	} else {
		s.sayKey("reply.retro.recorded", words.Args{"ref": c.ID})
	}
	return nil
}

// quick commits a form without a dialog when the command already carries
// every required answer ("accept COL-3 pass"), and opens it otherwise.
func (s *session) quick(ctx context.Context, form, target string, v forms.Values) error {
	t, _ := s.e.Forms.Get(form)
	if len(t.Missing(v)) == 0 {
		if s.describing {
			return errNoForm // acts at once
		}
		if err := actions[form](ctx, s, &dialog{Form: form, Target: target, Values: v}); err != nil {
			return err
		}
		return s.settled(ctx, form, target)
	}
	return s.startForm(ctx, form, target, v, "")
}

func joinList(lang bot.Lang, items []string) string {
	return strings.Join(items, words.Get(lang, "format.join", nil))
}

// listOf is items listed as the reader's language lists them, for a
// refusal (whose reader's language is not known yet).
func listOf(items []string) bot.List {
	l := make(bot.List, len(items))
	for i, it := range items {
		l[i] = it
	}
	return l
}
