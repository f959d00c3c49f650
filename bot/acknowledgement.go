package bot

import (
	"slices"
	"strings"
	"time"
)

// Acknowledgement is one assisting department's answer to the request
// (对接确认): accept with scope, resources and risks; decline with a
// reason and an alternative; or ask for more information.
type Acknowledgement struct {
	Department string    `json:"department"`
	Contact    PersonID  `json:"contact"`
	Status     AckStatus `json:"status"`
	AskedAt    time.Time `json:"asked_at"` // the acknowledgement deadline counts from here
	By         PersonID  `json:"by,omitempty"`
	At         time.Time `json:"at,omitzero"`

	Scope       string `json:"scope,omitempty"`       // 承接范围
	Resources   string `json:"resources,omitempty"`   // 资源需求
	Risks       string `json:"risks,omitempty"`       // 风险提示
	Reason      string `json:"reason,omitempty"`      // 原因
	Alternative string `json:"alternative,omitempty"` // 替代方案
	Question    string `json:"question,omitempty"`    // 需补充的信息
	Answer      string `json:"answer,omitempty"`      // the requester's reply to Question
}

// Answer is what a department contact says to a request.
type Answer struct {
	Decision    AckStatus
	Scope       string
	Resources   string
	Risks       string
	Reason      string
	Alternative string
	Question    string
	// RiskID numbers the register entry made for Risks; the store assigns
	// it beforehand, as for every new record.
	RiskID RiskID
}

func (c *Collaboration) ack(dept string) *Acknowledgement {
	for i := range c.Acks {
		if c.Acks[i].Department == dept {
			return &c.Acks[i]
		}
	}
	return nil
}

// Ack returns the acknowledgement of dept.
func (c *Collaboration) Ack(dept string) (Acknowledgement, bool) {
	if a := c.ack(dept); a != nil {
		return *a, true
	}
	return Acknowledgement{}, false
}

// answering is dept's acknowledgement, which actor may answer (its
// contact, or whoever speaks for the department) while the record can
// change.
func (c *Collaboration) answering(actor Actor, dept string) (*Acknowledgement, error) {
	if err := c.writable(); err != nil {
		return nil, err
	}
	a := c.ack(dept)
	if a == nil {
		return nil, RefuseField(CodeUnknownDept, "department", "refuse.ack.not_assisting", Args{"department": dept, "ref": c.ID.String()})
	}
	if !c.Decides(actor, dept) {
		if c.Has(StepApproval) {
			return nil, forbidden("refuse.ack.only_head", Args{"department": dept, "head": Who(a.Contact)})
		}
		return nil, forbidden("refuse.ack.only_contact", Args{"department": dept, "contact": Who(a.Contact)})
	}
	return a, nil
}

// Decides reports whether actor answers for dept: its contact or its
// head, or, where the type has the approval step, its head alone. A loan
// commits the department's people, equipment or budget, so being named
// its contact (by the borrower, or in records made before contacts of
// such types were fixed) does not make someone its approver.
func (c *Collaboration) Decides(actor Actor, dept string) bool {
	if c.Has(StepApproval) {
		return actor.Heads(dept)
	}
	return c.SpeaksFor(actor, dept)
}

// Acknowledge records a department's answer. Risks named on acceptance go
// to the requester and coordinator; when the last department accepts, the
// collaboration becomes active.
func (c *Collaboration) Acknowledge(actor Actor, dept string, ans Answer, now time.Time) error {
	a, err := c.answering(actor, dept)
	if err != nil {
		return err
	}
	if c.Status != StatusAwaitingAck && c.Status != StatusActive {
		return wrongState(c.Status, "refuse.ack.not_waiting", nil)
	}
	switch a.Status {
	case AckAccepted:
		return Refuse(CodeAlreadyDone, "refuse.ack.already_answered", Args{"department": dept, "at": stamp(a.At, now.Location()), "status": a.Status.LabelText()})
	case AckDeclined:
		if ans.Decision == AckAccepted && (c.Has(StepApproval) || a.By == actor.Person) {
			// Who declined may take it back and accept: a loan's head,
			// whose decision it is alone (nobody else can be asked), and
			// a contact who declined by mistake. The requester hears of
			// the acceptance; the decline stays on the timeline.
			c.record(now, actor.Person, "decline_withdrawn", dept, "")
			break
		}
		// Anyone else's decline is undone by the requester, who asks the
		// department anew: its contact named again, or an edit.
		key := "refuse.ack.already_declined"
		if a.By == actor.Person {
			key = "refuse.ack.already_declined_own" // he may still accept
		}
		return Refuse(CodeAlreadyDone, key, Args{"department": dept, "at": stamp(a.At, now.Location()),
			"status": a.Status.LabelText(), "requester": Who(c.Requester), "ref": c.ID.String()})
	}
	switch ans.Decision {
	case AckAccepted:
		if err := firstError(
			limit("scope", ans.Scope, "refuse.label.scope"),
			limit("resources", ans.Resources, "refuse.label.resources"),
			limit("risks", ans.Risks, "refuse.label.risks"),
		); err != nil {
			return err
		}
		if strings.TrimSpace(ans.Risks) != "" && ans.RiskID <= 0 {
			return Refuse(CodeInvalid, "refuse.ack.missing_risk_id", nil)
		}
		a.Scope, a.Resources, a.Risks = strings.TrimSpace(ans.Scope), strings.TrimSpace(ans.Resources), strings.TrimSpace(ans.Risks)
	case AckDeclined:
		if err := required("reason", ans.Reason, "refuse.label.reason"); err != nil {
			return err
		}
		if err := required("alternative", ans.Alternative, "refuse.label.alternative"); err != nil {
			return err
		}
		a.Reason, a.Alternative = strings.TrimSpace(ans.Reason), strings.TrimSpace(ans.Alternative)
	case AckNeedsInfo:
		if err := required("question", ans.Question, "refuse.label.question"); err != nil {
			return err
		}
		a.Question = strings.TrimSpace(ans.Question)
	default:
		return RefuseField(CodeInvalid, "decision", "refuse.ack.choose_decision", nil)
	}
	a.Status, a.By, a.At = ans.Decision, actor.Person, now
	note := map[AckStatus]string{AckAccepted: a.Scope, AckDeclined: a.Reason, AckNeedsInfo: a.Question}[ans.Decision]
	c.record(now, actor.Person, "ack_"+string(ans.Decision), dept, note)
	// The notice carries what the answer said, as it was then.
	params := map[string]string{"department": dept, "reason": a.Reason, "alternative": a.Alternative, "question": a.Question,
		"scope": a.Scope, "resources": a.Resources, "risks": a.Risks, "by": string(actor.Person), "contact": string(a.Contact)}
	// The contact hears when the head answered for the department.
	c.notify(now, actor.Person, "ack_"+string(ans.Decision), dept, params, c.Requester, c.Coordinator, a.Contact)
	if ans.Decision == AckAccepted && a.Risks != "" {
		// Resource conflicts and risks seen on acceptance go into the
		// register, so they get an owner and the 24 h response timer.
		r := &Risk{ID: ans.RiskID, Description: a.Risks, Source: "ack/" + dept,
			Severity: SeverityMedium, Department: dept, Owner: a.Contact, Status: RiskOpen,
			RaisedBy: actor.Person, RaisedAt: now}
		c.Risks = append(c.Risks, r)
		c.record(now, actor.Person, "risk_raised", r.ID.String(), r.Description)
		c.notify(now, actor.Person, "risk_raised_on_ack", r.ID.String(), map[string]string{"department": dept, "description": r.Description}, c.Coordinator, r.Owner)
	}
	c.activateIfAllAccepted(actor.Person, now)
	return nil
}

// AnswerQuestion gives a department the information it asked for and
// puts its acknowledgement back to pending, with a fresh deadline.
func (c *Collaboration) AnswerQuestion(actor Actor, dept, answer string, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	a := c.ack(dept)
	if a != nil && c.readQuestionOpen(a) {
		return c.answerReadQuestion(actor, a, answer, now)
	}
	if a == nil || a.Status != AckNeedsInfo {
		return Refuse(CodeWrongState, "refuse.ack.no_question", Args{"department": dept})
	}
	if !c.isRequester(actor) && !c.isCoordinator(actor) {
		return forbidden("refuse.ack.only_requester_answers", nil)
	}
	if err := required("answer", answer, "refuse.label.answer"); err != nil {
		return err
	}
	a.Answer = strings.TrimSpace(answer)
	a.Status, a.AskedAt, a.By, a.At = AckPending, now, "", time.Time{}
	c.record(now, actor.Person, "info_supplied", dept, a.Answer)
	c.notify(now, actor.Person, "info_supplied", dept, map[string]string{"department": dept, "question": a.Question, "answer": a.Answer}, a.Contact)
	return nil
}

// DropDepartment removes an assisting department that declined, once the
// requester or coordinator has taken up its alternative some other way.
// Its contact is told; when every remaining department has accepted, the
// collaboration becomes active.
func (c *Collaboration) DropDepartment(actor Actor, dept string, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isCoordinator(actor) && !c.isRequester(actor) {
		return forbidden("refuse.ack.only_coordinator_drops", nil)
	}
	a := c.ack(dept)
	if a == nil {
		return RefuseField(CodeUnknownDept, "department", "refuse.ack.not_assisting", Args{"department": dept, "ref": c.ID.String()})
	}
	if a.Status != AckDeclined {
		return Refuse(CodeWrongState, "refuse.ack.drop_only_declined", Args{"ref": c.ID.String()})
	}
	if len(c.Acks) == 1 {
		return Refuse(CodeWrongState, "refuse.ack.drop_only_department", Args{"ref": c.ID.String()})
	}
	contact, reason := a.Contact, a.Reason
	c.Acks = slices.DeleteFunc(c.Acks, func(x Acknowledgement) bool { return x.Department == dept })
	c.Request.Departments = slices.DeleteFunc(c.Request.Departments, func(x Assignment) bool { return x.Department == dept })
	c.record(now, actor.Person, "department_dropped", dept, reason)
	c.notify(now, actor.Person, "department_released", dept, map[string]string{"department": dept}, contact)
	c.activateIfAllAccepted(actor.Person, now)
	return nil
}

func (c *Collaboration) activateIfAllAccepted(actor PersonID, now time.Time) {
	if c.Status != StatusAwaitingAck || len(c.Acks) == 0 {
		return
	}
	for _, a := range c.Acks {
		if a.Status != AckAccepted {
			return
		}
	}
	c.Status = StatusActive
	c.ActivatedAt = now
	c.record(now, actor, "activated", c.ID.String(), "")
	c.notifyGroup(now, "activated", c.ID.String(), nil)
}

// PendingAcks lists the departments that still owe an answer.
func (c *Collaboration) PendingAcks() []Acknowledgement {
	var out []Acknowledgement
	for _, a := range c.Acks {
		if a.Status == AckPending {
			out = append(out, a)
		}
	}
	return out
}
