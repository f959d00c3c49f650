package scheduler

import (
	"sort"
	"strconv"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// State is what the scheduler reads from the store of one workspace to
// answer "what is due at t".
type State struct {
	Directory *bot.Directory
	// Collabs are the collaborations that can still have timers: submitted
	// and not yet archived or cancelled.
	Collabs []*bot.Collaboration
	// Posted says who posted progress today (t's day), per collaboration.
	Posted map[bot.Posted]bool
	// Asked is what became of today's daily progress requests, by person
	// (a ledger outcome), for the coordinator's summary.
	Asked map[bot.PersonID]string
	// Settings hold people's snoozes and leave.
	Settings map[bot.PersonID]bot.Settings
}

// Firing is one reminder or escalation to one recipient.
type Firing struct {
	// Timer, Entity and Slot are the ledger key: Entity names what is
	// chased and who is told ("COL-3/研发部@bob"); Slot the due instant or
	// day it belongs to, so a later t finds the same key.
	Timer  string
	Entity string
	Slot   string
	Due    time.Time
	Collab bot.CollabID // 0 for a reminder about several collaborations
	// Also lists further collaborations whose timeline notes it.
	Also    []bot.CollabID
	To      bot.PersonID // empty for the collaboration's group
	Subject string
	Params  map[string]string
	// lazy builds Params when the firing is new: most scans find most
	// firings recorded, and a list of tasks is not worth writing then.
	lazy func() map[string]string
	// Catch, when set, is what the firing goes out as if the ledger does
	// not have it yet: a daily repeat missed on an earlier day (the bot
	// was down) goes as today's, and today's at its time finds it
	// recorded. Both are recorded; one the ledger has changes nothing.
	Catch *Firing
	// Outcome is what to do with it: bot.ReminderSent to send it;
	// ReminderMissed when it fell due longer ago than its grace (the bot
	// was down), ReminderSuppressed when the recipient is on leave — both
	// recorded, never sent; ReminderSnoozed to hold it back for now.
	Outcome string
}

// Notice is the outbox row the firing becomes.
func (f Firing) Notice() bot.Notice {
	params := f.Params
	if params == nil && f.lazy != nil {
		params = f.lazy()
	}
	return bot.Notice{Key: "timer/" + f.Timer + "/" + f.Entity + "/" + f.Slot, Collab: f.Collab, To: f.To,
		ToGroup: f.To == "", Kind: f.Timer, Subject: f.Subject, Params: params, At: f.Due}
}

// Reminder is its ledger entry.
func (f Firing) Reminder(at time.Time, outcome string) bot.Reminder {
	return bot.Reminder{Timer: f.Timer, Entity: f.Entity, Slot: f.Slot, Collab: f.Collab, At: at, Outcome: outcome}
}

// Timer names in the ledger, the outbox (as the notice kind) and the
// timeline. Stable: a rename would send everything once more.
const (
	AckReminder          = "ack_reminder"
	AckEscalation        = "ack_escalation"
	NeedsInfoReminder    = "needs_info_reminder"   // the requester, to answer a department's question
	NeedsInfoEscalation  = "needs_info_escalation" // the coordinator, the question still open
	ReviewReminder       = "review_reminder"       // the requesting department's head, to review
	ReviewEscalation     = "review_escalation"     // the requester, the review still pending
	AgendaToAttendees    = "agenda"
	AgendaMissing        = "agenda_missing"
	MinutesReminder      = "minutes_reminder"
	MinutesEscalation    = "minutes_escalation"
	MinutesConfirmation  = "minutes_confirmation"
	DailyProgress        = "daily_progress"
	ProgressSummary      = "progress_summary"
	TaskDue              = "task_due"
	TaskOverdue          = "task_overdue"
	TaskEscalation       = "task_escalation"
	RiskReminder         = "risk_reminder"
	AcceptanceReminder   = "acceptance_reminder"
	AcceptanceEscalation = "acceptance_escalation"
	ReworkDue            = "rework_due"
	ReworkEscalation     = "rework_escalation"
	RetroReminder        = "retro_reminder"
	WeeklySummary        = "weekly_summary"
	WeeklyDigest         = "weekly_digest"
	CalendarMissing      = "calendar_missing"
)

// calendarHorizon is how far ahead coordinators are warned of a year
// without a holiday calendar.
const calendarHorizon = 60

// Due answers what is due at t: every reminder and escalation whose time
// has come, whether or not it was sent before — the ledger decides that.
// It is a pure function of its arguments.
func Due(p Policy, cal *calendar.Calendar, s *State, t time.Time) []Firing {
	out, _, _ := evaluate(p, cal, s, t)
	return out
}

// evaluate is Due that also answers, per collaboration of s, the next
// instant after t at which its answer may change (see next.go), and the
// home pages a task past due turns red (homes.go), which are no firings.
func evaluate(p Policy, cal *calendar.Calendar, s *State, t time.Time) ([]Firing, map[bot.CollabID]time.Time, []Firing) {
	d := due{p: p, cal: cal, s: s, t: t, day: t.In(cal.Location()).Format(time.DateOnly), next: map[bot.CollabID]time.Time{}}
	for _, c := range s.Collabs {
		cp := p.For(c)
		d.cur = c.ID
		d.recurring(c, cp)
		d.review(c, cp)
		d.acknowledgements(c, cp)
		d.meetings(c, cp)
		d.series(c, cp)
		d.tasks(c, cp)
		d.taskConfirmations(c, cp)
		d.steps(c, cp)
		d.risks(c, cp)
		d.closing(c, cp)
		d.weekly(c, cp)
		d.returns(c, cp)
		d.reads(c, cp)
		d.resolutions(c, cp)
	}
	d.dailyProgress()
	d.workspace() // about the workspace: every collaboration's next look
	d.calendarCoverage()
	d.digest(p)
	minute := t.Truncate(time.Minute) // scans run on the minute; 18:00:05 is still 18:00
	atWork := cal.WorkingFrom(minute).Equal(minute)
	for i := range d.out {
		f := &d.out[i]
		// A timer at its chosen time goes out then, however late in the
		// day; one that comes late (the bot was down) waits like any
		// other, and a summary of a day gone by is not worth sending.
		onTime := atChosenTime[f.Timer] && !t.After(cal.Add(f.Due, p.DailyProgress.Grace))
		switch {
		case f.Outcome != "":
			// decided already (a missed progress request)
		case f.Timer == ProgressSummary && !onTime && !atWork:
			f.Outcome = bot.ReminderMissed
		case !atWork && !onTime && !beforeStart[f.Timer]:
			// Leave and snoozes are looked at when it goes out, not now.
			f.Outcome = bot.ReminderWaiting
		default:
			f.Outcome = d.hold(f.To, bot.ReminderSent)
		}
	}
	sort.Slice(d.out, func(i, j int) bool {
		a, b := d.out[i], d.out[j]
		if !a.Due.Equal(b.Due) {
			return a.Due.Before(b.Due)
		}
		return a.Timer+"/"+a.Entity < b.Timer+"/"+b.Entity
	})
	d.held(minute)
	return d.out, d.nextLooks(), d.homes
}

// atChosenTime are the timers that fire at a time of day people chose
// (the daily progress request and summary, the weekly board): they go out
// then, on business days. Every other reminder and escalation falls due
// whenever its deadline does, and waits for working hours (the calendar's
// work_hours on business days): an acknowledgement due Saturday 22:00
// reaches its contact Monday 09:00, once.
var atChosenTime = map[string]bool{DailyProgress: true, ProgressSummary: true, WeeklySummary: true, WeeklyDigest: true}

// beforeStart are the timers of a meeting's agenda: found due outside
// working hours (a late scan, the bot down over a holiday), they go at
// once rather than the next working morning, which may be an hour
// before the meeting or after it; recipients' quiet hours still hold
// them. Once the meeting has begun they are skipped (meeting).
var beforeStart = map[string]bool{AgendaToAttendees: true, AgendaMissing: true}

// due gathers the firings of one evaluation.
type due struct {
	p   Policy
	cal *calendar.Calendar
	s   *State
	t   time.Time
	day string // t's date in the workspace's zone
	out []Firing
	// homes are the pages of people whose task is past due (homes.go).
	homes []Firing
	// cur is the collaboration being evaluated (0: the workspace), next
	// the earliest instant after t at which each one's answer may change
	// (0: every collaboration's).
	cur  bot.CollabID
	next map[bot.CollabID]time.Time
}

// calendarCoverage tells each coordinator of a collaboration in progress,
// once per missing year, that the holiday calendar ends within the next
// 60 days: deadlines there would count public holidays as working days.
func (d *due) calendarCoverage() {
	years := d.cal.Uncovered(d.t, calendarHorizon)
	if len(years) == 0 {
		return
	}
	// The notice is about the workspace, not one collaboration: it names
	// none, so no collaboration's record carries it.
	seen := map[bot.PersonID]bool{}
	var coordinators []bot.PersonID
	for _, c := range d.s.Collabs {
		if !seen[c.Coordinator] && c.Coordinator != "" {
			seen[c.Coordinator] = true
			coordinators = append(coordinators, c.Coordinator)
		}
	}
	for _, y := range years {
		year := strconv.Itoa(y)
		for _, p := range coordinators {
			d.fire(Firing{Timer: CalendarMissing, Entity: "calendar", Slot: year, Due: d.t,
				Subject: year, Params: map[string]string{"year": year}}, p)
		}
	}
}

// fire adds a firing to each recipient, once per person.
func (d *due) fire(f Firing, to ...bot.PersonID) {
	seen := map[bot.PersonID]bool{}
	for _, p := range to {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		g := f
		g.To = p
		g.Entity = f.Entity + "@" + string(p)
		if f.Catch != nil {
			c := *f.Catch
			c.To, c.Entity = p, f.Catch.Entity+"@"+string(p)
			g.Catch = &c
		}
		d.out = append(d.out, g)
	}
}

// fireGroup adds a firing to the collaboration's group.
func (d *due) fireGroup(f Firing) {
	f.To = ""
	f.Entity += "#group"
	d.out = append(d.out, f)
}

// slot names a due instant in the workspace's zone, to the minute.
func (d *due) slot(t time.Time) string { return t.In(d.cal.Location()).Format("2006-01-02T15:04") }

// at is the instant of a time of day on the date of t.
func (d *due) at(t time.Time, clock time.Duration) time.Time { return dayAt(d.cal, t, clock) }

// dayAt is clock on t's day in the calendar's location.
func dayAt(cal *calendar.Calendar, t time.Time, clock time.Duration) time.Time {
	y, m, day := t.In(cal.Location()).Date()
	return time.Date(y, m, day, 0, 0, 0, 0, cal.Location()).Add(clock)
}

func (d *due) head(dept string) bot.PersonID {
	if dep, ok := d.s.Directory.Department(dept); ok {
		return dep.Head
	}
	return ""
}

// hold says whether a reminder to a person must wait or not go at all:
// on declared leave nothing personal reaches them; while snoozed it waits.
func (d *due) hold(to bot.PersonID, otherwise string) string {
	if to == "" {
		return otherwise
	}
	st := d.s.Settings[to]
	switch {
	case st.OnLeave(d.day):
		return bot.ReminderSuppressed
	case d.t.Before(st.SnoozeUntil):
		return bot.ReminderSnoozed
	}
	return otherwise
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
