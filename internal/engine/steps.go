package engine

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

// The optional steps of seed 003: the goal consensus letter each
// department's head signs (共识函 COL-1 签署 / signoff COL-1 sign), and
// the departments' implementation plans a decision maker approves
// (方案 COL-1 提交 | 批准 | 退回 / plan COL-1 submit | approve | return).
// Both are switched per workspace (process.*) and per collaboration by
// its coordinator (共识函 COL-1 开|关, 方案 COL-1 开|关).

// stepVerb is one thing a step's command does after the reference; its
// first word is the canonical one buttons send.
type stepVerb struct {
	words []string
	run   func(ctx context.Context, s *session, c *bot.Collaboration, rest input) error
}

var (
	stepOnWords  = []string{"on", "开", "开启", "打开"}
	stepOffWords = []string{"off", "关", "关闭"}
)

var signoffVerbs = []stepVerb{
	{[]string{"sign", "签署", "签字", "同意"}, signoffDecision("sign")},
	{[]string{"refuse", "拒签", "拒绝", "不同意"}, signoffDecision("refuse")},
	{[]string{"renew", "重新发起", "重签", "再次发起"}, signoffRenew},
	{stepOnWords, stepSwitch(bot.StepSignoff, true)},
	{stepOffWords, stepSwitch(bot.StepSignoff, false)},
}

var planVerbs = []stepVerb{
	{[]string{"submit", "提交", "填写", "修改"}, planSubmit},
	{[]string{"approve", "批准", "通过", "同意"}, planDecision("approve")},
	{[]string{"return", "退回", "驳回", "不通过"}, planDecision("return")},
	{[]string{"approver", "审批人", "决策人"}, planApprover},
	{stepOnWords, stepSwitch(bot.StepPlanApproval, true)},
	{stepOffWords, stepSwitch(bot.StepPlanApproval, false)},
}

func init() {
	actions["signoff"] = commitSignoff
	actions["plan"] = commitPlan
	actions["plan_decision"] = commitPlanDecision
	formKeys["signoff"] = []string{"decision", "remarks", "reason"}
	formKeys["plan"] = []string{"method", "contingency", "standard"}
	formKeys["plan_decision"] = []string{"decision", "comments"}
	openedBy["signoff"] = "help.open.signoff"
	openedBy["plan"] = "help.open.plan"
	openedBy["plan_decision"] = "help.open.plan_decision"
	decisionWords["signoff"] = spokenVerbs(signoffVerbs)
	decisionWords["plan"] = spokenVerbs(planVerbs)
	personLabels["approver"] = words.Text("label.approver", nil)
}

// spokenVerbs are a step's canonical verbs in Chinese, for commands
// written out for a Chinese reader.
func spokenVerbs(vs []stepVerb) map[string]string {
	out := map[string]string{}
	for _, v := range vs {
		out[v.words[0]] = chineseName(v.words)
	}
	return out
}

// stepCommands join the router's table.
func stepCommands() []command {
	col := bot.KindCollab
	return []command{
		{[]string{"signoff", "共识函", "合作目标共识函", "签署"}, "COL-n [sign|refuse|renew|on|off] [department] [text]",
			words.Text("help.cmd.signoff", nil), cmdSignoff, firstRef(col)},
		{[]string{"plan", "方案", "实施方案", "方案审批"}, "COL-n [submit|approve|return|approver|on|off] [department] [text]",
			words.Text("help.cmd.plan", nil), cmdPlan, firstRef(col)},
	}
}

func cmdSignoff(ctx context.Context, s *session, in input) error {
	return runStep(ctx, s, in, signoffVerbs, showConsensus, pastedSignoff)
}

func cmdPlan(ctx context.Context, s *session, in input) error {
	return runStep(ctx, s, in, planVerbs, showPlans, pastedPlan)
}

// pastedSignoff is the signoff form pasted after "共识函 COL-1".
func pastedSignoff(ctx context.Context, s *session, c *bot.Collaboration, text string) error {
	dept, err := c.SignoffFor(s.actor, "", s.now)
	if err != nil {
		return err
	}
	return s.startForm(ctx, "signoff", c.ID.String()+"/"+dept, nil, text)
}

// pastedPlan is a plan (or a decision on one, when the paste says
// which) pasted after "方案 COL-1".
func pastedPlan(ctx context.Context, s *session, c *bot.Collaboration, text string) error {
	if t, _ := s.e.Forms.Get("plan_decision"); t != nil {
		if v, _, pasted := t.ParsePaste(text); pasted && v["decision"] != "" {
			dept, err := c.PlanToDecide(s.actor, "")
			if err != nil {
				return err
			}
			return s.startForm(ctx, "plan_decision", c.ID.String()+"/"+dept, nil, text)
		}
	}
	return planSubmit(ctx, s, c, input{rest: text})
}

// runStep finds the collaboration and the verb; without a verb it shows
// where the step stands.
func runStep(ctx context.Context, s *session, in input, verbs []stepVerb, show func(*session, *bot.Collaboration),
	paste func(ctx context.Context, s *session, c *bot.Collaboration, text string) error) error {
	ref, i := refArg(in, bot.KindCollab)
	c, err := s.collab(ctx, ref)
	if err != nil {
		return err
	}
	verb := strings.ToLower(in.arg(i + 1))
	if verb == "" && in.body == "" {
		// Read as `show` reads (readable), and by whoever decides plans.
		if !c.VisibleTo(s.actor) && !c.MayDecide(s.actor) && (s.msg.Direct || c.Group != s.group()) {
			return bot.Refuse(bot.CodeNotFound, "refuse.not_found", bot.Args{"ref": c.ID.String()})
		}
		show(s, c)
		return nil
	}
	for _, v := range verbs {
		if slices.Contains(v.words, verb) {
			// rest holds the lines after the first too: a pasted form.
			rest := input{args: in.args[i+2:], rest: in.form(i + 2)}
			return v.run(ctx, s, c, rest)
		}
	}
	if verb == "" || strings.Contains(verb, ":") || strings.Contains(verb, "：") {
		return paste(ctx, s, c, in.form(i+1))
	}
	return bot.RefuseField(bot.CodeInvalid, "action", "refuse.step.usage", bot.Args{"ref": c.ID.String()})
}

// department takes a department named first in rest; the remaining
// text follows. Any department is taken, so that one not assisting is
// refused rather than read as remarks.
func (s *session) department(c *bot.Collaboration, rest input) (dept, text string) {
	text = strings.TrimSpace(rest.rest)
	first := rest.arg(0)
	if first == "" {
		return "", text
	}
	d, err := s.dir.ResolveDepartment(first)
	if err != nil {
		return "", text
	}
	return d.Name, strings.TrimSpace(strings.TrimPrefix(text, first))
}

// stepSwitch is the coordinator's "共识函 COL-1 开" / "plan COL-1 off".
func stepSwitch(step string, on bool) func(ctx context.Context, s *session, c *bot.Collaboration, _ input) error {
	return func(ctx context.Context, s *session, c *bot.Collaboration, _ input) error {
		if err := c.SwitchStep(s.actor, step, on, s.now); err != nil {
			return err
		}
		key := "reply.step." + step + "_off"
		if on {
			key = "reply.step." + step + "_on"
		}
		return s.saveKey(ctx, c, key, words.Args{"ref": c.ID})
	}
}

// --- the consensus letter ---

func signoffDecision(decision string) func(ctx context.Context, s *session, c *bot.Collaboration, rest input) error {
	return func(ctx context.Context, s *session, c *bot.Collaboration, rest input) error {
		dept, text := s.department(c, rest)
		dept, err := c.SignoffFor(s.actor, dept, s.now)
		if err != nil {
			return err
		}
		v := forms.Values{"decision": decision}
		if text != "" {
			if t, _ := s.e.Forms.Get("signoff"); t != nil {
				if _, _, pasted := t.ParsePaste(text); pasted {
					return s.startForm(ctx, "signoff", c.ID.String()+"/"+dept, v, text)
				}
			}
			v[map[string]string{"sign": "remarks", "refuse": "reason"}[decision]] = text
		}
		return s.quick(ctx, "signoff", c.ID.String()+"/"+dept, v)
	}
}

func commitSignoff(ctx context.Context, s *session, d *dialog) error {
	ref, dept := splitTarget(d.Target)
	v := d.Values
	refuse := v.Text("decision") == "refuse"
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error {
		var err error
		if refuse {
			_, err = c.RefuseSignoff(s.actor, dept, v.Text("reason"), s.now)
		} else {
			_, err = c.Sign(s.actor, dept, v.Text("remarks"), s.now)
		}
		return err
	})
	if err != nil {
		return err
	}
	a := words.Args{"ref": c.ID, "department": dept, "coordinator": s.name(c.Coordinator)}
	switch {
	case refuse:
		s.sayKey("reply.signoff.refused", a)
	case c.Consensus.Signed():
		s.sayKey("reply.signoff.all_signed", a)
	default:
		s.sayKey("reply.signoff.signed", a)
	}
	return nil
}

func signoffRenew(ctx context.Context, s *session, c *bot.Collaboration, _ input) error {
	asked, err := c.RenewSignoff(s.actor, s.now)
	if err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.signoff.renewed", words.Args{"ref": c.ID, "departments": joinList(s.lang, asked)})
}

// --- plans ---

// planSubmit opens the plan form for a department, filled in with the
// returned version when there is one.
func planSubmit(ctx context.Context, s *session, c *bot.Collaboration, rest input) error {
	dept, text := s.department(c, rest)
	pl, err := c.Submitting(s.actor, dept)
	if err != nil {
		return err
	}
	v := forms.Values{}
	if pl.Status == bot.PlanReturned {
		v = forms.Values{"method": pl.Method, "contingency": pl.Contingency, "standard": pl.Standard}
		for k, x := range v {
			if x == "" {
				delete(v, k)
			}
		}
		if !s.describing {
			return s.revisePlan(ctx, c, pl, v, text)
		}
	}
	return s.startForm(ctx, "plan", c.ID.String()+"/"+pl.Department, v, text)
}

// revisePlan opens a returned plan at its method, the other answers
// kept: what comes back is revised, so the contact is shown why it came
// back and asked again rather than handed the old version to confirm.
// Text typed after the command is the answer to that question (or
// `字段: 内容` lines).
func (s *session) revisePlan(ctx context.Context, c *bot.Collaboration, pl *bot.Plan, v forms.Values, text string) error {
	t, ok := s.e.Forms.Get("plan")
	if !ok {
		return s.startForm(ctx, "plan", c.ID.String()+"/"+pl.Department, v, text)
	}
	a := words.Args{"department": pl.Department, "version": pl.Version, "method": pl.Method, "by": "", "comments": ""}
	if n := len(pl.Decisions); n > 0 {
		a["by"], a["comments"] = s.name(pl.Decisions[n-1].By), pl.Decisions[n-1].Comments
	}
	target := c.ID.String() + "/" + pl.Department
	s.sayKey("reply.plan.revising", a)
	if s.open != nil {
		// Another form is open: startForm deals with it as with every
		// form; without its old method the revision asks for one.
		v = maps.Clone(v)
		delete(v, "method")
		return s.startForm(ctx, "plan", target, v, text)
	}
	d := &dialog{Form: "plan", Target: target, Values: v, Started: s.now, Asking: "method", Asked: []string{"method"}}
	if strings.TrimSpace(text) != "" {
		return s.answer(ctx, d, t, text)
	}
	return s.present(ctx, d, t)
}

func commitPlan(ctx context.Context, s *session, d *dialog) error {
	ref, dept := splitTarget(d.Target)
	v := d.Values
	f := bot.PlanForm{Method: v.Text("method"), Contingency: v.Text("contingency"), Standard: v.Text("standard")}
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error {
		_, err := c.SubmitPlan(s.actor, dept, f, s.now)
		return err
	})
	if err != nil {
		return err
	}
	names := make([]string, 0, 2)
	for _, p := range c.Deciders() {
		names = append(names, s.name(p))
	}
	s.sayKey("reply.plan.submitted", words.Args{"ref": c.ID, "department": dept, "deciders": joinList(s.lang, names)})
	return nil
}

func planDecision(decision string) func(ctx context.Context, s *session, c *bot.Collaboration, rest input) error {
	return func(ctx context.Context, s *session, c *bot.Collaboration, rest input) error {
		dept, text := s.department(c, rest)
		dept, err := c.PlanToDecide(s.actor, dept)
		if err != nil {
			return err
		}
		v := forms.Values{"decision": decision}
		if text != "" {
			v["comments"] = text
		}
		return s.quick(ctx, "plan_decision", c.ID.String()+"/"+dept, v)
	}
}

func commitPlanDecision(ctx context.Context, s *session, d *dialog) error {
	ref, dept := splitTarget(d.Target)
	approve := d.Values.Text("decision") == "approve"
	c, err := s.change(ctx, ref, func(c *bot.Collaboration) error {
		_, err := c.DecidePlan(s.actor, dept, approve, d.Values.Text("comments"), s.now)
		return err
	})
	if err != nil {
		return err
	}
	a := words.Args{"ref": c.ID, "department": dept}
	switch {
	case !approve:
		s.sayKey("reply.plan.returned", a)
	case c.PlanApproval.Approved():
		s.sayKey("reply.plan.all_approved", a)
	default:
		s.sayKey("reply.plan.approved", a)
	}
	return nil
}

// planApprover is the coordinator's "方案 COL-1 审批人 @lily".
func planApprover(ctx context.Context, s *session, c *bot.Collaboration, rest input) error {
	if len(rest.args) == 0 {
		return bot.RefuseField(bot.CodeRequired, "approver", "refuse.plan.approver_needs_person", bot.Args{"ref": c.ID.String()})
	}
	who, err := s.personArg(input{args: rest.args[:1], rest: rest.args[0]}, "approver")
	if err != nil {
		return err
	}
	if err := c.SetPlanApprover(s.dir, s.actor, who, s.now); err != nil {
		return err
	}
	return s.saveKey(ctx, c, "reply.plan.approver_set", words.Args{"ref": c.ID, "approver": s.name(who)})
}

// --- opening the steps, and what waits ---

// stepTx opens a collaboration's optional steps as it is saved, so that
// whatever made it active (the last acceptance, a department dropped, a
// button) opens them in the same transaction.
type stepTx struct {
	bot.Tx
	s *session
}

func (t *stepTx) Unwrap() bot.Tx { return t.Tx }

func (t *stepTx) Save(ctx context.Context, c *bot.Collaboration) error {
	s := t.s
	signing, planning := c.Consensus.Open(), c.PlanApproval.Open()
	// The bot opens them: the person whose answer did it is told too.
	w := s.e.Policy.Workflow
	activating := false
	if c.Status == bot.StatusActive && (w.Signoff && (c.Consensus == nil || c.Consensus.Withdrawn) ||
		w.PlanApproval && (c.PlanApproval == nil || c.PlanApproval.Withdrawn)) {
		// Only then does it matter whether this change made it active:
		// the stored copy still has the status from before.
		before, err := t.Tx.Collaboration(ctx, c.ID)
		switch {
		case bot.ErrorCode(err) == bot.CodeNotFound:
			activating = true
		case err != nil:
			return err
		default:
			activating = before.Status != bot.StatusActive
		}
	}
	c.OpenSteps(s.dir, w, "", s.now, activating)
	if err := t.Tx.Save(ctx, c); err != nil {
		return err
	}
	if !signing && c.Consensus.Open() {
		s.sayKey("reply.signoff.opened", words.Args{"ref": c.ID})
	}
	if !planning && c.PlanApproval.Open() {
		s.sayKey("reply.plan.opened", words.Args{"ref": c.ID})
	}
	return nil
}
