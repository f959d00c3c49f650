package main

import (
	"testing"

	"github.com/collabot/collabot/internal/config"
	"github.com/collabot/collabot/scheduler"
)

// TestTypeTimersFromConfig: the collaboration types' timers come from the
// configuration, whose defaults are the scheduler's.
func TestTypeTimersFromConfig(t *testing.T) {
	p, want := policy(config.DefaultTimers()), scheduler.DefaultPolicy()
	if p.ResourceReturn != want.ResourceReturn || p.ReadReceipt != want.ReadReceipt {
		t.Errorf("from the default configuration: %+v %+v, want %+v %+v", p.ResourceReturn, p.ReadReceipt, want.ResourceReturn, want.ReadReceipt)
	}
	timers := config.DefaultTimers()
	timers.ReadReceipt.Enabled = false
	if policy(timers).ReadReceipt.On {
		t.Error("read_receipt.enabled: false is ignored")
	}
}
