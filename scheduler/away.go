package scheduler

import (
	"slices"
	"strings"
	"time"

	"github.com/collabot/collabot/bot"
)

// An escalation is worth something only if someone reads it: one whose
// recipient is on leave the day it goes out goes to whoever is above
// them instead (nextUp), and when nobody above is there either, the
// coordinator hears that it reached no one. Both are noted on the
// collaboration's record (record, in scheduler.go).

// Parameters an escalation carries when it was redirected.
const (
	paramInsteadOf    = "instead_of"    // the recipient on leave
	paramInsteadUntil = "instead_until" // the last day of their leave
	paramRedirectedTo = "redirected_to" // who got it instead, comma-separated
	paramUnreached    = "unreached"     // the recipient on leave, with nobody above
)

// Timeline actions of a redirected escalation.
const (
	ActionEscalationRedirected = "escalation_redirected"
	ActionEscalationUnreached  = "escalation_unreached"
)

// escalate fires the escalation f to those above the reminded (above),
// each on leave the day it goes out replaced by who stands in for them.
func (d *due) escalate(c *bot.Collaboration, f Firing, reminded, escalate []bot.PersonID) {
	day := d.sendDay(f.Due)
	var to []bot.PersonID
	params := map[bot.PersonID]map[string]string{}
	add := func(p bot.PersonID, extra map[string]string) {
		if p == "" || slices.Contains(to, p) {
			return
		}
		to = append(to, p)
		params[p] = extra
	}
	var unreached []bot.PersonID
	for _, p := range d.above(c, reminded, escalate) {
		until, away := d.away(p, day)
		if !away {
			add(p, nil)
			continue
		}
		ins := d.standIns(c, p, reminded, day)
		if len(ins) == 0 {
			unreached = append(unreached, p)
			continue
		}
		extra := map[string]string{paramInsteadOf: string(p), paramInsteadUntil: until,
			paramRedirectedTo: strings.Join(ids(ins), ",")}
		for _, q := range ins {
			add(q, extra)
		}
	}
	for _, p := range unreached {
		if p == c.Coordinator {
			continue // the coordinator away has nobody to tell: the record says so
		}
		until, _ := d.away(p, day)
		extra := map[string]string{paramUnreached: string(p), paramInsteadUntil: until}
		if i := slices.Index(to, c.Coordinator); i >= 0 {
			params[c.Coordinator] = extra // already told: say also that it reached no one else
			continue
		}
		add(c.Coordinator, extra)
	}
	for _, p := range to {
		g := f
		for k, v := range params[p] {
			g.Params = with(g.Params, k, v)
		}
		d.fire(g, p)
	}
}

// standIns are who an escalation for p, on leave, goes to: those above
// p (nextUp), each of them on leave replaced in turn by those above them.
func (d *due) standIns(c *bot.Collaboration, p bot.PersonID, reminded []bot.PersonID, day string) []bot.PersonID {
	seen := append(slices.Clone(reminded), p)
	queue := d.nextUp(c, p, seen)
	var out []bot.PersonID
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		if q == "" || slices.Contains(seen, q) {
			continue
		}
		seen = append(seen, q)
		if _, away := d.away(q, day); away {
			if !d.leads(q) { // leadership is the top: nobody stands in for them
				queue = append(queue, d.nextUp(c, q, seen)...)
			}
			continue
		}
		out = append(out, q)
	}
	return out
}

// sendDay is the day a firing due at due goes out at the earliest: its
// own, or the next working day's when it falls outside working hours.
// Leave is judged on that day, whenever the scan runs, so every scan
// answers the same.
func (d *due) sendDay(due time.Time) string {
	return d.cal.WorkingFrom(due).In(d.cal.Location()).Format(time.DateOnly)
}

// away reports whether p is on declared leave on day, and its last day.
func (d *due) away(p bot.PersonID, day string) (until string, ok bool) {
	if p == "" {
		return "", false
	}
	for _, l := range d.s.Settings[p].Leave {
		if l.From <= day && day <= l.To {
			return l.To, true
		}
	}
	return "", false
}

// remindedOf is the "reminded" parameter of an escalation whose reminder
// was due at deadline to the reminded: when it went out (remindedAt), or,
// when every one of them was on leave that day — so it did not go —
// "leave:" and the last day of the leave, for the escalation to say the
// person was not reminded rather than that they were.
func (d *due) remindedOf(deadline time.Time, reminded ...bot.PersonID) string {
	day, until, found := d.sendDay(deadline), "", false
	for _, p := range reminded {
		if p == "" {
			continue
		}
		u, away := d.away(p, day)
		if !away {
			return d.remindedAt(deadline)
		}
		found, until = true, max(until, u)
	}
	if !found {
		return d.remindedAt(deadline)
	}
	return bot.RemindedOnLeave + until
}

func ids(ps []bot.PersonID) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

// leads reports whether p is of the leadership group.
func (d *due) leads(p bot.PersonID) bool {
	return d.s.Directory != nil && slices.Contains(d.s.Directory.Leadership, p)
}
