package bot

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Deliverable is one line of the delivery list (成果交付清单).
type Deliverable struct {
	Name     string `json:"name"`
	Version  string `json:"version,omitempty"`
	Quantity int    `json:"quantity"`
	Link     string `json:"link,omitempty"`
	Note     string `json:"note,omitempty"` // 说明
	// Tasks are the tasks the item answers for, and with them the
	// acceptance standards (交付标准) it is checked against.
	Tasks []TaskID `json:"tasks,omitempty"`
	// Kept marks an item that passed an earlier acceptance and was not
	// delivered again: it is carried over, already accepted.
	Kept bool `json:"kept,omitempty"`
}

// Delivery is one submission of deliverables for acceptance.
type Delivery struct {
	Number    int           `json:"number"`
	By        PersonID      `json:"by"`
	At        time.Time     `json:"at"`
	Items     []Deliverable `json:"items"`
	SelfCheck string        `json:"self_check"` // 成果自检
	// Attachments are the files and links shared with the delivery (附件).
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Acceptance is the requester's verdict on a delivery (验收).
type Acceptance struct {
	Delivery int       `json:"delivery"`
	By       PersonID  `json:"by"`
	At       time.Time `json:"at"`
	Verdict  Verdict   `json:"verdict"`
	Comments string    `json:"comments,omitempty"` // 验收意见
	Items    []string  `json:"items,omitempty"`    // 整改项, on fail
	Due      time.Time `json:"due,omitzero"`       // 整改期限, on fail
	// Results are the verdict on each item of the delivery (验收清单), in
	// its order; older records have none.
	Results []ItemResult `json:"results,omitempty"`
}

// Retrospective closes the collaboration (复盘).
type Retrospective struct {
	By           PersonID  `json:"by"`
	At           time.Time `json:"at"`
	Highlights   []string  `json:"highlights"`   // 协作亮点
	Improvements []string  `json:"improvements"` // 待改进点
	Actions      []string  `json:"actions,omitempty"`
}

// itemTasks refuses an item answering for a task the collaboration does
// not have (or cancelled).
func (c *Collaboration) itemTasks(it Deliverable) error {
	for _, id := range it.Tasks {
		if t, err := c.Task(id); err != nil || t.Status == TaskCancelled {
			return RefuseField(CodeNotFound, "items", "refuse.delivery.unknown_task", Args{"task": id.String(), "name": it.Name})
		}
	}
	return nil
}

// CheckDeliveryItems refuses, as the items are typed, one naming a task
// the collaboration does not have ("T-9"), which Deliver would refuse at
// the confirmation. Nothing changes.
func (c *Collaboration) CheckDeliveryItems(items []Deliverable) error {
	for _, it := range items {
		if err := c.itemTasks(it); err != nil {
			return err
		}
	}
	return nil
}

// Deliver submits deliverables for acceptance. Anyone who did the work may
// submit: the coordinator, a department contact or a task owner.
func (c *Collaboration) Deliver(actor Actor, items []Deliverable, selfCheck string, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if c.Status == StatusAccepting && len(c.Deliveries) > 0 {
		// The way to change a delivery under acceptance is its verdict.
		d := c.Deliveries[len(c.Deliveries)-1]
		return wrongState(c.Status, "refuse.delivery.awaiting_verdict", Args{"ref": c.ID.String(), "n": d.Number,
			"at": stamp(d.At, now.Location()), "requester": Who(c.Requester)})
	}
	if c.Status != StatusActive {
		return wrongState(c.Status, "refuse.delivery.not_active", nil)
	}
	owner := slices.ContainsFunc(c.Tasks, func(t *Task) bool { return t.Owner == actor.Person && t.Status != TaskCancelled })
	contact := slices.ContainsFunc(c.Request.Departments, func(a Assignment) bool { return c.SpeaksFor(actor, a.Department) })
	if !owner && !contact && !c.isCoordinator(actor) {
		return forbidden("refuse.delivery.only_involved", nil)
	}
	if len(items) == 0 {
		return RefuseField(CodeRequired, "items", "refuse.delivery.none_listed", nil)
	}
	items = slices.Clone(items) // the record must not share memory with the caller
	seen := map[string]bool{}
	for i := range items {
		it := &items[i]
		it.Name, it.Link, it.Note = strings.TrimSpace(it.Name), strings.TrimSpace(it.Link), strings.TrimSpace(it.Note)
		it.Kept, it.Tasks = false, slices.Clone(it.Tasks)
		if err := required("items", it.Name, "refuse.label.deliverable_name"); err != nil {
			return err
		}
		if seen[key(it.Name)] {
			return RefuseField(CodeInvalid, "items", "refuse.delivery.duplicate_item", Args{"name": it.Name})
		}
		seen[key(it.Name)] = true
		if err := limit("items", it.Note, "refuse.label.deliverable_note"); err != nil {
			return err
		}
		if err := c.itemTasks(*it); err != nil {
			return err
		}
		if it.Quantity < 0 {
			return RefuseField(CodeInvalid, "items", "refuse.delivery.negative_quantity", nil)
		}
		if it.Quantity == 0 {
			it.Quantity = 1
		}
		if it.Link != "" && !webLink(it.Link) {
			return RefuseField(CodeInvalid, "items", "refuse.delivery.bad_link", Args{"link": it.Link})
		}
	}
	if err := required("selfcheck", selfCheck, "refuse.label.self_check"); err != nil {
		return err
	}
	if err := c.deliveryGate(actor, items); err != nil {
		return err
	}
	d := Delivery{Number: len(c.Deliveries) + 1, By: actor.Person, At: now, Items: c.carryOver(items), SelfCheck: strings.TrimSpace(selfCheck)}
	c.Deliveries = append(c.Deliveries, d)
	c.Status = StatusAccepting
	c.record(now, actor.Person, "delivered", c.ID.String(), "")
	params := map[string]string{"delivery": strconv.Itoa(d.Number)}
	if ch, ok := c.DeliveryChanges(d.Number); ok {
		params["changes"] = ch.Param()
	}
	c.notify(now, actor.Person, "acceptance_requested", c.ID.String(), params, c.Requester, c.Coordinator)
	return nil
}

// AttachToDelivery keeps files and links shared with the latest
// delivery, by whoever may deliver, while it awaits its verdict.
func (c *Collaboration) AttachToDelivery(actor Actor, add []Attachment) error {
	if len(c.Deliveries) == 0 || c.Status != StatusAccepting {
		return wrongState(c.Status, "refuse.attachment.no_delivery", nil)
	}
	d := &c.Deliveries[len(c.Deliveries)-1]
	atts, err := AddAttachments(d.Attachments, add)
	if err != nil {
		return err
	}
	d.Attachments = atts
	return nil
}

// nothingToAccept refuses a verdict when no delivery waits for one. After
// a pass it says who passed it and when, and what to do if that was a
// mistake: the pass stands, so the way on is a risk or the coordinator.
func (c *Collaboration) nothingToAccept(now time.Time) error {
	n := len(c.Acceptances)
	if n == 0 || c.Acceptances[n-1].Verdict != VerdictPass {
		return wrongState(c.Status, "refuse.acceptance.nothing_to_accept", nil)
	}
	a := c.Acceptances[n-1]
	return wrongState(c.Status, "refuse.acceptance.already_passed", Args{"ref": c.ID.String(), "n": a.Delivery,
		"by": Who(a.By), "at": stamp(a.At, now.Location()), "coordinator": Who(c.Coordinator)})
}

func webLink(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Decide is the acceptance verdict (验收). Only the requester or the
// coordinator can decide; a fail names what goes back and by when.
func (c *Collaboration) Decide(actor Actor, verdict Verdict, comments string, items []string, due time.Time, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if c.Status != StatusAccepting {
		return c.nothingToAccept(now)
	}
	if !c.MayAccept(actor) {
		return forbidden("refuse.acceptance.only_requester", nil)
	}
	a := Acceptance{Delivery: len(c.Deliveries), By: actor.Person, At: now, Verdict: verdict,
		Comments: strings.TrimSpace(comments)}
	switch verdict {
	case VerdictPass:
		if err := limit("comments", a.Comments, "refuse.label.acceptance_comments"); err != nil {
			return err
		}
		var err error
		if a.Results, err = passResults(c.Deliveries[len(c.Deliveries)-1], cleanList(items)); err != nil {
			return err
		}
		c.Status = StatusRetrospective
	case VerdictFail:
		if err := required("comments", a.Comments, "refuse.label.acceptance_comments"); err != nil {
			return err
		}
		results, loose, err := itemResults(c.Deliveries[len(c.Deliveries)-1], verdict, cleanList(items))
		if err != nil {
			return err
		}
		a.Results = results
		if len(loose) < len(cleanList(items)) {
			// Items were named: only those go back, each with its reason.
			for _, r := range a.Failed() {
				a.Items = append(a.Items, reworkLine(r))
			}
		}
		if a.Items = append(a.Items, loose...); len(a.Items) == 0 {
			return RefuseField(CodeRequired, "items", "refuse.acceptance.no_rework_items", nil)
		}
		if err := FutureDue("due", due, now); err != nil {
			return err
		}
		a.Due = due
		c.Status = StatusActive
	default:
		_, err := ParseVerdict(string(verdict))
		return err
	}
	c.Acceptances = append(c.Acceptances, a)
	c.record(now, actor.Person, "acceptance_"+string(verdict), c.ID.String(), a.Comments)
	if verdict == VerdictPass {
		c.notifyGroup(now, "accepted", c.ID.String(), nil)
		if !c.Has(StepRetrospective) {
			// A type without a retrospective is done once accepted:
			// waiting for one would leave it open for good.
			c.Status, c.ClosedAt = StatusArchived, now
			c.record(now, actor.Person, "archived", c.ID.String(), "")
			c.notifyGroup(now, "archived", c.ID.String(), nil)
			return nil
		}
		c.notify(now, actor.Person, "retrospective_due", c.ID.String(), nil, c.Coordinator)
	} else {
		by := c.Deliveries[len(c.Deliveries)-1].By
		params := map[string]string{"comments": a.Comments, "items": strings.Join(a.Items, "\n"), "due": a.Due.Format(time.RFC3339)}
		if len(a.Failed()) < len(a.Results) {
			params["partial"] = "yes" // only the failed items go back
		}
		c.notify(now, actor.Person, "acceptance_failed", c.ID.String(), params, by, c.Coordinator)
	}
	return nil
}

// MayAccept reports whether a may give the acceptance verdict: the
// requester or the coordinator, nobody above them.
func (c *Collaboration) MayAccept(a Actor) bool {
	return c.isRequester(a) || c.isCoordinator(a)
}

// Retrospect records the retrospective and shares it with every
// department. It can be rewritten until the collaboration is archived: a
// rewrite leaves what it changed in the timeline (before → after) and
// tells the group it was revised and how, rather than sharing it again
// as if new; one that changes nothing is refused.
func (c *Collaboration) Retrospect(actor Actor, r Retrospective, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if c.Status != StatusRetrospective {
		return wrongState(c.Status, "refuse.retro.not_accepted", nil)
	}
	if !c.isCoordinator(actor) && !c.isRequester(actor) {
		return forbidden("refuse.retro.only_coordinator", nil)
	}
	r.Highlights, r.Improvements, r.Actions = cleanList(r.Highlights), cleanList(r.Improvements), cleanList(r.Actions)
	if len(r.Highlights) == 0 {
		return RefuseField(CodeRequired, "highlights", "refuse.retro.no_highlights", nil)
	}
	if len(r.Improvements) == 0 {
		return RefuseField(CodeRequired, "improvements", "refuse.retro.no_improvements", nil)
	}
	if prev := c.Retrospective; prev != nil {
		changes := retroChanges(*prev, r)
		if len(changes) == 0 {
			return Refuse(CodeAlreadyDone, "refuse.retro.unchanged", nil)
		}
		r.By, r.At = actor.Person, now
		c.Retrospective = &r
		note := traceNote(changes)
		c.record(now, actor.Person, "retrospective_revised", c.ID.String(), note)
		c.notifyGroup(now, "retrospective_revised", c.ID.String(), map[string]string{"changes": note, "by": string(actor.Person)})
		return nil
	}
	r.By, r.At = actor.Person, now
	c.Retrospective = &r
	c.record(now, actor.Person, "retrospective", c.ID.String(), "")
	c.notifyGroup(now, "retrospective_shared", c.ID.String(), nil)
	return nil
}

// retroChanges are what a rewrite of the retrospective changes, keyed by
// the retrospective form's fields.
func retroChanges(a, b Retrospective) []Change {
	var out []Change
	out = changed(out, "highlights", listNote(a.Highlights), listNote(b.Highlights))
	out = changed(out, "improvements", listNote(a.Improvements), listNote(b.Improvements))
	out = changed(out, "actions", listNote(a.Actions), listNote(b.Actions))
	return out
}

// Archive closes the collaboration once its retrospective is recorded:
// from then on it is read-only, searchable and exportable.
func (c *Collaboration) Archive(actor Actor, now time.Time) error {
	if err := c.MayArchive(actor); err != nil {
		return err
	}
	c.Status, c.ClosedAt = StatusArchived, now
	c.record(now, actor.Person, "archived", c.ID.String(), "")
	c.notifyGroup(now, "archived", c.ID.String(), nil)
	return nil
}

// MayArchive refuses archiving by someone who may not, or before the
// retrospective.
func (c *Collaboration) MayArchive(actor Actor) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isCoordinator(actor) && !c.isRequester(actor) {
		return forbidden("refuse.archive.only_coordinator", nil)
	}
	if c.Status != StatusRetrospective || c.Retrospective == nil {
		return wrongState(c.Status, "refuse.archive.not_done", nil)
	}
	return nil
}
