package bot

import (
	"slices"
	"strings"
	"time"
)

// Request is the 5W1H collaboration request form (协作需求表).
type Request struct {
	Topic        string       `json:"topic"`                  // 协作主题
	Goal         string       `json:"goal"`                   // 协作背景与目标
	Departments  []Assignment `json:"departments"`            // 需协助部门/对接人
	Requirements string       `json:"requirements"`           // 具体需求描述
	Deliverables string       `json:"deliverables,omitempty"` // 交付物
	Standard     string       `json:"standard,omitempty"`     // 交付标准
	Due          time.Time    `json:"due"`                    // 期望完成时间
	Scope        string       `json:"scope,omitempty"`        // 涉及场景/系统
	Cadence      string       `json:"cadence,omitempty"`      // 协同方式与频次
	Risks        string       `json:"risks,omitempty"`        // 风险提示与应对预案
	Coordinator  PersonID     `json:"coordinator,omitempty"`  // 总协调人
	// Extra holds the answers to fields a deployment added to the request
	// template, by field key, and ExtraLabels their labels as the form
	// showed them, so the record reads the same after the template changes.
	Extra       map[string]string `json:"extra,omitempty"`
	ExtraLabels map[string]Text   `json:"extra_labels,omitempty"`

	// The fields of the other collaboration types (types.go).
	Resource *Resource `json:"resource,omitempty"` // 资源协调申请
	Problem  string    `json:"problem,omitempty"`  // 问题描述
	Impact   string    `json:"impact,omitempty"`   // 影响范围
	Content  string    `json:"content,omitempty"`  // 同步内容
}

// Assignment is an assisting department and the person who answers for it.
type Assignment struct {
	Department string   `json:"department"`
	Contact    PersonID `json:"contact"`
}

// Collaboration is one cross-department collaboration from request to
// archive, with everything that happened in it. It is the unit the store
// loads and saves in one transaction.
type Collaboration struct {
	ID        CollabID     `json:"id"`
	Workspace Workspace    `json:"workspace"`
	Version   int          `json:"version"` // bumped by every save; guards against lost updates
	Status    CollabStatus `json:"status"`
	// Type is the collaboration type (types.go); empty is a project, as
	// every collaboration filed before types existed. Steps are the
	// type's steps as they were at filing.
	Type           string   `json:"type,omitempty"`
	Steps          []string `json:"steps,omitempty"`
	Request        Request  `json:"request"`
	Requester      PersonID `json:"requester"`
	RequestingDept string   `json:"requesting_department"`
	Coordinator    PersonID `json:"coordinator"`
	// Group is the chat where the collaboration is discussed, as the
	// adapter that created it names it ("slack:C0123", "dingtalk:cid…").
	Group string `json:"group,omitempty"`

	Acks          []Acknowledgement `json:"acknowledgements"`
	Reviews       []Review          `json:"reviews,omitempty"`
	Meetings      []*Meeting        `json:"meetings,omitempty"`
	Tasks         []*Task           `json:"tasks,omitempty"`
	Risks         []*Risk           `json:"risks,omitempty"`
	Deliveries    []Delivery        `json:"deliveries,omitempty"`
	Acceptances   []Acceptance      `json:"acceptances,omitempty"`
	Retrospective *Retrospective    `json:"retrospective,omitempty"`
	Returned      *Return           `json:"returned,omitempty"`   // a resource's return
	Resolution    *Resolution       `json:"resolution,omitempty"` // a problem's root cause and fix

	// Reminders are this collaboration's own timer settings, by timer
	// name: "off" or a value; a timer not named follows the workspace.
	Reminders map[string]string `json:"reminders,omitempty"`
	// TaskConfirmation is "on" or "off" when the coordinator switched the
	// head's confirmation of new tasks for this collaboration; empty
	// follows the workspace.
	TaskConfirmation string `json:"task_confirmation,omitempty"`
	// Switches are the coordinator's switches of optional steps
	// (steps.go), "on" or "off" by step; a step not named follows the
	// workspace.
	Switches map[string]string `json:"step_switches,omitempty"`
	// Consensus is the goal consensus letter and its signatures, and
	// PlanApproval the departments' plans and their decisions, when the
	// collaboration runs those steps.
	Consensus    *Consensus    `json:"consensus,omitempty"`
	PlanApproval *PlanApproval `json:"plan_approval,omitempty"`

	CreatedAt   time.Time `json:"created_at"`
	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	ActivatedAt time.Time `json:"activated_at,omitzero"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`

	pending changes
}

// Review is the optional first review (需求初审) by the requesting
// department's head.
type Review struct {
	By       PersonID  `json:"by"`
	At       time.Time `json:"at"`
	Approved bool      `json:"approved"`
	Comments string    `json:"comments,omitempty"`
}

// draft is the collaboration a checked request with resolved departments
// makes, whatever its type: the coordinator (the requester unless named)
// is someone the directory knows, and the requesting department is not
// among those asked to assist.
func draft(dir *Directory, id CollabID, actor Actor, req Request, now time.Time) (*Collaboration, error) {
	if req.Coordinator == "" {
		req.Coordinator = actor.Person
	} else if _, ok := dir.Person(req.Coordinator); !ok {
		return nil, unknownPerson("coordinator", req.Coordinator)
	}
	requesting := actor.PrimaryDepartment()
	for _, a := range req.Departments {
		if a.Department == requesting {
			return nil, RefuseField(CodeInvalid, "departments", "refuse.request.assisting_is_requesting", Args{"requesting": requesting})
		}
	}
	return &Collaboration{
		ID: id, Workspace: dir.Workspace, Status: StatusDraft, Request: req,
		Requester: actor.Person, RequestingDept: requesting, Coordinator: req.Coordinator,
		CreatedAt: now,
	}, nil
}

// NewCollaboration drafts a collaboration from a filled-in request. The
// store assigns id beforehand so that notices can name it. Departments are
// resolved by name or alias; a department without a named contact gets its
// configured default contact.
func NewCollaboration(dir *Directory, id CollabID, actor Actor, req Request, now time.Time) (*Collaboration, error) {
	if id <= 0 {
		return nil, Refuse(CodeInvalid, "refuse.request.missing_id", nil)
	}
	req.Topic = strings.TrimSpace(req.Topic)
	if err := required("topic", req.Topic, "refuse.label.topic"); err != nil {
		return nil, err
	}
	if err := required("goal", req.Goal, "refuse.label.goal"); err != nil {
		return nil, err
	}
	if err := required("requirements", req.Requirements, "refuse.label.requirements"); err != nil {
		return nil, err
	}
	if err := FutureDue("due", req.Due, now); err != nil {
		return nil, err
	}
	depts, err := resolveAssignments(dir, req.Departments)
	if err != nil {
		return nil, err
	}
	req.Departments = depts
	c, err := draft(dir, id, actor, req, now)
	if err != nil {
		return nil, err
	}
	c.record(now, actor.Person, "drafted", c.ID.String(), req.Topic)
	return c, nil
}

func resolveAssignments(dir *Directory, in []Assignment) ([]Assignment, error) {
	if len(in) == 0 {
		return nil, RefuseField(CodeRequired, "departments", "refuse.request.no_assisting", nil)
	}
	var out []Assignment
	for _, a := range in {
		dept, err := dir.ResolveDepartment(a.Department)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(out, func(x Assignment) bool { return x.Department == dept.Name }) {
			continue // the same department named twice, e.g. by name and alias
		}
		contact := a.Contact
		if contact == "" {
			contact = dept.Contact
		}
		if contact == "" {
			contact = dept.Head
		}
		if _, ok := dir.Person(contact); !ok {
			return nil, unknownPerson("contacts", contact)
		}
		if err := memberOf(dir, "contacts", contact, dept.Name); err != nil {
			return nil, err
		}
		out = append(out, Assignment{Department: dept.Name, Contact: contact})
	}
	return out, nil
}

// memberOf refuses a contact who does not belong to the department: only
// its own people may commit its resources.
func memberOf(dir *Directory, field string, p PersonID, dept string) error {
	if slices.Contains(dir.DepartmentsOf(p), dept) {
		return nil
	}
	return RefuseField(CodeInvalid, field, "refuse.request.contact_not_in_department", Args{"person": Who(p), "department": dept})
}

// Submit sends a draft (or a rejected request after editing) on its way:
// to the requesting department's head for first review when that
// department has review switched on, otherwise straight to the assisting
// departments for acknowledgement.
func (c *Collaboration) Submit(dir *Directory, actor Actor, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isRequester(actor) && !c.isCoordinator(actor) {
		return forbidden("refuse.request.only_requester_submits", nil)
	}
	if c.Status != StatusDraft && c.Status != StatusRejected {
		return wrongState(c.Status, "refuse.request.not_submittable", nil)
	}
	if err := FutureDue("due", c.Request.Due, now); err != nil {
		return err
	}
	c.SubmittedAt = now
	if dept, ok := dir.Department(c.RequestingDept); ok && dept.Review && dept.Head != "" && dept.Head != actor.Person && c.Has(StepReview) {
		c.Status = StatusInReview
		c.record(now, actor.Person, "submitted_for_review", c.ID.String(), "")
		c.notify(now, actor.Person, "review_requested", c.ID.String(), nil, dept.Head)
		return nil
	}
	c.askDepartments(actor.Person, now)
	return nil
}

// askDepartments opens (or re-opens) acknowledgement by every assisting
// department and tells their contacts.
func (c *Collaboration) askDepartments(actor PersonID, now time.Time) {
	c.Status = StatusAwaitingAck
	c.Acks = c.Acks[:0]
	for _, a := range c.Request.Departments {
		c.Acks = append(c.Acks, Acknowledgement{Department: a.Department, Contact: a.Contact,
			Status: AckPending, AskedAt: now})
		c.notify(now, actor, "ack_requested", a.Department, map[string]string{"department": a.Department}, a.Contact)
	}
	c.record(now, actor, "submitted", c.ID.String(), "")
	c.notifyGroup(now, "request_submitted", c.ID.String(), nil)
}

// Review records the requesting department head's first review (需求初审).
// A rejection needs comments, so the requester knows what to change.
func (c *Collaboration) Review(dir *Directory, actor Actor, approve bool, comments string, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if c.Status != StatusInReview {
		return c.notInReview(now)
	}
	if !actor.Heads(c.RequestingDept) {
		dept, _ := dir.Department(c.RequestingDept)
		return forbidden("refuse.review.only_head", Args{"department": c.RequestingDept, "head": Who(dept.Head)})
	}
	comments = strings.TrimSpace(comments)
	if !approve {
		if err := required("comments", comments, "refuse.label.review_comments"); err != nil {
			return err
		}
	}
	c.Reviews = append(c.Reviews, Review{By: actor.Person, At: now, Approved: approve, Comments: comments})
	if !approve {
		c.Status = StatusRejected
		c.record(now, actor.Person, "review_rejected", c.ID.String(), comments)
		c.notify(now, actor.Person, "review_rejected", c.ID.String(), map[string]string{"comments": comments}, c.Requester, c.Coordinator)
		return nil
	}
	c.record(now, actor.Person, "review_approved", c.ID.String(), comments)
	c.askDepartments(actor.Person, now)
	return nil
}

// notInReview refuses a review once the request has left first review.
// After an approval it says who approved it and when, and, while the
// departments have not all answered, that the request can still be
// edited or cancelled: the way out of a hasty one-click approval.
func (c *Collaboration) notInReview(now time.Time) error {
	n := len(c.Reviews)
	if n == 0 || !c.Reviews[n-1].Approved {
		return wrongState(c.Status, "refuse.review.not_in_review", nil)
	}
	r := c.Reviews[n-1]
	args := Args{"ref": c.ID.String(), "by": Who(r.By), "at": stamp(r.At, now.Location())}
	if c.Status == StatusAwaitingAck {
		return wrongState(c.Status, "refuse.review.approved_editable", args)
	}
	return wrongState(c.Status, "refuse.review.approved", args)
}

// Cancel stops a collaboration that is not yet closed; the reason is
// required because every department that did work deserves to know why.
func (c *Collaboration) Cancel(actor Actor, reason string, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isRequester(actor) && !c.isCoordinator(actor) {
		return forbidden("refuse.cancel.only_requester", nil)
	}
	if err := required("reason", reason, "refuse.label.cancel_reason"); err != nil {
		return err
	}
	c.Status = StatusCancelled
	c.ClosedAt = now
	c.record(now, actor.Person, "cancelled", c.ID.String(), reason)
	c.notifyGroup(now, "cancelled", c.ID.String(), map[string]string{"reason": reason})
	return nil
}

// Participants are everyone with a role in the collaboration.
func (c *Collaboration) Participants() []PersonID {
	out := []PersonID{c.Requester, c.Coordinator}
	for _, a := range c.Request.Departments {
		out = append(out, a.Contact)
	}
	for _, t := range c.Tasks {
		out = append(out, t.Owner)
		out = append(out, t.Collaborators...)
	}
	for _, m := range c.Meetings {
		out = append(out, m.Organiser)
		out = append(out, m.Attendees...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
