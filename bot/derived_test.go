package bot_test

import (
	"slices"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

func TestTaskOverdueIsDerived(t *testing.T) {
	due := day(5)
	tests := []struct {
		name   string
		status bot.TaskStatus
		now    time.Time
		want   bot.TaskStatus
	}{
		{"before due", bot.TaskInProgress, due.Add(-time.Minute), bot.TaskInProgress},
		{"at the due instant", bot.TaskTodo, due, bot.TaskTodo},
		{"past due", bot.TaskInProgress, due.Add(time.Minute), bot.TaskOverdue},
		{"past due while blocked", bot.TaskBlocked, due.Add(time.Hour), bot.TaskOverdue},
		{"done late is done", bot.TaskDone, due.Add(48 * time.Hour), bot.TaskDone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			task := &bot.Task{Status: tt.status, Due: due}
			if got := task.Shown(tt.now); got != tt.want {
				t.Errorf("Shown = %s, want %s", got, tt.want)
			}
			if got := task.Overdue(tt.now); got != (tt.want == bot.TaskOverdue) {
				t.Errorf("Overdue = %v", got)
			}
		})
	}
}

func TestActiveOnlyWhenEveryDepartmentAccepted(t *testing.T) {
	w := at(t, bot.StatusAwaitingAck)
	w.must(w.c.Acknowledge(w.as("ben"), "研发部", accept(), t0))
	if w.c.Status != bot.StatusAwaitingAck {
		t.Fatalf("one of two accepted: status %s", w.c.Status)
	}
	w.must(w.c.Acknowledge(w.as("fiona"), "财务部", bot.Answer{Decision: bot.AckNeedsInfo, Question: "预算上限?"}, t0))
	if w.c.Status != bot.StatusAwaitingAck {
		t.Fatalf("needs info: status %s", w.c.Status)
	}
	w.must(w.c.AnswerQuestion(w.as("amy"), "财务部", "5 万", t0.Add(time.Hour)))
	a, _ := w.c.Ack("财务部")
	if a.Status != bot.AckPending || !a.AskedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("after the answer: %+v (want pending, asked again at the answer)", a)
	}
	w.must(w.c.Acknowledge(w.as("frank"), "财务部", accept(), t0.Add(2*time.Hour)))
	if w.c.Status != bot.StatusActive || !w.c.ActivatedAt.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("all accepted: status %s at %v", w.c.Status, w.c.ActivatedAt)
	}
}

func TestNewCollaborationResolvesDepartments(t *testing.T) {
	dir := org(false)
	r := request()
	r.Departments = []bot.Assignment{{Department: "RD"}, {Department: "研发部"}, {Department: "finance", Contact: "frank"}}
	c, err := bot.NewCollaboration(dir, 7, dir.Actor("amy"), r, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := []bot.Assignment{{Department: "研发部", Contact: "ben"}, {Department: "财务部", Contact: "frank"}}
	if !slices.Equal(c.Request.Departments, want) {
		t.Errorf("departments = %+v, want %+v", c.Request.Departments, want)
	}
	if c.Coordinator != "amy" || c.RequestingDept != "市场部" || c.Status != bot.StatusDraft {
		t.Errorf("coordinator %s, requesting %s, status %s", c.Coordinator, c.RequestingDept, c.Status)
	}

	bad := []struct {
		name string
		edit func(*bot.Request)
		code bot.Code
	}{
		{"no topic", func(r *bot.Request) { r.Topic = "  " }, bot.CodeRequired},
		{"no goal", func(r *bot.Request) { r.Goal = "" }, bot.CodeRequired},
		{"no requirements", func(r *bot.Request) { r.Requirements = "" }, bot.CodeRequired},
		{"no departments", func(r *bot.Request) { r.Departments = nil }, bot.CodeRequired},
		{"unknown department", func(r *bot.Request) { r.Departments = []bot.Assignment{{Department: "人事部"}} }, bot.CodeUnknownDept},
		{"own department", func(r *bot.Request) { r.Departments = []bot.Assignment{{Department: "marketing"}} }, bot.CodeInvalid},
		{"unknown contact", func(r *bot.Request) { r.Departments = []bot.Assignment{{Department: "rd", Contact: "ghost"}} }, bot.CodeUnknownPerson},
		{"unknown coordinator", func(r *bot.Request) { r.Coordinator = "ghost" }, bot.CodeUnknownPerson},
		{"due in the past", func(r *bot.Request) { r.Due = t0.Add(-time.Hour) }, bot.CodeDueInPast},
		{"due now", func(r *bot.Request) { r.Due = t0 }, bot.CodeDueInPast},
		{"no due", func(r *bot.Request) { r.Due = time.Time{} }, bot.CodeRequired},
		{"100 KB goal", func(r *bot.Request) { r.Goal = string(make([]byte, 100<<10)) + "x" }, bot.CodeInvalid},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			r := request()
			tt.edit(&r)
			_, err := bot.NewCollaboration(dir, 7, dir.Actor("amy"), r, t0)
			if got := bot.ErrorCode(err); got != tt.code {
				t.Fatalf("code = %q, want %q (%v)", got, tt.code, err)
			}
			assertRefusal(t, err)
		})
	}
}

func TestNotices(t *testing.T) {
	t.Run("submission asks every contact and tells the group", func(t *testing.T) {
		w := at(t, bot.StatusAwaitingAck)
		_, notices, _ := w.c.Pending()
		got := map[string]bool{}
		for _, n := range notices {
			got[n.Kind+" "+n.Recipient()] = true
		}
		for _, want := range []string{"ack_requested @ben", "ack_requested @fiona", "request_submitted group"} {
			if !got[want] {
				t.Errorf("missing notice %q in %v", want, got)
			}
		}
	})
	t.Run("high risk goes to leadership at once", func(t *testing.T) {
		w := at(t, bot.StatusActive)
		w.c.Committed(w.c.Version + 1)
		w.must(w.c.RaiseRisk(w.dir, w.as("ben"), bot.Risk{ID: 2, Description: "核心接口不可用", Impact: "上线延期",
			Severity: bot.SeverityHigh, Department: "研发部", Owner: "bob"}, t0))
		timeline, notices, _ := w.c.Pending()
		var to []string
		for _, n := range notices {
			if n.Kind == "risk_escalated" {
				to = append(to, string(n.To))
			}
		}
		slices.Sort(to)
		if !slices.Equal(to, []string{"amy", "lily"}) {
			t.Errorf("escalated to %v, want leadership lily and coordinator amy", to)
		}
		if !slices.ContainsFunc(timeline, func(e bot.TimelineEntry) bool { return e.Action == "risk_escalated" }) {
			t.Error("escalation left no timeline entry")
		}
	})
	t.Run("keys are unique and name the version", func(t *testing.T) {
		w := at(t, bot.StatusActive)
		_, notices, _ := w.c.Pending()
		seen := map[string]bool{}
		for _, n := range notices {
			if seen[n.Key] {
				t.Errorf("duplicate key %s", n.Key)
			}
			seen[n.Key] = true
		}
		w.c.Committed(1)
		w.must(w.c.SetTaskStatus(w.as("ben"), 1, bot.TaskNeedsHelp, "缺账号", t0))
		_, after, _ := w.c.Pending()
		if len(after) == 0 || seen[after[0].Key] || after[0].Key[:7] != "COL-1/v" {
			t.Errorf("a later change reused or malformed a key: %+v", after)
		}
	})
	t.Run("minutes action items become tasks", func(t *testing.T) {
		w := at(t, bot.StatusActive)
		w.must(minutes(day(1).Add(2*time.Hour))(w, w.as("amy")))
		task, err := w.c.Task(20)
		if err != nil {
			t.Fatal(err)
		}
		if task.Owner != "fiona" || task.Department != "财务部" || task.Source != "M-1" || task.Status != bot.TaskTodo {
			t.Errorf("action item task = %+v", task)
		}
		m, _ := w.c.Meeting(1)
		if got := m.Unconfirmed(); !slices.Equal(got, []bot.PersonID{"ben", "fiona"}) {
			t.Errorf("unconfirmed = %v (the organiser confirms by recording)", got)
		}
	})
}

func TestRisksOnAcceptanceEnterTheRegister(t *testing.T) {
	w := at(t, bot.StatusAwaitingAck)
	ans := bot.Answer{Decision: bot.AckAccepted, Scope: "接口", Risks: "测试环境与大促冲突"}
	if err := w.c.Acknowledge(w.as("ben"), "研发部", ans, t0); bot.ErrorCode(err) != bot.CodeInvalid {
		t.Fatalf("risks without a register number: %v", err)
	}
	ans.RiskID = 5
	w.must(w.c.Acknowledge(w.as("ben"), "研发部", ans, t0))
	r, err := w.c.Risk(5)
	if err != nil {
		t.Fatal(err)
	}
	if r.Department != "研发部" || r.Owner != "ben" || r.Status != bot.RiskOpen || r.Description != "测试环境与大促冲突" {
		t.Errorf("risk = %+v", r)
	}
	_, notices, _ := w.c.Pending()
	if !slices.ContainsFunc(notices, func(n bot.Notice) bool { return n.Kind == "risk_raised_on_ack" && n.To == "amy" }) {
		t.Error("the coordinator was not told of the risk")
	}
}

func TestNewcomer(t *testing.T) {
	p := bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: "U42"}, "  ", bot.English)
	if p.ID != "slack:U42" || p.Name != "U42" || !p.Registered || p.Lang != bot.English {
		t.Errorf("newcomer = %+v", p)
	}
	if id, ok := p.Identity(bot.Slack); !ok || id != "U42" {
		t.Errorf("identity = %q, %v", id, ok)
	}
}

func TestRecordsDoNotShareMemoryWithCallers(t *testing.T) {
	w := at(t, bot.StatusActive)
	items := []bot.Deliverable{{Name: " 报告 "}}
	w.must(w.c.Deliver(w.as("ben"), items, "ok", t0))
	if items[0].Name != " 报告 " {
		t.Errorf("the caller's slice was rewritten: %q", items[0].Name)
	}
	items[0].Name = "changed later"
	if got := w.c.Deliveries[0].Items[0].Name; got != "报告" {
		t.Errorf("delivery item = %q", got)
	}
}
