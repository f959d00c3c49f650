package bot

import (
	"slices"
	"strings"
	"time"
)

// Corrections of the risk register: a risk's owner, responsible
// department, expected resolution date and description are corrected by
// whoever raised it, its owner or the coordinator, each leaving a trace
// (before → after); a resolved risk that turns out not fixed is reopened.

// alreadyResolved refuses to act on a resolved risk, naming the way back.
func alreadyResolved(id RiskID) error {
	return Refuse(CodeAlreadyDone, "refuse.risk.already_resolved", Args{"risk": id.String()})
}

// correctableRisk finds an unresolved risk actor may correct.
func (c *Collaboration) correctableRisk(actor Actor, id RiskID) (*Risk, error) {
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	r, err := c.Risk(id)
	if err != nil {
		return nil, err
	}
	if actor.Person != r.Owner && actor.Person != r.RaisedBy && !c.isCoordinator(actor) {
		return nil, forbidden("refuse.risk.only_owner_corrects", Args{"risk": id.String()})
	}
	if r.Status == RiskResolved {
		return nil, alreadyResolved(id)
	}
	return r, nil
}

// SetRiskOwner makes someone else answer for a risk. The new owner is
// told it is theirs and, while it waits for a response, that the time
// to respond starts now (the response chase follows them); the former
// owner that it no longer is.
func (c *Collaboration) SetRiskOwner(dir *Directory, actor Actor, id RiskID, owner PersonID, now time.Time) error {
	r, err := c.correctableRisk(actor, id)
	if err != nil {
		return err
	}
	if _, ok := dir.Person(owner); !ok {
		return unknownPerson("owner", owner)
	}
	if owner == r.Owner {
		return Refuse(CodeAlreadyDone, "refuse.risk.already_owned", Args{"risk": id.String(), "owner": Who(owner)})
	}
	before := r.Owner
	r.Owner = owner
	if r.Status == RiskOpen {
		r.AskedAt = now
	}
	c.record(now, actor.Person, "risk_reassigned", id.String(), changeNote([]Change{{"owner", string(before), string(owner)}}))
	c.notify(now, actor.Person, "risk_handed_over", id.String(), map[string]string{"by": string(actor.Person), "former": string(before),
		"description": r.Description}, owner)
	c.notify(now, actor.Person, "risk_released", id.String(), map[string]string{"by": string(actor.Person), "owner": string(owner),
		"description": r.Description}, before)
	return nil
}

// SetRiskDepartment makes another of the collaboration's departments
// responsible for a risk; its owner is told.
func (c *Collaboration) SetRiskDepartment(dir *Directory, actor Actor, id RiskID, dept string, now time.Time) error {
	r, err := c.correctableRisk(actor, id)
	if err != nil {
		return err
	}
	if err := required("department", dept, "refuse.label.department"); err != nil {
		return err
	}
	d, err := dir.ResolveDepartment(dept)
	if err != nil {
		return err
	}
	if !c.hasDepartment(d.Name) {
		return RefuseField(CodeUnknownDept, "department", "refuse.risk.department_not_involved", Args{"department": d.Name, "ref": c.ID.String()})
	}
	return c.reviseRisk(actor, r, "department", &r.Department, d.Name, "", now)
}

// SetRiskDue changes when a risk is expected to be resolved, with an
// optional reason.
func (c *Collaboration) SetRiskDue(actor Actor, id RiskID, due time.Time, reason string, now time.Time) error {
	r, err := c.correctableRisk(actor, id)
	if err != nil {
		return err
	}
	if err := FutureDue("due", due, now); err != nil {
		return err
	}
	if err := limit("reason", reason, "refuse.label.change_reason"); err != nil {
		return err
	}
	if due.Equal(r.Due) {
		return Refuse(CodeAlreadyDone, "refuse.edit.nothing_changed", nil)
	}
	before, after := stamp(r.Due, now.Location()), stamp(due, now.Location())
	r.Due = due
	return c.reviseRisk(actor, r, "due", &before, after, reason, now)
}

// DescribeRisk rewrites what a risk is.
func (c *Collaboration) DescribeRisk(actor Actor, id RiskID, description string, now time.Time) error {
	r, err := c.correctableRisk(actor, id)
	if err != nil {
		return err
	}
	if err := required("description", description, "refuse.label.risk_description"); err != nil {
		return err
	}
	return c.reviseRisk(actor, r, "description", &r.Description, description, "", now)
}

// reviseRisk sets one field of a risk, traces it and tells the owner and
// whoever raised it.
func (c *Collaboration) reviseRisk(actor Actor, r *Risk, field string, target *string, value, reason string, now time.Time) error {
	value, reason = strings.TrimSpace(value), strings.TrimSpace(reason)
	if *target == value {
		return Refuse(CodeAlreadyDone, "refuse.edit.nothing_changed", nil)
	}
	changes := []Change{{field, *target, value}}
	if reason != "" {
		changes = append(changes, Change{"reason", "", reason})
	}
	*target = value
	c.record(now, actor.Person, "risk_revised", r.ID.String(), changeNote(changes))
	c.notify(now, actor.Person, "risk_revised", r.ID.String(), map[string]string{"field": field, "value": value, "reason": reason,
		"by": string(actor.Person), "description": r.Description}, r.Owner, r.RaisedBy)
	return nil
}

// ReopenRisk puts a resolved risk back on the register when it turns
// out not fixed: its owner, whoever raised it or the coordinator may,
// for a reason. The owner must respond again (the chase starts over);
// the owner and the coordinator are told, and leadership too when it is
// of high severity, as when it was first escalated.
func (c *Collaboration) ReopenRisk(dir *Directory, actor Actor, id RiskID, reason string, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	r, err := c.Risk(id)
	if err != nil {
		return err
	}
	if !c.answersFor(actor, r) && actor.Person != r.RaisedBy {
		return forbidden("refuse.risk.only_owner_reopens", Args{"risk": id.String()})
	}
	if r.Status != RiskResolved {
		return Refuse(CodeWrongState, "refuse.risk.not_resolved", Args{"risk": id.String()})
	}
	if err := required("reason", reason, "refuse.label.reopen_reason"); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	r.Status, r.Resolution, r.ResolvedAt, r.AskedAt = RiskOpen, "", time.Time{}, now
	c.record(now, actor.Person, "risk_reopened", id.String(), reason)
	tell := []PersonID{r.Owner, c.Coordinator}
	if r.Severity == SeverityHigh && !r.Escalated {
		r.Escalated, r.EscalatedTo = true, slices.Clone(dir.Leadership)
		c.record(now, "", "risk_escalated", id.String(), "")
		tell = append(tell, dir.Leadership...)
	}
	c.notify(now, actor.Person, "risk_reopened", id.String(), map[string]string{"by": string(actor.Person), "reason": reason,
		"severity": string(r.Severity), "description": r.Description}, tell...)
	return nil
}
