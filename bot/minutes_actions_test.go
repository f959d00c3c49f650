package bot_test

import (
	"errors"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// TestActionItemRefusalsNameTheItem: an action item the minutes cannot
// turn into a task is refused in the minutes' words, naming the item,
// both when the engine checks the answer (CheckActionItems) and at the
// commit (RecordMinutes); nothing is recorded.
func TestActionItemRefusalsNameTheItem(t *testing.T) {
	after := day(1).Add(2 * time.Hour)
	good := bot.ActionItem{Task: bot.Task{ID: 20, Title: "补充接口文档", Owner: "ben", Due: day(5)}}
	for _, tc := range []struct {
		name    string
		item    bot.Task
		code    bot.Code
		problem string
	}{
		{"owner outside", bot.Task{ID: 21, Title: "准备运营方案", Owner: "oscar", Due: day(6)}, bot.CodeUnknownDept, "refuse.meeting.action_outside"},
		{"past due", bot.Task{ID: 21, Title: "修复登录", Owner: "ben", Due: day(-3)}, bot.CodeDueInPast, "refuse.meeting.action_due_past"},
		{"no title", bot.Task{ID: 21, Title: " ", Owner: "ben", Due: day(6)}, bot.CodeRequired, "refuse.required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := at(t, bot.StatusActive)
			bad := bot.ActionItem{Task: tc.item}
			check := func(err error) {
				t.Helper()
				var e *bot.Error
				if !errors.As(err, &e) {
					t.Fatalf("err = %v", err)
				}
				problem, _ := e.Msg.Args["problem"].(bot.Msg)
				if e.Code != tc.code || e.Field != "actions" || e.Msg.Key != "refuse.meeting.action_item" || e.Msg.Args["n"] != 2 ||
					(tc.problem != "refuse.required" && problem.Key != tc.problem) {
					t.Errorf("refusal = %+v", e)
				}
			}
			noID := bad
			noID.Task.ID = 0
			check(w.c.CheckActionItems(w.dir, []bot.ActionItem{{Task: bot.Task{Title: good.Task.Title, Owner: "ben", Due: day(5)}}, noID}, after))
			check(w.c.RecordMinutes(w.dir, w.as("amy"), 1, []string{"范围确定"}, []bot.ActionItem{good, bad}, nil, after))
			if m, _ := w.c.Meeting(1); m.Minutes != nil || len(w.c.Tasks) != 1 {
				t.Errorf("recorded: %+v, %d tasks", m.Minutes, len(w.c.Tasks))
			}
		})
	}
	w := at(t, bot.StatusActive)
	if err := w.c.CheckActionItems(w.dir, []bot.ActionItem{{Task: bot.Task{Title: "补充接口文档", Owner: "fiona", Due: day(5)}}}, after); err != nil {
		t.Errorf("a good item: %v", err)
	}
}
