package bot

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Corrections: a collaboration's record can be put right after the fact,
// by the people responsible for each part. Every correction leaves a
// timeline entry saying what changed from what ("key: before → after",
// the keys being the form fields' keys, which the record translates) and
// tells the people it affects.

// Change is one corrected value.
type Change struct {
	Field  string // the form field's key: "topic", "due", "owner" …
	Before string
	After  string
}

// changeNote writes changes as a timeline note: "topic: A → B; due: …".
// Long values are cut, since the note is a trace, not the record.
func changeNote(changes []Change) string {
	parts := make([]string, len(changes))
	for i, ch := range changes {
		parts[i] = ch.Field + ": " + clipNote(ch.Before) + " → " + clipNote(ch.After)
	}
	return strings.Join(parts, "; ")
}

// listNote writes a list (agenda items, highlights) as one side of a
// change: its items joined by " / ", since "; " separates the changes.
func listNote(items []string) string {
	return strings.Join(items, " / ")
}

// traceNote writes changes as changeNote does, but whole: a text that is
// replaced outright (a day's progress, the retrospective, an agenda, a
// risk response) is kept nowhere else, so its trace is the only place
// the earlier words can still be found.
func traceNote(changes []Change) string {
	parts := make([]string, len(changes))
	for i, ch := range changes {
		parts[i] = ch.Field + ": " + noteValue(ch.Before) + " → " + noteValue(ch.After)
	}
	return strings.Join(parts, "; ")
}

func clipNote(s string) string {
	s = noteValue(s)
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:39]) + "…"
	}
	return s
}

// noteValue is one side of a change on one line, without the note's own
// separators, which never appear inside a value.
func noteValue(s string) string {
	s = strings.NewReplacer("; ", ";", "→", "->").Replace(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return "—"
	}
	return s
}

// stamp writes an instant for people as the workspace's clock reads it:
// loc is the zone of the now the rule was given (the engine's is the
// workspace's), whatever zone t was stored in.
func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func changed(out []Change, field, before, after string) []Change {
	if strings.TrimSpace(before) == strings.TrimSpace(after) {
		return out
	}
	return append(out, Change{Field: field, Before: before, After: after})
}

// Editable reports whether the request can still be edited: before the
// departments have all taken it on.
func (s CollabStatus) Editable() bool {
	switch s {
	case StatusDraft, StatusInReview, StatusRejected, StatusAwaitingAck:
		return true
	}
	return false
}

// EditRequest corrects the request while it is a draft, in first review,
// sent back, or waiting for the departments' answers. In review the
// reviewer hears of it; while departments are answering, a department
// added is asked, one removed is released, one whose contact changed asks
// the new contact, and the others are told what changed. It returns what
// changed; editing nothing is refused.
func (c *Collaboration) EditRequest(dir *Directory, actor Actor, req Request, now time.Time) ([]Change, error) {
	return c.EditTypedRequest(dir, actor, req, TypeDef{}, now)
}

// EditTypedRequest is EditRequest by the rules of the collaboration's
// type t (types.go); an empty t is a project.
func (c *Collaboration) EditTypedRequest(dir *Directory, actor Actor, req Request, t TypeDef, now time.Time) ([]Change, error) {
	if err := c.MayEdit(actor); err != nil {
		return nil, err
	}
	if !c.Status.Editable() {
		return c.editWording(dir, actor, req, t, now)
	}
	edited, err := NewTyped(dir, c.ID, Actor{Person: c.Requester, Departments: []string{c.RequestingDept}}, req, t, now)
	if err != nil {
		return nil, err
	}
	next := edited.Request
	changes := requestChanges(c.Request, next, now.Location())
	if next.Resource != nil {
		// A loan's due date is its end, which the changes name already.
		changes = slices.DeleteFunc(changes, func(ch Change) bool { return ch.Field == "due" })
	}
	if len(changes) == 0 {
		return nil, Refuse(CodeAlreadyDone, "refuse.edit.nothing_changed", nil)
	}
	old := c.Request
	c.Request = next
	if c.Coordinator != next.Coordinator {
		c.handOver(actor.Person, next.Coordinator, now)
	}
	c.record(now, actor.Person, "request_edited", c.ID.String(), changeNote(changes))
	params := map[string]string{"changes": changeNote(changes), "by": string(actor.Person)}
	if c.Status == StatusAwaitingAck {
		c.reaskDepartments(actor.Person, old, params, material(changes), now)
		return changes, nil
	}
	c.tellEdited(dir, actor.Person, params, now)
	return changes, nil
}

// wordingFields are the fields of the request that stay editable once
// every department has accepted: how the collaboration is named and
// explained, and who coordinates it. Nobody agreed to a wording, so
// correcting it (a misspelt topic, a garbled goal) needs no new answer:
// the departments and the coordinator are told. The departments, the
// requirements, deliverables, standard, due date, scope and a type's own
// terms are what the departments took on; they stay as accepted, and a
// change to them goes through the tasks or the risk register.
var wordingFields = []string{"topic", "goal", "coordinator"}

// editWording applies an edit made after every department accepted: only
// the wording fields may differ from the request as it stands.
// The request is not validated anew as a whole: a due date passed since
// it was accepted must not stop a typo being fixed.
func (c *Collaboration) editWording(dir *Directory, actor Actor, req Request, t TypeDef, now time.Time) ([]Change, error) {
	next := c.Request
	next.Topic, next.Goal, next.Coordinator = strings.TrimSpace(req.Topic), strings.TrimSpace(req.Goal), req.Coordinator
	if next.Coordinator == "" {
		next.Coordinator = c.Coordinator
	}
	if _, ok := dir.Person(next.Coordinator); !ok {
		return nil, unknownPerson("coordinator", next.Coordinator)
	}
	// The form leaves a department's own contact unnamed, and a loan's
	// end is its due date: read them as the request holds them.
	if depts, err := resolveAssignments(dir, req.Departments); err == nil {
		req.Departments = depts
	}
	for i, a := range req.Departments {
		if d, ok := dir.Department(a.Department); ok && t.Has(StepApproval) && d.Head != "" {
			req.Departments[i].Contact = d.Head
		}
	}
	if req.Resource != nil && req.Due.IsZero() {
		req.Due = req.Resource.Until
	}
	for _, ch := range requestChanges(c.Request, req, now.Location()) {
		if !slices.Contains(wordingFields, ch.Field) {
			return nil, wrongState(c.Status, "refuse.edit.all_accepted", Args{"ref": c.ID.String()})
		}
	}
	if err := required("topic", next.Topic, "refuse.label.topic"); err != nil {
		return nil, err
	}
	if c.Request.Goal != "" {
		if err := required("goal", next.Goal, "refuse.label.goal"); err != nil {
			return nil, err
		}
	}
	changes := requestChanges(c.Request, next, now.Location())
	if len(changes) == 0 {
		return nil, Refuse(CodeAlreadyDone, "refuse.edit.nothing_changed", nil)
	}
	handedOver := c.Coordinator != next.Coordinator
	c.Request = next
	if handedOver {
		c.handOver(actor.Person, next.Coordinator, now)
	}
	c.record(now, actor.Person, "request_edited", c.ID.String(), changeNote(changes))
	params := map[string]string{"changes": changeNote(changes), "by": string(actor.Person)}
	c.tellEdited(dir, actor.Person, params, now)
	if !handedOver {
		c.notify(now, actor.Person, "request_edited", c.ID.String(), params, c.Coordinator, c.Requester)
	}
	return changes, nil
}

// tellEdited tells who answers for the request what changed in it,
// without asking anyone anew: its reviewer while in first review (dir
// finds the requesting department's head), every assisting department's
// contact once it has been sent. An edit and the coordinator command both
// tell through it.
func (c *Collaboration) tellEdited(dir *Directory, actor PersonID, params map[string]string, now time.Time) {
	if c.Status == StatusInReview {
		if dept, ok := dir.Department(c.RequestingDept); ok {
			c.notify(now, actor, "request_edited", c.ID.String(), params, dept.Head)
		}
		return
	}
	for _, a := range c.Acks {
		c.notify(now, actor, "request_edited", c.ID.String(), params, a.Contact)
	}
}

// material reports an edit that changes what a department takes on (the
// requirements, deliverables, standard, due date, a loan's terms, what is
// to be read): a department that accepted it, or confirmed reading it,
// is asked again. A new topic wording, coordinator, cadence or risk note,
// or another department's contact, changes nothing it agreed to.
func material(changes []Change) bool {
	return slices.ContainsFunc(changes, func(ch Change) bool {
		switch ch.Field {
		case "topic", "coordinator", "cadence", "risks", "departments", "contacts":
			return false
		}
		return true
	})
}

// MayEdit refuses an edit of the request by someone who may not make it,
// or at a stage where the request can no longer change.
func (c *Collaboration) MayEdit(actor Actor) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isRequester(actor) && !c.isCoordinator(actor) {
		return forbidden("refuse.edit.only_requester", nil)
	}
	if !c.Status.Editable() && !c.Status.Wordable() {
		return wrongState(c.Status, "refuse.edit.all_accepted", Args{"ref": c.ID.String()})
	}
	return nil
}

// Wordable reports whether, every department having accepted, the
// request's wording (wordingFields) can still be corrected.
func (s CollabStatus) Wordable() bool {
	switch s {
	case StatusActive, StatusAccepting, StatusRetrospective:
		return true
	}
	return false
}

// reaskDepartments brings the acknowledgements in line with an edited
// request: only new departments and new contacts are asked.
func (c *Collaboration) reaskDepartments(actor PersonID, old Request, params map[string]string, material bool, now time.Time) {
	kept := c.Acks[:0:0]
	for _, a := range c.Acks {
		if !slices.ContainsFunc(c.Request.Departments, func(x Assignment) bool { return x.Department == a.Department }) {
			c.notify(now, actor, "department_released", a.Department, map[string]string{"department": a.Department}, a.Contact)
			continue
		}
		kept = append(kept, a)
	}
	c.Acks = kept
	for _, as := range c.Request.Departments {
		a := c.ack(as.Department)
		switch {
		case a == nil:
			c.Acks = append(c.Acks, Acknowledgement{Department: as.Department, Contact: as.Contact, Status: AckPending, AskedAt: now})
			c.notify(now, actor, "ack_requested", as.Department, map[string]string{"department": as.Department}, as.Contact)
		case a.Contact != as.Contact:
			c.notify(now, actor, "contact_replaced", as.Department, map[string]string{"department": as.Department, "contact": string(as.Contact)},
				a.Contact)
			*a = Acknowledgement{Department: as.Department, Contact: as.Contact, Status: AckPending, AskedAt: now}
			c.notify(now, actor, "ack_requested", as.Department, map[string]string{"department": as.Department}, as.Contact)
		case a.Status == AckDeclined:
			// The edit may answer the reason it declined: it is asked
			// again, told what changed.
			*a = Acknowledgement{Department: as.Department, Contact: a.Contact, Status: AckPending, AskedAt: now}
			c.notify(now, actor, "ack_requested", as.Department, map[string]string{"department": as.Department,
				"again": string(AckDeclined), "changes": params["changes"], "by": string(actor)}, a.Contact)
		case a.Status == AckAccepted && material:
			// What it took on changed: one card says it had accepted,
			// what changed, and asks again.
			c.record(now, actor, "ack_reopened", as.Department, params["changes"])
			*a = Acknowledgement{Department: as.Department, Contact: a.Contact, Status: AckPending, AskedAt: now}
			c.notify(now, actor, "ack_requested", as.Department, map[string]string{"department": as.Department,
				"again": string(AckAccepted), "changes": params["changes"], "by": string(actor)}, a.Contact)
		default:
			c.notify(now, actor, "request_edited", c.ID.String(), params, a.Contact)
		}
	}
	c.activateIfAllAccepted(actor, now)
}

func requestChanges(a, b Request, loc *time.Location) []Change {
	var out []Change
	out = changed(out, "topic", a.Topic, b.Topic)
	out = changed(out, "goal", a.Goal, b.Goal)
	out = changed(out, "departments", assignmentList(a.Departments, false), assignmentList(b.Departments, false))
	out = changed(out, "contacts", assignmentList(a.Departments, true), assignmentList(b.Departments, true))
	out = changed(out, "requirements", a.Requirements, b.Requirements)
	out = changed(out, "deliverables", a.Deliverables, b.Deliverables)
	out = changed(out, "standard", a.Standard, b.Standard)
	out = changed(out, "due", stamp(a.Due, loc), stamp(b.Due, loc))
	out = changed(out, "scope", a.Scope, b.Scope)
	out = changed(out, "cadence", a.Cadence, b.Cadence)
	out = changed(out, "risks", a.Risks, b.Risks)
	out = changed(out, "coordinator", string(a.Coordinator), string(b.Coordinator))
	out = append(out, typedChanges(a, b, loc)...)
	keys := map[string]bool{}
	for k := range a.Extra {
		keys[k] = true
	}
	for k := range b.Extra {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		out = changed(out, k, a.Extra[k], b.Extra[k])
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func assignmentList(as []Assignment, contacts bool) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Department
		if contacts {
			parts[i] = string(a.Contact)
		}
	}
	return strings.Join(parts, ", ")
}

// except drops one person from a list of recipients.
func except(who PersonID, to ...PersonID) []PersonID {
	return slices.DeleteFunc(slices.Clone(to), func(p PersonID) bool { return p == who })
}

// ChangeContact names another contact for an assisting department, one
// of its own people: the requester, the coordinator or the department's
// head may. A department that has not accepted (pending, asking, declined)
// is asked again, by the new contact; an accepted one keeps its answer;
// before submission the new contact is simply the one who will be asked.
// Where the type has the approval step the department's head is its
// contact and decides: no one else can be named, or the borrower could
// pick their own approver and reopen the head's decline.
func (c *Collaboration) ChangeContact(dir *Directory, actor Actor, dept string, contact PersonID, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	i := slices.IndexFunc(c.Request.Departments, func(a Assignment) bool { return a.Department == dept })
	if i < 0 {
		return RefuseField(CodeUnknownDept, "department", "refuse.ack.not_assisting", Args{"department": dept, "ref": c.ID.String()})
	}
	if !c.isRequester(actor) && !c.isCoordinator(actor) && !actor.Heads(dept) {
		return forbidden("refuse.contact.only_requester_or_head", Args{"department": dept})
	}
	if c.Has(StepApproval) {
		return Refuse(CodeWrongState, "refuse.contact.head_approves", Args{"department": dept, "ref": c.ID.String()})
	}
	if _, ok := dir.Person(contact); !ok {
		return unknownPerson("contact", contact)
	}
	if err := memberOf(dir, "contact", contact, dept); err != nil {
		return err
	}
	before := c.Request.Departments[i].Contact
	if before == contact {
		return c.askAgain(actor, dept, now)
	}
	c.Request.Departments[i].Contact = contact
	c.record(now, actor.Person, "contact_changed", dept, changeNote([]Change{{"contact", string(before), string(contact)}}))
	a := c.ack(dept)
	if a == nil {
		return nil // not asked yet: the new contact is asked on submission
	}
	c.notify(now, actor.Person, "contact_replaced", dept, map[string]string{"department": dept, "contact": string(contact)}, before)
	a.Contact = contact
	if a.Status == AckAccepted {
		c.notify(now, actor.Person, "contact_assigned", dept, map[string]string{"department": dept}, contact)
		return nil
	}
	*a = Acknowledgement{Department: dept, Contact: contact, Status: AckPending, AskedAt: now}
	c.notify(now, actor.Person, "ack_requested", dept, map[string]string{"department": dept}, contact)
	return nil
}

// askAgain is the contact named again: a department that declined or
// asked for information (a decline made by mistake, a question answered
// some other way) is asked anew, by the same contact, with a fresh
// deadline; its earlier answer stays on the timeline. A department still
// to answer, or one that accepted, already has that contact.
func (c *Collaboration) askAgain(actor Actor, dept string, now time.Time) error {
	a := c.ack(dept)
	contact := c.Request.Departments[slices.IndexFunc(c.Request.Departments, func(x Assignment) bool { return x.Department == dept })].Contact
	if a == nil || (a.Status != AckDeclined && a.Status != AckNeedsInfo) {
		return Refuse(CodeAlreadyDone, "refuse.contact.already", Args{"contact": Who(contact), "department": dept})
	}
	was := a.Status
	c.record(now, actor.Person, "ack_asked_again", dept, "")
	*a = Acknowledgement{Department: dept, Contact: contact, Status: AckPending, AskedAt: now}
	c.notify(now, actor.Person, "ack_requested", dept,
		map[string]string{"department": dept, "again": string(was), "by": string(actor.Person)}, contact)
	return nil
}

// ChangeCoordinator hands the collaboration to another coordinator; the
// requester or the coordinator may.
func (c *Collaboration) ChangeCoordinator(dir *Directory, actor Actor, to PersonID, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isRequester(actor) && !c.isCoordinator(actor) {
		return forbidden("refuse.coordinator.only_requester", nil)
	}
	if _, ok := dir.Person(to); !ok {
		return unknownPerson("coordinator", to)
	}
	if c.Coordinator == to {
		return Refuse(CodeAlreadyDone, "refuse.coordinator.already", Args{"person": Who(to)})
	}
	before := c.Coordinator
	c.Request.Coordinator = to
	c.handOver(actor.Person, to, now)
	note := changeNote([]Change{{"coordinator", string(before), string(to)}})
	c.record(now, actor.Person, "coordinator_changed", c.ID.String(), note)
	// Whoever answers for the request hears of it as of the same change
	// made by an edit.
	c.tellEdited(dir, actor.Person, map[string]string{"changes": note, "by": string(actor.Person)}, now)
	return nil
}

// handOver makes to the coordinator and tells both sides.
func (c *Collaboration) handOver(actor, to PersonID, now time.Time) {
	before := c.Coordinator
	c.Coordinator = to
	params := map[string]string{"from": string(before), "to": string(to)}
	c.notify(now, actor, "coordinator_assigned", c.ID.String(), params, to)
	c.notify(now, actor, "coordinator_replaced", c.ID.String(), params, before)
}
