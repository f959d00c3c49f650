package bot

import (
	"cmp"
	"slices"
)

// Role is one way a person takes part in a collaboration, as a store
// indexes it so that "my collaborations" and "my tasks" need not read
// every collaboration.
type Role string

const (
	RoleRequester    Role = "requester"
	RoleCoordinator  Role = "coordinator"
	RoleContact      Role = "contact"      // answers for a requested department
	RoleOwner        Role = "owner"        // owns a task, open or not
	RoleOpenTask     Role = "open_task"    // owns a task not done or cancelled
	RoleCollaborator Role = "collaborator" // helps with a task
	RoleOrganiser    Role = "organiser"
	RoleAttendee     Role = "attendee"
	RoleConfirmer    Role = "confirmer"  // a department head asked to confirm a new task
	RoleSigner       Role = "signer"     // a department head asked to sign the goal consensus
	RoleDecider      Role = "decider"    // decides a submitted plan
	RoleRiskOwner    Role = "risk_owner" // owns an issue or risk not yet resolved

	RoleRequesting Role = "requesting" // a department filing the request
	RoleAsked      Role = "asked"      // a department asked to assist
)

// Participation is one person in one role.
type Participation struct {
	Person PersonID
	Role   Role
}

// Participations lists who takes part and how, sorted, without
// repetition and without empty ids. Its people are Participants.
func (c *Collaboration) Participations() []Participation {
	var out []Participation
	add := func(p PersonID, r Role) {
		if p != "" {
			out = append(out, Participation{p, r})
		}
	}
	add(c.Requester, RoleRequester)
	add(c.Coordinator, RoleCoordinator)
	for _, a := range c.Request.Departments {
		add(a.Contact, RoleContact)
	}
	for _, t := range c.Tasks {
		add(t.Owner, RoleOwner)
		if t.Open() {
			add(t.Owner, RoleOpenTask)
		}
		for _, p := range t.Collaborators {
			add(p, RoleCollaborator)
		}
		if t.Awaiting() && t.Confirmation != nil {
			add(t.Confirmation.Head, RoleConfirmer)
		}
	}
	if k := c.Consensus; k.Open() {
		for _, s := range k.Signoffs {
			if s.Status == SignoffPending {
				add(s.Head, RoleSigner)
			}
		}
	}
	if p := c.PlanApproval; p.Open() && slices.ContainsFunc(p.Plans, func(pl *Plan) bool { return pl.Status == PlanSubmitted }) {
		for _, d := range c.Deciders() {
			add(d, RoleDecider)
		}
	}
	for _, r := range c.OpenRisks() {
		add(r.Owner, RoleRiskOwner) // "what waits for me" finds the risk to answer
	}
	for _, m := range c.Meetings {
		add(m.Organiser, RoleOrganiser)
		for _, p := range m.Attendees {
			add(p, RoleAttendee)
		}
	}
	slices.SortFunc(out, func(a, b Participation) int {
		return cmp.Or(cmp.Compare(a.Person, b.Person), cmp.Compare(a.Role, b.Role))
	})
	return slices.Compact(out)
}

// DepartmentPart is one department's part in a collaboration.
type DepartmentPart struct {
	Department string
	Role       Role // RoleRequesting or RoleAsked
}

// Departments lists the department that requests and those asked,
// sorted, without repetition, so a store can find the collaborations a
// head or a configured contact answers for without reading the others.
func (c *Collaboration) Departments() []DepartmentPart {
	var out []DepartmentPart
	if c.RequestingDept != "" {
		out = append(out, DepartmentPart{c.RequestingDept, RoleRequesting})
	}
	for _, a := range c.Request.Departments {
		if a.Department != "" {
			out = append(out, DepartmentPart{a.Department, RoleAsked})
		}
	}
	slices.SortFunc(out, func(a, b DepartmentPart) int {
		return cmp.Or(cmp.Compare(a.Department, b.Department), cmp.Compare(a.Role, b.Role))
	})
	return slices.Compact(out)
}

// Awaits reports whether anything in the collaboration waits for
// someone to act: a rejection to rework, a review, an acknowledgement
// not given, minutes not confirmed by everyone, a request to move a
// task's date, an acceptance. It is a superset of what any one person
// is waited for, kept by a store as a column so that "what waits for
// me" reads only these collaborations.
func (c *Collaboration) Awaits() bool {
	switch {
	case c.Status.Closed() || c.Status == StatusDraft:
		return false
	case c.Status == StatusRejected || c.Status == StatusInReview || c.Status == StatusAccepting:
		return true
	}
	for _, a := range c.Acks {
		if a.Status != AckAccepted {
			return true
		}
	}
	for _, m := range c.Held() {
		if m.Minutes != nil && !m.Cancelled && len(m.Unconfirmed()) > 0 {
			return true
		}
	}
	for _, t := range c.Tasks {
		if (t.DueRequest != nil && t.Open()) || t.Awaiting() {
			return true
		}
	}
	return c.Consensus.Open() || c.PlanApproval.Open()
}
