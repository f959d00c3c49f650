package bot

import (
	"errors"
	"slices"
	"strings"
	"time"
)

// Optional steps of the process that a workspace switches on in its
// configuration and a collaboration's coordinator may switch for theirs
// (a collaboration type may later decide them too): each is named here,
// and StepOn is the one answer to "does this collaboration run it".
const (
	StepSignoff      = "signoff"       // 合作目标共识函: each department's head signs the goal consensus
	StepPlanApproval = "plan_approval" // 方案审批: each department's plan is approved before work starts
)

// Values of a collaboration's own step switch.
const (
	StepOn  = "on"
	StepOff = "off"
)

// StepOn says whether the collaboration runs an optional step: its own
// setting, else the workspace's; never when its type leaves the step out
// (a loan has no goal consensus).
func (c *Collaboration) StepOn(step string, workspace bool) bool {
	if !c.Has(step) {
		return false
	}
	switch c.Switches[step] {
	case StepOn:
		return true
	case StepOff:
		return false
	}
	return workspace
}

// SwitchStep turns an optional step on or off for this collaboration:
// the coordinator decides how it is run. Switching a step off withdraws
// what it still waits for and tells those it waited for; switching it on
// again opens it anew (the engine does, with OpenSteps, when the
// collaboration is under way), keeping what was signed or submitted.
func (c *Collaboration) SwitchStep(actor Actor, step string, on bool, now time.Time) error {
	if err := c.writable(); err != nil {
		return err
	}
	if !c.isCoordinator(actor) {
		return forbidden("refuse.step.only_coordinator_switches", Args{"coordinator": Who(c.Coordinator)})
	}
	if !c.Has(step) {
		// Switched on, it would be said on and recorded, and never run.
		return Refuse(CodeWrongState, "refuse.type.no_step", Args{"ref": c.ID.String(), "step": Msg{Key: "refuse.step." + step}})
	}
	v := StepOff
	if on {
		v = StepOn
	}
	if c.Switches[step] == v {
		return Refuse(CodeAlreadyDone, "refuse.edit.nothing_changed", nil)
	}
	if c.Switches == nil {
		c.Switches = map[string]string{}
	}
	c.Switches[step] = v
	// The action says which way, so the record reads "switched off by".
	c.record(now, actor.Person, step+"_switched_"+v, c.ID.String(), "")
	if !on {
		switch step {
		case StepSignoff:
			if c.Consensus.Open() {
				c.withdrawSignoff(actor.Person, now)
			} else if c.Consensus != nil && !c.Consensus.Signed() {
				c.Consensus.Withdrawn = true
			}
		case StepPlanApproval:
			if c.PlanApproval.Open() {
				c.withdrawPlans(actor.Person, now)
			} else if c.PlanApproval != nil && !c.PlanApproval.Approved() {
				c.PlanApproval.Withdrawn = true
			}
		}
	}
	return nil
}

// asked gathers, per person, the departments they were asked to act for,
// so that each hears once however many departments they answer for.
type asked struct {
	order []PersonID
	depts map[PersonID][]string
}

func (a *asked) add(p PersonID, dept string) {
	if p == "" {
		return
	}
	if a.depts == nil {
		a.depts = map[PersonID][]string{}
	}
	if _, ok := a.depts[p]; !ok {
		a.order = append(a.order, p)
	}
	if !slices.Contains(a.depts[p], dept) {
		a.depts[p] = append(a.depts[p], dept)
	}
}

// withdrawSignoff withdraws the letter's open signatures: each head still
// asked hears they need not sign (or the notice they had would stay a
// request nobody answers), and the group hears who switched it off.
func (c *Collaboration) withdrawSignoff(actor PersonID, now time.Time) {
	k := c.Consensus
	k.Withdrawn = true
	var heads asked
	var open []string
	for _, s := range k.Signoffs {
		if s.Status == SignoffPending {
			// A refusal waits for the coordinator, who is the one switching.
			heads.add(s.Head, s.Department)
		}
		if s.Status != SignoffSigned {
			open = append(open, s.Department)
		}
	}
	for _, p := range heads.order {
		c.notify(now, actor, "signoff_withdrawn", c.ID.String(), map[string]string{"by": string(actor),
			"departments": joinNames(heads.depts[p])}, p)
	}
	c.notifyGroup(now, "signoff_withdrawn", c.ID.String(), map[string]string{"by": string(actor), "departments": joinNames(open)})
}

// withdrawPlans withdraws the plans not yet approved: whoever was asked
// to submit one and whoever was asked to decide one hears, once, that
// they need not; the group hears who switched it off. The plans keep
// what was submitted, for the record and for when the step comes back.
func (c *Collaboration) withdrawPlans(actor PersonID, now time.Time) {
	p := c.PlanApproval
	deciders := c.Deciders()
	p.Withdrawn = true
	var submit, decide asked
	var open []string
	for _, pl := range p.Plans {
		switch pl.Status {
		case PlanAwaiting:
			submit.add(pl.Contact, pl.Department)
		case PlanReturned:
			submit.add(pl.Contact, pl.Department)
			submit.add(pl.SubmittedBy, pl.Department) // told of the return too
		case PlanSubmitted:
			for _, d := range deciders {
				if !c.partyTo(Actor{Person: d}, pl) {
					decide.add(d, pl.Department)
				}
			}
		}
		if pl.Status != PlanApproved {
			open = append(open, pl.Department)
		}
	}
	var to asked
	for _, x := range []asked{submit, decide} {
		for _, who := range x.order {
			to.add(who, "")
		}
	}
	for _, who := range to.order {
		c.notify(now, actor, "plans_withdrawn", c.ID.String(), map[string]string{"by": string(actor),
			"submit": joinNames(submit.depts[who]), "decide": joinNames(decide.depts[who])}, who)
	}
	c.notifyGroup(now, "plans_withdrawn", c.ID.String(), map[string]string{"by": string(actor), "departments": joinNames(open)})
}

// Workflow is the workspace's setting of the optional steps, as the
// configuration gives it.
type Workflow struct {
	Signoff      bool
	PlanApproval bool
	// PlanApprover decides plans when set; otherwise leadership does.
	PlanApprover PersonID
}

// OpenSteps opens the optional steps that are on and due: once every
// department has accepted (the collaboration is active), the consensus
// to sign and the plans to submit. It does nothing when they are open
// already, so it may run after every change. The workspace's setting
// counts only as the collaboration becomes active (activating): turning
// a step on for the workspace must not stop work already under way; a
// coordinator's own switch opens it at any time.
func (c *Collaboration) OpenSteps(dir *Directory, w Workflow, actor PersonID, now time.Time, activating bool) {
	if c.Status != StatusActive || c.ActivatedAt.IsZero() {
		return
	}
	if !activating {
		w.Signoff, w.PlanApproval = false, false
	}
	if c.StepOn(StepSignoff, w.Signoff) && (c.Consensus == nil || c.Consensus.Withdrawn) {
		c.openSignoff(dir, actor, now)
	}
	if c.StepOn(StepPlanApproval, w.PlanApproval) && (c.PlanApproval == nil || c.PlanApproval.Withdrawn) {
		c.openPlans(dir, w.PlanApprover, actor, now)
	}
}

// departmentFor finds the department an actor answers for among those
// still open: the one named, else the only one they may answer for.
func departmentFor(named string, open []string, may func(string) bool) (string, error) {
	if named != "" {
		return named, nil
	}
	var mine []string
	for _, d := range open {
		if may(d) {
			mine = append(mine, d)
		}
	}
	switch len(mine) {
	case 1:
		return mine[0], nil
	case 0:
		return "", nil
	}
	return "", RefuseField(CodeRequired, "department", "refuse.step.which_department", Args{"departments": joinNames(mine)})
}

func joinNames(xs []string) string { return strings.Join(xs, ", ") }

// stepWaits are what the optional steps wait for a: a signature, a
// refusal to settle, a plan to submit or revise, a plan to decide.
func (c *Collaboration) stepWaits(a Actor) []Wait {
	var out []Wait
	if k := c.Consensus; k.Open() {
		for _, s := range k.Signoffs {
			switch {
			case s.Status == SignoffPending && s.MaySign(a):
				out = append(out, Wait{Kind: WaitSignoff, Department: s.Department})
			case s.Status == SignoffRefused && c.isCoordinator(a):
				out = append(out, Wait{Kind: WaitSignoffRefused, Department: s.Department, Reason: s.Reason})
			}
		}
	}
	if p := c.PlanApproval; p.Open() {
		decides := c.MayDecide(a)
		for _, pl := range p.Plans {
			switch {
			case (pl.Status == PlanAwaiting || pl.Status == PlanReturned) && c.SpeaksFor(a, pl.Department):
				out = append(out, Wait{Kind: WaitPlan, Department: pl.Department, Returned: pl.Status == PlanReturned})
			case pl.Status == PlanSubmitted && decides && !c.partyTo(a, pl):
				out = append(out, Wait{Kind: WaitPlanDecision, Department: pl.Department})
			}
		}
	}
	return out
}

// SignoffFor is the department whose signature the actor gives: the one
// named, or the only one pending they may sign; refused when they may
// not sign it or it is not waiting (a signature given is dated in
// now's zone).
func (c *Collaboration) SignoffFor(a Actor, dept string, now time.Time) (string, error) {
	s, err := c.signing(a, dept, now)
	if err != nil {
		return "", err
	}
	return s.Department, nil
}

// PlanToDecide is the department whose submitted plan the actor
// decides: the one named, or the only one submitted; refused when they
// do not decide plans.
func (c *Collaboration) PlanToDecide(a Actor, dept string) (string, error) {
	own := func(pl *Plan) bool { return c.partyTo(a, pl) }
	pl, err := c.plan(dept, []PlanStatus{PlanSubmitted}, func(pl *Plan) bool { return !own(pl) }, "refuse.plan.nothing_to_decide")
	var none *Error
	if errors.As(err, &none) && none.Msg.Key == "refuse.plan.nothing_to_decide" && dept == "" && c.MayDecide(a) {
		// Only their own plan waits: say why they may not decide it.
		for _, x := range c.PlanApproval.Plans {
			if x.Status == PlanSubmitted && own(x) {
				pl, err = x, nil
				break
			}
		}
	}
	if err != nil {
		return "", err
	}
	if !c.MayDecide(a) {
		return "", forbidden("refuse.plan.only_decider", Args{"deciders": Whos(c.Deciders())})
	}
	if own(pl) {
		return "", forbidden("refuse.plan.own_plan", Args{"department": pl.Department, "ref": c.ID.String()})
	}
	if pl.Status != PlanSubmitted {
		return "", Refuse(CodeWrongState, "refuse.plan.not_submitted", Args{"department": pl.Department, "status": pl.Status.LabelText()})
	}
	return pl.Department, nil
}
