package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/scheduler"
)

// TestTypeTimersFromConfig: the collaboration types' timers come from the
// configuration, whose defaults are the scheduler's.
func TestTypeTimersFromConfig(t *testing.T) {
	p, want := policy(config.DefaultTimers()), scheduler.DefaultPolicy()
	if p.ResourceReturn != want.ResourceReturn || p.ReadReceipt != want.ReadReceipt || p.Resolution != want.Resolution {
		t.Errorf("from the default configuration: %+v %+v %+v, want %+v %+v %+v", p.ResourceReturn, p.ReadReceipt, p.Resolution,
			want.ResourceReturn, want.ReadReceipt, want.Resolution)
	}
	timers := config.DefaultTimers()
	timers.ReadReceipt.Enabled = false
	if policy(timers).ReadReceipt.On {
		t.Error("read_receipt.enabled: false is ignored")
	}
}

// TestResolutionTimerFromConfig: a problem's resolution chase is set in
// the workspace's configuration like every other timer, and a bad value
// is refused naming its key.
func TestResolutionTimerFromConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		path := filepath.Join(dir, "collabot.yaml")
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	cfg, err := config.Load(write("timers:\n  resolution:\n    escalate_after: 3bd\n"), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if got := policy(cfg.Timers).Resolution; !got.On || got.EscalateAfter.String() != "3bd" {
		t.Errorf("timers.resolution.escalate_after: 3bd gave %+v", got)
	}
	cfg, err = config.Load(write("timers:\n  resolution:\n    enabled: false\n"), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if policy(cfg.Timers).Resolution.On {
		t.Error("timers.resolution.enabled: false is ignored")
	}
	_, err = config.Load(write("timers:\n  resolution:\n    escalate_after: soon\n"), func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "timers.resolution.escalate_after") {
		t.Errorf("a bad resolution delay: %v, want an error naming timers.resolution.escalate_after", err)
	}
}
