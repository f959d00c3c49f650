package record

import (
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// bom makes Excel read the file as UTF-8; without it Chinese shows as
// mojibake on a double-click.
const bom = "\uFEFF"

// CSV writes the sheet as rows of section, item, field, value: one row per
// filled field, in the order of the Markdown sheet. A long table rather
// than one wide row per item because the items differ in their fields; a
// spreadsheet user filters by section or item and reads down. Values are
// as people read them (labels in lang, names, local times), and a value
// that a spreadsheet would run as a formula is prefixed with '.
func (s *Sheet) CSV(w io.Writer, lang bot.Lang) error {
	c := &sheetCSV{s: s, lang: lang}
	c.row(label.Section, label.Item, label.Field, label.Value)
	c.basic()
	c.typed()
	c.acks()
	c.steps()
	c.meetings()
	c.tasks()
	c.progress()
	c.risks()
	c.delivery()
	c.retro()
	c.timeline()
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // RFC 4180, and what Excel writes itself
	if err := cw.WriteAll(c.rows); err != nil {
		return fmt.Errorf("record: csv: %w", err)
	}
	return nil
}

type sheetCSV struct {
	s    *Sheet
	lang bot.Lang
	rows [][]string
}

// Short section names: a CSV column repeats them on every row.
var sections = struct{ Basic, Ack, Meetings, Tasks, Progress, Risks, Delivery, Retro, Timeline bot.Text }{
	Basic:    words.Text("record.section.basic", nil),
	Ack:      words.Text("record.section.ack", nil),
	Meetings: words.Text("record.section.meetings", nil),
	Tasks:    words.Text("record.section.tasks", nil),
	Progress: words.Text("record.section.progress", nil),
	Risks:    words.Text("record.section.risks", nil),
	Delivery: words.Text("record.section.delivery", nil),
	Retro:    words.Text("record.section.retro", nil),
	Timeline: words.Text("record.section.timeline", nil),
}

func (c *sheetCSV) row(section, id, field, value bot.Text) {
	c.rows = append(c.rows, []string{section.In(c.lang), id.In(c.lang), field.In(c.lang), value.In(c.lang)})
}

// add appends one field of one item; empty values are left out.
func (c *sheetCSV) add(section bot.Text, id string, field bot.Text, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	c.rows = append(c.rows, []string{section.In(c.lang), cell(id), field.In(c.lang), cell(value)})
}

func (c *sheetCSV) name(id string) string { return c.s.Name(id) }

func (c *sheetCSV) names(ids []string) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = c.name(id)
	}
	return strings.Join(out, sep(c.lang))
}

// lines keeps a list one item per line inside its cell, which Excel shows
// with wrap text.
func lines(list []string) string { return strings.Join(list, "\n") }

func when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(stamp)
}

func (c *sheetCSV) basic() {
	s, sec, id := c.s, sections.Basic, c.s.ID
	c.add(sec, id, label.Status, collabLabel(s.Status, c.lang))
	c.add(sec, id, label.Topic, s.Topic)
	c.add(sec, id, label.Requesting, s.RequestingDepartment+" / "+c.name(s.Requester))
	var assisting []string
	for _, d := range s.Departments {
		assisting = append(assisting, d.Name+" / "+c.name(d.Contact))
	}
	c.add(sec, id, label.Assisting, strings.Join(assisting, sep(c.lang)))
	c.add(sec, id, label.Coordinator, c.name(s.Coordinator))
	c.add(sec, id, label.Goal, s.Goal)
	c.add(sec, id, label.Requirements, s.Requirements)
	c.add(sec, id, label.Deliverables, s.ExpectedDeliverables)
	c.add(sec, id, label.Standard, s.Standard)
	c.add(sec, id, label.Due, when(s.Due))
	c.add(sec, id, label.Scope, s.Scope)
	c.add(sec, id, label.Cadence, s.Cadence)
	c.add(sec, id, label.RiskPlan, s.RiskPlan)
	// Fields a deployment added to the request template, under the label
	// the form showed (their key when it had none).
	for _, k := range slices.Sorted(maps.Keys(s.Extra)) {
		if v := s.Extra[k]; strings.TrimSpace(v) != "" {
			c.rows = append(c.rows, []string{sec.In(c.lang), cell(id), cell(s.extraLabel(k, c.lang)), cell(v)})
		}
	}
	for _, r := range s.Reviews {
		verdict := label.Approved
		if !r.Approved {
			verdict = label.Returned
		}
		c.add(sec, id, label.Review, strings.Join(nonEmpty(verdict.In(c.lang), c.name(r.By), when(r.At), r.Comments), " · "))
	}
	c.add(sec, id, label.Created, when(s.CreatedAt))
	c.add(sec, id, label.Submitted, when(s.SubmittedAt))
	c.add(sec, id, label.Activated, when(s.ActivatedAt))
	c.add(sec, id, label.Closed, when(s.ClosedAt))
}

func (c *sheetCSV) acks() {
	sec := sections.Ack
	for _, d := range c.s.Departments {
		c.add(sec, d.Name, label.Contact, c.name(d.Contact))
		c.add(sec, d.Name, label.Status, ackLabel(d.AckStatus, c.lang))
		c.add(sec, d.Name, label.Answered, when(d.AnsweredAt))
		c.add(sec, d.Name, label.AckScope, d.Scope)
		c.add(sec, d.Name, label.Resources, d.Resources)
		c.add(sec, d.Name, label.AckRisks, d.Risks)
		c.add(sec, d.Name, label.Reason, d.DeclineReason)
		c.add(sec, d.Name, label.Alternative, d.Alternative)
		c.add(sec, d.Name, label.Question, d.Question)
		c.add(sec, d.Name, label.Answer, d.Answer)
	}
}

func (c *sheetCSV) meetings() {
	sec := sections.Meetings
	for _, m := range c.s.Meetings {
		kind := kindLabel(m.Kind, c.lang)
		if m.Cancelled {
			kind += " (" + label.Cancelled.In(c.lang) + ")"
		}
		c.add(sec, m.ID, label.Meeting, kind)
		if m.Series != nil {
			for _, f := range m.Series.fields(c.lang) {
				c.add(sec, m.ID, bot.Text{ZH: f[0], EN: f[0]}, f[1])
			}
		}
		if m.SeriesID != "" {
			c.add(sec, m.ID, seriesLabel.Occurrence, m.SeriesID+" · "+m.Occurrence)
		}
		c.add(sec, m.ID, label.TaskTitle, m.Title)
		c.add(sec, m.ID, label.MeetingTime, when(m.Start))
		c.add(sec, m.ID, label.Duration, strconv.Itoa(m.DurationMinutes))
		c.add(sec, m.ID, label.Organiser, c.name(m.Organiser))
		c.add(sec, m.ID, label.Attendees, c.names(m.Attendees))
		c.add(sec, m.ID, label.Agenda, lines(m.Agenda))
		c.add(sec, m.ID, label.Materials, lines(m.Materials))
		status := map[string]bot.Text{MinutesNone: label.MinutesNone, MinutesPendingConfirmation: label.MinutesPending,
			MinutesConfirmed: label.MinutesConfirmed}[m.MinutesStatus]
		if m.Series == nil { // each occurrence has its own minutes
			c.add(sec, m.ID, label.Minutes, status.In(c.lang))
		}
		c.add(sec, m.ID, label.Decisions, lines(m.Decisions))
		c.add(sec, m.ID, label.Actions, strings.Join(m.Actions, sep(c.lang)))
		c.add(sec, m.ID, label.MinutesRisks, lines(m.MinutesRisks))
		if m.MinutesStatus != MinutesNone {
			c.add(sec, m.ID, label.Unconfirmed, c.names(m.Unconfirmed))
		}
	}
}

func (c *sheetCSV) tasks() {
	sec := sections.Tasks
	for _, t := range c.s.Tasks {
		c.add(sec, t.ID, label.TaskTitle, t.Title)
		c.add(sec, t.ID, label.Parent, t.Parent)
		c.add(sec, t.ID, label.Description, t.Description)
		c.add(sec, t.ID, label.Department, t.Department)
		c.add(sec, t.ID, label.Role, roleLabel(t.Role, c.lang))
		c.add(sec, t.ID, label.Owner, c.name(t.Owner))
		c.add(sec, t.ID, label.Collaborators, c.names(t.Collaborators))
		c.add(sec, t.ID, label.Start, when(t.Start))
		c.add(sec, t.ID, label.TaskDue, when(t.Due))
		c.add(sec, t.ID, label.Standard, t.Standard)
		c.add(sec, t.ID, label.TaskStatus, taskLabel(t.Status, c.lang))
		c.add(sec, t.ID, label.ShownStatus, TaskEmoji(bot.TaskStatus(t.ShownStatus))+" "+taskLabel(t.ShownStatus, c.lang))
		c.add(sec, t.ID, label.Note, t.StatusNote)
		c.add(sec, t.ID, label.Source, t.Source)
		c.add(sec, t.ID, label.LinkedRisks, strings.Join(t.Risks, sep(c.lang)))
		c.add(sec, t.ID, label.DoneAt, when(t.DoneAt))
		c.add(sec, t.ID, label.Confirmation, confirmationText(t.Confirmation, c.name, c.lang))
	}
}

func (c *sheetCSV) progress() {
	sec := sections.Progress
	for _, p := range c.s.Progress {
		id := p.Day + " " + c.name(p.Person)
		c.add(sec, id, label.Done, p.Done)
		c.add(sec, id, label.NotDone, p.NotDone)
		c.add(sec, id, label.Problems, p.Problems)
		var changes []string
		for _, ch := range p.Changes {
			changes = append(changes, strings.Join(nonEmpty(ch.Task, taskLabel(ch.Status, c.lang), ch.Note), " "))
		}
		c.add(sec, id, label.Changes, lines(changes))
	}
}

func (c *sheetCSV) risks() {
	sec := sections.Risks
	for _, r := range c.s.Risks {
		c.add(sec, r.ID, label.RiskDescription, r.Description)
		c.add(sec, r.ID, label.Impact, r.Impact)
		c.add(sec, r.ID, label.Source, riskSource(r.Source, c.lang))
		c.add(sec, r.ID, label.Severity, severityLabel(r.Severity, c.lang))
		c.add(sec, r.ID, label.Status, riskLabel(r.Status, c.lang))
		c.add(sec, r.ID, label.Department, r.Department)
		c.add(sec, r.ID, label.RiskOwner, c.name(r.Owner))
		c.add(sec, r.ID, label.Mitigation, r.Mitigation)
		c.add(sec, r.ID, label.ExpectedBy, when(r.Due))
		c.add(sec, r.ID, label.RaisedBy, c.name(r.RaisedBy)+" · "+when(r.RaisedAt))
		c.add(sec, r.ID, label.Response, r.Response)
		c.add(sec, r.ID, label.ResponseDue, when(r.ResponseDue))
		c.add(sec, r.ID, label.Resolution, r.Resolution)
		c.add(sec, r.ID, label.LinkedTasks, strings.Join(r.Tasks, sep(c.lang)))
		c.add(sec, r.ID, label.ScheduleChanges, movesText(r.Moves, c.lang))
	}
}

func (c *sheetCSV) delivery() {
	sec := sections.Delivery
	for _, d := range c.s.Deliveries {
		id := deliveryN(d.Number, c.lang)
		c.add(sec, id, label.By, c.name(d.By)+" · "+when(d.At))
		for _, it := range c.s.Deliverables {
			if it.Delivery == d.Number {
				c.add(sec, id, label.DeliveryList, strings.Join(nonEmpty(it.Name, it.Version,
					label.Quantity.In(c.lang)+" "+strconv.Itoa(it.Quantity), it.Link, it.Note, strings.Join(it.Tasks, " ")), " · "))
			}
		}
		c.add(sec, id, label.SelfCheck, d.SelfCheck)
		var atts []string
		for _, a := range d.Attachments {
			atts = append(atts, a.Line())
		}
		c.add(sec, id, checklistLabel.Attachments, lines(atts))
	}
	for _, a := range c.s.Acceptances {
		id := deliveryN(a.Delivery, c.lang)
		c.add(sec, id, label.Verdict, verdictLabel(a.Result, c.lang))
		c.add(sec, id, label.Accepter, c.name(a.By)+" · "+when(a.At))
		c.add(sec, id, label.AcceptComments, a.Comments)
		var results []string
		for _, r := range a.Results {
			v := checklistLabel.Pass
			if !r.Pass {
				v = checklistLabel.Fail
			}
			results = append(results, strings.Join(nonEmpty(strconv.Itoa(r.Item)+". "+r.Name, v.In(c.lang), r.Comment), " · "))
		}
		c.add(sec, id, checklistLabel.Results, lines(results))
		c.add(sec, id, label.Items, lines(a.Items))
		c.add(sec, id, label.ItemsDue, when(a.Due))
	}
}

func (c *sheetCSV) retro() {
	r := c.s.Retrospective
	if r == nil {
		return
	}
	sec, id := sections.Retro, c.s.ID
	c.add(sec, id, label.Highlights, lines(r.Highlights))
	c.add(sec, id, label.Improvements, lines(r.Improvements))
	c.add(sec, id, label.FollowUps, lines(r.Actions))
	c.add(sec, id, label.By, c.name(r.By)+" · "+when(r.At))
}

func (c *sheetCSV) timeline() {
	for _, e := range c.s.Timeline {
		actor := label.Bot.In(c.lang)
		if e.Actor != "" {
			actor = c.name(e.Actor)
		}
		value := strings.Join(nonEmpty(actor, c.s.subject(e)), " · ")
		if e.Note != "" {
			value += " — " + c.s.note(e, c.lang)
		}
		if e.Action == "reminder_changed" {
			value = actor + " " + reminderChange(e, c.lang)
		}
		if isReminder(e.Action) {
			// "task_overdue" with "@ben T-1": the kind, to whom, about what.
			to, about, _ := strings.Cut(e.Note, " ")
			who := label.Bot.In(c.lang)
			if id, ok := strings.CutPrefix(to, "@"); ok {
				who = c.name(id)
			} else if to == "#group" {
				who = label.TheGroup.In(c.lang)
			}
			value = strings.Join(nonEmpty(reminderLabel(e.Subject, c.lang), who, about), " · ")
		}
		c.add(sections.Timeline, when(e.At), bot.Text{ZH: actionLabel(e.Action, bot.Chinese), EN: actionLabel(e.Action, bot.English)}, value)
	}
}

func nonEmpty(parts ...string) []string {
	return slices.DeleteFunc(parts, func(s string) bool { return strings.TrimSpace(s) == "" })
}
