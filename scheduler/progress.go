package scheduler

import (
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// dailyProgress asks each owner of open tasks who has not posted today for
// their progress, in one message listing their tasks across
// collaborations, at the daily time of each collaboration (17:00 unless
// tuned) on business days only. A request that could not go out within the
// grace (the bot was down) is recorded as missed. Then, at the summary
// time, each coordinator hears who posted, who was asked and has not, and
// who was not asked.
func (d *due) dailyProgress() {
	if !d.cal.IsBusinessDay(d.t) {
		return
	}
	type request struct {
		at     time.Time
		person bot.PersonID
	}
	tasks := map[request][]*bot.Task{}
	taskCollab := map[*bot.Task]bot.CollabID{}
	collabs := map[request][]bot.CollabID{}
	outcome := map[bot.PersonID]string{} // this scan's decisions, for the summaries below
	for person, o := range d.s.Asked {
		outcome[person] = o
	}
	for _, c := range d.s.Collabs {
		d.cur = c.ID
		at, due := d.daily(c, func(p Daily) time.Duration { return p.At })
		if !due {
			continue
		}
		for _, t := range c.Tasks {
			if !t.Open() || d.s.Posted[bot.Posted{Collab: c.ID, Person: t.Owner}] {
				continue
			}
			if t.OwnedSince().After(at) {
				// Received after today's request time: nothing to report
				// on yet; tomorrow's request asks for it.
				continue
			}
			r := request{at, t.Owner}
			if !slices.Contains(collabs[r], c.ID) {
				collabs[r] = append(collabs[r], c.ID)
			}
			tasks[r] = append(tasks[r], t)
			taskCollab[t] = c.ID
		}
	}
	for r, ts := range tasks {
		o := bot.ReminderSent
		if d.t.After(d.cal.Add(r.at, d.p.DailyProgress.Grace)) {
			o = bot.ReminderMissed
		}
		o = d.hold(r.person, o)
		if o == bot.ReminderSent && d.quietPastDay(r.person, r.at) {
			// Held by quiet hours into the next day, "today's progress"
			// would ask about a day gone by: it is skipped, and the
			// summary says why they were not asked.
			o = bot.ReminderSkipped
		}
		d.out = append(d.out, Firing{Timer: DailyProgress, Entity: string(r.person), Slot: d.slot(r.at), Due: r.at,
			Collab: collabs[r][0], Also: collabs[r][1:], To: r.person, Subject: d.day, Outcome: o,
			lazy: func() map[string]string {
				lines := make([]string, len(ts))
				for i, t := range ts {
					due := ""
					if !t.Due.IsZero() {
						due = stamp(t.Due)
					}
					lines[i] = strings.Join([]string{taskCollab[t].String(), t.ID.String(), oneLine.Replace(t.Title), string(t.Status), due}, "\t")
				}
				return map[string]string{"day": d.day, "tasks": strings.Join(lines, "\n")}
			}})
		if prev, known := outcome[r.person]; !known || prev == bot.ReminderSnoozed {
			outcome[r.person] = o
		}
	}
	for _, c := range d.s.Collabs {
		d.cur = c.ID
		d.summary(c, outcome)
	}
}

// quietPastDay reports whether p's quiet hours hold a notice sent now
// past the day of at.
func (d *due) quietPastDay(p bot.PersonID, at time.Time) bool {
	loc := d.cal.Location()
	until := d.s.Settings[p].Quiet.Until(d.t.In(loc))
	return !until.IsZero() && until.In(loc).Format(time.DateOnly) > at.In(loc).Format(time.DateOnly)
}

// daily is today's instant of one of a collaboration's daily times, and
// whether it has come: the collaboration has work under way (active, or
// still waiting for a department while others' tasks run), has the timer
// on, and was under way at that time.
func (d *due) daily(c *bot.Collaboration, clock func(Daily) time.Duration) (time.Time, bool) {
	p := d.p.For(c).DailyProgress
	if !p.On || !underWay(c) {
		return time.Time{}, false
	}
	at := d.at(d.t, clock(p))
	return at, !d.until(at) && !since(c).After(at)
}

// underWay reports whether a collaboration's tasks are being worked on:
// it is active, or tasks were added while a department had yet to answer
// (they are chased like any other, as their owners were told).
func underWay(c *bot.Collaboration) bool {
	return c.Status == bot.StatusActive || (c.Status == bot.StatusAwaitingAck && len(c.Tasks) > 0)
}

// since is when a collaboration's work started: its activation, or its
// submission for one still waiting for a department.
func since(c *bot.Collaboration) time.Time {
	if c.Status == bot.StatusAwaitingAck {
		return c.SubmittedAt
	}
	return c.ActivatedAt
}

func (d *due) summary(c *bot.Collaboration, asked map[bot.PersonID]string) {
	at, due := d.daily(c, func(p Daily) time.Duration { return p.SummaryAt })
	if !due {
		return
	}
	asking, _ := d.daily(c, func(p Daily) time.Duration { return p.At })
	var posted, missing, notAsked []string
	seen := map[bot.PersonID]bool{}
	for _, t := range c.Tasks {
		if !t.Open() || seen[t.Owner] || t.OwnedSince().After(asking) {
			continue
		}
		seen[t.Owner] = true
		switch who := string(t.Owner); {
		case d.s.Posted[bot.Posted{Collab: c.ID, Person: t.Owner}]:
			posted = append(posted, who)
		case asked[t.Owner] == bot.ReminderSent || asked[t.Owner] == bot.ReminderSnoozed || asked[t.Owner] == "":
			missing = append(missing, who)
		default:
			notAsked = append(notAsked, who+":"+asked[t.Owner])
		}
	}
	if len(seen) == 0 {
		return
	}
	d.fire(Firing{Timer: ProgressSummary, Entity: c.ID.String(), Slot: d.day, Due: at, Collab: c.ID, Subject: d.day,
		Params: map[string]string{"day": d.day, "posted": strings.Join(posted, ","),
			"missing": strings.Join(missing, ","), "not_asked": strings.Join(notAsked, ",")}}, c.Coordinator)
}

// oneLine keeps a task title on one line of the tab-separated list.
var oneLine = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
