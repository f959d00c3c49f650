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
		return nil, forbidden("只有总协调人或"+t.Department+"负责人可以调整 "+id.String()+";责任人可以 `任务 "+id.String()+" 申请改期 <日期> <原因>`。",
			"Only the coordinator or the head of "+t.Department+" can change "+id.String()+"; its owner can `task "+id.String()+" ask-due <date> <reason>`.")
	}
	if !t.Open() {
		return nil, Refuse(CodeWrongState, id.String()+" "+t.Status.Label(Chinese)+",不能再调整。",
			id.String()+" is "+t.Status.Label(English)+" and can no longer change.")
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
	if err := required("reason", reason, "调整原因", "reason for the change"); err != nil {
		return err
	}
	if due.Equal(t.Due) {
		return Refuse(CodeAlreadyDone, id.String()+" 的截止时间已是 "+stamp(due)+"。", id.String()+" is already due "+stamp(due)+".")
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
	note := changeNote([]Change{{"due", stamp(t.Due), stamp(due)}, {"reason", "", reason}})
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
		return forbidden("只有 "+id.String()+" 的直接责任人可以申请调整计划。", "Only the owner of "+id.String()+" can ask to move its date.")
	}
	if !t.Open() {
		return Refuse(CodeWrongState, id.String()+" "+t.Status.Label(Chinese)+"。", id.String()+" is "+t.Status.Label(English)+".")
	}
	if err := FutureDue("due", due, now); err != nil {
		return err
	}
	if err := required("reason", reason, "调整原因", "reason for the change"); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	t.DueRequest = &DueRequest{Due: due, Reason: reason, By: actor.Person, At: now}
	c.record(now, actor.Person, "due_change_requested", id.String(),
		changeNote([]Change{{"due", stamp(t.Due), stamp(due)}, {"reason", "", reason}}))
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
		return Refuse(CodeWrongState, id.String()+" 没有待审批的调整申请。", id.String()+" has no pending request to move its date.")
	}
	if approve {
		if err := FutureDue("due", req.Due, now); err != nil {
			return err
		}
		// The owner hears it as the approval; the coordinator, if someone
		// else approved, as the move.
		c.move(actor.Person, t, req.Due, req.Reason, now, except(req.By, c.Coordinator)...)
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
		return RefuseField(CodeUnknownDept, "department", "责任部门必须是发起部门或需协助部门之一。",
			"The responsible department must be the requesting department or one of the assisting departments.")
	}
	if dept != t.Department && !c.isCoordinator(actor) && !actor.Heads(dept) {
		// A head moves work within the department, not into another one.
		return forbidden("把任务交给"+dept+"需要总协调人或"+dept+"负责人。",
			"Handing a task to "+dept+" takes the coordinator or the head of "+dept+".")
	}
	var changes []Change
	changes = changed(changes, "owner", string(t.Owner), string(owner))
	changes = changed(changes, "department", t.Department, dept)
	if len(changes) == 0 {
		return Refuse(CodeAlreadyDone, id.String()+" 已由 "+string(owner)+"("+dept+")负责。", id.String()+" is already owned by "+string(owner)+" ("+dept+").")
	}
	before := t.Owner
	t.Owner, t.Department, t.UpdatedAt, t.DueRequest = owner, dept, now, nil
	c.record(now, actor.Person, "task_reassigned", id.String(), changeNote(changes))
	if owner != before {
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
		err = required("title", value, "任务名称", "task name")
	case "standard":
		target = &t.Standard
		err = required("standard", value, "交付标准", "acceptance standard")
	case "description":
		target = &t.Description
		err = limit("description", value, "任务描述", "description")
	default:
		return RefuseField(CodeInvalid, "field", "不能修改“"+field+"”。", "“"+field+"” cannot be changed this way.")
	}
	if err != nil {
		return err
	}
	if *target == value {
		return Refuse(CodeAlreadyDone, "没有任何改动。", "Nothing was changed.")
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
	if err := required("reason", reason, "取消原因", "reason for cancelling"); err != nil {
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
