package main

import (
	"strings"
	"testing"
)

// TestTick evaluates the scheduler at an instant over the export fixture
// (COL-1 active since 2020-06-01, ben's T-1 due 2020-06-04): a dry run
// shows what is due and records nothing, the real run queues it, and a
// second run finds everything recorded.
func TestTick(t *testing.T) {
	cfg, db := exportFixture(t)
	at := "2020-06-08T17:00:00+08:00" // a Monday
	cases := []struct {
		name  string
		args  []string
		wants []string
	}{
		{"dry run", []string{"--dry-run"}, []string{"(dry run: nothing recorded)", "→ @ben (DM) would queue: 📝 今日进度 2020-06-08",
			"→ @ben (DM) would queue: COL-1 · 🔴 任务逾期 T-1", "→ @ben (DM) would queue: COL-1 · 🔺 任务逾期上报 T-1", "0 already recorded"}},
		{"queues", nil, []string{"→ @ben (DM) queued: 📝 今日进度 2020-06-08", "→ @amy (DM) queued: COL-1 · 📊 每周进度", "5 queued"}},
		{"twice changes nothing", nil, []string{"0 queued", "5 already recorded"}},
		{"a later dry run", []string{"--dry-run"}, []string{"0 would queue"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := exportCLIAs(t, "tick", db, append([]string{"--config", cfg, "--at", at}, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			for _, w := range c.wants {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	code, _, errOut := exportCLIAs(t, "tick", db, "--config", cfg, "--at", "tomorrow")
	if code != 2 || !strings.Contains(errOut, "RFC 3339") {
		t.Errorf("a bad --at: exit %d, %q", code, errOut)
	}
}
