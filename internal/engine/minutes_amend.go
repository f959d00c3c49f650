package engine

import (
	"context"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// Amending minutes: `meeting M-n minutes` once they are recorded (or
// `meeting M-n amend` / `会议 M-n 更正`) opens the minutes form filled in
// with them; confirming it records what changed and asks the attendees to
// confirm again. Action items that already are tasks stay those tasks
// (bot/minutes_amend.go says why).

// openMinutes opens the minutes form of a meeting or of one occurrence
// (on): blank to record them, filled in to amend them once recorded.
func openMinutes(ctx context.Context, s *session, c *bot.Collaboration, id bot.MeetingID, on, body string) error {
	ref := id.String()
	if on != "" {
		ref += "#" + on
	}
	m, err := minutesMeeting(s, c, id, on)
	if err != nil || m.Minutes == nil {
		if err := probe(c, func(c *bot.Collaboration) error {
			return c.RecordOccurrenceMinutes(s.e.Calendar, s.dir, s.actor, id, on, []string{"x"}, nil, nil, s.now)
		}); err != nil {
			return err
		}
		return s.startForm(ctx, "minutes", ref, nil, body)
	}
	if err := c.MayAmendMinutes(s.e.Calendar, s.actor, id, on, s.now); err != nil {
		return err
	}
	t, _ := s.e.Forms.Get("minutes")
	d := &dialog{Form: "minutes", Target: ref, Values: s.minutesValues(c, m), Started: s.now, Pasted: true}
	return s.openFilled(ctx, t, d, body, "reply.meeting.amend_started", words.Args{"meeting": canonicalTarget(c, ref)})
}

// minutesMeeting is the meeting, or the occurrence on, a minutes form is about.
func minutesMeeting(s *session, c *bot.Collaboration, id bot.MeetingID, on string) (*bot.Meeting, error) {
	if on != "" {
		return c.Occurrence(s.e.Calendar, id, on)
	}
	return c.Meeting(id)
}

// minutesValues are recorded minutes as the form's answers.
func (s *session) minutesValues(c *bot.Collaboration, m *bot.Meeting) forms.Values {
	mn := m.Minutes
	var actions []string
	for _, id := range mn.Actions {
		if t, err := c.Task(id); err == nil {
			due := ""
			if !t.Due.IsZero() {
				due = t.Due.In(s.loc()).Format(forms.TimeLayout)
			}
			actions = append(actions, string(t.Owner)+"|"+t.Title+"|"+due)
		}
	}
	v := forms.Values{"decisions": strings.Join(mn.Decisions, "\n"), "actions": strings.Join(actions, "\n"), "risks": strings.Join(mn.Risks, "\n")}
	for k, x := range v {
		if x == "" {
			delete(v, k)
		}
	}
	return v
}

// commitAmend applies a confirmed amendment. An action item naming a task
// of the minutes keeps it; only the others get new task ids.
func commitAmend(ctx context.Context, s *session, d *dialog, c *bot.Collaboration, id bot.MeetingID, m *bot.Meeting) error {
	on := occurrenceOf(d.Target)
	var items []bot.ActionItem
	var kept []bot.TaskID
	for _, a := range d.Values.Actions("actions", s.loc()) {
		t := bot.Task{Title: a.What, Owner: a.Owner, Due: a.Due}
		if n, ok := c.MinutesTask(m, a.Owner, a.What, kept); ok {
			t.ID, kept = n, append(kept, n)
		} else {
			n, err := s.nextID(ctx, bot.KindTask)
			if err != nil {
				return err
			}
			t.ID = bot.TaskID(n)
		}
		items = append(items, bot.ActionItem{Task: t})
	}
	var risks []bot.Risk
	var keptRisks []bot.RiskID
	for _, text := range d.Values.List("risks") {
		r := bot.Risk{Description: text}
		if n, ok := bot.MinutesRisk(m, text, keptRisks); ok {
			r.ID, keptRisks = n, append(keptRisks, n)
		} else {
			n, err := s.nextID(ctx, bot.KindRisk)
			if err != nil {
				return err
			}
			r.ID = bot.RiskID(n)
		}
		risks = append(risks, r)
	}
	am, err := c.AmendOccurrenceMinutes(s.e.Calendar, s.dir, s.actor, id, on, d.Values.List("decisions"), items, risks, s.now)
	if err != nil {
		return err
	}
	var asked []bot.TaskID
	if c.ConfirmsTasks(s.e.Policy.TaskConfirmation.On) && len(am.NewTasks) > 0 {
		asked = c.AskHeads(s.dir, s.actor, am.NewTasks, s.now) // as for the first minutes' items
	}
	if len(d.Attachments) > 0 {
		if err := c.AttachToMinutes(s.e.Calendar, id, on, d.Attachments, s.now); err != nil {
			return err
		}
	}
	if err := s.tx.Save(ctx, c); err != nil {
		return err
	}
	t, _ := s.e.Forms.Get("minutes")
	var labels []string
	for _, ch := range am.Changes {
		if f, ok := t.Field(ch.Field); ok && !slices.Contains(labels, f.Label.In(s.lang)) {
			labels = append(labels, f.Label.In(s.lang))
		}
	}
	meeting := canonicalTarget(c, d.Target)
	s.sayKey("reply.meeting.minutes_amended", words.Args{"meeting": meeting, "fields": joinList(s.lang, labels)})
	var tasks []string
	for _, id := range am.NewTasks {
		if t, err := c.Task(id); err == nil {
			tasks = append(tasks, s.w("reply.meeting.action_task", words.Args{"task": t.ID, "title": t.Title, "owner": s.name(t.Owner), "department": t.Department}))
		}
	}
	if len(tasks) > 0 {
		s.sayKey("reply.meeting.actions_became_tasks", words.Args{"tasks": joinList(s.lang, tasks)})
	}
	if len(asked) > 0 {
		var heads []string
		for _, id := range asked {
			if t, _ := c.Task(id); t != nil && !slices.Contains(heads, s.name(t.Confirmation.Head)) {
				heads = append(heads, s.name(t.Confirmation.Head))
			}
		}
		s.sayKey("reply.meeting.actions_await_heads", words.Args{"heads": joinList(s.lang, heads)})
	}
	for _, id := range am.DueKept {
		if t, err := c.Task(id); err == nil {
			s.sayKey("reply.meeting.action_due_kept", words.Args{"task": t.ID, "title": t.Title, "due": s.fmtTime(t.Due)})
		}
	}
	for _, id := range am.Dropped {
		if t, err := c.Task(id); err == nil {
			s.sayKey("reply.meeting.action_dropped", words.Args{"task": t.ID, "title": t.Title})
		}
	}
	var registered []string
	for _, r := range am.NewRisks {
		registered = append(registered, r.String())
	}
	if len(registered) > 0 {
		s.sayKey("reply.meeting.risks_registered", words.Args{"risks": joinList(s.lang, registered), "coordinator": s.name(c.Coordinator)})
	}
	for _, r := range am.DroppedRisks {
		s.sayKey("reply.meeting.risk_dropped", words.Args{"risk": r})
	}
	return nil
}
