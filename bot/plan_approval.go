package bot

import (
	"slices"
	"strings"
	"time"
)

// Plan approval (方案审批, seed 003 步骤3): each assisting department
// submits its implementation plan — how it will do it (方法), what it does
// if things go wrong (预案), the quality it holds itself to (质量标准) — and
// a decision maker approves it or returns it with comments. A returned
// plan is submitted again. Until its plan is approved a department's work
// waits: no new task is planned for it and none of its tasks starts.

// PlanStatus is where one department's plan stands.
type PlanStatus string

const (
	PlanAwaiting  PlanStatus = "awaiting"  // not submitted yet
	PlanSubmitted PlanStatus = "submitted" // waits for the decision
	PlanApproved  PlanStatus = "approved"
	PlanReturned  PlanStatus = "returned" // to be revised and submitted again
)

// LabelText is the status as people read it, in both languages.
func (s PlanStatus) LabelText() Text {
	return map[PlanStatus]Text{PlanAwaiting: {"待提交", "not submitted"}, PlanSubmitted: {"待审批", "waiting for approval"},
		PlanApproved: {"已批准", "approved"}, PlanReturned: {"已退回修改", "returned for revision"}}[s]
}

// PlanApproval is the step: who decides, and each department's plan.
type PlanApproval struct {
	// Approver decides when set (configured for the workspace or named
	// by the coordinator); otherwise leadership does, and the coordinator
	// when the organisation has no leadership.
	Approver PersonID `json:"approver,omitempty"`
	// Leaders are the leadership when the step opened, who decide when
	// no approver is named.
	Leaders   []PersonID `json:"leaders,omitempty"`
	OpenedAt  time.Time  `json:"opened_at"`
	Withdrawn bool       `json:"withdrawn,omitempty"`
	Plans     []*Plan    `json:"plans"`
}

// Plan is one department's implementation plan (实施方案) and its
// decisions.
type Plan struct {
	Department  string         `json:"department"`
	Contact     PersonID       `json:"contact"` // who submits it
	Status      PlanStatus     `json:"status"`
	AskedAt     time.Time      `json:"asked_at"`              // the submission deadline counts from here
	Method      string         `json:"method,omitempty"`      // 方法
	Contingency string         `json:"contingency,omitempty"` // 预案
	Standard    string         `json:"standard,omitempty"`    // 质量标准
	SubmittedBy PersonID       `json:"submitted_by,omitempty"`
	SubmittedAt time.Time      `json:"submitted_at,omitzero"` // the decision deadline counts from here
	Version     int            `json:"version,omitempty"`     // 1 for the first submission
	Decisions   []PlanDecision `json:"decisions,omitempty"`
	// Changes is what this version changed from the one returned (a
	// change note), so whoever decides it — also an approver named
	// later — sees why it came back and what is new.
	Changes string `json:"changes,omitempty"`
}

// revision adds to a submitted version's notice params why the version
// before was returned and what changed since; nothing for a first one.
func (pl *Plan) revision(params map[string]string) map[string]string {
	if pl.Changes == "" {
		return params
	}
	params["changes"] = pl.Changes
	if n := len(pl.Decisions); n > 0 && !pl.Decisions[n-1].Approved {
		params["returned"], params["returned_by"] = pl.Decisions[n-1].Comments, string(pl.Decisions[n-1].By)
	}
	return params
}

// PlanDecision is one approval or return of a plan's version.
type PlanDecision struct {
	Version  int       `json:"version"`
	By       PersonID  `json:"by"`
	At       time.Time `json:"at"`
	Approved bool      `json:"approved"`
	Comments string    `json:"comments,omitempty"`
}

// PlanForm is what a department submits.
type PlanForm struct{ Method, Contingency, Standard string }

// Approved reports whether every department's plan is approved.
func (p *PlanApproval) Approved() bool {
	if p == nil || len(p.Plans) == 0 {
		return false
	}
	for _, pl := range p.Plans {
		if pl.Status != PlanApproved {
			return false
		}
	}
	return true
}

// Open reports whether the step still waits for someone.
func (p *PlanApproval) Open() bool { return p != nil && !p.Withdrawn && !p.Approved() }

// Plan is dept's plan, or nil.
func (p *PlanApproval) Plan(dept string) *Plan {
	if p == nil {
		return nil
	}
	for _, pl := range p.Plans {
		if pl.Department == dept {
			return pl
		}
	}
	return nil
}

func (c *Collaboration) openPlans(dir *Directory, approver PersonID, actor PersonID, now time.Time) {
	p := &PlanApproval{Approver: approver, OpenedAt: now}
	if c.PlanApproval != nil && c.PlanApproval.Approver != "" {
		p.Approver = c.PlanApproval.Approver // named by the coordinator before
	}
	for _, a := range c.Acks {
		// Switched off and on again: a plan submitted before keeps its
		// content, version and decisions — approved stays approved, one
		// waiting for a decision waits again, one returned is still to be
		// revised — so nothing submitted is lost; only a department that
		// never submitted is asked anew. Its deadline counts from now.
		if old := c.PlanApproval.Plan(a.Department); old != nil && old.Version > 0 {
			if old.Status != PlanApproved {
				old.AskedAt = now
			}
			p.Plans = append(p.Plans, old)
			continue
		}
		p.Plans = append(p.Plans, &Plan{Department: a.Department, Contact: a.Contact, Status: PlanAwaiting, AskedAt: now})
	}
	if len(p.Plans) == 0 {
		return
	}
	if dir != nil {
		p.Leaders = slices.Clone(dir.Leadership)
	}
	if p.Approver == "" && len(p.Leaders) == 0 {
		p.Approver = c.Coordinator // nobody above decides: the coordinator does
	}
	c.PlanApproval = p
	c.record(now, actor, "plans_requested", c.ID.String(), "")
	for _, pl := range p.Plans {
		switch pl.Status {
		case PlanAwaiting, PlanReturned:
			c.notify(now, actor, "plan_requested", pl.Department, map[string]string{"department": pl.Department}, pl.Contact)
		case PlanSubmitted:
			// They were told they need not decide it: it waits for them again.
			c.notify(now, actor, "plan_submitted", pl.Department, map[string]string{"department": pl.Department,
				"by": string(pl.SubmittedBy), "version": itoa(pl.Version)}, c.Deciders()...)
		}
	}
}

// Deciders are who decide the plans: the approver, else leadership,
// else the coordinator.
func (c *Collaboration) Deciders() []PersonID {
	p := c.PlanApproval
	switch {
	case p != nil && p.Approver != "":
		return []PersonID{p.Approver}
	case p != nil && len(p.Leaders) > 0:
		return slices.Clone(p.Leaders)
	}
	return []PersonID{c.Coordinator}
}

// WaitsForPlan reports whether dept's work waits for its plan's approval.
func (c *Collaboration) WaitsForPlan(dept string) bool {
	p := c.PlanApproval
	if !p.Open() {
		return false
	}
	pl := p.Plan(dept)
	return pl != nil && pl.Status != PlanApproved
}

// planGate is the one check of every path that does a department's work
// (a task added, started or done, a delivery): none before its plan is
// approved. A task from minutes is still recorded, as a to-do that
// cannot start (the minutes must not be lost for it).
func (c *Collaboration) planGate(dept string) error {
	if c.WaitsForPlan(dept) {
		return Refuse(CodeWrongState, "refuse.plan.work_waits", Args{"department": dept, "ref": c.ID.String()})
	}
	return nil
}

// plan finds the plan the actor acts on: the department named, or the
// only open one that may passes.
func (c *Collaboration) plan(dept string, want []PlanStatus, may func(*Plan) bool, none string) (*Plan, error) {
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	p := c.PlanApproval
	if !p.Open() {
		return nil, Refuse(CodeWrongState, "refuse.plan.not_open", Args{"ref": c.ID.String()})
	}
	var open []string
	for _, pl := range p.Plans {
		if slices.Contains(want, pl.Status) {
			open = append(open, pl.Department)
		}
	}
	dept, err := departmentFor(dept, open, func(d string) bool { return may(p.Plan(d)) })
	if err != nil {
		return nil, err
	}
	if dept == "" {
		return nil, Refuse(CodeWrongState, none, Args{"ref": c.ID.String()})
	}
	pl := p.Plan(dept)
	if pl == nil {
		return nil, RefuseField(CodeUnknownDept, "department", "refuse.ack.not_assisting", Args{"department": dept, "ref": c.ID.String()})
	}
	return pl, nil
}

// Submitting finds the plan the actor may submit: for dept, or the only
// one they speak for.
func (c *Collaboration) Submitting(actor Actor, dept string) (*Plan, error) {
	pl, err := c.plan(dept, []PlanStatus{PlanAwaiting, PlanReturned}, func(pl *Plan) bool {
		return c.SpeaksFor(actor, pl.Department)
	}, "refuse.plan.nothing_to_submit")
	if err != nil {
		return nil, err
	}
	if !c.SpeaksFor(actor, pl.Department) {
		return nil, forbidden("refuse.plan.only_contact_submits", Args{"department": pl.Department, "contact": Who(pl.Contact)})
	}
	switch pl.Status {
	case PlanSubmitted:
		return nil, Refuse(CodeAlreadyDone, "refuse.plan.already_submitted", Args{"department": pl.Department})
	case PlanApproved:
		return nil, Refuse(CodeAlreadyDone, "refuse.plan.already_approved", Args{"department": pl.Department})
	}
	return pl, nil
}

// SubmitPlan records a department's plan (or its revision after a
// return) and asks the decision makers.
func (c *Collaboration) SubmitPlan(actor Actor, dept string, f PlanForm, now time.Time) (string, error) {
	pl, err := c.Submitting(actor, dept)
	if err != nil {
		return "", err
	}
	if err := firstError(
		required("method", f.Method, "refuse.label.plan_method"),
		limit("method", f.Method, "refuse.label.plan_method"),
		limit("contingency", f.Contingency, "refuse.label.plan_contingency"),
		limit("standard", f.Standard, "refuse.label.plan_standard"),
	); err != nil {
		return "", err
	}
	params := map[string]string{"department": pl.Department, "by": string(actor.Person)}
	revised := ""
	if pl.Status == PlanReturned {
		// A revision answers the return: the deciders see why it came back
		// and what changed; one that changes nothing is no answer.
		var changes []Change
		changes = changed(changes, "method", pl.Method, f.Method)
		changes = changed(changes, "contingency", pl.Contingency, f.Contingency)
		changes = changed(changes, "standard", pl.Standard, f.Standard)
		if len(changes) == 0 {
			return "", Refuse(CodeInvalid, "refuse.plan.unchanged", Args{"department": pl.Department, "version": itoa(pl.Version)})
		}
		revised = changeNote(changes)
	}
	pl.Method, pl.Contingency, pl.Standard = strings.TrimSpace(f.Method), strings.TrimSpace(f.Contingency), strings.TrimSpace(f.Standard)
	pl.Status, pl.SubmittedBy, pl.SubmittedAt = PlanSubmitted, actor.Person, now
	pl.Version++
	pl.Changes = revised
	params["version"] = itoa(pl.Version)
	c.record(now, actor.Person, "plan_submitted", pl.Department, pl.Method)
	c.notify(now, actor.Person, "plan_submitted", pl.Department, pl.revision(params), c.Deciders()...)
	return pl.Department, nil
}

// MayDecide reports whether the actor decides plans.
func (c *Collaboration) MayDecide(a Actor) bool { return slices.Contains(c.Deciders(), a.Person) }

// partyTo reports whether a is a party to pl, and so may not decide it:
// they submitted it, or they are its department's contact (named on the
// request, asked for the plan, or the department's default contact). A
// decision on one's own plan is no control at all.
func (c *Collaboration) partyTo(a Actor, pl *Plan) bool {
	return a.Person == pl.SubmittedBy || a.Person == pl.Contact || a.Person == c.contactOf(pl.Department) ||
		slices.Contains(a.ContactOf, pl.Department)
}

// planParty is the department whose plan a is a party to (partyTo), or
// whose contact a is where the plans have not opened yet.
func (c *Collaboration) planParty(a Actor) (string, bool) {
	for _, pl := range c.PlanApproval.plans() {
		if c.partyTo(a, pl) {
			return pl.Department, true
		}
	}
	for _, as := range c.Request.Departments {
		if c.partyTo(a, &Plan{Department: as.Department, Contact: as.Contact}) {
			return as.Department, true
		}
	}
	return "", false
}

func (p *PlanApproval) plans() []*Plan {
	if p == nil {
		return nil
	}
	return p.Plans
}

// DecidePlan approves a submitted plan, or returns it with comments
// (required, so the department knows what to change).
func (c *Collaboration) DecidePlan(actor Actor, dept string, approve bool, comments string, now time.Time) (string, error) {
	dept, err := c.PlanToDecide(actor, dept)
	if err != nil {
		return "", err
	}
	pl := c.PlanApproval.Plan(dept)
	comments = strings.TrimSpace(comments)
	if !approve {
		if err := required("comments", comments, "refuse.label.plan_comments"); err != nil {
			return "", err
		}
	}
	if err := limit("comments", comments, "refuse.label.plan_comments"); err != nil {
		return "", err
	}
	pl.Decisions = append(pl.Decisions, PlanDecision{Version: pl.Version, By: actor.Person, At: now, Approved: approve, Comments: comments})
	kind := "plan_returned"
	pl.Status = PlanReturned
	if approve {
		kind, pl.Status = "plan_approved", PlanApproved
	}
	c.record(now, actor.Person, kind, pl.Department, comments)
	c.notify(now, actor.Person, kind, pl.Department, map[string]string{"department": pl.Department, "by": string(actor.Person),
		"comments": comments, "version": itoa(pl.Version)}, pl.Contact, pl.SubmittedBy, c.Coordinator)
	if c.PlanApproval.Approved() {
		c.record(now, actor.Person, "plans_approved", c.ID.String(), "")
	}
	return pl.Department, nil
}

// SetPlanApprover is the coordinator naming who decides this
// collaboration's plans.
func (c *Collaboration) SetPlanApprover(dir *Directory, actor Actor, who PersonID, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isCoordinator(actor) {
		return forbidden("refuse.step.only_coordinator_switches", Args{"coordinator": Who(c.Coordinator)})
	}
	if _, ok := dir.Person(who); !ok {
		return unknownPerson("approver", who)
	}
	if dept, ok := c.planParty(dir.Actor(who)); ok {
		return RefuseField(CodeInvalid, "approver", "refuse.plan.approver_is_party", Args{"person": Who(who), "department": dept})
	}
	if c.PlanApproval == nil {
		// Named before the step opens: kept for when it does.
		c.PlanApproval = &PlanApproval{Withdrawn: true}
	}
	if c.PlanApproval.Approver == who {
		return Refuse(CodeAlreadyDone, "refuse.edit.nothing_changed", nil)
	}
	var before []PersonID
	if !c.PlanApproval.Withdrawn && len(c.PlanApproval.Plans) > 0 {
		before = c.Deciders()
	}
	c.PlanApproval.Approver = who
	c.record(now, actor.Person, "plan_approver_set", c.ID.String(), string(who))
	// Those who decided until now hear that they no longer do, or they
	// would still think the plans wait for them.
	c.notify(now, actor.Person, "plan_approver_replaced", c.ID.String(), map[string]string{"approver": string(who), "by": string(actor.Person)}, except(who, before...)...)
	for _, pl := range c.PlanApproval.Plans {
		if pl.Status == PlanSubmitted && !c.PlanApproval.Withdrawn {
			c.notify(now, actor.Person, "plan_submitted", pl.Department, pl.revision(map[string]string{"department": pl.Department,
				"by": string(pl.SubmittedBy), "version": itoa(pl.Version)}), who)
		}
	}
	return nil
}

// deliveryGate refuses a delivery of work a plan still waits for: a
// task named in it, or the deliverer's own department.
func (c *Collaboration) deliveryGate(actor Actor, items []Deliverable) error {
	for _, it := range items {
		for _, id := range it.Tasks {
			if t, err := c.Task(id); err == nil {
				if err := c.planGate(t.Department); err != nil {
					return err
				}
			}
		}
	}
	if c.isCoordinator(actor) {
		return nil
	}
	for _, a := range c.Request.Departments {
		if c.SpeaksFor(actor, a.Department) {
			if err := c.planGate(a.Department); err != nil {
				return err
			}
		}
	}
	return nil
}
