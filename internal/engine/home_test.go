package engine_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// homeOf opens p's home page as a platform does when they open the app.
func (h *harness) homeOf(p bot.PersonID) *bot.Home {
	h.t.Helper()
	home, err := h.eng.HomeOpened(context.Background(), bot.Message{Workspace: h.ws, Platform: bot.Console,
		From: bot.Identity{Platform: bot.Console, ID: string(p)}})
	if err != nil {
		h.t.Fatal(err)
	}
	return home
}

// homeRows are the home refreshes queued for anyone, due by at.
func (h *harness) homeRows(at time.Time) []bot.Queued {
	h.t.Helper()
	due, err := h.store.DueNotices(context.Background(), at, 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []bot.Queued
	for _, q := range due {
		if q.Notice.Kind == bot.KindHome {
			out = append(out, q)
		}
	}
	return out
}

func item(home *bot.Home, kind, ref string) (bot.HomeItem, bool) {
	for _, s := range home.Sections {
		if s.Kind != kind {
			continue
		}
		for _, it := range s.Items {
			if it.Ref == ref {
				return it, true
			}
		}
	}
	return bot.HomeItem{}, false
}

func commands(it bot.HomeItem) string {
	var cs []string
	for _, b := range it.Buttons {
		cs = append(cs, b.Action+":"+b.Value)
	}
	return strings.Join(cs, " | ")
}

// TestHomeShowsWhatWaits: the page lists the acknowledgement a contact
// owes with the notice's buttons, the tasks of their owner with 🔴🟡🟢
// and start/done buttons, and what the coordinator coordinates; the
// chat's bare 确认 lists the same waits from the same rule.
func TestHomeShowsWhatWaits(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	ben := h.homeOf("ben")
	ack, ok := item(ben, "acks", "COL-1")
	if !ok {
		t.Fatalf("ben's home lacks the acknowledgement: %+v", ben)
	}
	if got := commands(ack); got != "command:ack COL-1 研发部 accept | command:ack COL-1 研发部 decline | command:ack COL-1 研发部 info" {
		t.Errorf("acknowledgement buttons: %s", got)
	}
	mustContain(t, h.chat(":as ben\n确认\n"), "COL-1", "研发部")

	h.chat(":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n" +
		":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n")
	ben = h.homeOf("ben")
	if _, ok := item(ben, "acks", "COL-1"); ok {
		t.Error("an acknowledgement given still waits on the home page")
	}
	task, ok := item(ben, "tasks", "T-1")
	if !ok || task.Emoji != "🟢" || !strings.Contains(commands(task), "command:task T-1 start") {
		t.Fatalf("ben's task: %+v (home %+v)", task, ben)
	}
	amy := h.homeOf("amy")
	if _, ok := item(amy, "coordinating", "COL-1"); !ok {
		t.Errorf("amy coordinates COL-1, her home says %+v", amy)
	}
	h.clock.Set("2026-12-11 10:00", h.cfg.Location())
	if task, _ := item(h.homeOf("ben"), "tasks", "T-1"); task.Emoji != "🔴" {
		t.Errorf("an overdue task shows %q", task.Emoji)
	}
}

// TestHomeRefreshCoalesces: once someone opened their home, a saved
// change that concerns them queues one refresh per few seconds however
// many changes there are, due when they are over, and rendered then with
// the page as it is; people who never opened theirs get none.
func TestHomeRefreshCoalesces(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	if rows := h.homeRows(monday.Add(time.Hour)); len(rows) != 0 {
		t.Fatalf("%d refreshes before anyone opened a home", len(rows))
	}
	h.homeOf("ben")
	var script strings.Builder
	script.WriteString(":as ben\n")
	for i := 0; i < 25; i++ {
		script.WriteString("任务 T-1 开始\n任务 T-1 求助\n")
	}
	h.chat(script.String())
	rows := h.homeRows(h.clock.Now().Add(time.Hour))
	if len(rows) != 1 || rows[0].Notice.To != "ben" {
		t.Fatalf("50 changes queued %d refreshes: %+v", len(rows), rows)
	}
	if early := h.homeRows(h.clock.Now()); len(early) != 0 {
		t.Errorf("the refresh is due at once, not after the changes gather")
	}
	n, err := h.eng.Notification(context.Background(), h.ws, rows[0].Notice)
	if err != nil {
		t.Fatal(err)
	}
	task, ok := item(n.Home, "tasks", "T-1")
	now := h.collab(1).Tasks[0].Shown(h.clock.Now()).Label(bot.Chinese)
	if n.Kind != bot.KindHome || !ok || !strings.Contains(task.Text, now) {
		t.Fatalf("refresh renders %+v", n.Home)
	}
	if len(n.Accounts) != 1 || n.Accounts[0].Platform != bot.Console {
		t.Errorf("a refresh goes to the platform the home was opened on, not %v", n.Accounts)
	}
}

// TestOneTapAndDetails: accepting an acknowledgement is a form the
// command fills (OneTap), committed as it is; its answer offers the
// details, whose form is always asked and adds them to the acceptance.
// Declining is never one tap.
func TestOneTapAndDetails(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	ctx := context.Background()
	click := func(who, cmd string) bot.Message {
		return bot.Message{Workspace: h.ws, Platform: bot.Console, Channel: "dm", Direct: true,
			From: bot.Identity{Platform: bot.Console, ID: who}, Action: &bot.Action{ID: "command", Value: cmd}}
	}
	if f, err := h.eng.FormFor(ctx, click("ben", "ack COL-1 decline")); err != nil || f == nil || f.OneTap {
		t.Fatalf("decline: %+v %v", f, err)
	}
	f, err := h.eng.FormFor(ctx, click("ben", "ack COL-1 accept"))
	if err != nil || f == nil || !f.OneTap {
		t.Fatalf("accept: %+v %v", f, err)
	}
	m := click("ben", "ack COL-1 accept")
	m.EventID = "tap1"
	res, err := h.eng.Submit(ctx, m, bot.Submission{Form: f.Name, Target: f.Target, Values: map[string][]string{"decision": {"accept"}}})
	if err != nil || !res.OK() {
		t.Fatalf("one tap: %+v %v", res, err)
	}
	var details string
	for _, r := range res.Replies {
		for _, b := range r.Buttons {
			if strings.HasSuffix(b.Value, " details") {
				details = b.Value
			}
		}
	}
	if details != "ack COL-1 研发部 details" {
		t.Fatalf("no details button on the answer: %+v", res.Replies)
	}
	d, err := h.eng.FormFor(ctx, click("ben", details))
	if err != nil || d == nil || d.OneTap || len(d.Fields) == 0 || d.Fields[0].Key != "scope" {
		t.Fatalf("details form: %+v %v", d, err)
	}
	m = click("ben", details)
	m.EventID = "tap2"
	res, err = h.eng.Submit(ctx, m, bot.Submission{Form: d.Name, Target: d.Target, Values: map[string][]string{"decision": {"accept"}, "scope": {"接口开发"}}})
	if err != nil || !res.OK() {
		t.Fatalf("details: %+v %v", res, err)
	}
	if a, _ := h.collab(1).Ack("研发部"); a.Status != bot.AckAccepted || a.Scope != "接口开发" {
		t.Fatalf("after the details: %+v", a)
	}
	mustContain(t, h.chat(":as ben\n确认 COL-1 研发部 详情\n"), "承接范围")
}

// TestProgressFormPerTask: the progress form asks a status per open task
// of the person, prefilled; a changed choice is posted, an unchanged one
// is not.
func TestProgressFormPerTask(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	ctx := context.Background()
	m := bot.Message{Workspace: h.ws, Platform: bot.Console, Channel: "dm", Direct: true,
		From: bot.Identity{Platform: bot.Console, ID: "ben"}, Text: "update COL-1"}
	f, err := h.eng.FormFor(ctx, m)
	if err != nil || f == nil {
		t.Fatalf("progress form: %v", err)
	}
	var st *bot.FormField
	for i := range f.Fields {
		if f.Fields[i].Key == "status:T-1" {
			st = &f.Fields[i]
		}
		if f.Fields[i].Key == "status" {
			t.Error("the free-text status field is still asked")
		}
	}
	if st == nil || st.Kind != bot.InputChoice || len(st.Value) != 1 || st.Value[0] != "todo" || len(st.Choices) != 5 {
		t.Fatalf("T-1's status field: %+v", st)
	}
	m.EventID = "p1"
	res, err := h.eng.Submit(ctx, m, bot.Submission{Form: "progress", Target: f.Target,
		Values: map[string][]string{"done": {"接口文档"}, "problems": {"缺测试账号"}, "status:T-1": {"needs_help"}}})
	if err != nil || !res.OK() {
		t.Fatalf("progress: %+v %v", res, err)
	}
	if s := h.collab(1).Tasks[0].Status; s != bot.TaskNeedsHelp {
		t.Errorf("T-1 is %s", s)
	}
}

// BenchmarkHome: describing a person's home page (a read on the read
// pool), with an active collaboration and a task.
func BenchmarkHome(b *testing.B) {
	h := newHarness(b)
	h.withTask()
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if _, err := h.eng.Home(ctx, h.ws, "ben"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHomeMeetings: once a meeting is over, its organiser's page asks for
// the minutes; once they are written, each attendee's asks for a
// confirmation, with the notices' buttons.
func TestHomeMeetings(t *testing.T) {
	h := newHarness(t)
	h.meetingHeld()
	it, ok := item(h.homeOf("amy"), "meetings", "M-1")
	if !ok || commands(it) != "command:meeting M-1 minutes" {
		t.Fatalf("amy's page: %+v", h.homeOf("amy"))
	}
	h.chat(":as amy\n\"\"\"\n会议 M-1 纪要\n共识结论: 范围确定\n\"\"\"\n确认\n")
	if _, ok := item(h.homeOf("amy"), "meetings", "M-1"); ok {
		t.Error("minutes written still wait on the organiser's page")
	}
	it, ok = item(h.homeOf("ben"), "meetings", "M-1")
	if !ok || commands(it) != "command:confirm M-1" {
		t.Fatalf("ben's page: %+v", h.homeOf("ben"))
	}
}
