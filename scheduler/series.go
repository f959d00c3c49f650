package scheduler

import (
	"time"

	"github.com/collabot/collabot/bot"
)

// seriesLookback is how far back a scan looks for occurrences whose
// minutes may still be due: an occurrence nobody acted on is not stored,
// so it is found by computing the series again.
const seriesLookback = 7 * 24 * time.Hour

// series chases the occurrences of each recurring meeting like single
// meetings: those stored (something happened to them), those of the past
// week computed from the rule, and the next one, whose agenda time is the
// series' next turning point. Once the collaboration is no longer under
// way only stored occurrences are chased (minutes still to confirm).
func (d *due) series(c *bot.Collaboration, p Policy) {
	live := underWay(c) || c.Status == bot.StatusAccepting
	for _, m := range c.Meetings {
		if !m.Series() {
			continue
		}
		seen := map[string]bool{}
		chase := func(o *bot.Meeting) {
			if o == nil || o.Skipped || o.Cancelled || seen[o.On] {
				return
			}
			seen[o.On] = true
			d.meeting(c, p, o)
		}
		for _, o := range m.Occurrences {
			chase(o)
		}
		if !live || m.Cancelled {
			continue
		}
		ahead := wall(p.Agenda.After) + 24*time.Hour
		for _, o := range m.OccurrencesBetween(d.cal, d.t.Add(-seriesLookback), d.t.Add(ahead)) {
			if o.Start.After(c.CreatedAt) || !o.Start.Before(d.t) {
				chase(o)
			}
		}
		chase(m.Upcoming(d.cal, d.t))
	}
}
