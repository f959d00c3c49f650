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
// who was not asked. It reads the collaborations' shares (share), by id.
func (d *due) dailyProgress(shares []*share) {
	if !d.cal.IsBusinessDay(d.t) {
		return
	}
	type request struct {
		at     time.Time
		person bot.PersonID
	}
	lines := map[request][]string{}
	collabs := map[request][]bot.CollabID{}
	outcome := map[bot.PersonID]string{} // this scan's decisions, for the summaries below
	for person, o := range d.s.Asked {
		outcome[person] = o
	}
	for _, c := range shares {
		if c.askAt.IsZero() {
			continue
		}
		for _, t := range c.tasks {
			if d.s.Posted[bot.Posted{Collab: c.id, Person: t.owner}] {
				continue
			}
			r := request{c.askAt, t.owner}
			if ids := collabs[r]; len(ids) == 0 || ids[len(ids)-1] != c.id {
				collabs[r] = append(ids, c.id)
			}
			if t.line != "" {
				lines[r] = append(lines[r], t.line)
			}
		}
	}
	for r, ids := range collabs {
		o := bot.ReminderSent
		if d.t.After(d.cal.Add(r.at, d.p.DailyProgress.Grace)) {
			o = bot.ReminderMissed
		}
		o = d.hold(r.person, o)
		ls := lines[r]
		d.out = append(d.out, Firing{Timer: DailyProgress, Entity: string(r.person), Slot: d.slot(r.at), Due: r.at,
			Collab: ids[0], Also: ids[1:], To: r.person, Subject: d.day, Outcome: o,
			lazy: func() map[string]string {
				return map[string]string{"day": d.day, "tasks": strings.Join(ls, "\n")}
			}})
		if prev, known := outcome[r.person]; !known || prev == bot.ReminderSnoozed {
			outcome[r.person] = o
		}
	}
	for _, c := range shares {
		d.summary(c, outcome)
	}
}

// progressShare notes in a collaboration's share what the daily request
// and summary need of it, when today's are due (on business days): the
// owners of its open tasks, each task's line in the request while it can
// still be sent.
func (d *due) progressShare(c *bot.Collaboration, sh *share) {
	at, asks := d.daily(c, func(p Daily) time.Duration { return p.At })
	summaryAt, sums := d.daily(c, func(p Daily) time.Duration { return p.SummaryAt })
	if !asks && !sums {
		return
	}
	if asks {
		sh.askAt = at
	}
	if sums {
		sh.summaryAt = summaryAt
	}
	// A request past its grace is recorded as missed, never sent: its
	// list of tasks is not worth keeping.
	listed := asks && !d.t.After(d.cal.Add(at, d.p.DailyProgress.Grace))
	for _, t := range c.Tasks {
		if !t.Open() {
			continue
		}
		if !listed {
			if !slices.ContainsFunc(sh.tasks, func(o ownedTask) bool { return o.owner == t.Owner }) {
				sh.tasks = append(sh.tasks, ownedTask{owner: t.Owner})
			}
			continue
		}
		due := ""
		if !t.Due.IsZero() {
			due = stamp(t.Due)
		}
		sh.tasks = append(sh.tasks, ownedTask{owner: t.Owner,
			line: strings.Join([]string{c.ID.String(), t.ID.String(), oneLine.Replace(t.Title), string(t.Status), due}, "\t")})
	}
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

func (d *due) summary(c *share, asked map[bot.PersonID]string) {
	if c.summaryAt.IsZero() {
		return
	}
	var posted, missing, notAsked []string
	seen := map[bot.PersonID]bool{}
	for _, t := range c.tasks {
		if seen[t.owner] {
			continue
		}
		seen[t.owner] = true
		switch who := string(t.owner); {
		case d.s.Posted[bot.Posted{Collab: c.id, Person: t.owner}]:
			posted = append(posted, who)
		case asked[t.owner] == bot.ReminderSent || asked[t.owner] == bot.ReminderSnoozed || asked[t.owner] == "":
			missing = append(missing, who)
		default:
			notAsked = append(notAsked, who+":"+asked[t.owner])
		}
	}
	if len(seen) == 0 {
		return
	}
	d.fire(Firing{Timer: ProgressSummary, Entity: c.id.String(), Slot: d.day, Due: c.summaryAt, Collab: c.id, Subject: d.day,
		Params: map[string]string{"day": d.day, "posted": strings.Join(posted, ","),
			"missing": strings.Join(missing, ","), "not_asked": strings.Join(notAsked, ",")}}, c.coordinator)
}

// oneLine keeps a task title on one line of the tab-separated list.
var oneLine = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
