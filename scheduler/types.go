package scheduler

import (
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/calendar"
)

// The timers of the collaboration types' own steps (bot/types.go): a lent
// resource's end, an alignment's read receipts. Each runs only for a
// collaboration whose type has the step; the acknowledgement timer serves
// a problem's 24-hour first response, tuned by the type.

// Timer kinds of the types' steps.
const (
	ReturnReminder   = "return_reminder"   // the borrower, before the loan ends
	ReturnEscalation = "return_escalation" // the lender's head, once it is overdue
	ReadReminder     = "read_reminder"     // an unconfirmed department's contact, each business day
	ReadEscalation   = "read_escalation"   // its head and the sender, at the deadline
	ReadSummary      = "read_summary_due"  // the sender's read receipts, at the deadline
	// A problem past its resolution date (期望解决时间).
	ResolutionReminder   = "resolution_reminder"   // the responsible departments' contacts
	ResolutionEscalation = "resolution_escalation" // those above them
)

// TypeKinds lists the timer kinds above, for the catalogue's tests.
func TypeKinds() []string {
	return []string{ReturnReminder, ReturnEscalation, ReadReminder, ReadEscalation, ReadSummary, ResolutionReminder, ResolutionEscalation}
}

// ReadChase is how unconfirmed departments of an alignment are chased:
// every business day at At from the day after it was sent until its
// deadline, which escalates.
type ReadChase struct {
	On bool
	At time.Duration // since midnight, in the workspace's zone
}

// returns chases a lent resource: the borrower and the lender's contact
// After before the end (a business day by default, in working hours, an
// hour before their end at the latest; skipped once the end has passed),
// and the lender's head, the requesting department's head and the
// coordinator EscalateAfter the end while it is not back.
func (d *due) returns(c *bot.Collaboration, p Policy) {
	r := c.Request.Resource
	if !p.ResourceReturn.On || c.Reminders[bot.AllReminders] == "off" || !c.Has(bot.StepReturn) || c.Status != bot.StatusActive || r == nil || r.Until.IsZero() {
		return
	}
	ref := c.ID.String()
	params := map[string]string{"until": stamp(r.Until), "what": r.What, "quantity": r.Quantity}
	lenders := make([]bot.PersonID, 0, len(c.Acks))
	heads := make([]bot.PersonID, 0, len(c.Acks))
	for _, a := range c.Acks {
		lenders, heads = append(lenders, a.Contact), append(heads, d.head(a.Department))
	}
	if before := d.workingBefore(r.Until.Add(-wall(p.ResourceReturn.After))); !d.until(before) {
		f := Firing{Timer: ReturnReminder, Entity: ref, Slot: d.slot(r.Until), Due: before, Collab: c.ID, Subject: ref, Params: params}
		// "Due soon" once the loan has ended (it waited for working hours,
		// a snooze, the bot) would be false: it is skipped, and the overdue
		// notice EscalateAfter the end says what is true.
		if !d.until(r.Until) {
			f.Outcome = bot.ReminderSkipped
		}
		d.fire(f, append([]bot.PersonID{c.Requester}, lenders...)...)
	}
	if escalate := d.cal.Add(r.Until, p.ResourceReturn.EscalateAfter); !d.until(escalate) {
		f := Firing{Timer: ReturnEscalation, Entity: ref, Slot: d.slot(r.Until), Due: escalate, Collab: c.ID, Subject: ref, Params: params}
		// The borrower and the lenders hear it is overdue; those above
		// them are told, none of them the borrower or a lender.
		parties := append([]bot.PersonID{c.Requester}, lenders...)
		d.fire(f, append(parties, d.above(c, parties, append(heads, d.head(c.RequestingDept), c.Coordinator))...)...)
	}
}

// reads chases the departments that have not confirmed an alignment:
// each business day at the chase's time until the deadline (the latest
// day only, however long the bot was down), then their heads and the
// sender at the deadline, when the sender also gets the read receipts
// so far.
func (d *due) reads(c *bot.Collaboration, p Policy) {
	if !p.ReadReceipt.On || c.Reminders[bot.AllReminders] == "off" || !c.Has(bot.StepReadReceipt) || c.Status != bot.StatusAwaitingAck || c.SubmittedAt.IsZero() {
		return
	}
	deadline := c.Request.Due
	ref := c.ID.String()
	// The first chase is the business day after it was sent, not an hour later.
	first := d.cal.NextBusinessDayAt(d.at(c.SubmittedAt, 24*time.Hour-time.Minute), p.ReadReceipt.At)
	if d.t.Before(deadline) {
		if at, ok := d.lastDaily(first); ok || !d.t.Before(first) {
			if !ok {
				at = first
			}
			day := at.In(d.cal.Location()).Format(time.DateOnly)
			for _, a := range c.PendingAcks() {
				f := Firing{Timer: ReadReminder, Entity: ref + "/" + a.Department, Slot: day, Due: at, Collab: c.ID, Subject: a.Department,
					Params: map[string]string{"department": a.Department, "deadline": stamp(deadline), "contact": string(a.Contact)}}
				d.fire(f, a.Contact)
			}
		}
		// Tomorrow's chase, or the deadline, whichever is first.
		if next := d.cal.NextBusinessDayAt(d.t, p.ReadReceipt.At); next.Before(deadline) {
			d.soon(next)
		}
		d.soon(deadline)
		return
	}
	for _, a := range c.PendingAcks() {
		f := Firing{Timer: ReadEscalation, Entity: ref + "/" + a.Department, Slot: d.slot(deadline), Due: deadline, Collab: c.ID, Subject: a.Department,
			Params: map[string]string{"department": a.Department, "deadline": stamp(deadline), "contact": string(a.Contact)}}
		d.escalate(c, f, []bot.PersonID{a.Contact}, []bot.PersonID{d.head(a.Department), c.Requester})
	}
	d.fire(Firing{Timer: ReadSummary, Entity: ref, Slot: d.slot(deadline), Due: deadline, Collab: c.ID, Subject: ref,
		Params: map[string]string{"deadline": stamp(deadline)}}, c.Requester)
}

// resolutions chases a problem not solved by its resolution date: the
// contacts of the departments that took it on are reminded After it
// (at once by default), and the requesting department's head and the
// coordinator told EscalateAfter that (the chase rule: never one of
// the reminded). A first response still pending is the acknowledgement
// timer's to chase.
func (d *due) resolutions(c *bot.Collaboration, p Policy) {
	if c.Reminders[bot.AllReminders] == "off" || !c.Has(bot.StepResolution) || c.Resolution != nil || c.Request.Due.IsZero() ||
		(c.Status != bot.StatusActive && c.Status != bot.StatusAwaitingAck) {
		return
	}
	var contacts []bot.PersonID
	for _, a := range c.Acks {
		if a.Status == bot.AckAccepted && a.Contact != "" {
			contacts = append(contacts, a.Contact)
		}
	}
	if len(contacts) == 0 {
		return
	}
	ref := c.ID.String()
	f := Firing{Entity: ref + "/resolution", Collab: c.ID, Subject: ref, Params: map[string]string{"due": stamp(c.Request.Due)}}
	d.chase(c, f, chase{timer: p.Resolution, asked: c.Request.Due, reminder: ResolutionReminder, escalation: ResolutionEscalation,
		remind: contacts, escalate: []bot.PersonID{d.head(c.RequestingDept), c.Coordinator}})
}

// typeDefaults are the types' timers as process.md would set them.
func typeDefaults(p *Policy) {
	bd := calendar.Span{N: 1, Unit: calendar.BusinessDays}
	p.ResourceReturn = Escalating{On: true, After: bd, EscalateAfter: bd}
	p.ReadReceipt = ReadChase{On: true, At: 10 * time.Hour}
	p.Resolution = Escalating{On: true, EscalateAfter: bd}
}

// The types' timers are tuned like the others (`remind COL-n
// resource_return 2bd`): the return reminder's lead, the resolution's
// escalation, the read chase's time of day.
func init() {
	tunables = append(tunables,
		tunable{"resource_return", false, func(p *Policy) *bool { return &p.ResourceReturn.On }, func(p *Policy) any { return &p.ResourceReturn.After }},
		tunable{"resolution", false, func(p *Policy) *bool { return &p.Resolution.On }, func(p *Policy) any { return &p.Resolution.EscalateAfter }},
		tunable{"read_receipt", true, func(p *Policy) *bool { return &p.ReadReceipt.On }, func(p *Policy) any { return &p.ReadReceipt.At }},
	)
}
