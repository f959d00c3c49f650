package bot

import (
	"slices"
	"time"
)

// Task assignment confirmation (seed 001: 负责人确认后系统自动向任务执行人发送待办
// 提醒). Switched on, a task planned for a department goes first to that
// department's head, who confirms it or hands it to another person of the
// department (optionally with another due date); only then is the
// executor told and the task becomes todo.

// AssignConfirmation is the head's confirmation of a task's assignment.
type AssignConfirmation struct {
	Head    PersonID  `json:"head"`     // who must confirm
	AskedBy PersonID  `json:"asked_by"` // who planned the task
	AskedAt time.Time `json:"asked_at"` // the confirmation deadline counts from here
	By      PersonID  `json:"by,omitempty"`
	At      time.Time `json:"at,omitzero"`
	// From and To are the owner planned and the owner confirmed; they
	// differ when the head reassigned it. DueFrom is the planned due date
	// when the head changed it.
	From    PersonID  `json:"from,omitempty"`
	To      PersonID  `json:"to,omitempty"`
	DueFrom time.Time `json:"due_from,omitzero"`
}

// Reassigned reports whether the head gave the task to someone else.
func (c *AssignConfirmation) Reassigned() bool { return c != nil && c.To != "" && c.To != c.From }

// Awaiting reports whether the task waits for its head's confirmation.
func (t *Task) Awaiting() bool { return t.Status == TaskAwaitingConfirmation }

// Collaboration-level switch values of TaskConfirmation.
const (
	ConfirmOn  = "on"
	ConfirmOff = "off"
)

// ConfirmsTasks says whether new tasks of the collaboration go to their
// department's head first: its own setting, else the workspace's.
func (c *Collaboration) ConfirmsTasks(workspace bool) bool {
	switch c.TaskConfirmation {
	case ConfirmOn:
		return true
	case ConfirmOff:
		return false
	}
	return workspace
}

// SetTaskConfirmation switches the head's confirmation of new tasks for
// this collaboration: the coordinator decides how the plan is run.
func (c *Collaboration) SetTaskConfirmation(actor Actor, on bool, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isCoordinator(actor) {
		return forbidden("refuse.task.only_coordinator_switches", nil)
	}
	v := ConfirmOff
	if on {
		v = ConfirmOn
	}
	if c.TaskConfirmation == v {
		return Refuse(CodeAlreadyDone, "refuse.edit.nothing_changed", nil)
	}
	c.TaskConfirmation = v
	c.record(now, actor.Person, "task_confirmation_switched", c.ID.String(), v)
	return nil
}

// AddTaskForConfirmation plans a task as AddTask does, but it waits for
// its department head's confirmation before the owner hears of it.
func (c *Collaboration) AddTaskForConfirmation(dir *Directory, actor Actor, t Task, now time.Time) error {
	if err := c.AddTask(dir, actor, t, now); err != nil {
		return err
	}
	c.askHead(dir, actor, c.Tasks[len(c.Tasks)-1], now)
	return nil
}

// AskHeads sends tasks planned a moment ago by other means (the action
// items of minutes) to their department heads first, as
// AddTaskForConfirmation does for a task planned on its own: seed 001
// asks the head's confirmation of every task, wherever it came from.
// It reports the tasks that now wait for a head.
func (c *Collaboration) AskHeads(dir *Directory, actor Actor, ids []TaskID, now time.Time) []TaskID {
	var asked []TaskID
	for _, id := range ids {
		t, err := c.Task(id)
		if err != nil || t.Status != TaskTodo || t.Confirmation != nil {
			continue
		}
		if c.askHead(dir, actor, t, now) {
			asked = append(asked, id)
		}
	}
	return asked
}

// askHead holds a task just planned for its department head's answer. A
// head planning their own department's task has confirmed it already,
// and a department without a head has nobody to ask.
func (c *Collaboration) askHead(dir *Directory, actor Actor, added *Task, now time.Time) bool {
	head := PersonID("")
	if d, ok := dir.Department(added.Department); ok {
		head = d.Head
	}
	if head == "" || actor.Heads(added.Department) || head == actor.Person {
		return false
	}
	// Planning told the owner and collaborators; the head answers first.
	c.pending.notices = slices.DeleteFunc(c.pending.notices, func(n Notice) bool {
		return n.Subject == added.ID.String() && (n.Kind == "task_assigned" || n.Kind == "task_collaborator")
	})
	added.Status = TaskAwaitingConfirmation
	added.Confirmation = &AssignConfirmation{Head: head, AskedBy: actor.Person, AskedAt: now, From: added.Owner}
	c.record(now, actor.Person, "task_confirmation_requested", added.ID.String(), string(head))
	c.notify(now, actor.Person, "task_confirmation_requested", added.ID.String(),
		map[string]string{"title": added.Title, "due": added.Due.Format(time.RFC3339), "owner": string(added.Owner), "department": added.Department}, head)
	return true
}

// confirmable finds a task waiting for the actor's confirmation: its
// department's head's, or the coordinator's, to whom it is escalated.
func (c *Collaboration) confirmable(actor Actor, id TaskID) (*Task, error) {
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	t, err := c.Task(id)
	if err != nil {
		return nil, err
	}
	if !t.Awaiting() || t.Confirmation == nil {
		return nil, Refuse(CodeAlreadyDone, "refuse.task.not_awaiting_confirmation", Args{"task": id.String(), "status": t.Status.LabelText()})
	}
	if actor.Person != t.Confirmation.Head && !actor.Heads(t.Department) && !c.isCoordinator(actor) {
		return nil, forbidden("refuse.task.only_head_confirms", Args{"task": id.String(), "department": t.Department})
	}
	return t, nil
}

// ConfirmTask is the head's confirmation: the owner planned is told now.
func (c *Collaboration) ConfirmTask(actor Actor, id TaskID, now time.Time) error {
	t, err := c.confirmable(actor, id)
	if err != nil {
		return err
	}
	c.confirm(actor.Person, t, now)
	return nil
}

// ReassignOnConfirm is the head handing the task to another person of
// the department, optionally with another due date, as they confirm it.
func (c *Collaboration) ReassignOnConfirm(dir *Directory, actor Actor, id TaskID, owner PersonID, due time.Time, now time.Time) error {
	t, err := c.confirmable(actor, id)
	if err != nil {
		return err
	}
	if owner == "" {
		return RefuseField(CodeRequired, "owner", "refuse.task.reassign_needs_person", Args{"task": id.String()})
	}
	if _, ok := dir.Person(owner); !ok {
		return unknownPerson("owner", owner)
	}
	if !slices.Contains(dir.DepartmentsOf(owner), t.Department) {
		return RefuseField(CodeInvalid, "owner", "refuse.task.reassign_outside_department", Args{"owner": Who(owner), "department": t.Department})
	}
	if !due.IsZero() {
		if err := FutureDue("due", due, now); err != nil {
			return err
		}
	}
	var changes []Change
	changes = changed(changes, "owner", string(t.Owner), string(owner))
	if !due.IsZero() && !due.Equal(t.Due) {
		changes = changed(changes, "due", stamp(t.Due, now.Location()), stamp(due, now.Location()))
		t.Confirmation.DueFrom = t.Due
		t.Due = due
	}
	t.Owner = owner
	if len(changes) > 0 {
		c.record(now, actor.Person, "task_reassigned", id.String(), changeNote(changes))
	}
	c.confirm(actor.Person, t, now)
	return nil
}

func (c *Collaboration) confirm(actor PersonID, t *Task, now time.Time) {
	cf := t.Confirmation
	cf.By, cf.At, cf.To = actor, now, t.Owner
	t.Status, t.UpdatedAt, t.AssignedAt = TaskTodo, now, now
	c.record(now, actor, "task_confirmed", t.ID.String(), string(t.Owner))
	params := map[string]string{"title": t.Title, "due": t.Due.Format(time.RFC3339)}
	c.notify(now, actor, "task_assigned", t.ID.String(), params, t.Owner)
	c.notify(now, actor, "task_collaborator", t.ID.String(), params, t.Collaborators...)
	c.notify(now, actor, "task_confirmed", t.ID.String(), map[string]string{"title": t.Title, "owner": string(t.Owner),
		"from": string(cf.From), "due": t.Due.Format(time.RFC3339)}, except(t.Owner, cf.AskedBy)...)
}
