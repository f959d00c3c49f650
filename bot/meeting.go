package bot

import (
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

// ScheduleMeeting puts a meeting on the calendar and invites its attendees.
func (c *Collaboration) ScheduleMeeting(dir *Directory, actor Actor, m Meeting, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	if !c.isCoordinator(actor) && !c.isRequester(actor) &&
		!slices.ContainsFunc(c.Request.Departments, func(a Assignment) bool { return c.SpeaksFor(actor, a.Department) }) {
		return forbidden("只有总协调人、需求发起人或部门对接人可以组织会议。",
			"Only the coordinator, the requester or a department contact can organise meetings.")
	}
	if m.ID <= 0 {
		return Refuse(CodeInvalid, "缺少会议编号。", "missing meeting id")
	}
	if _, err := c.Meeting(m.ID); err == nil {
		return Refuse(CodeConflict, m.ID.String()+" 已存在。", m.ID.String()+" already exists.")
	}
	if _, err := ParseMeetingKind(string(m.Kind)); err != nil {
		return err
	}
	if err := FutureDue("start", m.Start, now); err != nil {
		return err
	}
	if m.Duration <= 0 || m.Duration > maxMeeting {
		return RefuseField(CodeInvalid, "duration", "会议时长应在 12 小时以内,例如 1h 或 90m。",
			"A meeting lasts up to 12 hours; for example 1h or 90m.")
	}
	m.Attendees = uniquePeople(m.Attendees)
	if len(m.Attendees) == 0 {
		return RefuseField(CodeRequired, "attendees", "请填写参会人(@某人)。", "Name the attendees (@someone).")
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
	m, err := c.Meeting(id)
	if err != nil {
		return err
	}
	if !c.organises(actor, m) {
		return forbidden("只有会议组织者或总协调人可以编写议程。", "Only the organiser or the coordinator can write the agenda.")
	}
	if m.Cancelled || !now.Before(m.Start) {
		return Refuse(CodeWrongState, id.String()+" 已开始或已取消。", id.String()+" has started or was cancelled.")
	}
	agenda = cleanList(agenda)
	if len(agenda) == 0 {
		return RefuseField(CodeRequired, "agenda", "议程至少一项:目标或议题。", "The agenda needs at least one item: a goal or a topic.")
	}
	m.Agenda, m.Materials = agenda, cleanList(materials)
	c.record(now, actor.Person, "agenda_set", id.String(), "")
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
	m, err := c.Meeting(id)
	if err != nil {
		return err
	}
	if !c.organises(actor, m) {
		return forbidden("只有会议组织者或总协调人可以记录纪要。", "Only the organiser or the coordinator can record the minutes.")
	}
	if m.Cancelled || now.Before(m.Start) {
		return Refuse(CodeWrongState, id.String()+" 尚未开始或已取消。", id.String()+" has not started or was cancelled.")
	}
	if m.Minutes != nil {
		return Refuse(CodeAlreadyDone, id.String()+" 的纪要已记录。", "The minutes of "+id.String()+" are already recorded.")
	}
	decisions = cleanList(decisions)
	if len(decisions) == 0 && len(actions) == 0 {
		return RefuseField(CodeRequired, "decisions", "纪要至少包含一条共识结论或待办事项。",
			"Minutes need at least one decision or action item.")
	}
	min := &Minutes{Decisions: decisions, By: actor.Person, At: now}
	var register []*Risk
	for _, r := range risks {
		r.Description = strings.TrimSpace(r.Description)
		if r.Description == "" {
			continue
		}
		if r.ID <= 0 {
			return Refuse(CodeInvalid, "缺少风险编号。", "missing risk id")
		}
		if _, err := c.Risk(r.ID); err == nil {
			return Refuse(CodeConflict, r.ID.String()+" 已存在。", r.ID.String()+" already exists.")
		}
		register = append(register, &Risk{ID: r.ID, Description: r.Description, Source: id.String(), Severity: SeverityMedium,
			Department: c.RequestingDept, Owner: c.Coordinator, Status: RiskOpen, RaisedBy: actor.Person, RaisedAt: now})
		min.Risks = append(min.Risks, r.Description)
		min.RiskIDs = append(min.RiskIDs, r.ID)
	}
	var tasks []Task
	for _, a := range actions {
		t := a.Task
		t.Source = id.String()
		if err := c.checkTask(dir, &t, now, false); err != nil {
			return err
		}
		if slices.ContainsFunc(tasks, func(x Task) bool { return x.ID == t.ID }) {
			return Refuse(CodeConflict, t.ID.String()+" 重复。", t.ID.String()+" appears twice.")
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
	c.record(now, actor.Person, "minutes_recorded", id.String(), "")
	for _, r := range register {
		c.Risks = append(c.Risks, r)
		c.record(now, actor.Person, "risk_raised", r.ID.String(), r.Description)
		c.notify(now, actor.Person, "risk_assigned", r.ID.String(), map[string]string{"severity": string(r.Severity), "description": r.Description},
			r.Owner)
	}
	c.notify(now, actor.Person, "minutes_to_confirm", id.String(), nil, m.Unconfirmed()...)
	return nil
}

// ConfirmMinutes is an attendee's 确认无误.
func (c *Collaboration) ConfirmMinutes(actor Actor, id MeetingID, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	m, err := c.Meeting(id)
	if err != nil {
		return err
	}
	if m.Minutes == nil {
		return Refuse(CodeWrongState, id.String()+" 的纪要尚未记录。", "The minutes of "+id.String()+" are not recorded yet.")
	}
	if !slices.Contains(m.Attendees, actor.Person) {
		return forbidden("只有参会人可以确认纪要。", "Only attendees can confirm the minutes.")
	}
	if !slices.Contains(m.Unconfirmed(), actor.Person) {
		return Refuse(CodeAlreadyDone, "你已确认过 "+id.String()+" 的纪要。", "You already confirmed the minutes of "+id.String()+".")
	}
	m.Minutes.Confirmations = append(m.Minutes.Confirmations, Confirmation{Person: actor.Person, At: now})
	c.record(now, actor.Person, "minutes_confirmed", id.String(), "")
	if len(m.Unconfirmed()) == 0 {
		c.record(now, "", "minutes_confirmed_by_all", id.String(), "")
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
	if !c.organises(actor, m) {
		return forbidden("只有会议组织者或总协调人可以取消会议。", "Only the organiser or the coordinator can cancel the meeting.")
	}
	if m.Cancelled || m.Minutes != nil {
		return Refuse(CodeWrongState, id.String()+" 已取消或已有纪要。", id.String()+" is already cancelled or has minutes.")
	}
	m.Cancelled = true
	reason = strings.TrimSpace(reason)
	c.record(now, actor.Person, "meeting_cancelled", id.String(), reason)
	c.notify(now, actor.Person, "meeting_cancelled", id.String(), map[string]string{"reason": reason}, m.Attendees...)
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
	if err := FutureDue("start", start, now); err != nil {
		return err
	}
	if start.Equal(m.Start) {
		return Refuse(CodeAlreadyDone, id.String()+" 已定在 "+stamp(start)+"。", id.String()+" is already at "+stamp(start)+".")
	}
	before := m.Start
	m.Start = start
	c.record(now, actor.Person, "meeting_rescheduled", id.String(), changeNote([]Change{{"start", stamp(before), stamp(start)}}))
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
		return Refuse(CodeAlreadyDone, "他们已在参会人中。", "They are already invited.")
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
		return nil, forbidden("只有会议组织者或总协调人可以调整会议。", "Only the organiser or the coordinator can change the meeting.")
	}
	if m.Cancelled || m.Minutes != nil {
		return nil, Refuse(CodeWrongState, id.String()+" 已取消或已有纪要,不能再调整。", id.String()+" is cancelled or has minutes; it can no longer change.")
	}
	return m, nil
}
