package bot

import (
	"slices"
	"strings"
	"time"
)

// Amending recorded minutes (会议纪要更正). Attendees are told "if
// something is off, tell the organiser": this is what the organiser (or
// the coordinator) then does. The corrected minutes replace the old, the
// change is traced old → new, and every attendee confirms them again.
//
// Action items already became tasks, which people may have started: an
// amendment never re-creates or silently cancels one. An item of the
// amended minutes that names a task of the minutes (the engine matches
// owner and title, see MinutesTask) keeps that task as it is; any other
// item becomes a new task; a task whose item was taken out stays, and is
// returned in Dropped for the organiser to cancel deliberately (`task
// T-n cancel <reason>`). Risks follow the same rule with the register.

// MinutesAmendment is what an amendment did beyond the minutes' text.
type MinutesAmendment struct {
	Changes      []Change
	NewTasks     []TaskID // action items that became tasks now
	Dropped      []TaskID // tasks no longer in the minutes, not cancelled
	DueKept      []TaskID // kept tasks whose item gave another date: moved only by `task T-n due`
	NewRisks     []RiskID
	DroppedRisks []RiskID // register entries no longer in the minutes, not resolved
}

// MinutesTask is the task of m's minutes an action item stands for: the
// same owner and the same title (spacing and case aside), not one of
// taken. The engine asks before it assigns ids, so an unchanged item keeps
// its task instead of becoming a second one.
func (c *Collaboration) MinutesTask(m *Meeting, owner PersonID, title string, taken []TaskID) (TaskID, bool) {
	if m.Minutes == nil {
		return 0, false
	}
	for _, id := range m.Minutes.Actions {
		t, err := c.Task(id)
		if err == nil && !slices.Contains(taken, id) && t.Owner == owner && sameText(t.Title, title) {
			return id, true
		}
	}
	return 0, false
}

// MinutesRisk is the register entry of m's minutes a risk line stands for.
func MinutesRisk(m *Meeting, description string, taken []RiskID) (RiskID, bool) {
	if m.Minutes == nil {
		return 0, false
	}
	for i, d := range m.Minutes.Risks {
		if i < len(m.Minutes.RiskIDs) && !slices.Contains(taken, m.Minutes.RiskIDs[i]) && sameText(d, description) {
			return m.Minutes.RiskIDs[i], true
		}
	}
	return 0, false
}

func sameText(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// MayAmendMinutes refuses early what AmendOccurrenceMinutes would refuse
// whatever the form says: someone else's meeting, minutes not recorded.
func (c *Collaboration) MayAmendMinutes(days Days, actor Actor, id MeetingID, on string, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	m, err := c.meetingOrOccurrence(days, id, on, now)
	if err != nil {
		return err
	}
	if !c.organises(actor, m) {
		return forbidden("refuse.meeting.only_organiser_amends", nil)
	}
	if m.Minutes == nil {
		return Refuse(CodeWrongState, "refuse.meeting.no_minutes", Args{"meeting": m.Ref()})
	}
	return nil
}

// AmendOccurrenceMinutes replaces the recorded minutes of a meeting (or
// of one occurrence, on). Action items and risks carrying the id of one
// of the minutes' tasks or register entries keep it; the others carry
// fresh ids, as for RecordMinutes.
func (c *Collaboration) AmendOccurrenceMinutes(days Days, dir *Directory, actor Actor, id MeetingID, on string, decisions []string, actions []ActionItem, risks []Risk, now time.Time) (MinutesAmendment, error) {
	var am MinutesAmendment
	if err := c.MayAmendMinutes(days, actor, id, on, now); err != nil {
		return am, err
	}
	m, _ := c.meetingOrOccurrence(days, id, on, now)
	ref, old := m.Ref(), m.Minutes
	decisions = cleanList(decisions)
	if len(decisions) == 0 && len(actions) == 0 {
		return am, RefuseField(CodeRequired, "decisions", "refuse.meeting.empty_minutes", nil)
	}
	var ids []TaskID
	var tasks []Task
	for i, a := range actions {
		t := a.Task
		if slices.Contains(ids, t.ID) {
			return am, Refuse(CodeConflict, "refuse.meeting.task_twice", Args{"task": t.ID.String()})
		}
		ids = append(ids, t.ID)
		if slices.Contains(old.Actions, t.ID) {
			// The task it already is stays as it is: a date moves by the
			// task's own rules (its owner's request, the coordinator).
			if x, err := c.Task(t.ID); err == nil && !t.Due.IsZero() && !t.Due.Equal(x.Due) {
				am.DueKept = append(am.DueKept, t.ID)
			}
			continue
		}
		t.Source = ref
		if err := c.checkActionItem(dir, i+1, &t, now); err != nil {
			return am, err
		}
		tasks = append(tasks, t)
	}
	var riskIDs []RiskID
	var texts []string
	var register []*Risk
	for _, r := range risks {
		r.Description = strings.TrimSpace(r.Description)
		if r.Description == "" || slices.Contains(riskIDs, r.ID) {
			continue
		}
		if !slices.Contains(old.RiskIDs, r.ID) {
			if r.ID <= 0 {
				return am, Refuse(CodeInvalid, "refuse.meeting.missing_risk_id", nil)
			}
			if _, err := c.Risk(r.ID); err == nil {
				return am, Refuse(CodeConflict, "refuse.risk.exists", Args{"risk": r.ID.String()})
			}
			register = append(register, &Risk{ID: r.ID, Description: r.Description, Source: ref, Severity: SeverityMedium,
				Department: c.RequestingDept, Owner: c.Coordinator, Status: RiskOpen, RaisedBy: actor.Person, RaisedAt: now})
		}
		riskIDs, texts = append(riskIDs, r.ID), append(texts, r.Description)
	}
	am.Changes = c.minutesChanges(old, decisions, ids, tasks, texts, now.Location())
	if len(am.Changes) == 0 {
		return am, Refuse(CodeAlreadyDone, "refuse.meeting.minutes_unchanged", Args{"meeting": ref})
	}
	for _, t := range tasks {
		c.addTask(actor.Person, t, now)
		am.NewTasks = append(am.NewTasks, t.ID)
	}
	for _, t := range old.Actions {
		if !slices.Contains(ids, t) {
			am.Dropped = append(am.Dropped, t)
		}
	}
	for _, r := range old.RiskIDs {
		if !slices.Contains(riskIDs, r) {
			am.DroppedRisks = append(am.DroppedRisks, r)
		}
	}
	// The amended minutes are confirmed afresh: a confirmation was of the
	// old text. Their clock restarts too, so the reminder to confirm goes
	// out a business day after the amendment, not after the first record.
	m.Minutes.Decisions, m.Minutes.Actions, m.Minutes.Risks, m.Minutes.RiskIDs = decisions, ids, texts, riskIDs
	m.Minutes.At, m.Minutes.Confirmations = now, nil
	if slices.Contains(m.Attendees, actor.Person) {
		m.Minutes.Confirmations = []Confirmation{{Person: actor.Person, At: now}}
	}
	note := changeNote(am.Changes)
	c.record(now, actor.Person, "minutes_amended", ref, note)
	for _, r := range register {
		c.Risks = append(c.Risks, r)
		am.NewRisks = append(am.NewRisks, r.ID)
		c.record(now, actor.Person, "risk_raised", r.ID.String(), r.Description)
		c.notify(now, actor.Person, "risk_assigned", r.ID.String(), map[string]string{"severity": string(r.Severity), "description": r.Description},
			r.Owner)
	}
	c.notify(now, actor.Person, "minutes_amended", ref, map[string]string{"changes": note, "by": string(actor.Person)}, m.Unconfirmed()...)
	return am, nil
}

// minutesChanges lists what an amendment changes, line by line: a line
// replaced is "old → new", one taken out "old → —", one added "— → new",
// so that each fits the timeline's note and the attendees' notice.
func (c *Collaboration) minutesChanges(old *Minutes, decisions []string, ids []TaskID, fresh []Task, risks []string, loc *time.Location) []Change {
	item := func(t Task) string {
		s := t.Title + " @" + string(t.Owner)
		if !t.Due.IsZero() {
			s += " " + t.Due.In(loc).Format(time.DateOnly)
		}
		return s
	}
	items := func(ids []TaskID) []string {
		var out []string
		for _, id := range ids {
			if t, err := c.Task(id); err == nil {
				out = append(out, item(*t))
			} else if i := slices.IndexFunc(fresh, func(t Task) bool { return t.ID == id }); i >= 0 {
				out = append(out, item(fresh[i]))
			}
		}
		return out
	}
	// An action item taken out is not replaced by one put in: its task
	// stays, so each stands alone.
	out := listChanges("decisions", old.Decisions, decisions, true)
	out = append(out, listChanges("actions", items(old.Actions), items(ids), false)...)
	return append(out, listChanges("risks", old.Risks, risks, false)...)
}

// listChanges lists the lines taken out of a list and those put in;
// paired, in order, as replacements, what is left of either side alone.
func listChanges(field string, before, after []string, paired bool) []Change {
	var gone, added []string
	for _, b := range before {
		if !slices.Contains(after, b) {
			gone = append(gone, b)
		}
	}
	for _, a := range after {
		if !slices.Contains(before, a) {
			added = append(added, a)
		}
	}
	var out []Change
	if !paired {
		for _, g := range gone {
			out = append(out, Change{Field: field, Before: g})
		}
		for _, a := range added {
			out = append(out, Change{Field: field, After: a})
		}
		return out
	}
	for i := 0; i < max(len(gone), len(added)); i++ {
		ch := Change{Field: field}
		if i < len(gone) {
			ch.Before = gone[i]
		}
		if i < len(added) {
			ch.After = added[i]
		}
		out = append(out, ch)
	}
	return out
}
