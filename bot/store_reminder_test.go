package bot

import (
	"testing"
	"time"
)

func TestReminderRecordable(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	r, err := Reminder{Timer: "ack", Entity: "COL-1/研发部", Slot: "2026-11-24"}.Recordable(now)
	if err != nil || !r.At.Equal(now) || r.Outcome != ReminderSent {
		t.Fatalf("defaults: %+v, %v", r, err)
	}
	kept, _ := Reminder{Timer: "ack", Entity: "x", Slot: "s", At: now.Add(-time.Hour), Outcome: ReminderMissed}.Recordable(now)
	if !kept.At.Equal(now.Add(-time.Hour)) || kept.Outcome != ReminderMissed {
		t.Errorf("set values changed: %+v", kept)
	}
	for _, bad := range []Reminder{{Entity: "x", Slot: "s"}, {Timer: "t", Slot: "s"}, {Timer: "t", Entity: "x"}} {
		if _, err := bad.Recordable(now); err == nil {
			t.Errorf("%+v recordable", bad)
		}
	}
}
