package bot

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// Meeting is a kickoff, planning, review, weekly, stand-up, special-topic,
// acceptance or retrospective meeting of a collaboration.
type Meeting struct {
	ID        MeetingID     `json:"id"`
	Kind      MeetingKind   `json:"kind"`
	Title     string        `json:"title,omitempty"`
	Organiser PersonID      `json:"organiser"`
	Start     time.Time     `json:"start"`
	Duration  time.Duration `json:"duration"`
	Attendees []PersonID    `json:"attendees"`
	Agenda    []string      `json:"agenda,omitempty"`    // 议程: goal and topics
	Materials []string      `json:"materials,omitempty"` // 预阅读材料
	Minutes   *Minutes      `json:"minutes,omitempty"`
	Cancelled bool          `json:"cancelled,omitempty"`
	// Repeat makes the meeting a series (例会); Occurrences are those of
	// its occurrences something happened to (series.go).
	Repeat      *Repeat    `json:"repeat,omitempty"`
	Occurrences []*Meeting `json:"occurrences,omitempty"`
	// On is an occurrence's own date (YYYY-MM-DD) in its series; Skipped
	// an occurrence a holiday takes away (computed, never stored).
	On      string `json:"on,omitempty"`
	Skipped bool   `json:"-"`
}

// End is when the minutes clock starts.
func (m *Meeting) End() time.Time { return m.Start.Add(m.Duration) }

// Minutes are the record of a meeting (会议纪要); every attendee confirms them.
type Minutes struct {
	Decisions     []string       `json:"decisions,omitempty"` // 共识结论
	Actions       []TaskID       `json:"actions,omitempty"`   // 待办事项, each became a task
	Risks         []string       `json:"risks,omitempty"`
	RiskIDs       []RiskID       `json:"risk_ids,omitempty"` // the register entries its risks became
	By            PersonID       `json:"by"`
	At            time.Time      `json:"at"`
	Confirmations []Confirmation `json:"confirmations,omitempty"`
	Attachments   []Attachment   `json:"attachments,omitempty"` // 附件
}

// Confirmation is an attendee's 确认无误.
type Confirmation struct {
	Person PersonID  `json:"person"`
	At     time.Time `json:"at"`
}

// Unconfirmed lists the attendees who have not confirmed the minutes.
func (m *Meeting) Unconfirmed() []PersonID {
	if m.Minutes == nil {
		return nil
	}
	var out []PersonID
	for _, p := range m.Attendees {
		if !slices.ContainsFunc(m.Minutes.Confirmations, func(c Confirmation) bool { return c.Person == p }) {
			out = append(out, p)
		}
	}
	return out
}

// Meeting finds a meeting of this collaboration.
func (c *Collaboration) Meeting(id MeetingID) (*Meeting, error) {
	for _, m := range c.Meetings {
		if m.ID == id {
			return m, nil
		}
	}
	return nil, notFound(id.String())
}

const maxMeeting = 12 * time.Hour

// FutureStart refuses a meeting time that is missing or not after now.
// It is FutureDue in words about the meeting's time: a meeting has no
// due date, and "the due date has passed" puzzled people.
func FutureStart(start, now time.Time) error {
	if start.IsZero() {
		return RefuseField(CodeRequired, "start", "refuse.meeting.start_missing", nil)
	}
	if !start.After(now) {
		return RefuseField(CodeDueInPast, "start", "refuse.meeting.start_past", Args{"at": start.Format("2006-01-02 15:04")})
	}
	return nil
}

// ScheduleMeeting puts a meeting on the calendar and invites its attendees.
func (c *Collaboration) ScheduleMeeting(dir *Directory, actor Actor, m Meeting, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	if !c.isCoordinator(actor) && !c.isRequester(actor) &&
		!slices.ContainsFunc(c.Request.Departments, func(a Assignment) bool { return c.SpeaksFor(actor, a.Department) }) {
		return forbidden("refuse.meeting.only_organisers", nil)
	}
	if m.ID <= 0 {
		return Refuse(CodeInvalid, "refuse.meeting.missing_id", nil)
	}
	if _, err := c.Meeting(m.ID); err == nil {
		return Refuse(CodeConflict, "refuse.meeting.exists", Args{"meeting": m.ID.String()})
	}
	if _, err := ParseMeetingKind(string(m.Kind)); err != nil {
		return err
	}
	if err := FutureStart(m.Start, now); err != nil {
		return err
	}
	if m.Duration <= 0 || m.Duration > maxMeeting {
		return RefuseField(CodeInvalid, "duration", "refuse.meeting.too_long", nil)
	}
	m.Attendees = uniquePeople(m.Attendees)
	if len(m.Attendees) == 0 {
		return RefuseField(CodeRequired, "attendees", "refuse.meeting.no_attendees", nil)
	}
	for _, p := range m.Attendees {
		if _, ok := dir.Person(p); !ok {
			return unknownPerson("attendees", p)
		}
	}
	m.Agenda, m.Materials = cleanList(m.Agenda), cleanList(m.Materials)
	m.Organiser, m.Minutes, m.Cancelled = actor.Person, nil, false
	c.Meetings = append(c.Meetings, &m)
	c.record(now, actor.Person, "meeting_scheduled", m.ID.String(), m.Start.Format("2006-01-02 15:04"))
	c.notify(now, actor.Person, "meeting_invited", m.ID.String(), map[string]string{"start": m.Start.Format(time.RFC3339)}, m.Attendees...)
	return nil
}

func (c *Collaboration) organises(actor Actor, m *Meeting) bool {
	return actor.Person == m.Organiser || c.isCoordinator(actor)
}

// SetAgenda writes or replaces the agenda before the meeting starts.
func (c *Collaboration) SetAgenda(actor Actor, id MeetingID, agenda, materials []string, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	m, err := c.meetingOrOccurrence(nil, id, "", now)
	if err != nil {
		return err
	}
	return c.setAgenda(actor, m, agenda, materials, now)
}

func (c *Collaboration) setAgenda(actor Actor, m *Meeting, agenda, materials []string, now time.Time) error {
	id := m.Ref()
	if !c.organises(actor, m) {
		return forbidden("refuse.meeting.only_organiser_agenda", nil)
	}
	if m.Cancelled || !now.Before(m.Start) {
		return Refuse(CodeWrongState, "refuse.meeting.started_or_cancelled", Args{"meeting": id})
	}
	agenda = cleanList(agenda)
	if len(agenda) == 0 {
		return RefuseField(CodeRequired, "agenda", "refuse.meeting.empty_agenda", nil)
	}
	materials = cleanList(materials)
	if len(m.Agenda) > 0 {
		// A revised agenda leaves the one it replaces in the timeline.
		var changes []Change
		changes = changed(changes, "agenda", listNote(m.Agenda), listNote(agenda))
		changes = changed(changes, "materials", listNote(m.Materials), listNote(materials))
		if len(changes) > 0 {
			m.Agenda, m.Materials = agenda, materials
			c.record(now, actor.Person, "agenda_revised", id, traceNote(changes))
			return nil
		}
	}
	m.Agenda, m.Materials = agenda, materials
	c.record(now, actor.Person, "agenda_set", id, "")
	return nil
}

// ActionItem is one 待办事项 of the minutes: it becomes a task.
type ActionItem struct {
	Task Task // ID (assigned by the store), Owner, Title and Due at least
}

// RecordMinutes writes the minutes after the meeting has started; each
// action item becomes a task owned by the person named, each risk an entry
// of the register that the coordinator answers for, and every attendee is
// asked to confirm. Risks carry their ids (assigned by the store) and
// descriptions.
func (c *Collaboration) RecordMinutes(dir *Directory, actor Actor, id MeetingID, decisions []string, actions []ActionItem, risks []Risk, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	m, err := c.meetingOrOccurrence(nil, id, "", now)
	if err != nil {
		return err
	}
	return c.recordMinutes(dir, actor, m, decisions, actions, risks, now)
}

func (c *Collaboration) recordMinutes(dir *Directory, actor Actor, m *Meeting, decisions []string, actions []ActionItem, risks []Risk, now time.Time) error {
	id := m.Ref()
	if !c.organises(actor, m) {
		return forbidden("refuse.meeting.only_organiser_minutes", nil)
	}
	if m.Cancelled || now.Before(m.Start) {
		return Refuse(CodeWrongState, "refuse.meeting.not_started", Args{"meeting": id})
	}
	if m.Minutes != nil {
		return Refuse(CodeAlreadyDone, "refuse.meeting.minutes_recorded", Args{"meeting": id})
	}
	decisions = cleanList(decisions)
	if len(decisions) == 0 && len(actions) == 0 {
		return RefuseField(CodeRequired, "decisions", "refuse.meeting.empty_minutes", nil)
	}
	min := &Minutes{Decisions: decisions, By: actor.Person, At: now}
	var register []*Risk
	for _, r := range risks {
		r.Description = strings.TrimSpace(r.Description)
		if r.Description == "" {
			continue
		}
		if r.ID <= 0 {
			return Refuse(CodeInvalid, "refuse.meeting.missing_risk_id", nil)
		}
		if _, err := c.Risk(r.ID); err == nil {
			return Refuse(CodeConflict, "refuse.risk.exists", Args{"risk": r.ID.String()})
		}
		register = append(register, &Risk{ID: r.ID, Description: r.Description, Source: id, Severity: SeverityMedium,
			Department: c.RequestingDept, Owner: c.Coordinator, Status: RiskOpen, RaisedBy: actor.Person, RaisedAt: now})
		min.Risks = append(min.Risks, r.Description)
		min.RiskIDs = append(min.RiskIDs, r.ID)
	}
	var tasks []Task
	for i, a := range actions {
		t := a.Task
		t.Source = id
		if err := c.checkActionItem(dir, i+1, &t, now); err != nil {
			return err
		}
		if slices.ContainsFunc(tasks, func(x Task) bool { return x.ID == t.ID }) {
			return Refuse(CodeConflict, "refuse.meeting.task_twice", Args{"task": t.ID.String()})
		}
		tasks = append(tasks, t)
		min.Actions = append(min.Actions, t.ID)
	}
	for _, t := range tasks {
		c.addTask(actor.Person, t, now)
	}
	if slices.Contains(m.Attendees, actor.Person) {
		min.Confirmations = append(min.Confirmations, Confirmation{Person: actor.Person, At: now})
	}
	m.Minutes = min
	c.record(now, actor.Person, "minutes_recorded", id, "")
	for _, r := range register {
		c.Risks = append(c.Risks, r)
		c.record(now, actor.Person, "risk_raised", r.ID.String(), r.Description)
		c.notify(now, actor.Person, "risk_assigned", r.ID.String(), map[string]string{"severity": string(r.Severity), "description": r.Description},
			r.Owner)
	}
	c.notify(now, actor.Person, "minutes_to_confirm", id, nil, m.Unconfirmed()...)
	return nil
}

// CheckActionItems refuses the first action item of minutes that cannot
// become a task, naming it: the engine checks them as the answer is
// typed, as the form already does for bad dates and unknown people.
func (c *Collaboration) CheckActionItems(dir *Directory, actions []ActionItem, now time.Time) error {
	free := TaskID(1) // ids are assigned at the commit: one no task has stands in
	for _, t := range c.Tasks {
		free = max(free, t.ID+1)
	}
	for i, a := range actions {
		t := a.Task
		if t.ID <= 0 {
			t.ID = free
		}
		if err := c.checkActionItem(dir, i+1, &t, now); err != nil {
			return err
		}
	}
	return nil
}

// checkActionItem is checkTask for the n-th action item, in the words of
// the minutes: they have no department field (the owner's is taken), so
// an owner outside the collaboration is named with their departments,
// and every refusal says which item it is about.
func (c *Collaboration) checkActionItem(dir *Directory, n int, t *Task, now time.Time) error {
	item := func(code Code, key string, args Args) error {
		return RefuseField(code, "actions", "refuse.meeting.action_item",
			Args{"n": n, "title": t.Title, "problem": Msg{Key: key, Args: args}})
	}
	if depts := dir.DepartmentsOf(t.Owner); t.Department == "" && len(depts) > 0 && !slices.ContainsFunc(depts, c.hasDepartment) {
		list := make(List, len(depts))
		for i, d := range depts {
			list[i] = d
		}
		return item(CodeUnknownDept, "refuse.meeting.action_outside", Args{"owner": Who(t.Owner), "departments": list, "ref": c.ID.String()})
	}
	if !t.Due.IsZero() && !t.Due.After(now) {
		return item(CodeDueInPast, "refuse.meeting.action_due_past", Args{"at": stamp(t.Due, now.Location())})
	}
	if err := c.checkTask(dir, t, now, false); err != nil {
		var e *Error
		if errors.As(err, &e) {
			return item(e.Code, e.Msg.Key, e.Msg.Args)
		}
		return err
	}
	return nil
}

// ConfirmMinutes is an attendee's 确认无误.
func (c *Collaboration) ConfirmMinutes(actor Actor, id MeetingID, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	m, err := c.meetingOrOccurrence(nil, id, "", now)
	if err != nil {
		return err
	}
	return c.confirmMinutes(actor, m, now)
}

func (c *Collaboration) confirmMinutes(actor Actor, m *Meeting, now time.Time) error {
	id := m.Ref()
	if m.Minutes == nil {
		return Refuse(CodeWrongState, "refuse.meeting.no_minutes", Args{"meeting": id})
	}
	if !slices.Contains(m.Attendees, actor.Person) {
		return forbidden("refuse.meeting.only_attendees_confirm", nil)
	}
	if !slices.Contains(m.Unconfirmed(), actor.Person) {
		return Refuse(CodeAlreadyDone, "refuse.meeting.already_confirmed", Args{"meeting": id})
	}
	m.Minutes.Confirmations = append(m.Minutes.Confirmations, Confirmation{Person: actor.Person, At: now})
	c.record(now, actor.Person, "minutes_confirmed", id, "")
	if len(m.Unconfirmed()) == 0 {
		c.record(now, "", "minutes_confirmed_by_all", id, "")
	}
	return nil
}

// CancelMeeting calls a meeting off and tells its attendees.
func (c *Collaboration) CancelMeeting(actor Actor, id MeetingID, reason string, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	m, err := c.Meeting(id)
	if err != nil {
		return err
	}
	if m.Series() {
		return c.EndSeries(actor, id, reason, now)
	}
	if !c.organises(actor, m) {
		return forbidden("refuse.meeting.only_organiser_cancels", nil)
	}
	return c.cancel(actor, m, reason, now)
}

func (c *Collaboration) cancel(actor Actor, m *Meeting, reason string, now time.Time) error {
	if m.Cancelled || m.Minutes != nil {
		return Refuse(CodeWrongState, "refuse.meeting.cancelled_or_minuted", Args{"meeting": m.Ref()})
	}
	m.Cancelled = true
	reason = strings.TrimSpace(reason)
	c.record(now, actor.Person, "meeting_cancelled", m.Ref(), reason)
	c.notify(now, actor.Person, "meeting_cancelled", m.Ref(), map[string]string{"reason": reason, "start": m.Start.Format(time.RFC3339)}, m.Attendees...)
	return nil
}

func uniquePeople(in []PersonID) []PersonID {
	var out []PersonID
	for _, p := range in {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// RescheduleMeeting moves a meeting that has not had its minutes; the
// attendees are told the new time, and the agenda goes out 24 hours
// before it.
func (c *Collaboration) RescheduleMeeting(actor Actor, id MeetingID, start time.Time, now time.Time) error {
	m, err := c.changeableMeeting(actor, id)
	if err != nil {
		return err
	}
	if err := FutureStart(start, now); err != nil {
		return err
	}
	if start.Equal(m.Start) {
		return Refuse(CodeAlreadyDone, "refuse.meeting.already_at", Args{"meeting": id.String(), "start": stamp(start, now.Location())})
	}
	before := m.Start
	m.Start = start
	c.record(now, actor.Person, "meeting_rescheduled", id.String(), changeNote([]Change{{"start", stamp(before, now.Location()), stamp(start, now.Location())}}))
	c.notify(now, actor.Person, "meeting_rescheduled", id.String(), map[string]string{"before": before.Format(time.RFC3339), "start": start.Format(time.RFC3339)},
		m.Attendees...)
	return nil
}

// AddAttendees invites more people to a meeting before its minutes.
func (c *Collaboration) AddAttendees(dir *Directory, actor Actor, id MeetingID, people []PersonID, now time.Time) error {
	m, err := c.changeableMeeting(actor, id)
	if err != nil {
		return err
	}
	var added []PersonID
	for _, p := range uniquePeople(people) {
		if _, ok := dir.Person(p); !ok {
			return unknownPerson("attendees", p)
		}
		if !slices.Contains(m.Attendees, p) {
			added = append(added, p)
		}
	}
	if len(added) == 0 {
		return Refuse(CodeAlreadyDone, "refuse.meeting.already_invited", nil)
	}
	m.Attendees = append(m.Attendees, added...)
	names := make([]string, len(added))
	for i, p := range added {
		names[i] = string(p)
	}
	c.record(now, actor.Person, "attendees_added", id.String(), strings.Join(names, ", "))
	c.notify(now, actor.Person, "meeting_invited", id.String(), map[string]string{"start": m.Start.Format(time.RFC3339)}, added...)
	return nil
}

// RemoveAttendees takes people invited by mistake off a meeting: they
// are told they need not attend, and the agenda and the minutes'
// confirmation (reminders included) no longer go to them. Unlike other
// changes it is allowed after the minutes too, since the confirmation
// requests are what keep reaching the person; the organiser stays, and
// so does the last attendee (cancel the meeting instead).
func (c *Collaboration) RemoveAttendees(actor Actor, id MeetingID, people []PersonID, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	m, err := c.Meeting(id)
	if err != nil {
		return err
	}
	if !c.organises(actor, m) {
		return forbidden("refuse.meeting.only_organiser_changes", nil)
	}
	if m.Cancelled {
		return Refuse(CodeWrongState, "refuse.meeting.cancelled_no_attendees", Args{"meeting": id.String()})
	}
	people = uniquePeople(people)
	if len(people) == 0 {
		return RefuseField(CodeRequired, "attendees", "refuse.meeting.remove_whom", Args{"meeting": id.String()})
	}
	for _, p := range people {
		if p == m.Organiser {
			return Refuse(CodeInvalid, "refuse.meeting.remove_organiser", Args{"person": Who(p), "meeting": id.String()})
		}
		if !slices.Contains(m.Attendees, p) {
			return Refuse(CodeNotFound, "refuse.meeting.not_invited", Args{"person": Who(p), "meeting": id.String(), "attendees": Whos(m.Attendees)})
		}
	}
	if len(people) == len(m.Attendees) {
		return Refuse(CodeInvalid, "refuse.meeting.remove_everyone", Args{"meeting": id.String()})
	}
	allConfirmed := m.Minutes != nil && len(m.Unconfirmed()) == 0
	m.Attendees = slices.DeleteFunc(m.Attendees, func(p PersonID) bool { return slices.Contains(people, p) })
	names := make([]string, len(people))
	for i, p := range people {
		names[i] = string(p)
	}
	c.record(now, actor.Person, "attendees_removed", id.String(), strings.Join(names, ", "))
	if m.Minutes != nil && !allConfirmed && len(m.Unconfirmed()) == 0 {
		// The one who had not confirmed was the one removed.
		c.record(now, "", "minutes_confirmed_by_all", id.String(), "")
	}
	c.notify(now, actor.Person, "meeting_uninvited", id.String(), map[string]string{"start": m.Start.Format(time.RFC3339), "by": string(actor.Person)}, people...)
	return nil
}

// changeableMeeting finds a meeting the actor organises that is neither
// cancelled nor minuted.
func (c *Collaboration) changeableMeeting(actor Actor, id MeetingID) (*Meeting, error) {
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	m, err := c.Meeting(id)
	if err != nil {
		return nil, err
	}
	if !c.organises(actor, m) {
		return nil, forbidden("refuse.meeting.only_organiser_changes", nil)
	}
	if m.Cancelled || m.Minutes != nil {
		return nil, Refuse(CodeWrongState, "refuse.meeting.no_longer_changes", Args{"meeting": id.String()})
	}
	return m, nil
}
