package dingtalk_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/scheduler"
)

// newFormCardEnv is newCardEnv with form cards and notice cards too:
// every step of a collaboration is a card.
func newFormCardEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	e.ad = e.formCardAdapter()
	return e
}

func (e *env) formCardAdapter() *dingtalk.Adapter {
	e.t.Helper()
	o := e.options()
	o.Cards = maps.Clone(cardTemplates)
	o.Cards["form"], o.Cards["notice"] = "tpl-form", "tpl-notice"
	o.Directory = e.eng.Directory
	ad, err := dingtalk.New(o)
	if err != nil {
		e.t.Fatal(err)
	}
	return ad
}

// newCard waits for a card of template for staff (@-mentioned in a
// group, or in their 1:1 chat; "" for a group's own card) created after
// the first skip cards.
func (e *env) newCard(template, staff string, skip int) dingtest.Card {
	e.t.Helper()
	var got dingtest.Card
	e.fake.WaitFor(e.t, template+" card for "+staff, func(v *dingtest.View) bool {
		cards := v.Cards()
		for _, c := range cards[min(skip, len(cards)):] {
			_, at := c.AtUsers[staff]
			mine := at || (c.SpaceType == "IM_ROBOT" && c.SpaceID == staff) || (staff == "" && len(c.AtUsers) == 0)
			if c.Template == template && mine {
				got = c
				return true
			}
		}
		return false
	})
	return got
}

// fill has who fill in and submit a form card and waits for the click's
// acknowledgement and the card's update; it returns the card then.
func (e *env) fill(c dingtest.Card, who dingtest.User, values map[string]any) dingtest.Card {
	e.t.Helper()
	fr, err := e.fake.Fill(c, who.StaffID, values)
	if err != nil {
		e.t.Fatal(err)
	}
	updates := len(c.Updates)
	e.fake.Deliver(fr)
	var now dingtest.Card
	e.fake.WaitFor(e.t, who.Nick+" submitting "+c.Data["title"], func(v *dingtest.View) bool {
		if v.Acked(fr.ID()) == 0 {
			return false
		}
		for _, x := range v.Cards() {
			if x.OutTrackID == c.OutTrackID && len(x.Updates) > updates {
				now = x
				return true
			}
		}
		return false
	})
	return now
}

// groupCard waits for the group's own notice card whose title contains
// title.
func (e *env) groupCard(title string) dingtest.Card {
	e.t.Helper()
	var got dingtest.Card
	e.fake.WaitFor(e.t, "the group's card "+title, func(v *dingtest.View) bool {
		for _, c := range v.Cards() {
			if c.Template == "tpl-notice" && len(c.AtUsers) == 0 && strings.Contains(c.Data["title"], title) {
				got = c
				return true
			}
		}
		return false
	})
	return got
}

func field(c dingtest.Card, key string) (dingtest.FormField, bool) {
	fs := c.Fields()
	i := slices.IndexFunc(fs, func(f dingtest.FormField) bool { return f.Key == key })
	if i < 0 {
		return dingtest.FormField{}, false
	}
	return fs[i], true
}

// TestCardsOnlyCollaboration: a whole collaboration in a DingTalk group
// with cards only, through the real Stream SDK and the card callback
// topic. One typed message opens the filing card; everything after is a
// tap or a card's form submitted: filing, review, acknowledgements, a
// task planned, started, its daily progress (a card prefilled with the
// person's open tasks), finished, the delivery, acceptance, retrospective
// and archive. A refused submission shows its problems on the same card
// with the values kept. The messages and taps per step are logged for
// the closing note.
func TestCardsOnlyCollaboration(t *testing.T) {
	e := newFormCardEnv(t)
	e.run()
	var steps []string
	count := map[string]int{}
	tap := func(step string) {
		if count[step] == 0 {
			steps = append(steps, step)
		}
		count[step]++
	}

	// Filing: "新建" typed once in the group opens the filing card for amy.
	fr := e.fake.Message(launch, amy, "新建")
	e.fake.Deliver(fr)
	tap("file a request")
	filing := e.newCard("tpl-form", amy.StaffID, 0)
	if filing.SpaceType != "IM_GROUP" || filing.SpaceID != launch.ID {
		t.Fatalf("the filing card went to %s", filing.OpenSpace)
	}
	for _, k := range []string{"topic", "goal", "departments", "requirements", "due"} {
		if f, ok := field(filing, k); !ok || !f.Required {
			t.Errorf("filing card field %s: %+v (present %v)", k, f, ok)
		}
	}
	if f, _ := field(filing, "departments"); !slices.ContainsFunc(f.Options, func(o struct {
		Value string `json:"value"`
		Text  string `json:"text"`
	}) bool {
		return o.Value == "研发部"
	}) {
		t.Errorf("departments offers %+v", f.Options)
	}
	e.fake.Read(func(v *dingtest.View) {
		if msgs := session(v.Sent(), fr.Session()); len(msgs) != 0 {
			t.Errorf("opening the filing card also answered in chat: %s", texts(msgs))
		}
	})
	request := map[string]any{"topic": "新品推广接口调试", "goal": "Q4 新品上线,12月18日前完成接口调试",
		"departments": []string{"研发部", "财务部"}, "requirements": "完成产品接口调试并提供测试报告",
		"deliverables": "测试报告", "standard": "用例全部通过", "due": "2020-01-01"}
	// A date in the past: the problem is shown beside the field, the
	// other values kept, nothing filed.
	filing = e.fill(filing, amy, request) // not on the shortest path: not counted
	if f, _ := field(filing, "due"); f.Error == "" || filing.Data["decided"] == "true" || filing.Data["problems"] == "" {
		t.Fatalf("a past due date: field %+v, card %v", f, filing.Data)
	}
	if f, _ := field(filing, "topic"); len(f.Value) != 1 || f.Value[0] != "新品推广接口调试" {
		t.Errorf("the topic after the refusal: %+v", f)
	}
	if n := len(e.collabs()); n != 0 {
		t.Fatalf("a refused filing made %d collaborations", n)
	}
	request["due"] = "2026-12-18"
	filing = e.fill(filing, amy, request)
	tap("file a request")
	if filing.Data["decided"] != "true" || !strings.Contains(filing.Data["status"], "王芳") {
		t.Fatalf("the filing card after submitting: %v", filing.Data)
	}
	if c := e.collab(1); c.Request.Topic != "新品推广接口调试" || c.Group != "dingtalk:"+launch.ID {
		t.Fatalf("COL-1 filed as %+v in %q", c.Request, c.Group)
	}

	e.drain()
	e.press(e.card("tpl-review", alice.StaffID), alice, "通过", "张丽")
	tap("first review")
	e.drain()
	for _, u := range []dingtest.User{ben, fiona} {
		e.press(e.card("tpl-ack", u.StaffID), u, "承接", strings.Fields(u.Nick)[0])
		tap("acknowledgements (2 departments)")
	}
	if c := e.collab(1); c.Status != bot.StatusActive {
		t.Fatalf("COL-1 after both acknowledgement cards: %s", c.Status)
	}

	// Planning: the group's "activated" card offers adding a task; the
	// task's form opens as a card for whoever pressed it.
	e.drain()
	active := e.groupCard("协作已启动")
	if got := active.Buttons(); len(got) != 3 || got[0] != "添加任务" || got[1] != "提交交付" {
		t.Fatalf("the activated card offers %v", got)
	}
	before := len(e.fake.Cards())
	e.press(active, amy, "添加任务", "")
	tap("plan a task")
	taskForm := e.newCard("tpl-form", amy.StaffID, before)
	taskForm = e.fill(taskForm, amy, map[string]any{"title": "接口调试", "owner": ben.StaffID, "due": "2026-12-10",
		"standard": "用例通过"})
	tap("plan a task")
	if taskForm.Data["decided"] != "true" {
		t.Fatalf("the task card after submitting: %v %+v", taskForm.Data["problems"], taskForm.Fields())
	}
	if tk, err := e.collab(1).Task(1); err != nil || tk.Owner != "ben" {
		t.Fatalf("T-1: %+v %v", tk, err)
	}
	// A look at the board from it (not on the shortest path) leaves its
	// buttons as they are: the card is no single decision.
	e.press(e.cardNow(active.OutTrackID), fiona, "看板", "")
	if active = e.cardNow(active.OutTrackID); len(active.Buttons()) != 3 || len(active.Updates) != 0 {
		t.Errorf("the activated card after opening a form and the board: %v, %d updates", active.Buttons(), len(active.Updates))
	}

	e.drain()
	task := e.card("tpl-task", ben.StaffID)
	e.press(task, ben, "开始", "开始")
	tap("start a task")

	// The day's progress request is a card prefilled with ben's open
	// tasks: one submit records it.
	e.clock.Advance(7*time.Hour + time.Minute) // 17:01, after the daily request
	e.tick()
	before = len(e.fake.Cards())
	e.drain()
	progress := e.newCard("tpl-form", ben.StaffID, before)
	if progress.SpaceType != "IM_ROBOT" {
		t.Errorf("the progress card went to %s", progress.OpenSpace)
	}
	if f, ok := field(progress, "status:T-1"); !ok || len(f.Value) != 1 || f.Value[0] != string(bot.TaskInProgress) || len(f.Options) < 4 {
		t.Fatalf("the progress card's T-1: %+v (fields %+v)", f, progress.Fields())
	}
	progress = e.fill(progress, ben, map[string]any{"done": "接口联调完成一半", "status:T-1": string(bot.TaskNeedsHelp),
		"problems": "测试环境不稳定"})
	tap("daily progress")
	if progress.Data["decided"] != "true" {
		t.Fatalf("the progress card after submitting: %v", progress.Data)
	}
	if tk, _ := e.collab(1).Task(1); tk.Status != bot.TaskNeedsHelp {
		t.Errorf("T-1 after the progress card: %s", tk.Status)
	}
	if ups := e.progress(1); len(ups) != 1 || !strings.Contains(ups[0].Done, "接口联调完成一半") {
		t.Errorf("the day's progress: %+v", ups)
	}

	task = e.cardNow(task.OutTrackID)
	e.press(task, ben, "完成", "完成")
	tap("finish a task")
	if tk, _ := e.collab(1).Task(1); tk.Status != bot.TaskDone {
		t.Fatalf("T-1 after done: %s", tk.Status)
	}

	// Delivery from the activated card's second button.
	before = len(e.fake.Cards())
	e.press(e.cardNow(active.OutTrackID), ben, "提交交付", "")
	tap("deliver")
	deliver := e.newCard("tpl-form", ben.StaffID, before)
	deliver = e.fill(deliver, ben, map[string]any{"items": "测试报告, v1, 1, https://docs.example.com/r", "selfcheck": "已自检"})
	tap("deliver")
	if c := e.collab(1); c.Status != bot.StatusAccepting || deliver.Data["decided"] != "true" {
		t.Fatalf("COL-1 after delivering: %s, card %v", c.Status, deliver.Data["problems"])
	}

	e.drain()
	e.press(e.card("tpl-acceptance", amy.StaffID), amy, "通过", "王芳")
	tap("acceptance")
	if c := e.collab(1); c.Status != bot.StatusRetrospective {
		t.Fatalf("COL-1 after the acceptance card: %s", c.Status)
	}

	// The retrospective from the group's "accepted" card, then archive
	// from the shared retrospective's card.
	e.drain()
	accepted := e.groupCard("验收通过")
	before = len(e.fake.Cards())
	e.press(accepted, amy, "复盘", "")
	tap("retrospective")
	retro := e.newCard("tpl-form", amy.StaffID, before)
	e.fill(retro, amy, map[string]any{"highlights": "当天联调完成", "improvements": "测试环境提前准备"})
	tap("retrospective")
	e.drain()
	shared := e.groupCard("复盘已分享")
	e.press(shared, amy, "归档", "")
	tap("close (archive)")
	if c := e.collab(1); c.Status != bot.StatusArchived {
		t.Fatalf("COL-1 at the end: %s", c.Status)
	}

	// Nothing but the opening message was typed (the test sends no
	// other), and no ActionCard was needed for a button.
	for _, m := range e.fake.Sent() {
		if len(m.Buttons) > 0 {
			t.Errorf("an ActionCard was sent beside the cards: %s", m.Title)
		}
	}
	total := 0
	for _, s := range steps {
		t.Logf("%-34s %d", s, count[s])
		total += count[s]
	}
	t.Logf("a whole collaboration in a group: 1 typed message and %d taps/submissions", total-1)
	if total-1 != 15 {
		t.Errorf("the shortest path took %d taps, want 15", total-1)
	}
}

// tick runs the scheduler once, as `collabot serve` does every minute.
func (e *env) tick() {
	e.t.Helper()
	s := &scheduler.Scheduler{Store: e.store, Calendar: e.eng.Calendar, Policy: e.eng.Policy,
		Workspaces: map[bot.Workspace]*bot.Directory{e.ws: e.eng.Directory}, Log: quiet()}
	if _, err := s.Tick(context.Background(), e.clock.Now(), false); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) collabs() []*bot.Collaboration {
	e.t.Helper()
	var out []*bot.Collaboration
	err := e.store.View(context.Background(), e.ws, func(tx bot.Tx) error {
		var err error
		out, err = tx.Collaborations(context.Background(), bot.Filter{})
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) progress(id bot.CollabID) []bot.ProgressUpdate {
	e.t.Helper()
	var out []bot.ProgressUpdate
	err := e.store.View(context.Background(), e.ws, func(tx bot.Tx) error {
		var err error
		out, err = tx.Progress(context.Background(), id, e.clock.Now().Format(time.DateOnly))
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// TestFormCardSubmittedOnce: a form card's submission delivered three
// times (the gateway redelivering it) files one request and updates the
// card once; someone else pressing submit on amy's filing card files
// nothing and is told whose card it is; a choice that needs answers
// (无法承接) opens its form as a card too, whose required reason is asked
// for on the card.
func TestFormCardSubmittedOnce(t *testing.T) {
	e := newFormCardEnv(t)
	e.run()
	e.fake.Deliver(e.fake.Message(launch, amy, "/collab new"))
	filing := e.newCard("tpl-form", amy.StaffID, 0)
	request := map[string]any{"topic": "新品推广接口调试", "goal": "Q4 新品上线", "departments": []string{"研发部"},
		"requirements": "完成产品接口调试", "due": "2026-12-18"}

	other, err := e.fake.Fill(filing, ben.StaffID, request)
	if err != nil {
		t.Fatal(err)
	}
	e.fake.Deliver(other)
	e.fake.WaitFor(t, "ben's press", func(v *dingtest.View) bool { return v.Acked(other.ID()) == 1 })
	e.fake.Read(func(v *dingtest.View) {
		if r := v.Response(other.ID()); !strings.Contains(r, "王芳") {
			t.Errorf("ben pressing amy's card was told %s", r)
		}
	})
	if n := len(e.collabs()); n != 0 {
		t.Fatalf("ben's press filed %d collaborations", n)
	}

	fr, err := e.fake.Fill(filing, amy.StaffID, request)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		e.fake.Deliver(fr)
	}
	e.fake.WaitFor(t, "three deliveries acknowledged", func(v *dingtest.View) bool { return v.Acked(fr.ID()) == 3 })
	e.fake.WaitFor(t, "the card's update", func(v *dingtest.View) bool { return updated(v, filing.OutTrackID) })
	time.Sleep(50 * time.Millisecond) // a second update, if any, would be queued by now
	if n := len(e.collabs()); n != 1 {
		t.Fatalf("three deliveries filed %d collaborations", n)
	}
	if got := e.cardNow(filing.OutTrackID); len(got.Updates) != 1 || got.Data["decided"] != "true" {
		t.Errorf("the filing card: %d updates, %v", len(got.Updates), got.Data)
	}

	e.drain()
	e.press(e.card("tpl-review", alice.StaffID), alice, "通过", "张丽")
	e.drain()
	ack := e.card("tpl-ack", ben.StaffID)
	before := len(e.fake.Cards())
	e.press(ack, ben, "无法承接", "")
	decline := e.newCard("tpl-form", ben.StaffID, before)
	if len(decline.Fields()) == 0 {
		t.Fatalf("the decline card has no inputs: %v", decline.Data)
	}
	decline = e.fill(decline, ben, nil)
	if decline.Data["decided"] == "true" || decline.Data["problems"] == "" {
		t.Fatalf("an empty decline: %v", decline.Data)
	}
	answers := map[string]any{}
	for _, f := range decline.Fields() {
		if f.Error != "" {
			answers[f.Key] = "本季度排期已满"
		}
	}
	if len(answers) == 0 {
		t.Fatalf("no field marked after an empty decline: %+v", decline.Fields())
	}
	if decline = e.fill(decline, ben, answers); decline.Data["decided"] != "true" {
		t.Errorf("the decline card after answering: %+v", decline.Fields())
	}
	if a := e.ackOf("研发部"); a.Status != bot.AckDeclined {
		t.Errorf("研发部 after the decline card: %s", a.Status)
	}
}
