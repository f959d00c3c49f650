package bot

import (
	"slices"
	"strings"
	"time"
)

// Risk is an entry of the issue and risk register (问题单/风险应对记录表).
type Risk struct {
	ID          RiskID     `json:"id"`
	Description string     `json:"description"` // 问题描述
	Impact      string     `json:"impact"`      // 影响范围
	Severity    Severity   `json:"severity"`    // 影响程度
	Due         time.Time  `json:"due,omitzero"`
	Department  string     `json:"department"` // 责任部门
	Owner       PersonID   `json:"owner"`      // 责任人
	Mitigation  string     `json:"mitigation,omitempty"`
	Status      RiskStatus `json:"status"`
	RaisedBy    PersonID   `json:"raised_by"`
	RaisedAt    time.Time  `json:"raised_at"`
	Response    string     `json:"response,omitempty"` // 解决方案
	ResponseDue time.Time  `json:"response_due,omitzero"`
	RespondedAt time.Time  `json:"responded_at,omitzero"`
	Resolution  string     `json:"resolution,omitempty"`
	ResolvedAt  time.Time  `json:"resolved_at,omitzero"`
	Tasks       []TaskID   `json:"tasks,omitempty"` // tasks this issue moved
	Moves       []TaskMove `json:"moves,omitempty"` // the dates its resolution moved
	// Attachments are the files and links shared with it (附件).
	Attachments []Attachment `json:"attachments,omitempty"`
	// Source says where a risk registered by the bot came from: "M-2"
	// (a meeting's minutes) or "ack/研发部" (named on acceptance); empty
	// for one raised with the risk form.
	Source string `json:"source,omitempty"`
	// Escalated is set while leadership knows it as high severity: told
	// once when it became high, and again only after they were told it
	// was lowered or resolved (EscalatedTo is whom they told).
	Escalated   bool       `json:"escalated,omitempty"`
	EscalatedTo []PersonID `json:"escalated_to,omitempty"`
	// AskedAt is when its current owner was asked to respond, if not
	// when it was raised: handed to another owner, or reopened. The
	// response chase counts from it.
	AskedAt time.Time `json:"asked_at,omitzero"`
}

// ResponseFrom is when the owner's time to respond began.
func (r *Risk) ResponseFrom() time.Time {
	if r.AskedAt.After(r.RaisedAt) {
		return r.AskedAt
	}
	return r.RaisedAt
}

// Risk finds a risk of this collaboration.
func (c *Collaboration) Risk(id RiskID) (*Risk, error) {
	for _, r := range c.Risks {
		if r.ID == id {
			return r, nil
		}
	}
	return nil, notFound(id.String())
}

// OpenRisks are the risks and issues not yet resolved: the scheduler
// still chases them.
func (c *Collaboration) OpenRisks() []*Risk {
	var out []*Risk
	for _, r := range c.Risks {
		if r.Status != RiskResolved {
			out = append(out, r)
		}
	}
	return out
}

// RaiseRisk files a risk or issue. Its owner defaults to the responsible
// department's contact, except for a high-severity one, which must name an
// owner because it goes to leadership at once and someone must answer for it.
func (c *Collaboration) RaiseRisk(dir *Directory, actor Actor, r Risk, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	if !c.involved(actor) {
		return forbidden("refuse.risk.only_involved", nil)
	}
	if r.ID <= 0 {
		return Refuse(CodeInvalid, "refuse.risk.missing_id", nil)
	}
	if _, err := c.Risk(r.ID); err == nil {
		return Refuse(CodeConflict, "refuse.risk.exists", Args{"risk": r.ID.String()})
	}
	if err := required("description", r.Description, "refuse.label.risk_description"); err != nil {
		return err
	}
	if err := required("impact", r.Impact, "refuse.label.impact"); err != nil {
		return err
	}
	if _, err := ParseSeverity(string(r.Severity)); err != nil {
		return err
	}
	if err := limit("mitigation", r.Mitigation, "refuse.label.mitigation"); err != nil {
		return err
	}
	dept, err := dir.ResolveDepartment(r.Department)
	if err != nil {
		return err
	}
	if !c.hasDepartment(dept.Name) {
		return RefuseField(CodeUnknownDept, "department", "refuse.risk.department_not_involved", Args{"department": dept.Name, "ref": c.ID.String()})
	}
	r.Department = dept.Name
	if r.Owner == "" && r.Severity == SeverityHigh {
		return RefuseField(CodeRequired, "owner", "refuse.risk.high_needs_owner", nil)
	}
	if r.Owner == "" {
		if r.Owner = c.contactOf(dept.Name); r.Owner == "" {
			r.Owner = dept.Contact
		}
	}
	if _, ok := dir.Person(r.Owner); !ok {
		return unknownPerson("owner", r.Owner)
	}
	if !r.Due.IsZero() {
		if err := FutureDue("due", r.Due, now); err != nil {
			return err
		}
	}
	r.Description, r.Impact = strings.TrimSpace(r.Description), strings.TrimSpace(r.Impact)
	r.Status, r.RaisedBy, r.RaisedAt = RiskOpen, actor.Person, now
	c.Risks = append(c.Risks, &r)
	c.record(now, actor.Person, "risk_raised", r.ID.String(), r.Description)
	params := map[string]string{"severity": string(r.Severity), "description": r.Description}
	c.notify(now, actor.Person, "risk_assigned", r.ID.String(), params, r.Owner)
	if r.Severity == SeverityHigh {
		c.escalate(dir, c.Risks[len(c.Risks)-1], actor.Person, now)
	}
	return nil
}

// escalate tells leadership and the coordinator of a high-severity risk,
// once while it stays high.
func (c *Collaboration) escalate(dir *Directory, r *Risk, actor PersonID, now time.Time) {
	if r.Escalated {
		return
	}
	r.Escalated, r.EscalatedTo = true, slices.Clone(dir.Leadership)
	c.record(now, "", "risk_escalated", r.ID.String(), "")
	params := map[string]string{"severity": string(r.Severity), "description": r.Description}
	c.notify(now, actor, "risk_escalated", r.ID.String(), params, append(slices.Clone(dir.Leadership), c.Coordinator)...)
}

func (c *Collaboration) answersFor(actor Actor, r *Risk) bool {
	return actor.Person == r.Owner || c.isCoordinator(actor) || c.SpeaksFor(actor, r.Department)
}

// RespondRisk is the responsible side's answer (解决方案), due within 24 h.
func (c *Collaboration) RespondRisk(actor Actor, id RiskID, response string, due time.Time, now time.Time) error {
	if err := c.inPlay(); err != nil {
		return err
	}
	r, err := c.Risk(id)
	if err != nil {
		return err
	}
	if !c.answersFor(actor, r) {
		return forbidden("refuse.risk.only_owner_responds", nil)
	}
	if r.Status == RiskResolved {
		return alreadyResolved(id)
	}
	if err := required("response", response, "refuse.label.response"); err != nil {
		return err
	}
	if !due.IsZero() {
		if err := FutureDue("due", due, now); err != nil {
			return err
		}
	}
	response = strings.TrimSpace(response)
	note := response
	if r.Status == RiskResponded {
		// A second response replaces the first: the timeline keeps what
		// it changed, the text and the expected resolution date.
		var changes []Change
		changes = changed(changes, "response", r.Response, response)
		changes = changed(changes, "due", stamp(r.ResponseDue, now.Location()), stamp(due, now.Location()))
		if len(changes) > 0 {
			note = traceNote(changes)
		}
	}
	r.Response, r.ResponseDue, r.RespondedAt, r.Status = response, due, now, RiskResponded
	c.record(now, actor.Person, "risk_responded", id.String(), note)
	// The owner hears of a response given on their behalf; the notify
	// filter drops them when they gave it themselves.
	c.notify(now, actor.Person, "risk_responded", id.String(), map[string]string{"response": r.Response, "by": string(actor.Person)}, r.RaisedBy, r.Owner, c.Coordinator)
	return nil
}

// ResolveRisk closes a risk with what resolved it.
func (c *Collaboration) ResolveRisk(actor Actor, id RiskID, resolution string, now time.Time) error {
	r, err := c.resolvable(actor, id, resolution)
	if err != nil {
		return err
	}
	r.Resolution, r.ResolvedAt, r.Status = strings.TrimSpace(resolution), now, RiskResolved
	c.record(now, actor.Person, "risk_resolved", id.String(), r.Resolution)
	told := []PersonID{r.RaisedBy, c.Coordinator, r.Owner}
	c.notify(now, actor.Person, "risk_resolved", id.String(), map[string]string{"resolution": r.Resolution}, told...)
	c.standDown(now, actor.Person, r, "risk_escalation_resolved", map[string]string{"by": string(actor.Person),
		"severity": string(r.Severity), "description": r.Description, "resolution": r.Resolution}, told...)
	return nil
}

// standDown tells whoever a risk was escalated to that it no longer
// stands at the escalation level — lowered or resolved — so leadership
// does not go on believing it is a high-severity threat; should it rise
// again it is escalated again. Those the change told already (told) get
// no second notice.
func (c *Collaboration) standDown(now time.Time, actor PersonID, r *Risk, kind string, params map[string]string, told ...PersonID) {
	if !r.Escalated {
		return
	}
	to := slices.DeleteFunc(slices.Clone(r.EscalatedTo), func(p PersonID) bool { return slices.Contains(told, p) })
	r.Escalated, r.EscalatedTo = false, nil
	c.notify(now, actor, kind, r.ID.String(), params, to...)
}

// resolvable is the risk actor may resolve with resolution now: its
// owner, who answers for it, or whoever raised it, while it is open.
func (c *Collaboration) resolvable(actor Actor, id RiskID, resolution string) (*Risk, error) {
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	r, err := c.Risk(id)
	if err != nil {
		return nil, err
	}
	if !c.answersFor(actor, r) && actor.Person != r.RaisedBy {
		return nil, forbidden("refuse.risk.only_owner_resolves", nil)
	}
	if r.Status == RiskResolved {
		return nil, alreadyResolved(id)
	}
	if err := required("resolution", resolution, "refuse.label.resolution"); err != nil {
		return nil, err
	}
	return r, nil
}

// SetSeverity changes a risk's severity (影响程度) for a reason: its owner
// or the coordinator may. Raising it to high escalates it to leadership
// then; lowering a risk leadership was told of tells them it was lowered.
func (c *Collaboration) SetSeverity(dir *Directory, actor Actor, id RiskID, sev Severity, reason string, now time.Time) error {
	r, err := c.openRisk(actor, id)
	if err != nil {
		return err
	}
	if _, err := ParseSeverity(string(sev)); err != nil {
		return err
	}
	if r.Severity == sev {
		return Refuse(CodeAlreadyDone, "refuse.risk.severity_unchanged", Args{"risk": id.String(), "severity": sev.LabelText()})
	}
	if err := required("reason", reason, "refuse.label.change_reason"); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	before := r.Severity
	r.Severity = sev
	c.record(now, actor.Person, "risk_severity_changed", id.String(), changeNote([]Change{{"severity", string(before), string(sev)}, {"reason", "", reason}}))
	tell := []PersonID{r.Owner, c.Coordinator}
	escalating := sev == SeverityHigh && !r.Escalated
	if escalating {
		tell = tell[:1] // the coordinator hears it as the escalation
	}
	params := map[string]string{"before": string(before), "severity": string(sev), "description": r.Description,
		"reason": reason, "by": string(actor.Person)}
	c.notify(now, actor.Person, "risk_severity_changed", id.String(), params, tell...)
	if escalating {
		c.escalate(dir, r, actor.Person, now)
	}
	if sev != SeverityHigh {
		c.standDown(now, actor.Person, r, "risk_downgraded", params, tell...)
	}
	return nil
}

// LinkRisk records the tasks an issue moves (a change of plan it causes).
func (c *Collaboration) LinkRisk(actor Actor, id RiskID, tasks []TaskID, now time.Time) error {
	r, err := c.openRisk(actor, id)
	if err != nil {
		return err
	}
	if len(tasks) == 0 {
		return RefuseField(CodeRequired, "tasks", "refuse.risk.no_tasks", nil)
	}
	var added []string
	for _, tid := range tasks {
		t, err := c.Task(tid)
		if err != nil {
			return err
		}
		if slices.Contains(r.Tasks, tid) {
			continue
		}
		r.Tasks = append(r.Tasks, tid)
		t.Risks = appendUnique(t.Risks, id)
		added = append(added, tid.String())
	}
	if len(added) == 0 {
		return Refuse(CodeAlreadyDone, "refuse.risk.already_linked", Args{"risk": id.String()})
	}
	c.record(now, actor.Person, "risk_linked", id.String(), strings.Join(added, ", "))
	return nil
}

// openRisk finds an unresolved risk its owner or the coordinator changes.
func (c *Collaboration) openRisk(actor Actor, id RiskID) (*Risk, error) {
	if err := c.inPlay(); err != nil {
		return nil, err
	}
	r, err := c.Risk(id)
	if err != nil {
		return nil, err
	}
	if actor.Person != r.Owner && !c.isCoordinator(actor) {
		return nil, forbidden("refuse.risk.only_owner_changes", Args{"risk": id.String()})
	}
	if r.Status == RiskResolved {
		return nil, alreadyResolved(id)
	}
	return r, nil
}
