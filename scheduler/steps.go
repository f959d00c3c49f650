package scheduler

import (
	"strconv"
	"time"

	"github.com/collabot/collabot/bot"
)

// chase is the one rule of a step that waits for someone: remind them
// After it was asked, and tell those above EscalateAfter that deadline
// (never one of the reminded: see above).
// The acknowledgement, the head's confirmation of a task, the consensus
// signatures and the plans all follow it; f names the entity, its slot
// and parameters, and gets the deadline added to them.
type chase struct {
	timer      Escalating
	asked      time.Time
	reminder   string // timer names
	escalation string
	remind     []bot.PersonID
	escalate   []bot.PersonID
	// slotAsked keys the ledger by when it was asked rather than by the
	// deadline (the head's confirmation of a task did so first).
	slotAsked bool
}

func (d *due) chase(c *bot.Collaboration, f Firing, ch chase) {
	if !ch.timer.On {
		return
	}
	deadline := d.cal.Add(ch.asked, ch.timer.After)
	if d.until(deadline) {
		return
	}
	f.Timer, f.Due, f.Slot = ch.reminder, deadline, d.slot(deadline)
	if ch.slotAsked {
		f.Slot = d.slot(ch.asked)
	}
	f.Params = with(f.Params, "deadline", stamp(deadline))
	d.fire(f, ch.remind...)
	if escalate := d.cal.Add(deadline, ch.timer.EscalateAfter); !d.until(escalate) {
		f.Timer, f.Due = ch.escalation, escalate
		f.Params = with(f.Params, "reminded", d.remindedOf(deadline, ch.remind...))
		d.escalate(c, f, ch.remind, ch.escalate)
	}
}

// Timers of the optional steps (seed 003).
const (
	SignoffReminder          = "signoff_reminder"
	SignoffEscalation        = "signoff_escalation"
	PlanSubmissionReminder   = "plan_submission_reminder"
	PlanSubmissionEscalation = "plan_submission_escalation"
	PlanDecisionReminder     = "plan_decision_reminder"
	PlanDecisionEscalation   = "plan_decision_escalation"
)

// steps chases the optional steps a collaboration runs. A step waits
// only where it was opened, and switching it off withdraws it, so the
// chase does not ask the workspace's switch; switching every reminder
// off silences it.
func (d *due) steps(c *bot.Collaboration, p Policy) {
	if c.Reminders[bot.AllReminders] == "off" || c.Status.Closed() {
		return
	}
	if k := c.Consensus; k.Open() {
		for _, s := range k.Signoffs {
			if s.Status != bot.SignoffPending {
				continue // a refusal waits on the coordinator, who was told
			}
			f := Firing{Entity: c.ID.String() + "/signoff/" + s.Department, Collab: c.ID, Subject: s.Department,
				Params: map[string]string{"department": s.Department, "head": string(s.Head), "asked": stamp(s.AskedAt)}}
			d.chase(c, f, chase{timer: p.Signoff, asked: s.AskedAt, reminder: SignoffReminder, escalation: SignoffEscalation,
				remind: []bot.PersonID{s.Head}, escalate: []bot.PersonID{c.Coordinator, d.head(c.RequestingDept)}})
		}
	}
	pa := c.PlanApproval
	if !pa.Open() {
		return
	}
	deciders := c.Deciders()
	for _, pl := range pa.Plans {
		f := Firing{Collab: c.ID, Subject: pl.Department,
			Params: map[string]string{"department": pl.Department, "contact": string(pl.Contact)}}
		switch pl.Status {
		case bot.PlanAwaiting, bot.PlanReturned:
			asked := pl.AskedAt
			if n := len(pl.Decisions); n > 0 && pl.Decisions[n-1].At.After(asked) {
				asked = pl.Decisions[n-1].At // a returned plan is due again from its return
			}
			f.Entity = c.ID.String() + "/plan/" + pl.Department
			f.Params["asked"] = stamp(asked)
			d.chase(c, f, chase{timer: p.PlanSubmission, asked: asked, reminder: PlanSubmissionReminder,
				escalation: PlanSubmissionEscalation, remind: []bot.PersonID{pl.Contact},
				escalate: []bot.PersonID{d.head(pl.Department), c.Coordinator}})
		case bot.PlanSubmitted:
			f.Entity = c.ID.String() + "/plan/" + pl.Department + "/v" + strconv.Itoa(pl.Version)
			f.Params["asked"], f.Params["version"] = stamp(pl.SubmittedAt), strconv.Itoa(pl.Version)
			above := []bot.PersonID{c.Coordinator}
			if pa.Approver != "" {
				above = append(above, pa.Leaders...)
			}
			asked := pl.SubmittedAt
			if pl.AskedAt.After(asked) {
				asked = pl.AskedAt // put back for decision when the step was switched on again
			}
			d.chase(c, f, chase{timer: p.PlanDecision, asked: asked, reminder: PlanDecisionReminder,
				escalation: PlanDecisionEscalation, remind: deciders, escalate: above})
		}
	}
}

// The steps' deadlines are tuned like every other timer (`remind COL-n
// signoff 2bd`); whether a step runs at all is its own switch.
func init() {
	tunables = append(tunables,
		tunable{"signoff", false, func(p *Policy) *bool { return &p.Signoff.On }, func(p *Policy) any { return &p.Signoff.After }},
		tunable{"plan_submission", false, func(p *Policy) *bool { return &p.PlanSubmission.On }, func(p *Policy) any { return &p.PlanSubmission.After }},
		tunable{"plan_decision", false, func(p *Policy) *bool { return &p.PlanDecision.On }, func(p *Policy) any { return &p.PlanDecision.After }},
	)
	for alias, name := range map[string]string{"共识函": "signoff", "签署": "signoff", "方案": "plan_submission",
		"方案提交": "plan_submission", "方案审批": "plan_decision", "审批": "plan_decision"} {
		aliases[alias] = name
	}
}
