package bot

import (
	"slices"
	"strings"
	"time"
)

// A collaboration type (seed 000 §一: 项目协同推进, 资源协调申请,
// 问题协同解决, 信息同步对齐) is data: the fields its request asks for,
// the steps it runs and the timers it tunes, read from configuration
// (configs/templates/types.yaml). The rules below ask "does this
// collaboration have step X", never "is it of type Y".

// ProjectType is the full process and the type of every collaboration
// filed before types existed.
const ProjectType = "project"

// The steps a type may include. A collaboration keeps the steps of its
// type as they were when it was filed, so a configuration change does not
// rewrite a collaboration half-way.
const (
	StepReview          = "review"          // first review, where the requesting department has it on
	StepAcknowledgement = "acknowledgement" // contacts accept, decline or ask
	StepApproval        = "approval"        // the department's head answers instead of its contact
	StepPlan            = "plan"            // meetings, tasks, progress
	StepAcceptance      = "acceptance"      // delivery and acceptance
	StepRetrospective   = "retrospective"
	StepReturn          = "return"       // a lent resource is returned or its use ends
	StepResolution      = "resolution"   // root cause and fix close a problem
	StepReadReceipt     = "read_receipt" // each department confirms it read and understood
)

// projectSteps are the steps of a collaboration that names none.
var projectSteps = []string{StepReview, StepAcknowledgement, StepSignoff, StepPlanApproval, StepPlan, StepAcceptance, StepRetrospective}

// TypeDef is one collaboration type as configured.
type TypeDef struct {
	Name    string
	Label   Text
	Aliases []string
	// Fields are the request form's fields this type asks for.
	Fields []string
	Steps  []string
	// Timers set the collaboration's own timer settings at filing, as
	// `remind COL-n <timer> <value>` would: "off", "on" or a value.
	Timers map[string]string
}

// Has reports whether the type includes step.
func (t TypeDef) Has(step string) bool { return slices.Contains(t.Steps, step) }

// Asks reports whether the type's request asks for field.
func (t TypeDef) Asks(field string) bool { return slices.Contains(t.Fields, field) }

// Matches reports whether s names the type: its name, a label or an alias.
func (t TypeDef) Matches(s string) bool {
	k := FoldName(s)
	if k == "" {
		return false
	}
	for _, n := range append([]string{t.Name, t.Label.ZH, t.Label.EN}, t.Aliases...) {
		if FoldName(n) == k {
			return true
		}
	}
	return false
}

// TypeName is the collaboration's type; old documents have none.
func (c *Collaboration) TypeName() string {
	if c.Type == "" {
		return ProjectType
	}
	return c.Type
}

// Has reports whether the collaboration runs step.
func (c *Collaboration) Has(step string) bool {
	if len(c.Steps) == 0 {
		return slices.Contains(projectSteps, step)
	}
	return slices.Contains(c.Steps, step)
}

// Resource is what a resource request (资源协调申请) borrows.
type Resource struct {
	Kind       string    `json:"kind"`     // 资源类型: people, equipment, budget
	What       string    `json:"what"`     // 资源需求
	Quantity   string    `json:"quantity"` // 数量
	From       time.Time `json:"from"`     // 使用期限
	Until      time.Time `json:"until"`
	Boundaries string    `json:"boundaries,omitempty"` // 使用边界
}

// Return is the end of a loan: the resource given back, or its use ended.
type Return struct {
	By   PersonID  `json:"by"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// Resolution closes a problem (问题协同解决): its root cause and fix.
type Resolution struct {
	Cause string    `json:"cause"` // 根本原因
	Fix   string    `json:"fix"`   // 解决方案
	By    PersonID  `json:"by"`
	At    time.Time `json:"at"`
}

// Resource kinds, as stored.
var ResourceKinds = []string{"people", "equipment", "budget"}

// NewTyped drafts a collaboration of a type: NewCollaboration's rules for
// the fields the type asks for, plus the type's own (a resource needs what,
// how much and a period that ends after it starts).
func NewTyped(dir *Directory, id CollabID, actor Actor, req Request, t TypeDef, now time.Time) (*Collaboration, error) {
	if t.Name == "" || t.Name == ProjectType {
		c, err := NewCollaboration(dir, id, actor, req, now)
		if err == nil && t.Name != "" {
			c.typed(t)
		}
		return c, err
	}
	if id <= 0 {
		return nil, Refuse(CodeInvalid, "refuse.request.missing_id", nil)
	}
	req.Topic = strings.TrimSpace(req.Topic)
	checks := []error{required("topic", req.Topic, "refuse.label.topic")}
	if t.Asks("goal") {
		checks = append(checks, required("goal", req.Goal, "refuse.label.goal"))
	}
	if t.Asks("requirements") {
		checks = append(checks, required("requirements", req.Requirements, "refuse.label.requirements"))
	}
	if t.Asks("problem") {
		checks = append(checks, required("problem", req.Problem, "refuse.label.problem"))
	}
	if t.Asks("content") {
		checks = append(checks, required("content", req.Content, "refuse.label.content"))
	}
	if t.Asks("resource") {
		checks = append(checks, resourceRules(req.Resource, now))
	}
	if t.Asks("due") {
		checks = append(checks, FutureDue("due", req.Due, now))
	}
	if t.Asks("confirm_by") {
		checks = append(checks, FutureDue("confirm_by", req.Due, now)) // an alignment's deadline is its due date
	}
	if err := firstError(checks...); err != nil {
		return nil, err
	}
	if req.Resource != nil && req.Due.IsZero() {
		req.Due = req.Resource.Until // the loan's end is when it is due back
	}
	depts, err := resolveAssignments(dir, req.Departments)
	if err != nil {
		return nil, err
	}
	if t.Has(StepApproval) {
		// The head commits the department's people, equipment or budget.
		for i, a := range depts {
			if d, ok := dir.Department(a.Department); ok && d.Head != "" {
				depts[i].Contact = d.Head
			}
		}
	}
	req.Departments = depts
	c, err := draft(dir, id, actor, req, now)
	if err != nil {
		return nil, err
	}
	c.typed(t)
	c.record(now, actor.Person, "drafted", c.ID.String(), req.Topic)
	return c, nil
}

// typed stamps the type, its steps and its timer settings on c.
func (c *Collaboration) typed(t TypeDef) {
	c.Type, c.Steps = t.Name, slices.Clone(t.Steps)
	for k, v := range t.Timers {
		if c.Reminders == nil {
			c.Reminders = map[string]string{}
		}
		c.Reminders[k] = v
	}
}

func resourceRules(r *Resource, now time.Time) error {
	if r == nil {
		r = &Resource{}
	}
	if !slices.Contains(ResourceKinds, r.Kind) {
		return RefuseField(CodeRequired, "resource_kind", "refuse.required", Args{"label": Msg{Key: "refuse.label.resource_kind"}})
	}
	if err := firstError(
		required("resource", r.What, "refuse.label.resource"),
		required("quantity", r.Quantity, "refuse.label.quantity"),
		limit("boundaries", r.Boundaries, "refuse.label.boundaries"),
	); err != nil {
		return err
	}
	if r.From.IsZero() {
		return RefuseField(CodeRequired, "start", "refuse.required", Args{"label": Msg{Key: "refuse.label.loan_start"}})
	}
	if err := FutureDue("end", r.Until, now); err != nil {
		return err
	}
	if !r.Until.After(r.From) {
		return RefuseField(CodeInvalid, "end", "refuse.resource.end_before_start",
			Args{"start": r.From.Format("2006-01-02"), "end": r.Until.Format("2006-01-02")})
	}
	return nil
}

// ReturnResource ends a loan (归还): the borrower, the coordinator or the
// lending department's head or contact says the resource is back or its
// use has ended. The collaboration is then done and archived.
func (c *Collaboration) ReturnResource(actor Actor, note string, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.Has(StepReturn) {
		return Refuse(CodeWrongState, "refuse.type.no_step", Args{"ref": c.ID.String(), "step": Msg{Key: "refuse.step.return"}})
	}
	if !c.MayReturn(actor) {
		return forbidden("refuse.return.who", nil)
	}
	if c.Status != StatusActive {
		return wrongState(c.Status, "refuse.return.not_lent", nil)
	}
	if err := limit("note", note, "refuse.label.return_note"); err != nil {
		return err
	}
	c.Returned = &Return{By: actor.Person, At: now, Note: strings.TrimSpace(note)}
	c.record(now, actor.Person, "resource_returned", c.ID.String(), c.Returned.Note)
	c.close(actor.Person, "resource_returned", map[string]string{"note": c.Returned.Note}, now)
	return nil
}

// MayReturn reports whether actor may record a loan's return: the
// borrower, the coordinator, or who speaks for a lending department.
func (c *Collaboration) MayReturn(actor Actor) bool {
	lender := slices.ContainsFunc(c.Request.Departments, func(a Assignment) bool { return c.SpeaksFor(actor, a.Department) })
	return c.isRequester(actor) || c.isCoordinator(actor) || lender
}

// Resolve records a problem's root cause and fix (问题协同解决), which
// closes it: a contact of a responsible department, the requester or the
// coordinator may.
func (c *Collaboration) Resolve(actor Actor, cause, fix string, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.Has(StepResolution) {
		return Refuse(CodeWrongState, "refuse.type.no_step", Args{"ref": c.ID.String(), "step": Msg{Key: "refuse.step.resolution"}})
	}
	responsible := slices.ContainsFunc(c.Request.Departments, func(a Assignment) bool { return c.SpeaksFor(actor, a.Department) })
	if !c.isRequester(actor) && !c.isCoordinator(actor) && !responsible {
		return forbidden("refuse.resolve.who", nil)
	}
	if c.Status != StatusAwaitingAck && c.Status != StatusActive {
		return wrongState(c.Status, "refuse.resolve.not_open", nil)
	}
	if err := firstError(required("cause", cause, "refuse.label.cause"), required("fix", fix, "refuse.label.fix")); err != nil {
		return err
	}
	c.Resolution = &Resolution{Cause: strings.TrimSpace(cause), Fix: strings.TrimSpace(fix), By: actor.Person, At: now}
	c.record(now, actor.Person, "problem_resolved", c.ID.String(), c.Resolution.Fix)
	c.close(actor.Person, "problem_resolved", map[string]string{"cause": c.Resolution.Cause, "fix": c.Resolution.Fix}, now)
	return nil
}

// ConfirmRead records that a department read and understood what is to be
// aligned (信息同步对齐), with its questions if it has any. When the last
// department confirms, the sender gets the read receipts and it closes.
func (c *Collaboration) ConfirmRead(actor Actor, dept, questions string, now time.Time) error {
	if !c.Has(StepReadReceipt) {
		if err := c.writable(); err != nil {
			return err
		}
		return Refuse(CodeWrongState, "refuse.type.no_step", Args{"ref": c.ID.String(), "step": Msg{Key: "refuse.step.read_receipt"}})
	}
	a, err := c.answering(actor, dept)
	if err != nil {
		return err
	}
	if c.Status != StatusAwaitingAck {
		return wrongState(c.Status, "refuse.ack.not_waiting", nil)
	}
	if a.Status == AckAccepted {
		return Refuse(CodeAlreadyDone, "refuse.read.already", Args{"department": dept})
	}
	if err := limit("questions", questions, "refuse.label.questions"); err != nil {
		return err
	}
	a.Status, a.By, a.At, a.Question = AckAccepted, actor.Person, now, strings.TrimSpace(questions)
	c.record(now, actor.Person, "read_confirmed", dept, a.Question)
	c.notify(now, actor.Person, "read_confirmed", dept, map[string]string{"department": dept, "questions": a.Question}, c.Requester)
	c.closeIfAllRead(actor.Person, now)
	return nil
}

// closeIfAllRead closes an alignment once every department confirmed
// reading it and the sender answered every question they asked with it:
// a question is part of understanding, so it is not left behind in an
// archived record.
func (c *Collaboration) closeIfAllRead(actor PersonID, now time.Time) {
	if c.Status != StatusAwaitingAck || len(c.PendingAcks()) > 0 {
		return
	}
	for i := range c.Acks {
		if c.readQuestionOpen(&c.Acks[i]) {
			return
		}
	}
	c.close(actor, "read_summary", nil, now, c.Requester, c.Coordinator)
}

// OpenReadQuestions are the read receipts whose question the sender has
// not answered yet: an alignment waits for them before it closes.
func (c *Collaboration) OpenReadQuestions() []Acknowledgement {
	var out []Acknowledgement
	for i := range c.Acks {
		if c.readQuestionOpen(&c.Acks[i]) {
			out = append(out, c.Acks[i])
		}
	}
	return out
}

// readQuestionOpen reports a read receipt whose question the sender has
// not answered yet.
func (c *Collaboration) readQuestionOpen(a *Acknowledgement) bool {
	return c.Has(StepReadReceipt) && a.Status == AckAccepted && a.Question != "" && a.Answer == ""
}

// answerReadQuestion records the sender's answer to a department's
// question on its read receipt (补充 COL-n 部门 答复) and tells its contact.
func (c *Collaboration) answerReadQuestion(actor Actor, a *Acknowledgement, answer string, now time.Time) error {
	if !c.isRequester(actor) && !c.isCoordinator(actor) {
		return forbidden("refuse.ack.only_requester_answers", nil)
	}
	if err := required("answer", answer, "refuse.label.answer"); err != nil {
		return err
	}
	if err := limit("answer", answer, "refuse.label.answer"); err != nil {
		return err
	}
	a.Answer = strings.TrimSpace(answer)
	c.record(now, actor.Person, "read_answered", a.Department, a.Answer)
	c.notify(now, actor.Person, "read_answered", a.Department,
		map[string]string{"department": a.Department, "question": a.Question, "answer": a.Answer, "by": string(actor.Person)}, a.Contact)
	c.closeIfAllRead(actor.Person, now)
	if c.Status == StatusArchived {
		// The sender closed it by answering: the read receipts are theirs
		// all the same (a notice skips the one acting).
		c.notify(now, "", "read_summary", c.ID.String(), nil, actor.Person)
	}
	return nil
}

// Unread lists the departments that have not confirmed reading.
func (c *Collaboration) Unread() []Acknowledgement { return c.PendingAcks() }

// close ends a collaboration whose type has no acceptance or
// retrospective: it is archived at once and everyone involved is told.
// to defaults to everyone with a role in it.
func (c *Collaboration) close(actor PersonID, kind string, params map[string]string, now time.Time, to ...PersonID) {
	c.Status, c.ClosedAt = StatusArchived, now
	c.record(now, actor, "archived", c.ID.String(), "")
	if len(to) == 0 {
		to = []PersonID{c.Requester, c.Coordinator}
		for _, a := range c.Request.Departments {
			to = append(to, a.Contact)
		}
	}
	c.notify(now, actor, kind, c.ID.String(), params, to...)
}

// typedChanges are the edits of the types' own fields.
func typedChanges(a, b Request, loc *time.Location) []Change {
	var out []Change
	out = changed(out, "problem", a.Problem, b.Problem)
	out = changed(out, "impact", a.Impact, b.Impact)
	out = changed(out, "content", a.Content, b.Content)
	ra, rb := a.Resource, b.Resource
	if ra == nil {
		ra = &Resource{}
	}
	if rb == nil {
		rb = &Resource{}
	}
	out = changed(out, "resource_kind", ra.Kind, rb.Kind)
	out = changed(out, "resource", ra.What, rb.What)
	out = changed(out, "quantity", ra.Quantity, rb.Quantity)
	out = changed(out, "start", stamp(ra.From, loc), stamp(rb.From, loc))
	out = changed(out, "end", stamp(ra.Until, loc), stamp(rb.Until, loc))
	out = changed(out, "boundaries", ra.Boundaries, rb.Boundaries)
	return out
}
