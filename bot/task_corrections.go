package bot

import (
	"slices"
	"strings"
	"time"
)

// DueRequest is an owner's request to move a task's due date
// (申请调整计划), waiting for the coordinator.
type DueRequest struct {
	Due    time.Time `json:"due"`
	Reason string    `json:"reason"`
	By     PersonID  `json:"by"`
	At     time.Time `json:"at"`
}

// CanReplan reports whether the actor may change a task's plan: the
// coordinator, or the head of the department responsible for it.
func (c *Collaboration) CanReplan(actor Actor, t *Task) bool {
	return c.isCoordinator(actor) || actor.Heads(t.Department)
}

// replannable finds an open task the actor may change.
func (c *Collaboration) replannable(actor Actor, id TaskID) (*Task, error) {
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	t, err := c.Task(id)
	if err != nil {
		return nil, err
	}
	if !c.CanReplan(actor, t) {
		return nil, forbidden("refuse.task.only_coordinator_replans", Args{"department": t.Department, "task": id.String()})
	}
	if !t.Open() {
		return nil, Refuse(CodeWrongState, "refuse.task.closed", Args{"task": id.String(), "status": t.Status.LabelText()})
	}
	return t, nil
}

// MoveTask changes a due date as a recorded change of plan, with its
// reason and the issue that caused it when there is one. The owner and
// the coordinator are told; a pending request to move it is settled.
func (c *Collaboration) MoveTask(actor Actor, id TaskID, due time.Time, reason string, risk RiskID, now time.Time) error {
	t, err := c.replannable(actor, id)
	if err != nil {
		return err
	}
	if err := FutureDue("due", due, now); err != nil {
		return err
	}
	if err := required("reason", reason, "refuse.label.change_reason"); err != nil {
		return err
	}
	if due.Equal(t.Due) {
		return Refuse(CodeAlreadyDone, "refuse.task.due_unchanged", Args{"task": id.String(), "due": stamp(due, now.Location())})
	}
	if risk != 0 {
		r, err := c.Risk(risk)
		if err != nil {
			return err
		}
		r.Tasks = appendUnique(r.Tasks, id)
		t.Risks = appendUnique(t.Risks, risk)
	}
	c.move(actor.Person, t, due, reason, now, t.Owner, c.Coordinator)
	return nil
}

// move sets a new due date with its reason and tells whom it concerns.
func (c *Collaboration) move(actor PersonID, t *Task, due time.Time, reason string, now time.Time, tell ...PersonID) {
	reason = strings.TrimSpace(reason)
	note := changeNote([]Change{{"due", stamp(t.Due, now.Location()), stamp(due, now.Location())}, {"reason", "", reason}})
	params := map[string]string{"title": t.Title, "before": t.Due.Format(time.RFC3339), "due": due.Format(time.RFC3339), "reason": reason}
	t.Due, t.UpdatedAt, t.DueRequest = due, now, nil
	c.record(now, actor, "task_moved", t.ID.String(), note)
	c.notify(now, actor, "task_moved", t.ID.String(), params, tell...)
}

// RequestDueChange is the owner asking to move a due date (申请调整计划):
// the coordinator approves or refuses it. A second request replaces the
// first.
func (c *Collaboration) RequestDueChange(actor Actor, id TaskID, due time.Time, reason string, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	t, err := c.Task(id)
	if err != nil {
		return err
	}
	if actor.Person != t.Owner {
		return forbidden("refuse.task.only_owner_asks", Args{"task": id.String()})
	}
	if !t.Open() {
		return Refuse(CodeWrongState, "refuse.task.closed_short", Args{"task": id.String(), "status": t.Status.LabelText()})
	}
	if err := FutureDue("due", due, now); err != nil {
		return err
	}
	if err := required("reason", reason, "refuse.label.change_reason"); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	t.DueRequest = &DueRequest{Due: due, Reason: reason, By: actor.Person, At: now}
	c.record(now, actor.Person, "due_change_requested", id.String(),
		changeNote([]Change{{"due", stamp(t.Due, now.Location()), stamp(due, now.Location())}, {"reason", "", reason}}))
	c.notify(now, actor.Person, "due_change_requested", id.String(), map[string]string{"title": t.Title, "owner": string(t.Owner),
		"before": t.Due.Format(time.RFC3339), "due": due.Format(time.RFC3339), "reason": reason}, c.Coordinator)
	return nil
}

// DecideDueChange approves or refuses the owner's pending request; an
// approval moves the date with the owner's reason.
func (c *Collaboration) DecideDueChange(actor Actor, id TaskID, approve bool, note string, now time.Time) error {
	t, err := c.replannable(actor, id)
	if err != nil {
		return err
	}
	req := t.DueRequest
	if req == nil {
		return Refuse(CodeWrongState, "refuse.task.no_due_request", Args{"task": id.String()})
	}
	if approve {
		if err := FutureDue("due", req.Due, now); err != nil {
			return err
		}
		// The owner hears it as the approval; the coordinator, if someone
		// else approved, as the move.
		// When someone else asked (an issue's resolution), the owner hears
		// of the move too.
		c.move(actor.Person, t, req.Due, req.Reason, now, except(req.By, c.Coordinator, t.Owner)...)
		c.notify(now, actor.Person, "due_change_approved", id.String(), map[string]string{"title": t.Title, "due": req.Due.Format(time.RFC3339)},
			req.By)
		return nil
	}
	note = strings.TrimSpace(note)
	t.DueRequest = nil
	c.record(now, actor.Person, "due_change_refused", id.String(), note)
	c.notify(now, actor.Person, "due_change_refused", id.String(), map[string]string{"title": t.Title, "due": req.Due.Format(time.RFC3339), "reason": note},
		req.By)
	return nil
}

// ReassignTask gives a task to another owner, another department, or
// both. A new owner from another of the collaboration's departments takes
// the task to that department unless one is named. The new owner is
// told it is theirs, the former one that it is not.
func (c *Collaboration) ReassignTask(dir *Directory, actor Actor, id TaskID, owner PersonID, dept string, now time.Time) error {
	t, err := c.replannable(actor, id)
	if err != nil {
		return err
	}
	if t.Awaiting() {
		// Its head answers first (confirm or reassign within the
		// department); the owner has not been told of it yet.
		return Refuse(CodeWrongState, "refuse.task.awaiting_confirmation", Args{"task": id.String()})
	}
	if owner == "" {
		owner = t.Owner
	}
	if _, ok := dir.Person(owner); !ok {
		return unknownPerson("owner", owner)
	}
	if dept != "" {
		d, err := dir.ResolveDepartment(dept)
		if err != nil {
			return err
		}
		dept = d.Name
	} else if owner != t.Owner {
		dept = t.Department
		if depts := dir.DepartmentsOf(owner); len(depts) > 0 && !slices.Contains(depts, dept) {
			for _, d := range depts {
				if c.hasDepartment(d) {
					dept = d
					break
				}
			}
		}
	} else {
		dept = t.Department
	}
	if !c.hasDepartment(dept) {
		return RefuseField(CodeUnknownDept, "department", "refuse.task.department_not_involved", nil)
	}
	if err := ownerIn(dir, owner, dept); err != nil {
		return err
	}
	if dept != t.Department && !c.isCoordinator(actor) && !actor.Heads(dept) {
		// A head moves work within the department, not into another one.
		return forbidden("refuse.task.handover_needs_head", Args{"department": dept})
	}
	var changes []Change
	changes = changed(changes, "owner", string(t.Owner), string(owner))
	changes = changed(changes, "department", t.Department, dept)
	if len(changes) == 0 {
		return Refuse(CodeAlreadyDone, "refuse.task.already_owned", Args{"task": id.String(), "owner": Who(owner), "department": dept})
	}
	before := t.Owner
	t.Owner, t.Department, t.UpdatedAt, t.DueRequest = owner, dept, now, nil
	c.record(now, actor.Person, "task_reassigned", id.String(), changeNote(changes))
	if owner != before {
		t.AssignedAt = now
		params := map[string]string{"title": t.Title, "due": t.Due.Format(time.RFC3339)}
		c.notify(now, actor.Person, "task_assigned", id.String(), params, owner)
		c.notify(now, actor.Person, "task_released", id.String(), map[string]string{"title": t.Title, "owner": string(owner)}, before)
	}
	return nil
}

// ReviseTask renames a task, or changes its acceptance standard or
// description; the owner is told.
func (c *Collaboration) ReviseTask(actor Actor, id TaskID, field, value string, now time.Time) error {
	t, err := c.replannable(actor, id)
	if err != nil {
		return err
	}
	value = strings.TrimSpace(value)
	var target *string
	switch field {
	case "title":
		target = &t.Title
		err = required("title", value, "refuse.label.task_title")
	case "standard":
		target = &t.Standard
		err = required("standard", value, "refuse.label.standard")
	case "description":
		target = &t.Description
		err = limit("description", value, "refuse.label.task_description")
	default:
		return RefuseField(CodeInvalid, "field", "refuse.task.field_fixed", Args{"field": field})
	}
	if err != nil {
		return err
	}
	if *target == value {
		return Refuse(CodeAlreadyDone, "refuse.edit.nothing_changed", nil)
	}
	note := changeNote([]Change{{field, *target, value}})
	*target, t.UpdatedAt = value, now
	c.record(now, actor.Person, "task_revised", id.String(), note)
	c.notify(now, actor.Person, "task_revised", id.String(), map[string]string{"title": t.Title, "field": field, "value": value}, t.Owner)
	return nil
}

// CancelTask takes a task off the plan, with its open sub-tasks; the
// owner and collaborators are told why. A cancelled task is never chased.
func (c *Collaboration) CancelTask(actor Actor, id TaskID, reason string, now time.Time) error {
	t, err := c.replannable(actor, id)
	if err != nil {
		return err
	}
	if err := required("reason", reason, "refuse.label.cancel_reason"); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	for _, x := range c.Tasks {
		if x != t && x.Parent != id {
			continue
		}
		if !x.Open() {
			continue
		}
		x.Status, x.StatusNote, x.UpdatedAt, x.DueRequest = TaskCancelled, reason, now, nil
		c.record(now, actor.Person, "task_cancelled", x.ID.String(), reason)
		c.notify(now, actor.Person, "task_cancelled", x.ID.String(), map[string]string{"title": x.Title, "reason": reason},
			append([]PersonID{x.Owner}, x.Collaborators...)...)
	}
	return nil
}
