package bot

import (
	"maps"
	"time"
)

// AllReminders is the timer name that switches every reminder of a
// collaboration at once (`remind COL-3 off`).
const AllReminders = "all"

// SetReminder tunes one timer for this collaboration only: "off", "on"
// (back to the workspace's setting) or a value the scheduler understands
// for that timer ("2bd", "18:00"); the scheduler validates values before
// this is called, so the rule only decides who may change them. The
// requester, the coordinator and leadership may: they own the cadence.
func (c *Collaboration) SetReminder(actor Actor, timer, value string, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isRequester(actor) && !c.isCoordinator(actor) && !actor.Leadership {
		return forbidden("refuse.remind.only_requester", nil)
	}
	next := maps.Clone(c.Reminders)
	if next == nil {
		next = map[string]string{}
	}
	switch {
	case timer == AllReminders && value == "on":
		clear(next) // everything back to the workspace's settings
	case value == "on":
		delete(next, timer)
	default:
		next[timer] = value
	}
	if len(next) == 0 {
		next = nil
	}
	c.Reminders = next
	c.record(now, actor.Person, "reminder_changed", timer, value)
	return nil
}
