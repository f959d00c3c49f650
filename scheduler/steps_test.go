package scheduler_test

import (
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// withSteps activates carol's request at when with the goal consensus
// and plan approval on: bob (研发部) and frank (财务部) are asked to sign,
// ben and fiona to submit their plans; leadership (lily, henry) decides.
func (w *world) withSteps(when time.Time) bot.CollabID {
	id := w.activate(when)
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		c.OpenSteps(w.dir, bot.Workflow{Signoff: true, PlanApproval: true}, "", when, true)
		return nil
	})
	return id
}

func (w *world) submitPlan(id bot.CollabID, who, dept string, when time.Time) {
	w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
		_, err := c.SubmitPlan(w.as(who), dept, bot.PlanForm{Method: "分两轮联调"}, when)
		return err
	})
}

func TestStepTimers(t *testing.T) {
	cases := []struct {
		name  string
		setup func(w *world)
		steps []step
	}{
		{
			name: "opened on Friday: the heads are reminded Monday, not over the weekend, then the coordinator",
			setup: func(w *world) {
				id := w.withSteps(at("2026-11-27 15:00"))
				w.submitPlan(id, "ben", "研发部", at("2026-11-27 15:00"))
				w.submitPlan(id, "fiona", "财务部", at("2026-11-27 15:00"))
			},
			steps: []step{
				{"2026-11-28 15:00", nil},
				{"2026-11-29 15:00", nil},
				{"2026-11-30 14:59", nil},
				{"2026-11-30 15:00", []string{"plan_decision_reminder→henry", "plan_decision_reminder→henry", "plan_decision_reminder→lily",
					"plan_decision_reminder→lily", "signoff_reminder→bob", "signoff_reminder→frank"}},
				{"2026-11-30 18:00", nil},
				{"2026-12-01 10:00", []string{"plan_decision_escalation→carol", "plan_decision_escalation→carol",
					"signoff_escalation→carol", "signoff_escalation→carol"}},
				{"2026-12-02 11:00", nil},
			},
		},
		{
			name: "across National Day: deadlines skip Oct 1–7 and count the make-up Saturday",
			setup: func(w *world) {
				id := w.withSteps(at("2026-09-30 15:00"))
				w.submitPlan(id, "ben", "研发部", at("2026-09-30 15:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					for _, who := range []string{"bob", "frank"} {
						if _, err := c.Sign(w.as(who), "", "", at("2026-09-30 16:00")); err != nil {
							return err
						}
					}
					return nil
				})
			},
			steps: []step{
				{"2026-10-02 15:00", nil},
				{"2026-10-07 15:00", nil},
				{"2026-10-08 15:00", []string{"plan_decision_reminder→henry", "plan_decision_reminder→lily"}},
				{"2026-10-09 10:00", []string{"plan_decision_escalation→carol"}},
				// 财务部's plan: 2 business days (Oct 8, 9), then 1 more: Saturday Oct 10 is a working day.
				{"2026-10-09 15:00", []string{"plan_submission_reminder→fiona"}},
				{"2026-10-10 15:00", []string{"plan_submission_escalation→carol", "plan_submission_escalation→frank"}},
			},
		},
		{
			name: "a returned plan is due again from its return; a decided or signed step is not chased",
			setup: func(w *world) {
				id := w.withSteps(at("2026-11-23 10:00"))
				w.submitPlan(id, "ben", "研发部", at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					if _, err := c.DecidePlan(w.as("lily"), "研发部", false, "补充回滚预案", at("2026-11-23 11:00")); err != nil {
						return err
					}
					if _, err := c.Sign(w.as("bob"), "", "", at("2026-11-23 11:00")); err != nil {
						return err
					}
					_, err := c.RefuseSignoff(w.as("frank"), "", "预算未定", at("2026-11-23 11:00"))
					return err
				})
				w.submitPlan(id, "fiona", "财务部", at("2026-11-23 11:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					_, err := c.DecidePlan(w.as("henry"), "财务部", true, "", at("2026-11-23 12:00"))
					return err
				})
			},
			steps: []step{
				{"2026-11-24 10:59", nil},
				// A refusal waits on the coordinator, who was told: no signature is chased.
				{"2026-11-25 11:00", []string{"plan_submission_reminder→ben"}},
				{"2026-11-26 11:00", []string{"plan_submission_escalation→bob", "plan_submission_escalation→carol"}},
			},
		},
		{
			name: "a collaboration's own deadline (remind COL-n signoff 2bd) moves the chase",
			setup: func(w *world) {
				id := w.withSteps(at("2026-11-27 15:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					c.Reminders = map[string]string{"signoff": "2bd", "plan_submission": "off"}
					return nil
				})
			},
			steps: []step{
				{"2026-11-30 15:00", nil},
				{"2026-12-01 15:00", []string{"signoff_reminder→bob", "signoff_reminder→frank"}},
				{"2026-12-03 15:00", []string{"signoff_escalation→carol", "signoff_escalation→carol"}},
			},
		},
		{
			name: "switched off, nothing is chased",
			setup: func(w *world) {
				id := w.withSteps(at("2026-11-23 10:00"))
				w.change(id, func(c *bot.Collaboration, _ bot.Tx) error {
					if err := c.SwitchStep(w.as("carol"), bot.StepSignoff, false, at("2026-11-23 11:00")); err != nil {
						return err
					}
					return c.SwitchStep(w.as("carol"), bot.StepPlanApproval, false, at("2026-11-23 11:00"))
				})
			},
			steps: []step{{"2026-11-24 10:00", nil}, {"2026-11-26 10:00", nil}},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			tc.setup(w)
			for _, s := range tc.steps {
				var got []string
				for _, f := range sent(w.tick(s.at)) {
					if strings.HasPrefix(f, "signoff_") || strings.HasPrefix(f, "plan_") {
						got = append(got, f)
					}
				}
				equal(t, "tick at "+s.at, got, s.want)
			}
		})
	}
}
