package engine

import (
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

// How the optional steps read: the letter and the plans as `共识函 COL-n`
// and `方案 COL-n` show them, and their waits with one-tap answers.

// showConsensus is the letter as agreed and who signed it.
func showConsensus(s *session, c *bot.Collaboration) {
	k := c.Consensus
	if k == nil || (k.Withdrawn && !k.Signed()) {
		s.sayKey("reply.signoff.none", words.Args{"ref": c.ID, "on": s.onOff(c.StepOn(bot.StepSignoff, s.e.Policy.Workflow.Signoff))})
		return
	}
	lines := []string{
		s.w("format.field", words.Args{"label": words.Text("field.goal", nil), "value": k.Goal}),
	}
	if k.Scope != "" {
		lines = append(lines, s.w("format.field", words.Args{"label": words.Text("field.scope", nil), "value": k.Scope}))
	}
	lines = append(lines, s.w("format.field", words.Args{"label": words.Text("field.due", nil), "value": s.fmtTime(k.Due)}))
	for _, x := range k.Signoffs {
		a := words.Args{"department": x.Department, "head": s.name(x.Head), "status": words.Text("signoff.status."+string(x.Status), nil),
			"at": s.fmtTime(x.At), "text": cmpText(x.Remarks, x.Reason)}
		key := "reply.signoff.line"
		if x.Status == bot.SignoffPending {
			key = "reply.signoff.line_pending"
		}
		lines = append(lines, "• "+s.w(key, a))
	}
	s.reply(bot.Reply{Title: s.w("reply.signoff.title", words.Args{"ref": c.ID}), Body: strings.Join(lines, "\n")})
}

func cmpText(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (s *session) onOff(on bool) string {
	if on {
		return s.w("reply.step.is_on", nil)
	}
	return s.w("reply.step.is_off", nil)
}

// showPlans is each department's plan and where it stands.
func showPlans(s *session, c *bot.Collaboration) {
	p := c.PlanApproval
	if p == nil || len(p.Plans) == 0 || (p.Withdrawn && !p.Approved()) {
		s.sayKey("reply.plan.none", words.Args{"ref": c.ID, "on": s.onOff(c.StepOn(bot.StepPlanApproval, s.e.Policy.Workflow.PlanApproval))})
		return
	}
	var names []string
	for _, d := range c.Deciders() {
		names = append(names, s.name(d))
	}
	lines := []string{s.w("reply.plan.deciders", words.Args{"deciders": joinList(s.lang, names)})}
	for _, pl := range p.Plans {
		key := "reply.plan.line"
		if pl.Version == 0 {
			key = "reply.plan.line_new"
		}
		lines = append(lines, "• "+s.w(key, words.Args{"department": pl.Department,
			"status": words.Text("plan.status."+string(pl.Status), nil), "version": pl.Version}))
		for _, f := range []struct{ key, value string }{{"field.plan_method", pl.Method},
			{"field.plan_contingency", pl.Contingency}, {"field.plan_standard", pl.Standard}} {
			if f.value != "" {
				lines = append(lines, "  "+s.w("format.field", words.Args{"label": words.Text(f.key, nil), "value": bot.Truncate(f.value, maxQuote)}))
			}
		}
		if n := len(pl.Decisions); n > 0 && pl.Decisions[n-1].Comments != "" {
			lines = append(lines, "  "+s.w("format.field", words.Args{"label": words.Text("field.plan_comments", nil),
				"value": pl.Decisions[n-1].Comments}))
		}
	}
	s.reply(bot.Reply{Title: s.w("reply.plan.title", words.Args{"ref": c.ID}), Body: strings.Join(lines, "\n")})
}

// stepWait words one of the steps' waits for chat's bare `确认`.
func (s *session) stepWait(c *bot.Collaboration, w bot.Wait) (string, words.Args, bool) {
	a := words.Args{"ref": c.ID, "topic": c.Request.Topic, "department": w.Department, "reason": w.Reason}
	switch w.Kind {
	case bot.WaitSignoff:
		return "reply.pending.signoff", a, true
	case bot.WaitSignoffRefused:
		return "reply.pending.signoff_refused", a, true
	case bot.WaitPlan:
		if w.Returned {
			return "reply.pending.plan_returned", a, true
		}
		return "reply.pending.plan", a, true
	case bot.WaitPlanDecision:
		return "reply.pending.plan_decision", a, true
	}
	return "", nil, false
}

// stepButtons settle a step's wait with one tap.
func stepButtons(ref string, w bot.Wait) []action {
	d := " " + w.Department
	switch w.Kind {
	case bot.WaitSignoff:
		return signoffButtons(ref, w.Department)
	case bot.WaitSignoffRefused:
		return []action{button("button.renew_signoff", "signoff "+ref+" renew", "primary")}
	case bot.WaitPlan:
		return []action{button("button.submit_plan", "plan "+ref+" submit"+d, "primary")}
	case bot.WaitPlanDecision:
		return planDecisionButtons(ref, w.Department)
	}
	return nil
}

func signoffButtons(ref, dept string) []action {
	return []action{
		button("button.sign", "signoff "+ref+" sign "+dept, "primary"),
		button("button.refuse_signoff", "signoff "+ref+" refuse "+dept, "danger"),
	}
}

func planDecisionButtons(ref, dept string) []action {
	return []action{
		button("button.approve_plan", "plan "+ref+" approve "+dept, "primary"),
		button("button.return_plan", "plan "+ref+" return "+dept, "danger"),
	}
}
