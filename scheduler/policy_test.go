package scheduler_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/scheduler"
)

func TestParseOverride(t *testing.T) {
	cases := []struct {
		timer, value    string
		name, canonical string
		ok              bool
	}{
		{"ack", "2bd", "acknowledgement", "2bd", true},
		{"进度", "18:30", "daily_progress", "18:30", true},
		{"daily_progress", "关", "daily_progress", "off", true},
		{"all", "OFF", "all", "off", true},
		{"全部", "开", "all", "on", true},
		{"all", "2h", "", "", false},
		{"daily_progress", "25:00", "", "", false},
		{"acknowledgement", "soon", "", "", false},
		{"acknowledgement", "0h", "", "", false},
		{"lunch", "on", "", "", false},
	}
	for _, c := range cases {
		name, canonical, err := scheduler.ParseOverride(c.timer, c.value)
		if (err == nil) != c.ok || name != c.name || canonical != c.canonical {
			t.Errorf("ParseOverride(%q, %q) = %q, %q, %v; want %q, %q, ok=%v", c.timer, c.value, name, canonical, err, c.name, c.canonical, c.ok)
		}
	}
}

func TestPolicyFor(t *testing.T) {
	p := scheduler.DefaultPolicy()
	c := &bot.Collaboration{Reminders: map[string]string{"all": "off", "daily_progress": "18:30", "agenda": "nonsense"}}
	got := p.For(c)
	if got.Acknowledgement.On || got.Agenda.On || got.WeeklySummary.On {
		t.Errorf("all off left some on: %+v", got)
	}
	if !got.DailyProgress.On || got.DailyProgress.At != 18*time.Hour+30*time.Minute {
		t.Errorf("daily progress = %+v, want on at 18:30", got.DailyProgress)
	}
	if p.For(&bot.Collaboration{}) != p {
		t.Error("a collaboration without settings changed the policy")
	}
}

// TestTimersOfAType: a collaboration lists and tunes only the timers of
// its steps, its type's own among them.
func TestTimersOfAType(t *testing.T) {
	for _, tt := range []struct {
		steps       []string
		has, hasNot []string
	}{
		{nil, []string{"acknowledgement", "agenda", "signoff", "risk_response"}, []string{"resource_return", "resolution", "read_receipt"}},
		{[]string{bot.StepAcknowledgement, bot.StepApproval, bot.StepReturn}, []string{"acknowledgement", "resource_return", "risk_response"}, []string{"agenda", "acceptance", "resolution"}},
		{[]string{bot.StepAcknowledgement, bot.StepResolution}, []string{"acknowledgement", "needs_info", "resolution"}, []string{"agenda", "retrospective", "plan_decision", "read_receipt"}},
		{[]string{bot.StepReadReceipt}, []string{"read_receipt", "risk_response"}, []string{"acknowledgement", "minutes", "resource_return"}},
	} {
		c := &bot.Collaboration{ID: 4, Steps: tt.steps}
		got := scheduler.TimersOf(c)
		for _, name := range tt.has {
			if !slices.Contains(got, name) {
				t.Errorf("steps %v: timers %v lack %s", tt.steps, got, name)
			}
			if _, _, err := scheduler.ParseOverrideFor(c, name, "on"); err != nil {
				t.Errorf("steps %v: %s refused: %v", tt.steps, name, err)
			}
		}
		for _, name := range tt.hasNot {
			if slices.Contains(got, name) {
				t.Errorf("steps %v: timers %v list %s", tt.steps, got, name)
			}
			var oe *scheduler.OverrideError
			if _, _, err := scheduler.ParseOverrideFor(c, name, "2bd"); !errors.As(err, &oe) || oe.Kind != "timer" {
				t.Errorf("steps %v: %s not refused as no such timer: %v", tt.steps, name, err)
			}
		}
	}
}
