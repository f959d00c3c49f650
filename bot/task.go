package bot

import (
	"slices"
	"strings"
	"time"
)

// Task is one line of the work breakdown (WBS), at most two levels deep.
type Task struct {
	ID            TaskID      `json:"id"`
	Parent        TaskID      `json:"parent,omitempty"` // 上级任务
	Title         string      `json:"title"`            // 任务名称
	Description   string      `json:"description,omitempty"`
	Department    string      `json:"department"`              // 责任部门
	Role          DeptRole    `json:"role"`                    // 主责/配合
	Owner         PersonID    `json:"owner"`                   // 直接责任人
	Collaborators []PersonID  `json:"collaborators,omitempty"` // 协同责任人
	Start         time.Time   `json:"start,omitzero"`
	Due           time.Time   `json:"due"`
	Standard      string      `json:"standard,omitempty"` // 交付标准
	Status        TaskStatus  `json:"status"`
	StatusNote    string      `json:"status_note,omitempty"` // what help is needed, what blocks it
	Source        string      `json:"source,omitempty"`      // "M-2" when it came from a meeting's action items
	Risks         []RiskID    `json:"risks,omitempty"`       // issues that moved it
	DueRequest    *DueRequest `json:"due_request,omitempty"` // the owner's pending 申请调整计划
	// Confirmation is the department head's confirmation of the
	// assignment, when the collaboration asks for one.
	Confirmation *AssignConfirmation `json:"confirmation,omitempty"`
	CreatedAt    time.Time           `json:"created_at"`
	UpdatedAt    time.Time           `json:"updated_at"`
	DoneAt       time.Time           `json:"done_at,omitzero"`
	// AssignedAt is when the present owner was told the task is theirs
	// (created, handed over, confirmed by the head): what was due before
	// it, such as that day's progress request, is not theirs to answer.
	AssignedAt time.Time `json:"assigned_at,omitzero"`
}

// OwnedSince is when the present owner received the task; records from
// before AssignedAt existed count from the task's creation.
func (t *Task) OwnedSince() time.Time {
	if !t.AssignedAt.IsZero() {
		return t.AssignedAt
	}
	return t.CreatedAt
}

// Overdue is the derived 延期: past due and still open.
func (t *Task) Overdue(now time.Time) bool { return t.Open() && now.After(t.Due) }

// Shown is the status a board shows: overdue wins over what was set by hand.
func (t *Task) Shown(now time.Time) TaskStatus {
	if t.Overdue(now) {
		return TaskOverdue
	}
	return t.Status
}

// Stuck reports an open task whose owner said it needs help or is
// blocked. Being overdue as well changes its colour, not that: the
// coordinator still has to act on what the owner asked.
func (t *Task) Stuck() bool {
	return t.Open() && (t.Status == TaskNeedsHelp || t.Status == TaskBlocked)
}

// Open reports whether the task still needs work.
func (t *Task) Open() bool { return t.Status != TaskDone && t.Status != TaskCancelled }

// Task finds a task of this collaboration.
func (c *Collaboration) Task(id TaskID) (*Task, error) {
	for _, t := range c.Tasks {
		if t.ID == id {
			return t, nil
		}
	}
	return nil, notFound(id.String())
}

// AddTask puts a task on the plan. The coordinator plans everything; a
// department's contact or head plans their own department's share.
func (c *Collaboration) AddTask(dir *Directory, actor Actor, t Task, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	if t.Department != "" {
		dept, err := dir.ResolveDepartment(t.Department)
		if err != nil {
			return err
		}
		t.Department = dept.Name
	}
	if !c.isCoordinator(actor) && !c.isRequester(actor) && (t.Department == "" || !c.SpeaksFor(actor, t.Department)) {
		return forbidden("refuse.task.only_assigners", nil)
	}
	if err := c.planGate(t.Department); err != nil {
		return err
	}
	if err := c.checkTask(dir, &t, now, true); err != nil {
		return err
	}
	c.addTask(actor.Person, t, now)
	return nil
}

// checkTask validates a new task and fills its defaults. Action items from
// minutes may come without a department (the owner's) or a standard.
func (c *Collaboration) checkTask(dir *Directory, t *Task, now time.Time, needStandard bool) error {
	if t.ID <= 0 {
		return Refuse(CodeInvalid, "refuse.task.missing_id", nil)
	}
	if _, err := c.Task(t.ID); err == nil {
		return Refuse(CodeConflict, "refuse.task.exists", Args{"task": t.ID.String()})
	}
	t.Title = strings.TrimSpace(t.Title)
	if err := required("title", t.Title, "refuse.label.task_title"); err != nil {
		return err
	}
	if t.Owner == "" {
		return RefuseField(CodeRequired, "owner", "refuse.task.no_owner", nil)
	}
	if _, ok := dir.Person(t.Owner); !ok {
		return unknownPerson("owner", t.Owner)
	}
	for _, p := range t.Collaborators {
		if _, ok := dir.Person(p); !ok {
			return unknownPerson("collaborators", p)
		}
	}
	if t.Department == "" {
		for _, d := range dir.DepartmentsOf(t.Owner) {
			if c.hasDepartment(d) {
				t.Department = d
				break
			}
		}
	}
	if t.Department == "" || !c.hasDepartment(t.Department) {
		return RefuseField(CodeUnknownDept, "department", "refuse.task.department_not_involved", nil)
	}
	if err := ownerIn(dir, t.Owner, t.Department); err != nil {
		return err
	}
	if err := FutureDue("due", t.Due, now); err != nil {
		return err
	}
	if !t.Start.IsZero() && t.Start.After(t.Due) {
		return RefuseField(CodeInvalid, "start", "refuse.task.starts_after_due", nil)
	}
	if needStandard {
		if err := required("standard", t.Standard, "refuse.label.standard"); err != nil {
			return err
		}
	}
	if t.Parent != 0 {
		parent, err := c.Task(t.Parent)
		if err != nil {
			return err
		}
		if parent.Parent != 0 {
			return RefuseField(CodeInvalid, "parent", "refuse.task.two_levels", Args{"parent": parent.ID.String()})
		}
	}
	if t.Role == "" {
		t.Role = RoleLead
	}
	return nil
}

// ownerIn refuses a direct owner known to belong to other departments
// than the one responsible: the department's head is escalated to about
// the task and its contact chased, so its owner must be theirs. Someone
// from elsewhere helps as a collaborator (协同责任人). A person whose
// department nobody knows yet is not refused.
func ownerIn(dir *Directory, owner PersonID, dept string) error {
	depts := dir.DepartmentsOf(owner)
	if len(depts) == 0 || slices.Contains(depts, dept) {
		return nil
	}
	return RefuseField(CodeInvalid, "owner", "refuse.task.owner_elsewhere",
		Args{"owner": Who(owner), "department": dept, "theirs": depts[0]})
}

func (c *Collaboration) addTask(actor PersonID, t Task, now time.Time) {
	t.Collaborators = uniquePeople(t.Collaborators) // a copy: the record must not share memory with the caller
	t.Status, t.CreatedAt, t.UpdatedAt, t.AssignedAt = TaskTodo, now, now, now
	if t.Start.IsZero() {
		t.Start = now
	}
	c.Tasks = append(c.Tasks, &t)
	c.record(now, actor, "task_added", t.ID.String(), t.Title)
	params := map[string]string{"title": t.Title, "due": t.Due.Format(time.RFC3339)}
	c.notify(now, actor, "task_assigned", t.ID.String(), params, t.Owner)
	c.notify(now, actor, "task_collaborator", t.ID.String(), params, t.Collaborators...)
}

// SetTaskStatus moves a task. Asking for help or reporting a block needs a
// note saying what is needed; only the owner or the coordinator can call a
// task done, and a parent only once its sub-tasks are.
func (c *Collaboration) SetTaskStatus(actor Actor, id TaskID, status TaskStatus, note string, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	t, err := c.checkStatus(actor, id, status, note)
	if err != nil {
		return err
	}
	c.setStatus(actor.Person, t, status, note, now)
	return nil
}

func (c *Collaboration) checkStatus(actor Actor, id TaskID, status TaskStatus, note string) (*Task, error) {
	t, err := c.Task(id)
	if err != nil {
		return nil, err
	}
	if t.Status == TaskCancelled {
		return nil, Refuse(CodeWrongState, "refuse.task.cancelled", Args{"task": id.String()})
	}
	if t.Awaiting() {
		return nil, Refuse(CodeWrongState, "refuse.task.awaiting_confirmation", Args{"task": id.String()})
	}
	owner := actor.Person == t.Owner || c.isCoordinator(actor)
	if !owner && !slices.Contains(t.Collaborators, actor.Person) {
		return nil, forbidden("refuse.task.only_owner_updates", Args{"task": id.String()})
	}
	if status == TaskInProgress || status == TaskDone {
		if err := c.planGate(t.Department); err != nil {
			return nil, err
		}
	}
	switch status {
	case TaskTodo, TaskInProgress:
	case TaskNeedsHelp, TaskBlocked:
		if err := required("note", note, "refuse.label.help_needed"); err != nil {
			return nil, err
		}
	case TaskDone:
		if !owner {
			return nil, forbidden("refuse.task.only_owner_completes", nil)
		}
		for _, sub := range c.Tasks {
			if sub.Parent == id && sub.Open() {
				return nil, Refuse(CodeWrongState, "refuse.task.sub_task_open", Args{"sub_task": sub.ID.String()})
			}
		}
	case TaskCancelled:
		return nil, RefuseField(CodeInvalid, "status", "refuse.task.cancel_hint", Args{"task": id.String()})
	default:
		if _, err := ParseTaskStatus(string(status)); err != nil {
			return nil, err
		}
		return nil, RefuseField(CodeInvalid, "status", "refuse.task.status_by_hand", Args{"status": string(status)})
	}
	return t, limit("note", note, "refuse.label.note")
}

func (c *Collaboration) setStatus(actor PersonID, t *Task, status TaskStatus, note string, now time.Time) {
	note = strings.TrimSpace(note)
	if status == t.Status && note == t.StatusNote {
		return // repeating a status in a daily update is not news
	}
	t.Status, t.StatusNote, t.UpdatedAt = status, note, now
	t.DoneAt = time.Time{}
	if status == TaskDone {
		t.DoneAt = now
	}
	c.record(now, actor, "task_"+string(status), t.ID.String(), note)
	if status == TaskNeedsHelp || status == TaskBlocked {
		c.notify(now, actor, "task_"+string(status), t.ID.String(), map[string]string{"note": note, "title": t.Title},
			c.Coordinator, c.contactOf(t.Department))
	}
}

// OpenTasksOf lists the open tasks a person owns; one still waiting
// for its head's confirmation is not theirs yet.
// JudgedAt is the moment lateness is judged at: now while the
// collaboration runs, the moment it closed once archived or cancelled, so
// a closed record reads as it was closed and does not turn red later.
func (c *Collaboration) JudgedAt(now time.Time) time.Time {
	if !c.ClosedAt.IsZero() && c.ClosedAt.Before(now) {
		return c.ClosedAt
	}
	return now
}

// OpenTasks are the tasks neither done nor cancelled.
func (c *Collaboration) OpenTasks() []*Task {
	var out []*Task
	for _, t := range c.Tasks {
		if t.Open() {
			out = append(out, t)
		}
	}
	return out
}

func (c *Collaboration) OpenTasksOf(p PersonID) []*Task {
	var out []*Task
	for _, t := range c.Tasks {
		if t.Owner == p && t.Open() && !t.Awaiting() {
			out = append(out, t)
		}
	}
	return out
}

func appendUnique[T comparable](s []T, v T) []T {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}
