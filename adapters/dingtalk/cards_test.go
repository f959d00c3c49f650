package dingtalk_test

import (
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
)

// cardTemplates configures a template for every card kind.
var cardTemplates = map[string]string{"ack": "tpl-ack", "review": "tpl-review", "task": "tpl-task",
	"progress": "tpl-progress", "minutes": "tpl-minutes", "risk": "tpl-risk", "acceptance": "tpl-acceptance"}

// newCardEnv is newEnv with interactive card templates configured.
func newCardEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t)
	o := e.options()
	o.Cards, o.Directory = cardTemplates, e.eng.Directory
	var err error
	if e.ad, err = dingtalk.New(o); err != nil {
		t.Fatal(err)
	}
	return e
}

const cardRequest = `发起协作
协作主题: 新品推广接口调试
协作背景与目标: Q4 新品上线,12月18日前完成接口调试
需协助部门: 研发部、财务部
具体需求描述: 完成产品接口调试并提供测试报告
交付物: 测试报告
交付标准: 用例全部通过
期望完成时间: 2026-12-18`

// card waits for the card of template that @-mentions staff.
func (e *env) card(template, staff string) dingtest.Card {
	e.t.Helper()
	var got dingtest.Card
	e.fake.WaitFor(e.t, template+" card for "+staff, func(v *dingtest.View) bool {
		for _, c := range v.Cards() {
			if _, at := c.AtUsers[staff]; c.Template == template && at {
				got = c
				return true
			}
		}
		return false
	})
	return got
}

// cardNow is a card as it stands now.
func (e *env) cardNow(id string) dingtest.Card {
	for _, c := range e.fake.Cards() {
		if c.OutTrackID == id {
			return c
		}
	}
	e.t.Fatalf("no card %s", id)
	return dingtest.Card{}
}

// press has who press a button of c and waits for the click's
// acknowledgement and for the card's update, if want is not "".
func (e *env) press(c dingtest.Card, who dingtest.User, label, want string) dingtest.Frame {
	e.t.Helper()
	fr, err := e.fake.Press(c, who.StaffID, label)
	if err != nil {
		e.t.Fatal(err)
	}
	updates := len(c.Updates)
	e.fake.Deliver(fr)
	e.fake.WaitFor(e.t, who.Nick+" pressing "+label, func(v *dingtest.View) bool {
		if v.Acked(fr.ID()) == 0 {
			return false
		}
		for _, x := range v.Cards() {
			if x.OutTrackID == c.OutTrackID {
				return want == "" || (len(x.Updates) > updates && strings.Contains(x.Data["status"], want))
			}
		}
		return false
	})
	return fr
}

// TestCardsWholeCollaborationInGroup: in a group chat, with interactive
// cards only, the first review, both acknowledgements, a task's start
// and finish and the acceptance are one tap each; every card updates in
// place with the decision and who made it, its buttons gone.
func TestCardsWholeCollaborationInGroup(t *testing.T) {
	e := newCardEnv(t)
	e.run()
	e.say(launch, amy, cardRequest, "请确认")
	e.say(launch, amy, "确认", "COL-1")

	e.drain()
	review := e.card("tpl-review", alice.StaffID)
	if review.SpaceType != "IM_GROUP" || review.OpenSpace != "dtv1.card//IM_GROUP."+launch.ID {
		t.Fatalf("the review card went to %s", review.OpenSpace)
	}
	if got := review.Buttons(); len(got) != 2 || got[0] != "通过" {
		t.Fatalf("review card buttons %v", got)
	}
	e.press(review, alice, "通过", "张丽")
	review = e.cardNow(review.OutTrackID)
	if review.Data["decided"] != "true" || len(review.Buttons()) != 0 || !strings.Contains(review.Data["status"], "通过") {
		t.Errorf("the review card after the click: %v", review.Data)
	}

	e.drain()
	for _, u := range []dingtest.User{ben, fiona} {
		c := e.card("tpl-ack", u.StaffID)
		if !strings.Contains(c.Data["markdown"], "新品推广接口调试") {
			t.Errorf("%s's card: %q", u.Nick, c.Data["markdown"])
		}
		e.press(c, u, "承接", strings.Fields(u.Nick)[0])
	}
	if c := e.collab(1); c.Status != bot.StatusActive {
		t.Fatalf("COL-1 after both acknowledgement cards: %s", c.Status)
	}

	// The coordinator adds a task (a form, typed), then ben starts and
	// finishes it from its card.
	fr := e.fake.Message(launch, amy, "任务 新建 COL-1\n任务名称: 接口调试\n直接责任人: @陈斌\n截止时间: 2026-12-10\n交付标准: 用例通过", ben)
	e.fake.Deliver(fr)
	e.answers(fr, "请确认")
	e.say(launch, amy, "确认", "T-1")
	e.drain()
	task := e.card("tpl-task", ben.StaffID)
	e.press(task, ben, "开始", "开始")
	task = e.cardNow(task.OutTrackID)
	if got := task.Buttons(); len(got) != 1 || got[0] != "完成" {
		t.Fatalf("a started task's card offers %v", got)
	}
	if tk, _ := e.collab(1).Task(1); tk.Status != bot.TaskInProgress {
		t.Fatalf("T-1 after start: %s", tk.Status)
	}
	e.press(task, ben, "完成", "完成")
	if tk, _ := e.collab(1).Task(1); tk.Status != bot.TaskDone {
		t.Fatalf("T-1 after done: %s", tk.Status)
	}

	// ben delivers (a form, typed); amy passes it from the card.
	e.say(launch, ben, "提交成果 COL-1\n成果交付清单: 报告, v1, 1, https://docs.example.com/r\n成果自检: 已自检", "请确认")
	e.say(launch, ben, "确认")
	e.drain()
	acc := e.card("tpl-acceptance", amy.StaffID)
	e.press(acc, amy, "通过", "王芳")
	if c := e.collab(1); c.Status != bot.StatusRetrospective {
		t.Fatalf("COL-1 after the acceptance card: %s", c.Status)
	}
	for _, m := range e.fake.Sent() {
		if len(m.Buttons) > 0 {
			t.Errorf("an ActionCard was sent beside the cards: %+v", m)
		}
	}
}

// TestCardClickedTwiceChangesOnce: two clicks on one card (the same
// person twice, then someone else, each before the card's update
// reached them) change it once; the later ones are told, privately, that
// it was already decided.
func TestCardClickedTwiceChangesOnce(t *testing.T) {
	e := newCardEnv(t)
	e.run()
	c := e.ackCard()
	first, _ := e.fake.Press(c, ben.StaffID, "承接")
	again, _ := e.fake.Press(c, ben.StaffID, "承接")
	other, _ := e.fake.Press(c, alice.StaffID, "无法承接")
	e.fake.Deliver(first)
	e.fake.WaitFor(t, "the first click", func(v *dingtest.View) bool { return v.Acked(first.ID()) == 1 })
	at := e.ackOf("研发部").At
	e.clock.Advance(time.Minute)
	for _, fr := range []dingtest.Frame{again, other} {
		e.fake.Deliver(fr)
		e.fake.WaitFor(t, "the later click", func(v *dingtest.View) bool { return v.Acked(fr.ID()) == 1 })
		e.fake.Read(func(v *dingtest.View) {
			if r := v.Response(fr.ID()); !strings.Contains(r, "已经处理过了") || !strings.Contains(r, "陈斌") {
				t.Errorf("the later click was told %s", r)
			}
		})
	}
	e.fake.WaitFor(t, "the card's update", func(v *dingtest.View) bool { return updated(v, c.OutTrackID) })
	if a := e.ackOf("研发部"); a.Status != bot.AckAccepted || !a.At.Equal(at) {
		t.Errorf("研发部's acknowledgement: %s at %v (first at %v)", a.Status, a.At, at)
	}
	if got := e.cardNow(c.OutTrackID); len(got.Updates) != 1 {
		t.Errorf("the card was updated %d times: %v", len(got.Updates), got.Updates)
	}
}

// TestCardCallbackRedelivered: one click delivered three times (the
// gateway redelivering it) changes the acknowledgement once and updates
// the card once.
func TestCardCallbackRedelivered(t *testing.T) {
	e := newCardEnv(t)
	e.run()
	c := e.ackCard()
	fr, err := e.fake.Press(c, ben.StaffID, "承接")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		e.fake.Deliver(fr)
	}
	e.fake.WaitFor(t, "three acknowledgements", func(v *dingtest.View) bool { return v.Acked(fr.ID()) == 3 })
	e.fake.WaitFor(t, "the card's update", func(v *dingtest.View) bool { return updated(v, c.OutTrackID) })
	if a := e.ackOf("研发部"); a.Status != bot.AckAccepted {
		t.Errorf("研发部: %s", a.Status)
	}
	got := e.cardNow(c.OutTrackID)
	if len(got.Updates) != 1 || got.Updates[0]["decided"] != "true" || !strings.Contains(got.Updates[0]["status"], "承接 · 陈斌") {
		t.Errorf("card updates: %v", got.Updates)
	}
	for _, k := range []string{"btn1_text", "btn2_text", "btn3_text"} {
		if got.Data[k] != "" {
			t.Errorf("%s still shows %q", k, got.Data[k])
		}
	}
}

// ackCard files COL-1 in the group, has alice approve it from its card
// and returns ben's acknowledgement card.
func (e *env) ackCard() dingtest.Card {
	e.t.Helper()
	e.say(launch, amy, cardRequest, "请确认")
	e.say(launch, amy, "确认", "COL-1")
	e.drain()
	e.press(e.card("tpl-review", alice.StaffID), alice, "通过", "张丽")
	e.drain()
	return e.card("tpl-ack", ben.StaffID)
}

func (e *env) ackOf(dept string) bot.Acknowledgement {
	e.t.Helper()
	a, ok := e.collab(1).Ack(dept)
	if !ok {
		e.t.Fatalf("no acknowledgement of %s", dept)
	}
	return a
}

// updated reports whether the card id has had an update.
func updated(v *dingtest.View, id string) bool {
	for _, c := range v.Cards() {
		if c.OutTrackID == id {
			return len(c.Updates) > 0
		}
	}
	return false
}

// TestCardForSomeoneElse: in the group, another department's contact
// presses ben's acknowledgement card; it is not taken as their own
// answer, they are told whose card it is, and the card stays open.
func TestCardForSomeoneElse(t *testing.T) {
	e := newCardEnv(t)
	e.run()
	c := e.ackCard()
	fr, err := e.fake.Press(c, fiona.StaffID, "承接")
	if err != nil {
		t.Fatal(err)
	}
	e.fake.Deliver(fr)
	e.fake.WaitFor(t, "fiona's press", func(v *dingtest.View) bool { return v.Acked(fr.ID()) == 1 })
	e.fake.Read(func(v *dingtest.View) {
		if r := v.Response(fr.ID()); !strings.Contains(r, "是给 陈斌") {
			t.Errorf("fiona was told %s", r)
		}
	})
	for _, dept := range []string{"研发部", "财务部"} {
		if a := e.ackOf(dept); a.Status != bot.AckPending {
			t.Errorf("%s: %s", dept, a.Status)
		}
	}
	if got := e.cardNow(c.OutTrackID); len(got.Updates) != 0 || len(got.Buttons()) != 3 {
		t.Errorf("ben's card changed: %v", got.Data)
	}
	e.press(c, ben, "承接", "陈斌")
}

// TestCardsThroughSendBatch: the dispatcher's batch send creates a card
// for each person's notice with a template and merges the rest as before.
func TestCardsThroughSendBatch(t *testing.T) {
	e := newCardEnv(t)
	e.run()
	e.say(launch, amy, cardRequest, "请确认")
	e.say(launch, amy, "确认", "COL-1")
	e.drain()
	e.press(e.card("tpl-review", alice.StaffID), alice, "通过", "张丽")
	ctx := t.Context()
	due, err := e.store.DueNotices(ctx, e.clock.Now(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var ns []bot.Notification
	for _, q := range due {
		n, err := e.eng.Notification(ctx, q.Workspace, q.Notice)
		if err != nil {
			t.Fatal(err)
		}
		n.ID = q.ID
		ns = append(ns, n)
	}
	if err := e.ad.SendBatch(ctx, ns); err != nil {
		t.Fatal(err)
	}
	for _, u := range []dingtest.User{ben, fiona} {
		if c := e.card("tpl-ack", u.StaffID); c.SpaceID != launch.ID {
			t.Errorf("%s's card in %s", u.Nick, c.OpenSpace)
		}
	}
	for _, m := range e.fake.Sent() {
		if m.Via == "oto" {
			t.Errorf("a 1:1 message beside the cards: %+v", m)
		}
	}
}
