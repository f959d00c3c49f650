package record

import (
	"strings"

	"github.com/collabot/collabot/bot"
)

// Corrections leave timeline notes like "owner: ben → fiona; reason: — →
// 环境问题", keyed by the forms' field keys so that they read in either
// language: note writes them with the fields' names in lang and people by
// name.
func (s *Sheet) note(e Event, lang bot.Lang) string {
	if peopleNotes[e.Action] {
		ids := strings.Split(e.Note, ", ")
		for i, id := range ids {
			ids[i] = s.Name(id)
		}
		return strings.Join(ids, sep(lang))
	}
	if !strings.Contains(e.Note, " → ") {
		return e.Note
	}
	parts := strings.Split(e.Note, "; ")
	out := make([]string, 0, len(parts))
	for _, part := range parts {
		key, change, ok := strings.Cut(part, ": ")
		l, known := changeLabels[key]
		switch {
		case key == "due" && e.Action == "risk_responded":
			l = label.ResponseDue // a risk's 预计解决时间
		case key == "due" && e.Action == "risk_revised":
			l = label.ExpectedBy // a risk's 期望解决时间
		case key == "due" && e.Action != "request_edited" && e.Action != "ack_reopened":
			l = label.TaskDue // a task's 截止时间, not the request's 期望完成时间
		case e.Action == "minutes_amended" && minutesLabels[key] != nil:
			l, known = *minutesLabels[key], true
		}
		if _, extra := s.Extra[key]; !known && extra {
			l, known = bot.Text{ZH: s.extraLabel(key, bot.Chinese), EN: s.extraLabel(key, bot.English)}, true
		}
		if !ok || !known {
			return e.Note // not a change note after all
		}
		before, after, _ := strings.Cut(change, " → ")
		if key == "reason" {
			out = append(out, l.In(lang)+colon(lang)+after)
			continue
		}
		out = append(out, l.In(lang)+colon(lang)+s.value(key, before, lang)+" → "+s.value(key, after, lang))
	}
	return strings.Join(out, sep(lang))
}

// value shows one side of a change: names for people, labels for words.
func (s *Sheet) value(key, v string, lang bot.Lang) string {
	switch key {
	case "owner", "coordinator", "contact", "contacts", "recipient":
		if v == "—" {
			return v
		}
		ids := strings.Split(v, ", ")
		for i, id := range ids {
			ids[i] = s.Name(id)
		}
		return strings.Join(ids, sep(lang))
	case "severity":
		return severityLabel(v, lang)
	}
	return v
}

// changeLabels name the fields a correction may change.
var changeLabels = map[string]bot.Text{
	"topic": label.Topic, "goal": label.Goal, "departments": label.Assisting,
	"contacts": label.Contact, "contact": label.Contact, "requirements": label.Requirements,
	"deliverables": label.Deliverables, "standard": label.Standard, "due": label.Due,
	"scope": label.Scope, "cadence": label.Cadence, "risks": label.RiskPlan, "coordinator": label.Coordinator,
	"owner": label.Owner, "department": label.Department, "title": label.TaskTitle,
	"description": label.Description, "start": label.MeetingTime, "severity": label.Severity,
	"reason": label.Reason, "recipient": label.Recipient,
	// What a second progress update, retrospective, agenda or risk
	// response replaced.
	"done": label.Done, "pending": label.NotDone, "problems": label.Problems,
	"highlights": label.Highlights, "improvements": label.Improvements, "actions": label.FollowUps,
	"agenda": label.Agenda, "materials": label.Materials, "response": label.Response,
}

// minutesLabels are the minutes' own fields, where an amendment's note
// uses keys other entries label otherwise (a retrospective's follow-up
// actions, a request's risk plan).
var minutesLabels = map[string]*bot.Text{"decisions": &label.Decisions, "actions": &label.Actions, "risks": &label.MinutesRisks}

// Timeline entries whose subject is a person (the leave is theirs) or
// whose note lists people (those invited): shown by name, never by id.
var (
	personSubjects = map[string]bool{"leave_declared": true, "leave_cancelled": true}
	peopleNotes    = map[string]bool{"attendees_added": true, "attendees_removed": true}
)

// subject is what an entry is about as people read it: a person's name
// where the subject is a person, nothing when that is who acted ("Chris
// declared leave", not "Chris declared leave Chris").
func (s *Sheet) subject(e Event) string {
	if !personSubjects[e.Action] {
		return e.Subject
	}
	if e.Subject == e.Actor {
		return ""
	}
	return s.Name(e.Subject)
}

// inEntry names the people an entry's subject or note is, so the sheet
// can show their names.
func (p people) inEntry(action, subject, note string) {
	if personSubjects[action] {
		p.id(bot.PersonID(subject))
	}
	if peopleNotes[action] {
		for _, id := range strings.Split(note, ", ") {
			p.id(bot.PersonID(id))
		}
	}
	p.inNote(note)
}

// inNote names the people a change note mentions, so the sheet can show
// their names.
func (p people) inNote(note string) {
	if !strings.Contains(note, " → ") {
		return
	}
	for _, part := range strings.Split(note, "; ") {
		key, change, _ := strings.Cut(part, ": ")
		switch key {
		case "owner", "coordinator", "contact", "contacts", "recipient":
			for _, side := range strings.Split(change, " → ") {
				for _, id := range strings.Split(side, ", ") {
					if id != "—" {
						p.id(bot.PersonID(id))
					}
				}
			}
		}
	}
}
