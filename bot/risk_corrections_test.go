package bot_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// TestEscalatedRiskStandsDown: leadership, told of a high-severity risk,
// is told once when it is lowered below high or resolved, with who and
// why; a risk raised to high again after it was lowered is escalated
// again.
func TestEscalatedRiskStandsDown(t *testing.T) {
	type step struct {
		actor string
		do    func(w *world, a bot.Actor) error
	}
	severity := func(sev bot.Severity, reason string) func(w *world, a bot.Actor) error {
		return func(w *world, a bot.Actor) error { return w.c.SetSeverity(w.dir, a, 1, sev, reason, t0) }
	}
	resolve := func(w *world, a bot.Actor) error { return w.c.ResolveRisk(a, 1, "已切换备用环境", t0) }
	tests := []struct {
		name  string
		steps []step
		want  []string // notices of the last step
		lack  []string
		note  string // the last step's timeline note
	}{
		{"lowered", []step{{"ben", severity(bot.SeverityHigh, "影响上线")}, {"amy", severity(bot.SeverityLow, "已有备用环境")}},
			[]string{"risk_severity_changed→@ben", "risk_downgraded→@lily"}, []string{"risk_severity_changed→@lily"},
			"severity: high → low; reason: — → 已有备用环境"},
		{"lowered to medium", []step{{"ben", severity(bot.SeverityHigh, "影响上线")}, {"ben", severity(bot.SeverityMedium, "影响变小")}},
			[]string{"risk_severity_changed→@amy", "risk_downgraded→@lily"}, nil, "severity: high → medium"},
		{"resolved", []step{{"ben", severity(bot.SeverityHigh, "影响上线")}, {"ben", resolve}},
			[]string{"risk_resolved→@amy", "risk_escalation_resolved→@lily"}, nil, "已切换备用环境"},
		{"never escalated", []step{{"ben", severity(bot.SeverityLow, "影响小")}, {"ben", resolve}},
			nil, []string{"risk_escalation_resolved→@lily", "risk_downgraded→@lily"}, ""},
		{"resolved after it was lowered", []step{{"ben", severity(bot.SeverityHigh, "影响上线")}, {"ben", severity(bot.SeverityLow, "有备用")}, {"ben", resolve}},
			nil, []string{"risk_escalation_resolved→@lily"}, ""},
		{"raised again after it was lowered", []step{{"ben", severity(bot.SeverityHigh, "影响上线")}, {"ben", severity(bot.SeverityLow, "有备用")},
			{"ben", severity(bot.SeverityHigh, "备用也挂了")}}, []string{"risk_escalated→@lily"}, nil, "reason: — → 备用也挂了"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := at(t, bot.StatusActive)
			for _, s := range tt.steps[:len(tt.steps)-1] {
				w.must(s.do(w, w.as(s.actor)))
			}
			last := tt.steps[len(tt.steps)-1]
			if err := last.do(w, w.as(last.actor)); err != nil {
				t.Fatal(err)
			}
			got := sent(w, w.told)
			for _, n := range tt.want {
				if countOf(got, n) != 1 {
					t.Errorf("want %s once: %v", n, got)
				}
			}
			for _, n := range tt.lack {
				if countOf(got, n) != 0 {
					t.Errorf("did not want %s: %v", n, got)
				}
			}
			if !strings.Contains(timelineNotes(w), tt.note) {
				t.Errorf("timeline lacks %q: %s", tt.note, timelineNotes(w))
			}
		})
	}
}

// TestStandDownSaysWhoAndWhy: the notice to leadership carries who
// changed the risk and the reason.
func TestStandDownSaysWhoAndWhy(t *testing.T) {
	w := at(t, bot.StatusActive)
	w.must(w.c.SetSeverity(w.dir, w.as("ben"), 1, bot.SeverityHigh, "影响上线", t0))
	w.must(w.c.SetSeverity(w.dir, w.as("ben"), 1, bot.SeverityLow, "已有备用环境", t0))
	_, notices, _ := w.c.Pending()
	n := notices[len(notices)-1]
	if n.Kind != "risk_downgraded" || n.Params["by"] != "ben" || n.Params["reason"] != "已有备用环境" || n.Params["before"] != "high" || n.Params["severity"] != "low" {
		t.Errorf("notice = %+v", n)
	}
}

// TestRiskHandedOver: a new owner is told the risk is theirs and their
// time to respond starts then; the former owner that it is not.
func TestRiskHandedOver(t *testing.T) {
	w := at(t, bot.StatusActive)
	later := t0.Add(30 * time.Hour)
	if err := w.c.SetRiskOwner(w.dir, w.as("amy"), 1, "bella", later); err != nil {
		t.Fatal(err)
	}
	got := sent(w, w.told)
	if !containsInOrder(got, []string{"risk_handed_over→@bella", "risk_released→@ben"}) {
		t.Errorf("notices = %v", got)
	}
	if note := lastEntry(w).Note; note != "owner: ben → bella" {
		t.Errorf("note = %q", note)
	}
	r, _ := w.c.Risk(1)
	if r.Owner != "bella" || !r.ResponseFrom().Equal(later) {
		t.Errorf("risk = %+v", r)
	}
	if err := w.c.SetRiskOwner(w.dir, w.as("amy"), 1, "bella", later); bot.ErrorCode(err) != bot.CodeAlreadyDone {
		t.Errorf("same owner: %v", err)
	}
}

// TestRiskCorrectionsTraced: department, expected date and description
// are traced before → after, and the owner is told.
func TestRiskCorrectionsTraced(t *testing.T) {
	tests := []struct {
		name string
		do   func(w *world, a bot.Actor) error
		note string
	}{
		{"department", func(w *world, a bot.Actor) error { return w.c.SetRiskDepartment(w.dir, a, 1, "finance", t0) }, "department: 研发部 → 财务部"},
		{"expected date", func(w *world, a bot.Actor) error { return w.c.SetRiskDue(a, 1, day(3), "供应商排期", t0) },
			"due: — → 2026-11-26 10:00; reason: — → 供应商排期"},
		{"description", func(w *world, a bot.Actor) error { return w.c.DescribeRisk(a, 1, "测试环境每天宕机", t0) },
			"description: 测试环境不稳定 → 测试环境每天宕机"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := at(t, bot.StatusActive)
			if err := tt.do(w, w.as("amy")); err != nil {
				t.Fatal(err)
			}
			if note := lastEntry(w).Note; note != tt.note {
				t.Errorf("note = %q, want %q", note, tt.note)
			}
			if got := sent(w, w.told); countOf(got, "risk_revised→@ben") != 1 {
				t.Errorf("notices = %v", got)
			}
		})
	}
}

// TestRiskReopened: a resolved risk goes back on the register, the owner
// must respond again, and the owner and the coordinator are told — and
// leadership when it is of high severity.
func TestRiskReopened(t *testing.T) {
	w := at(t, bot.StatusActive)
	w.must(w.c.SetSeverity(w.dir, w.as("ben"), 1, bot.SeverityHigh, "影响上线", t0))
	w.must(w.c.ResolveRisk(w.as("ben"), 1, "已切换", t0))
	var refusal *bot.Error
	if err := w.c.RespondRisk(w.as("ben"), 1, "x", time.Time{}, t0); !errors.As(err, &refusal) || refusal.Msg.Key != "refuse.risk.already_resolved" {
		t.Errorf("respond to a resolved risk: %v", err)
	}
	later := t0.Add(2 * time.Hour)
	if err := w.c.ReopenRisk(w.dir, w.as("amy"), 1, "备用环境也不稳定", later); err != nil {
		t.Fatal(err)
	}
	got := sent(w, w.told)
	for _, n := range []string{"risk_reopened→@ben", "risk_reopened→@lily"} {
		if countOf(got, n) != 1 {
			t.Errorf("want %s once: %v", n, got)
		}
	}
	if !strings.Contains(timelineNotes(w), "risk_reopened R-1: 备用环境也不稳定") {
		t.Errorf("timeline = %s", timelineNotes(w))
	}
	r, _ := w.c.Risk(1)
	if r.Status != bot.RiskOpen || r.Resolution != "" || !r.ResponseFrom().Equal(later) || !r.Escalated {
		t.Errorf("risk = %+v", r)
	}
}
