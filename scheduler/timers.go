package scheduler

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// The deadline timers: each fires once per recipient when its deadline
// passes, however late the scan that notices it (a deadline missed during
// downtime is still worth chasing).

func (d *due) acknowledgements(c *bot.Collaboration, p Policy) {
	if c.Status != bot.StatusAwaitingAck {
		return
	}
	for _, a := range c.Acks {
		f := Firing{Entity: c.ID.String() + "/" + a.Department, Collab: c.ID, Subject: a.Department,
			Params: map[string]string{"department": a.Department, "contact": string(a.Contact)}}
		switch a.Status {
		case bot.AckPending:
			d.chase(c, f, chase{timer: p.Acknowledgement, asked: a.AskedAt, reminder: AckReminder, escalation: AckEscalation,
				remind: []bot.PersonID{a.Contact}, escalate: []bot.PersonID{d.head(a.Department), c.Coordinator}})
		case bot.AckNeedsInfo:
			// The department's question waits on the requester: reminded
			// After it was asked, the coordinator told EscalateAfter that
			// (the requesting department's head when the requester
			// coordinates). An answer makes it pending again, with a fresh
			// acknowledgement deadline.
			f.Params["question"], f.Params["asked"] = a.Question, stamp(a.At)
			d.chase(c, f, chase{timer: p.NeedsInfo, asked: a.At, reminder: NeedsInfoReminder, escalation: NeedsInfoEscalation,
				remind: []bot.PersonID{c.Requester}, escalate: []bot.PersonID{c.Coordinator}})
		}
	}
}

// remindedAt is when the reminder due at deadline goes out, for its
// escalation to say: at the deadline when that falls within working
// hours, else at the start of the next ones (evaluate holds it there), so
// an escalation never claims someone was reminded at a Friday-night
// deadline that reached them on Monday morning.
func (d *due) remindedAt(deadline time.Time) string {
	return stamp(d.cal.WorkingFrom(deadline))
}

// review chases the requesting department head's first review (需求初审):
// the head is reminded After the request was submitted, and the requester
// told EscalateAfter that, so a request never waits unseen.
func (d *due) review(c *bot.Collaboration, p Policy) {
	if c.Status != bot.StatusInReview || c.SubmittedAt.IsZero() {
		return
	}
	head := d.head(c.RequestingDept)
	ref := c.ID.String()
	f := Firing{Entity: ref + "/review", Collab: c.ID, Subject: ref,
		Params: map[string]string{"head": string(head), "asked": stamp(c.SubmittedAt)}}
	d.chase(c, f, chase{timer: p.Review, asked: c.SubmittedAt, reminder: ReviewReminder, escalation: ReviewEscalation,
		remind: []bot.PersonID{head}, escalate: []bot.PersonID{c.Requester}})
}

func (d *due) meetings(c *bot.Collaboration, p Policy) {
	for _, m := range c.Meetings {
		if m.Cancelled || m.Series() {
			continue // a series' occurrences are chased in series.go
		}
		d.meeting(c, p, m)
	}
}

// meeting chases one meeting, or one occurrence of a series: the agenda
// before, the minutes after, their confirmation.
func (d *due) meeting(c *bot.Collaboration, p Policy, m *bot.Meeting) {
	ref := m.Ref()
	params := map[string]string{"start": stamp(m.Start), "title": m.Title, "kind": string(m.Kind)}
	if p.Agenda.On && m.Minutes == nil {
		// An agenda due outside working hours (or in their last hour) goes
		// the working day before, an hour before its end: a Monday 09:00
		// meeting's on Friday at 17:00, so a scan a little late still
		// sends it that evening. Found late, it goes at once while the
		// meeting is ahead (evaluate does not hold it for the morning);
		// once the meeting has begun it is recorded as skipped.
		if send := AgendaDue(d.cal, p, m.Start); !d.until(send) {
			f := Firing{Entity: ref, Slot: d.slot(m.Start), Due: send, Collab: c.ID, Subject: ref, Params: params}
			if !d.until(m.Start) {
				f.Outcome = bot.ReminderSkipped
			}
			if len(m.Agenda) > 0 {
				f.Timer = AgendaToAttendees
				d.fire(f, m.Attendees...)
			} else {
				f.Timer = AgendaMissing
				d.fire(f, m.Organiser)
			}
		}
	}
	if p.Minutes.On && m.Minutes == nil {
		deadline := m.End().Add(wall(p.Minutes.After))
		if !d.until(deadline) {
			f := Firing{Timer: MinutesReminder, Entity: ref, Slot: d.slot(m.Start), Due: deadline, Collab: c.ID, Subject: ref, Params: params}
			d.fire(f, m.Organiser)
			if escalate := d.cal.Add(deadline, p.Minutes.EscalateAfter); !d.until(escalate) {
				f.Timer, f.Due = MinutesEscalation, escalate
				d.escalate(c, f, []bot.PersonID{m.Organiser}, []bot.PersonID{c.Coordinator})
			}
		}
	}
	if p.MinutesConfirmation.On && m.Minutes != nil {
		deadline := d.cal.Add(m.Minutes.At, p.MinutesConfirmation.After)
		if !d.until(deadline) {
			f := Firing{Timer: MinutesConfirmation, Entity: ref, Slot: d.slot(m.Minutes.At), Due: deadline, Collab: c.ID, Subject: ref, Params: params}
			d.fire(f, m.Unconfirmed()...)
		}
	}
}

// lastCall is how long before the end of working hours a reminder meant
// for "the working day before" is due: a scan that runs a little late
// (the lease moved, the bot restarted) still finds it within working
// hours instead of holding it for the next working morning.
const lastCall = time.Hour

// workingBefore is when something meant for x goes out: x itself within
// working hours, else the last working moment before it, and never in
// the last hour (lastCall) of a working day but at its start.
func (d *due) workingBefore(x time.Time) time.Time { return workingBefore(d.cal, x) }

func workingBefore(cal *calendar.Calendar, x time.Time) time.Time {
	at := cal.WorkingUntil(x)
	end := cal.WorkingUntil(dayAt(cal, at, 24*time.Hour-time.Minute)) // that day's end of work
	if cut := end.Add(-lastCall); at.After(cut) {
		at = cut
		if start := cal.WorkingFrom(dayAt(cal, at, 0)); at.Before(start) {
			at = start // working hours shorter than the margin
		}
	}
	return at
}

// AgendaDue is when a meeting starting at start gets its agenda (or its
// organiser is asked for one) under p: the agenda timer's span before
// it, moved back into working hours (workingBefore). The engine asks it
// too, to tell an organiser writing an agenda late that it goes now.
func AgendaDue(cal *calendar.Calendar, p Policy, start time.Time) time.Time {
	return workingBefore(cal, start.Add(-wall(p.Agenda.After)))
}

// above is who an escalation goes to: each of escalate, except that one
// who was among the reminded — a coordinator who is also the requester or
// the organiser, a head who is the department's contact — is replaced by
// the next one up (nextUp). An escalation is for someone other than the
// one who was late: it never asks a person to chase themselves.
func (d *due) above(c *bot.Collaboration, reminded, escalate []bot.PersonID) []bot.PersonID {
	var out []bot.PersonID
	for _, p := range escalate {
		switch {
		case p == "":
		case slices.Contains(reminded, p):
			out = append(out, d.nextUp(c, p, reminded)...)
		default:
			out = append(out, p)
		}
	}
	return out
}

// nextUp is who is above p, one of the reminded, in a collaboration: for
// the requester's side (requester, coordinator, organiser) the requesting
// department's head; for the head of another department — a peer of that
// head, who has no say over it — and when the requesting head was
// reminded or there is none, the leadership group as configured.
func (d *due) nextUp(c *bot.Collaboration, p bot.PersonID, reminded []bot.PersonID) []bot.PersonID {
	if h := d.head(c.RequestingDept); h != "" && !slices.Contains(reminded, h) && !d.headsOther(c, p) {
		return []bot.PersonID{h}
	}
	if d.s.Directory == nil {
		return nil
	}
	var out []bot.PersonID
	for _, p := range d.s.Directory.Leadership {
		if !slices.Contains(reminded, p) {
			out = append(out, p)
		}
	}
	return out
}

// headsOther reports whether p heads a department other than the one
// that made the request.
func (d *due) headsOther(c *bot.Collaboration, p bot.PersonID) bool {
	if d.s.Directory == nil {
		return false
	}
	for _, dep := range d.s.Directory.Departments {
		if dep.Head == p && dep.Name != c.RequestingDept {
			return true
		}
	}
	return false
}

// wall is a span as elapsed time, for delays counted back from a meeting
// (the calendar only counts forward): a business day as 24 hours.
func wall(s calendar.Span) time.Duration {
	switch s.Unit {
	case calendar.BusinessDays:
		return time.Duration(s.N) * 24 * time.Hour
	case calendar.BusinessHours:
		return time.Duration(s.N) * time.Hour
	}
	return s.D
}

// tasks chases due and overdue tasks: owner and coordinator at the due
// time, again each business day at that time of day while it stays
// overdue, and the department head once it is EscalateAfter overdue.
// Whether the timer is on or not, a task past due turns its owner's and
// the coordinator's home pages red (homes.go).
func (d *due) tasks(c *bot.Collaboration, p Policy) {
	if !underWay(c) && c.Status != bot.StatusAccepting {
		return
	}
	for _, t := range c.Tasks {
		if !t.Open() || t.Awaiting() || t.Due.IsZero() || d.until(t.Due) {
			continue
		}
		ref := t.ID.String()
		d.overdueHome(c, t, ref)
		if !p.TaskDue.On {
			continue
		}
		params := map[string]string{"title": t.Title, "due": stamp(t.Due), "status": string(t.Status), "department": t.Department}
		f := Firing{Timer: TaskDue, Entity: ref, Slot: d.slot(t.Due), Due: t.Due, Collab: c.ID, Subject: ref, Params: params}
		if again, ok := d.lastDaily(t.Due); ok {
			f.Timer, f.Slot, f.Due = TaskOverdue, again.In(d.cal.Location()).Format(time.DateOnly), again
			f.Params = with(params, "days", strconv.Itoa(d.businessDaysBetween(t.Due, again)))
		}
		if today, ok := d.caughtUp(t.Due, f.Due); ok {
			// Missed on an earlier day (the bot was down): it goes as
			// today's, with today's count, and today's at its time finds
			// it sent.
			c := f
			c.Timer, c.Slot = TaskOverdue, d.day
			c.Params = with(params, "days", strconv.Itoa(d.businessDaysBetween(t.Due, today)))
			f.Catch = &c
		}
		to := []bot.PersonID{t.Owner, c.Coordinator}
		if t.OwnedSince().After(f.Due) {
			// The owner received it already due: the assignment notice
			// says so; a "deadline reached" ahead of it would not make sense.
			to = to[1:]
		}
		d.fire(f, to...)
		// Overdue, it is chased again each business day at its time of day.
		d.soon(d.cal.NextBusinessDayAt(d.t, t.Due.In(d.cal.Location()).Sub(d.at(t.Due, 0))))
		if escalate := d.cal.Add(t.Due, p.TaskDue.EscalateAfter); !d.until(escalate) {
			e := Firing{Timer: TaskEscalation, Entity: ref, Slot: d.slot(t.Due), Due: escalate, Collab: c.ID, Subject: ref,
				Params: with(with(params, "owner", string(t.Owner)), "reminded", d.remindedOf(t.Due, t.Owner))}
			d.escalate(c, e, []bot.PersonID{t.Owner, c.Coordinator}, []bot.PersonID{d.head(t.Department)})
		}
	}
}

// lastDaily is the latest repeat of a daily reminder first due at first:
// the same time of day on a later business day, no later than t. Only the
// latest counts, so a long downtime sends one reminder, not a backlog.
func (d *due) lastDaily(first time.Time) (time.Time, bool) {
	clock := first.In(d.cal.Location()).Sub(d.at(first, 0))
	day := d.at(d.t, 0)
	for i := 0; i < 370; i++ { // a year of holidays at most
		at := day.Add(clock)
		if !at.After(d.at(first, 0).Add(clock)) {
			return time.Time{}, false
		}
		if !at.After(d.t) && d.cal.IsBusinessDay(at) {
			return at, true
		}
		day = day.AddDate(0, 0, -1)
	}
	return time.Time{}, false
}

// caughtUp reports whether a daily reminder first due at first, whose
// latest repeat was due at last, would be caught up today before today's
// repeat (returned): last could have gone out on an earlier day, in
// working hours. If the ledger finds it was not (Firing.Catch), one
// reminder a business day is enough — a scan at 17:30 after two days down
// sends today's count once, not yesterday's then and today's at 18:00.
// One merely held for working hours (due at night, out this morning) is
// not caught up.
func (d *due) caughtUp(first, last time.Time) (time.Time, bool) {
	clock := first.In(d.cal.Location()).Sub(d.at(first, 0))
	today := d.at(d.t, clock)
	if !d.t.Before(today) || !today.After(first) || !d.cal.IsBusinessDay(today) {
		return time.Time{}, false
	}
	return today, d.at(d.cal.WorkingFrom(last), 0).Before(d.at(d.t, 0))
}

func (d *due) businessDaysBetween(a, b time.Time) int {
	n := 0
	for day := d.at(a, 0).AddDate(0, 0, 1); !day.After(b); day = day.AddDate(0, 0, 1) {
		if d.cal.IsBusinessDay(day) {
			n++
		}
	}
	return n
}

func with(m map[string]string, k, v string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for key, val := range m {
		out[key] = val
	}
	out[k] = v
	return out
}

// risks chases an open risk's response: owner and coordinator once the
// owner's response time has passed (high severity already reached leadership when
// it was raised).
func (d *due) risks(c *bot.Collaboration, p Policy) {
	if !p.RiskResponse.On {
		return
	}
	for _, r := range c.Risks {
		if r.Status != bot.RiskOpen {
			continue
		}
		// From its raising, or from when its current owner was handed it
		// or it was reopened: the chase follows whoever answers for it now.
		deadline := d.cal.Add(r.ResponseFrom(), p.RiskResponse.After)
		if d.until(deadline) {
			continue
		}
		ref := r.ID.String()
		f := Firing{Timer: RiskReminder, Entity: ref, Slot: d.slot(deadline), Due: deadline, Collab: c.ID, Subject: ref,
			Params: map[string]string{"description": r.Description, "severity": string(r.Severity), "owner": string(r.Owner)}}
		d.fire(f, r.Owner, c.Coordinator)
	}
}

// closing chases the requester's acceptance decision, the rework a
// failed acceptance sent back, and the coordinator's retrospective.
func (d *due) closing(c *bot.Collaboration, p Policy) {
	switch {
	case c.Status == bot.StatusActive && p.Acceptance.On:
		d.rework(c, p)
	case c.Status == bot.StatusAccepting && p.Acceptance.On && len(c.Deliveries) > 0:
		last := c.Deliveries[len(c.Deliveries)-1]
		deadline := d.cal.Add(last.At, p.Acceptance.After)
		if d.until(deadline) {
			return
		}
		n := strconv.Itoa(last.Number)
		f := Firing{Timer: AcceptanceReminder, Entity: c.ID.String() + "/delivery-" + n, Slot: d.slot(last.At), Due: deadline,
			Collab: c.ID, Subject: c.ID.String(), Params: map[string]string{"delivery": n, "deadline": stamp(deadline), "reminded": d.remindedAt(deadline)}}
		d.fire(f, c.Requester)
		if escalate := d.cal.Add(deadline, p.Acceptance.EscalateAfter); !d.until(escalate) {
			f.Timer, f.Due = AcceptanceEscalation, escalate
			f.Params = with(f.Params, "reminded", d.remindedOf(deadline, c.Requester))
			d.escalate(c, f, []bot.PersonID{c.Requester}, []bot.PersonID{c.Coordinator})
		}
	case c.Status == bot.StatusRetrospective && p.Retrospective.On && c.Retrospective == nil && c.Has(bot.StepRetrospective):
		var passed time.Time
		for _, a := range c.Acceptances {
			if a.Verdict == bot.VerdictPass {
				passed = a.At
			}
		}
		if passed.IsZero() {
			return
		}
		deadline := d.cal.Add(passed, p.Retrospective.After)
		if d.until(deadline) {
			return
		}
		d.fire(Firing{Timer: RetroReminder, Entity: c.ID.String(), Slot: d.slot(passed), Due: deadline, Collab: c.ID,
			Subject: c.ID.String(), Params: map[string]string{"deadline": stamp(deadline)}}, c.Coordinator)
	}
}

// rework chases the items a failed acceptance sent back (整改): at the
// rework deadline, with no delivery since, the coordinator, whoever
// delivered and the owners of open tasks; EscalateAfter later the heads of the assisting
// departments and the requester. It follows the acceptance timer's
// setting: a rework is the acceptance step not yet done. A new delivery
// puts the collaboration back in acceptance, and that timer takes over.
func (d *due) rework(c *bot.Collaboration, p Policy) {
	if len(c.Acceptances) == 0 {
		return
	}
	a := c.Acceptances[len(c.Acceptances)-1]
	if a.Verdict != bot.VerdictFail || a.Due.IsZero() || a.Delivery < 1 || len(c.Deliveries) != a.Delivery || d.until(a.Due) {
		return
	}
	n := strconv.Itoa(a.Delivery)
	f := Firing{Timer: ReworkDue, Entity: c.ID.String() + "/rework-" + n, Slot: d.slot(a.Due), Due: a.Due,
		Collab: c.ID, Subject: c.ID.String(), Params: map[string]string{"delivery": n, "deadline": stamp(a.Due),
			"failed": stamp(a.At), "by": string(a.By), "items": strings.Join(a.Items, "\n"), "reminded": d.remindedAt(a.Due)}}
	// The one who delivered answers for the rework even with no task open
	// (a delivery needs none), so they are chased with the task owners.
	owners := []bot.PersonID{c.Coordinator, c.Deliveries[a.Delivery-1].By}
	for _, t := range c.Tasks {
		if t.Open() {
			owners = append(owners, t.Owner)
		}
	}
	d.fire(f, owners...)
	if escalate := d.cal.Add(a.Due, p.Acceptance.EscalateAfter); !d.until(escalate) {
		f.Timer, f.Due = ReworkEscalation, escalate
		var told []bot.PersonID
		for _, ack := range c.Acks {
			told = append(told, d.head(ack.Department))
		}
		d.escalate(c, f, owners, append(told, c.Requester))
	}
}

// weekly sends the board of each collaboration in progress to its group
// (its coordinator when it has none) once a week, on the first business
// day from the configured weekday on.
func (d *due) weekly(c *bot.Collaboration, p Policy) {
	w := p.WeeklySummary
	if !w.On || (c.Status != bot.StatusActive && c.Status != bot.StatusAccepting) {
		return
	}
	at, week, ok := d.firstBusinessAt(w.Day, w.At)
	if !ok || d.until(at) || c.ActivatedAt.After(at) {
		return // not yet, or the collaboration started after this week's summary
	}
	f := Firing{Timer: WeeklySummary, Entity: c.ID.String(), Slot: week, Due: at, Collab: c.ID, Subject: c.ID.String()}
	if c.Group != "" {
		d.fireGroup(f)
	} else {
		d.fire(f, c.Coordinator)
	}
}

// firstBusinessAt is the first business day from this week's weekday on,
// at the given time of day: when a weekly timer is due this week. ok is
// false when the week has no business day left from that weekday.
func (d *due) firstBusinessAt(day time.Weekday, at time.Duration) (due time.Time, week string, ok bool) {
	local := d.t.In(d.cal.Location())
	back := (int(local.Weekday()) - int(day) + 7) % 7
	start := d.at(local.AddDate(0, 0, -back), 0) // this week's configured day
	for day := start; day.Before(start.AddDate(0, 0, 7)); day = day.AddDate(0, 0, 1) {
		if d.cal.IsBusinessDay(day) {
			return day.Add(at), start.Format(time.DateOnly), true
		}
	}
	return time.Time{}, "", false
}

// digest sends each department head their department's figures and the
// week's overdue and needs-help tasks, and leadership every department's,
// once a week. It is about the workspace: it names no collaboration.
func (d *due) digest(p Policy) {
	w := p.WeeklyDigest
	dir := d.s.Directory
	if !w.On || dir == nil || len(d.s.Collabs) == 0 {
		return
	}
	at, week, ok := d.firstBusinessAt(w.Day, w.At)
	if !ok || d.until(at) {
		return
	}
	// A week that began with nothing under way has nothing to report.
	if !slices.ContainsFunc(d.s.Collabs, func(c *bot.Collaboration) bool { return c.CreatedAt.Before(at) }) {
		return
	}
	// A head hears only of departments at work in something under way; a
	// weekly note that there is nothing to say is noise.
	involved := map[string]bool{}
	for _, c := range d.s.Collabs {
		involved[c.RequestingDept] = true
		for _, a := range c.Request.Departments {
			involved[a.Department] = true
		}
	}
	heads := map[bot.PersonID][]string{}
	var order []bot.PersonID
	for _, dept := range dir.Departments {
		if dept.Head == "" || !involved[dept.Name] {
			continue
		}
		if _, seen := heads[dept.Head]; !seen {
			order = append(order, dept.Head)
		}
		heads[dept.Head] = append(heads[dept.Head], dept.Name)
	}
	for _, p := range dir.Leadership {
		if _, seen := heads[p]; !seen {
			order = append(order, p)
		}
		heads[p] = nil // leadership sees every department
	}
	for _, person := range order {
		depts := heads[person]
		f := Firing{Timer: WeeklyDigest, Entity: "digest", Slot: week, Due: at, Subject: week,
			Params: map[string]string{"departments": strings.Join(depts, "\n"), "week": week}}
		d.fire(f, person)
	}
}

// Timers of the head's confirmation of a new task (seed 001: 负责人确认).
const (
	TaskConfirmationReminder   = "task_confirmation_reminder"
	TaskConfirmationEscalation = "task_confirmation_escalation"
)

// taskConfirmations chases a department head who has not confirmed or
// reassigned a new task: reminded After it was planned, and the
// coordinator told EscalateAfter that. A task waits only where the step
// was on when it was planned, so the chase does not ask whether the
// step is on now; switching every reminder off silences it.
func (d *due) taskConfirmations(c *bot.Collaboration, p Policy) {
	if c.Reminders[bot.AllReminders] == "off" || c.Status.Closed() {
		return
	}
	timer := p.TaskConfirmation
	timer.On = true // the step's switch, not the chase's: a waiting task is always chased
	for _, t := range c.Tasks {
		cf := t.Confirmation
		if !t.Awaiting() || cf == nil {
			continue
		}
		ref := t.ID.String()
		f := Firing{Entity: ref, Collab: c.ID, Subject: ref,
			Params: map[string]string{"title": t.Title, "department": t.Department, "head": string(cf.Head), "due": stamp(t.Due),
				"owner": string(t.Owner)}}
		d.chase(c, f, chase{timer: timer, asked: cf.AskedAt, reminder: TaskConfirmationReminder, escalation: TaskConfirmationEscalation,
			remind: []bot.PersonID{cf.Head}, escalate: []bot.PersonID{c.Coordinator}, slotAsked: true})
	}
}
