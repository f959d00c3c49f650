package config

import (
	"github.com/collabot/collabot/bot"
)

// Process switches the optional steps of the process for the workspace;
// a collaboration's coordinator may switch them for theirs.
type Process struct {
	// Signoff: once every department accepted, each one's head signs the
	// goal consensus (合作目标共识函, seed 003 步骤1). Chased by
	// timers.signoff.
	Signoff bool `yaml:"signoff"`
	// PlanApproval: each department submits its implementation plan
	// (方法 / 预案 / 质量标准) and a decision maker approves it before its
	// work starts (方案审批, seed 003 步骤3). Chased by timers.plan_submission
	// and timers.plan_decision.
	PlanApproval bool `yaml:"plan_approval"`
	// PlanApprover is the person id who decides plans; empty: leadership.
	PlanApprover string `yaml:"plan_approver"`
}

// Workflow is the process switches as the domain reads them.
func (p Process) Workflow() bot.Workflow {
	return bot.Workflow{Signoff: p.Signoff, PlanApproval: p.PlanApproval, PlanApprover: bot.PersonID(p.PlanApprover)}
}

func (c *Config) validateProcess(p *problems) {
	id := c.Process.PlanApprover
	if id == "" {
		return
	}
	if !c.Org.hasPerson(id) {
		p.add("process.plan_approver", "\""+id+"\" is not a person in people")
		return
	}
	// Nobody decides a plan of a department they answer for, so an
	// approver who is a department's contact would leave that
	// department's plans with no one to decide them.
	for _, d := range c.Departments {
		if d.Contact == id {
			p.add("process.plan_approver", "\""+id+"\" is the contact of "+d.Name+
				" and may not decide its plans; name someone who is no department's contact, or leave it empty for leadership")
		}
	}
}

func (o *Org) hasPerson(id string) bool {
	for _, p := range o.People {
		if p.ID == id {
			return true
		}
	}
	return false
}
