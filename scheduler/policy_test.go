package scheduler_test

import (
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
