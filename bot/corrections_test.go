package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// sent lists "kind→recipient" of the notices pending since the setup.
func sent(w *world, skip int) []string {
	_, notices, _ := w.c.Pending()
	var out []string
	for _, n := range notices[skip:] {
		out = append(out, n.Kind+"→"+n.Recipient())
	}
	return out
}

func pendingNotices(w *world) int {
	_, n, _ := w.c.Pending()
	return len(n)
}

func lastEntry(w *world) bot.TimelineEntry {
	entries, _, _ := w.c.Pending()
	return entries[len(entries)-1]
}

// TestCorrectionsTellWhoTheyAffect: each correction leaves a before →
// after trace and notifies the people it concerns, never the one acting.
func TestCorrectionsTellWhoTheyAffect(t *testing.T) {
	tests := []struct {
		name  string
		stage bot.CollabStatus
		actor string
		do    func(w *world, a bot.Actor) error
		want  []string // notices, in order
		note  string   // in the last timeline entry
	}{
		{"edit while departments answer: replace 财务部 by 运营部", bot.StatusAwaitingAck, "amy", func(w *world, a bot.Actor) error {
			r := w.c.Request
			r.Departments = []bot.Assignment{{Department: "研发部"}, {Department: "运营部"}}
			r.Topic = "新品推广接口联调"
			_, err := w.c.EditRequest(w.dir, a, r, t0)
			return err
		}, []string{"department_released→@fiona", "request_edited→@ben", "ack_requested→@oscar"},
			"topic: 新品推广接口调试 → 新品推广接口联调; departments: 研发部, 财务部 → 研发部, 运营部"},
		{"edit in review tells the reviewer", bot.StatusInReview, "amy", edit, []string{"request_edited→@alice"}, "goal: "},
		{"a new contact is asked after a decline", bot.StatusAwaitingAck, "amy", func(w *world, a bot.Actor) error {
			w.must(w.c.Acknowledge(w.as("fiona"), "财务部", bot.Answer{Decision: bot.AckDeclined, Reason: "无预算", Alternative: "问 frank"}, t0))
			return w.c.ChangeContact(w.dir, a, "财务部", "frank", t0)
		}, []string{"contact_replaced→@fiona", "ack_requested→@frank"}, "contact: fiona → frank"},
		{"hand over the coordination", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.ChangeCoordinator(w.dir, a, "mark", t0)
		}, []string{"coordinator_assigned→@mark"}, "coordinator: amy → mark"},
		{"the head re-dates a task", bot.StatusActive, "bob", func(w *world, a bot.Actor) error {
			return w.c.MoveTask(a, 1, day(8), "等测试环境", 0, t0)
		}, []string{"task_moved→@ben", "task_moved→@amy"}, "due: 2026-11-28 10:00 → 2026-12-01 10:00; reason: — → 等测试环境"},
		{"a date-move request goes to the coordinator, the approval to the owner", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			w.must(w.c.RequestDueChange(w.as("ben"), 1, day(8), "等测试环境", t0))
			return w.c.DecideDueChange(a, 1, true, "", t0)
		}, []string{"due_change_approved→@ben"}, "reason: — → 等测试环境"},
		{"reassign to another department's person", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.ReassignTask(w.dir, a, 1, "fiona", "", t0)
		}, []string{"task_assigned→@fiona", "task_released→@ben"}, "owner: ben → fiona; department: 研发部 → 财务部"},
		{"cancel a task", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.CancelTask(a, 1, "需求取消", t0)
		}, []string{"task_cancelled→@ben", "task_cancelled→@bella"}, "需求取消"},
		{"reschedule a meeting", bot.StatusActive, "amy", func(w *world, a bot.Actor) error {
			return w.c.RescheduleMeeting(a, 1, day(2), t0)
		}, []string{"meeting_rescheduled→@ben", "meeting_rescheduled→@fiona"}, "start: 2026-11-24 10:00 → 2026-11-25 10:00"},
		{"raise a risk to high", bot.StatusActive, "ben", func(w *world, a bot.Actor) error {
			return w.c.SetSeverity(w.dir, a, 1, bot.SeverityHigh, "客户投诉", t0)
		}, []string{"risk_escalated→@lily", "risk_escalated→@amy"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := at(t, tt.stage)
			if err := tt.do(w, w.as(tt.actor)); err != nil {
				t.Fatal(err)
			}
			skip := w.told
			if got := sent(w, skip); !containsInOrder(got, tt.want) {
				t.Errorf("notices = %v, want %v", got, tt.want)
			}
			told := map[string]string{}
			for _, n := range sent(w, skip) {
				if strings.HasSuffix(n, "@"+tt.actor) {
					t.Errorf("%s was told of their own action: %s", tt.actor, n)
				}
				_, who, _ := strings.Cut(n, "→")
				if told[who] != "" {
					t.Errorf("%s was told twice of one action: %s and %s", who, told[who], n)
				}
				told[who] = n
			}
			if !strings.Contains(lastEntry(w).Note, tt.note) && !strings.Contains(timelineNotes(w), tt.note) {
				t.Errorf("timeline lacks %q: %s", tt.note, timelineNotes(w))
			}
		})
	}
}

func timelineNotes(w *world) string {
	entries, _, _ := w.c.Pending()
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(e.Action + " " + e.Subject + ": " + e.Note + "\n")
	}
	return b.String()
}

// containsInOrder reports whether want appears in got, in order.
func containsInOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// TestSeverityEscalatesOncePerRise: raising to high tells leadership;
// once they were told it was lowered, a new rise tells them again.
func TestSeverityEscalatesOncePerRise(t *testing.T) {
	w := at(t, bot.StatusActive)
	ben := w.as("ben")
	w.must(w.c.SetSeverity(w.dir, ben, 1, bot.SeverityHigh, "影响上线", t0))
	w.must(w.c.SetSeverity(w.dir, ben, 1, bot.SeverityMedium, "影响变小", t0))
	w.must(w.c.SetSeverity(w.dir, ben, 1, bot.SeverityHigh, "又变大", t0))
	if err := w.c.SetSeverity(w.dir, ben, 1, bot.SeverityHigh, "再确认", t0); bot.ErrorCode(err) != bot.CodeAlreadyDone {
		t.Fatalf("high again: %v", err)
	}
	got := sent(w, 0)
	if n := countOf(got, "risk_escalated→@lily"); n != 2 {
		t.Errorf("leadership told of %d rises: %v", n, got)
	}
	if n := countOf(got, "risk_downgraded→@lily"); n != 1 {
		t.Errorf("leadership told of %d falls: %v", n, got)
	}
	if r, _ := w.c.Risk(1); r.Severity != bot.SeverityHigh || !r.Escalated {
		t.Errorf("risk = %+v", r)
	}
}

func countOf(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestEditAsksOnlyNewDepartments: an accepted department keeps its answer
// when the requester adds another one.
func TestEditAsksOnlyNewDepartments(t *testing.T) {
	w := at(t, bot.StatusAwaitingAck)
	w.must(w.c.Acknowledge(w.as("ben"), "研发部", accept(), t0))
	r := w.c.Request
	r.Departments = append(slices.Clone(r.Departments), bot.Assignment{Department: "运营部"})
	skip := pendingNotices(w)
	if _, err := w.c.EditRequest(w.dir, w.as("amy"), r, t0); err != nil {
		t.Fatal(err)
	}
	if a, _ := w.c.Ack("研发部"); a.Status != bot.AckAccepted {
		t.Errorf("研发部 = %s, want it to keep its acceptance", a.Status)
	}
	if a, ok := w.c.Ack("运营部"); !ok || a.Status != bot.AckPending {
		t.Errorf("运营部 = %+v", a)
	}
	got := sent(w, skip)
	if countOf(got, "ack_requested→@ben") != 0 || countOf(got, "ack_requested→@fiona") != 0 || countOf(got, "ack_requested→@oscar") != 1 {
		t.Errorf("notices = %v", got)
	}
}

// TestMinutesRisksEnterTheRegister: a risk named in the minutes becomes a
// register entry the coordinator answers for.
func TestMinutesRisksEnterTheRegister(t *testing.T) {
	w := at(t, bot.StatusActive)
	after := day(1).Add(2 * 60 * 60 * 1e9)
	err := w.c.RecordMinutes(w.dir, w.as("amy"), 1, []string{"范围确定"}, nil,
		[]bot.Risk{{ID: 7, Description: "测试账号不足"}}, after)
	if err != nil {
		t.Fatal(err)
	}
	r, err := w.c.Risk(7)
	if err != nil {
		t.Fatal(err)
	}
	if r.Source != "M-1" || r.Owner != "amy" || r.Status != bot.RiskOpen || r.Severity != bot.SeverityMedium {
		t.Errorf("risk = %+v", r)
	}
	m, _ := w.c.Meeting(1)
	if !slices.Equal(m.Minutes.RiskIDs, []bot.RiskID{7}) {
		t.Errorf("minutes risk ids = %v", m.Minutes.RiskIDs)
	}
}
