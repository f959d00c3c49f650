package bot_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// activeWithSteps is a collaboration of amy (市场部) with 研发部 and 财务部
// accepted and both optional steps open.
func activeWithSteps(t *testing.T) (*bot.Collaboration, *bot.Directory, time.Time) {
	t.Helper()
	w := at(t, bot.StatusActive)
	c, dir, now := w.c, w.dir, t0.Add(time.Hour)
	c.OpenSteps(dir, bot.Workflow{}, "", now, true)
	if c.Consensus != nil || c.PlanApproval != nil {
		t.Fatal("steps opened while switched off")
	}
	c.OpenSteps(dir, bot.Workflow{Signoff: true, PlanApproval: true}, "", now, true)
	return c, dir, now
}

func TestStepRules(t *testing.T) {
	c, dir, now := activeWithSteps(t)
	if !c.Consensus.Open() || !c.PlanApproval.Open() || !c.Awaits() {
		t.Fatalf("consensus %+v, plans %+v", c.Consensus, c.PlanApproval)
	}
	roles := c.Participations()
	if !slices.Contains(roles, bot.Participation{Person: "bob", Role: bot.RoleSigner}) {
		t.Errorf("bob is not a signer: %v", roles)
	}
	// Opening again changes nothing.
	c.OpenSteps(dir, bot.Workflow{Signoff: true, PlanApproval: true}, "", now, true)
	if len(c.Consensus.Signoffs) != 2 || len(c.PlanApproval.Plans) != 2 {
		t.Fatalf("opened twice: %+v %+v", c.Consensus, c.PlanApproval)
	}
	if _, err := c.Sign(dir.Actor("ben"), "研发部", "", now); bot.ErrorCode(err) != bot.CodeForbidden {
		t.Errorf("a contact signed for the head: %v", err)
	}
	if _, err := c.Sign(dir.Actor("bob"), "", "ok", now); err != nil {
		t.Fatal(err)
	}
	if _, err := c.RefuseSignoff(dir.Actor("frank"), "", "", now); bot.ErrorCode(err) != bot.CodeRequired {
		t.Errorf("refused without a reason: %v", err)
	}
	if !c.WaitsForPlan("研发部") || c.WaitsForPlan("市场部") {
		t.Error("the gate does not follow the plans")
	}
	if _, err := c.SubmitPlan(dir.Actor("ben"), "", bot.PlanForm{Method: "m"}, now); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.Participations(), bot.Participation{Person: "lily", Role: bot.RoleDecider}) {
		t.Error("leadership is not asked to decide")
	}
	if _, err := c.DecidePlan(dir.Actor("amy"), "研发部", true, "", now); bot.ErrorCode(err) != bot.CodeForbidden {
		t.Errorf("the coordinator decided: %v", err)
	}
	if _, err := c.DecidePlan(dir.Actor("lily"), "研发部", false, "", now); bot.ErrorCode(err) != bot.CodeRequired {
		t.Errorf("returned without comments: %v", err)
	}
	if _, err := c.DecidePlan(dir.Actor("lily"), "研发部", true, "", now); err != nil {
		t.Fatal(err)
	}
	// Switched off and on, what was signed and approved stays; the rest is asked anew.
	if err := c.SwitchStep(dir.Actor("ben"), bot.StepSignoff, false, now); bot.ErrorCode(err) != bot.CodeForbidden {
		t.Errorf("a contact switched a step: %v", err)
	}
	for _, step := range []string{bot.StepSignoff, bot.StepPlanApproval} {
		if err := c.SwitchStep(dir.Actor("amy"), step, false, now); err != nil {
			t.Fatal(err)
		}
	}
	if c.Consensus.Open() || c.PlanApproval.Open() || c.WaitsForPlan("财务部") || c.StepOn(bot.StepSignoff, true) {
		t.Fatal("switched off, the steps still wait")
	}
	for _, step := range []string{bot.StepSignoff, bot.StepPlanApproval} {
		if err := c.SwitchStep(dir.Actor("amy"), step, true, now); err != nil {
			t.Fatal(err)
		}
	}
	c.OpenSteps(dir, bot.Workflow{}, "", now, true)
	if s := c.Consensus.Signoffs; s[0].Status != bot.SignoffSigned || s[1].Status != bot.SignoffPending {
		t.Errorf("signatures after switching back on: %+v", s)
	}
	if p := c.PlanApproval; p.Plan("研发部").Status != bot.PlanApproved || p.Plan("财务部").Status != bot.PlanAwaiting {
		t.Errorf("plans after switching back on: %+v %+v", p.Plan("研发部"), p.Plan("财务部"))
	}
}

// TestPlanGateEveryPath: while 研发部 waits for its plan, an action item
// of the minutes is still recorded (the minutes are not lost) but cannot
// start, and the department cannot deliver; once approved it can.
func TestPlanGateEveryPath(t *testing.T) {
	c, dir, now := activeWithSteps(t)
	after := now.Add(26 * time.Hour) // the kickoff has started
	if err := c.RecordMinutes(dir, dir.Actor("amy"), 1, []string{"范围确定"},
		[]bot.ActionItem{{Task: bot.Task{ID: 9, Title: "联调", Owner: "ben", Due: after.Add(72 * time.Hour)}}}, nil, after); err != nil {
		t.Fatal(err)
	}
	task, err := c.Task(9)
	if err != nil || task.Status != bot.TaskTodo || task.Department != "研发部" {
		t.Fatalf("action item: %+v %v", task, err)
	}
	waits := func(err error) bool {
		e := (*bot.Error)(nil)
		return errors.As(err, &e) && e.Msg.Key == "refuse.plan.work_waits" && e.Msg.Args["department"] == "研发部"
	}
	if err := c.SetTaskStatus(dir.Actor("ben"), 9, bot.TaskInProgress, "", after); !waits(err) {
		t.Errorf("the action item started before the plan: %v", err)
	}
	for _, items := range [][]bot.Deliverable{{{Name: "接口文档", Tasks: []bot.TaskID{9}}}, {{Name: "接口文档"}}} {
		if err := c.Deliver(dir.Actor("ben"), items, "已自检", after); !waits(err) {
			t.Errorf("delivered %+v before the plan: %v", items, err)
		}
	}
	if _, err := c.SubmitPlan(dir.Actor("ben"), "研发部", bot.PlanForm{Method: "m"}, after); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DecidePlan(dir.Actor("lily"), "研发部", true, "", after); err != nil {
		t.Fatal(err)
	}
	if err := c.SetTaskStatus(dir.Actor("ben"), 9, bot.TaskInProgress, "", after); err != nil {
		t.Errorf("after approval: %v", err)
	}
}
