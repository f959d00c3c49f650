package dingtalk_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// okRecorder keeps the messages and answers "ok <text>".
func okRecorder() *testkit.Recorder {
	return &testkit.Recorder{Answer: func(m bot.Message) []bot.Reply { return []bot.Reply{{Body: "ok " + m.Text}} }}
}

func TestCallbackBecomesMessage(t *testing.T) {
	rec := okRecorder()
	e := newEnv(t, func(o *dingtalk.Options) { o.Handler = rec })
	e.run()
	group, dm := dingtest.GroupChat("cid-g1", "项目群"), dingtest.DirectChat(ben.StaffID)
	cases := []struct {
		name     string
		chat     dingtest.Chat
		from     dingtest.User
		text     string
		mentions []dingtest.User
		want     bot.Message
	}{
		{"group mention", group, amy, "发起协作", nil,
			bot.Message{Channel: "cid-g1", From: bot.Identity{Platform: bot.DingTalk, ID: amy.StaffID}, Name: amy.Nick, Text: "发起协作"}},
		{"people mentioned", group, amy, "任务 add COL-1 @陈斌 @周婷", []dingtest.User{ben, fiona},
			bot.Message{Channel: "cid-g1", From: bot.Identity{Platform: bot.DingTalk, ID: amy.StaffID}, Name: amy.Nick,
				Text: "任务 add COL-1 @陈斌 @周婷", Mentions: []bot.Identity{{Platform: bot.DingTalk, ID: ben.StaffID}, {Platform: bot.DingTalk, ID: fiona.StaffID}}}},
		{"1:1", dm, ben, "  帮助 ", nil,
			bot.Message{Channel: dm.ID, Direct: true, From: bot.Identity{Platform: bot.DingTalk, ID: ben.StaffID}, Name: ben.Nick, Text: "帮助"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fr := e.fake.Message(c.chat, c.from, c.text, c.mentions...)
			e.fake.Deliver(fr)
			e.answers(fr, "ok")
			got := rec.Last()
			if !strings.HasPrefix(got.EventID, "msg-") {
				t.Errorf("EventID %q is not the msgId", got.EventID)
			}
			c.want.Workspace, c.want.Platform, c.want.EventID = e.ws, bot.DingTalk, got.EventID
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// TestRedeliveredFrame: the same frame three times is one change and one
// reply, also after a restart when only the store remembers it.
func TestRedeliveredFrame(t *testing.T) {
	e := newEnv(t)
	stop := e.run()
	fr := e.fake.Message(launch, amy, "发起协作")
	for i := 1; i <= 3; i++ {
		e.fake.Deliver(fr)
		e.fake.WaitFor(t, fmt.Sprintf("acknowledgement %d", i), func(v *dingtest.View) bool { return v.Acked(fr.ID()) >= i })
	}
	e.say(launch, amy, "新品推广接口调试", "协作背景与目标")

	stop()
	ad, err := dingtalk.New(e.options())
	if err != nil {
		t.Fatal(err)
	}
	e.ad = ad
	e.run()
	e.fake.Deliver(fr)
	e.fake.WaitFor(t, "acknowledgement after restart", func(v *dingtest.View) bool { return v.Acked(fr.ID()) >= 4 })
	// The dialog is where it was: the next answer is the goal.
	e.say(launch, amy, "Q4 新品上线", "需协助部门")
	if got := session(e.fake.Sent(), fr.Session()); len(got) != 1 {
		t.Errorf("%d replies to one message delivered 4 times:\n%s", len(got), texts(got))
	}
}

// TestReconnectMidDialog: the connection drops (and later the gateway asks
// for a reconnect) in the middle of a form; the SDK reconnects and the
// form goes on, including an answer sent while the connection was down.
func TestReconnectMidDialog(t *testing.T) {
	e := newEnv(t)
	e.run()
	e.say(launch, amy, "发起协作", "协作主题")
	e.say(launch, amy, "新品推广接口调试", "协作背景与目标")

	e.fake.Drop()
	e.fake.WaitFor(t, "the drop", func(v *dingtest.View) bool { return !v.Connected() || v.Connects() > 1 })
	e.say(launch, amy, "Q4 新品上线,12月18日前完成接口调试", "需协助部门")
	e.fake.Read(func(v *dingtest.View) {
		if v.Connects() < 2 {
			t.Errorf("answered on %d connection(s)", v.Connects())
		}
	})
	testkit.Eventually(t, "readiness after the reconnect", e.ad.Connected)

	e.fake.Disconnect()
	e.fake.WaitFor(t, "the reconnect after disconnect", func(v *dingtest.View) bool { return v.Connects() >= 3 && v.Connected() })
	e.say(launch, amy, "研发部、财务部", "对接人")
}

// TestBurst: 200 callback frames at once. With the SDK's default of 100
// callbacks in flight it leaves the excess unacknowledged and the gateway
// redelivers them; with the adapter's default there is room for all.
// Either way every frame is acknowledged and applied exactly once.
func TestBurst(t *testing.T) {
	for _, inFlight := range []int{100, 0} {
		t.Run(fmt.Sprintf("in flight %d", inFlight), func(t *testing.T) {
			e := newEnv(t, func(o *dingtalk.Options) { o.MaxInFlight = inFlight })
			e.fake.SetAckTimeout(5 * time.Second)
			e.run()
			burst(t, e, 200)
		})
	}
}

// burst sends n frames at once from the demo's DingTalk users, each in
// their 1:1 chat, and checks each was acknowledged and answered once.
// (Known people, not newcomers: the engine loads every registered person
// per message, which would make this a test of that.)
func burst(t *testing.T, e *env, n int) {
	users := []string{"manager4821", "staff1002", "manager3307", "staff2051", "staff2088", "manager5190",
		"manager6402", "staff6410", "staff7733", "director0001"}
	frames := make([]dingtest.Frame, n)
	for i := range frames {
		u := dingtest.User{StaffID: users[i%len(users)], Nick: "同事"}
		frames[i] = e.fake.Message(dingtest.DirectChat(u.StaffID), u, "帮助")
	}
	start := time.Now()
	for _, fr := range frames {
		e.fake.Deliver(fr)
	}
	e.fake.WaitFor(t, "every frame acknowledged and answered", func(v *dingtest.View) bool {
		sessions := map[string]int{}
		for _, m := range v.Sent() {
			sessions[m.Session]++
		}
		for _, fr := range frames {
			if v.Acked(fr.ID()) == 0 || sessions[fr.Session()] == 0 {
				return false
			}
		}
		return true
	})
	e.fake.Read(func(v *dingtest.View) {
		t.Logf("%d frames acknowledged and answered in %v with %d deliveries", n, time.Since(start).Round(time.Millisecond), v.Deliveries())
	})
	replies := map[string]int{}
	for _, m := range e.fake.Sent() {
		replies[m.Session]++
	}
	for _, fr := range frames {
		if replies[fr.Session()] != 1 {
			t.Errorf("%s answered %d times", fr.ID(), replies[fr.Session()])
		}
	}
}

// TestCardCallback: an interactive card's click carrying a command reaches
// the engine; with no session webhook the answer goes by the OpenAPI.
func TestCardCallback(t *testing.T) {
	rec := okRecorder()
	e := newEnv(t, func(o *dingtalk.Options) { o.Handler = rec })
	e.run()
	cases := []struct {
		name, spaceType, spaceID string
		via                      string
	}{
		{"1:1", "IM_ROBOT", "cid-dm-staff2051", "oto"},
		{"group", "IM_GROUP", "cid-g2", "group"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fr := e.fake.CardClick(ben.StaffID, c.spaceType, c.spaceID, map[string]string{"command": "ack COL-1 accept"})
			e.fake.Deliver(fr)
			e.fake.WaitFor(t, "the answer", func(v *dingtest.View) bool {
				n := 0
				for _, m := range v.Sent() {
					if m.Via == c.via {
						n++
					}
				}
				return v.Acked(fr.ID()) == 1 && n == 1
			})
			got := rec.Last()
			want := bot.Message{Workspace: e.ws, Platform: bot.DingTalk, EventID: "card:" + fr.ID(), Channel: c.spaceID,
				Direct: c.via == "oto", From: bot.Identity{Platform: bot.DingTalk, ID: ben.StaffID}, Text: "ack COL-1 accept"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("case %d: got %+v\nwant %+v", i, got, want)
			}
		})
	}
}

// TestLongMessageRefused: 100 KB typed into the chat is acknowledged and
// answered with a clear refusal; nothing starts.
func TestLongMessageRefused(t *testing.T) {
	e := newEnv(t)
	e.run()
	got := e.say(launch, amy, "发起协作 "+strings.Repeat("很长的内容", 7000), "消息太长")
	if strings.Contains(got, "协作主题") {
		t.Errorf("a form started:\n%s", got)
	}
	e.say(launch, amy, "看板")
}

// TestReplyFallsBackToOpenAPI: a throttled or expired session webhook does
// not lose the answer; it goes through the robot OpenAPI instead.
func TestReplyFallsBackToOpenAPI(t *testing.T) {
	cases := []struct {
		name  string
		setup func(e *env)
	}{
		{"webhook throttled", func(e *env) { e.fake.LimitWebhook(1) }},
		{"webhook expired", func(e *env) { e.clock.Advance(2 * time.Hour) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.run()
			fr := e.fake.Message(launch, amy, "帮助")
			c.setup(e)
			e.fake.Deliver(fr)
			e.fake.WaitFor(t, "the answer in the group", func(v *dingtest.View) bool {
				for _, m := range v.Sent() {
					if m.Via == "group" && m.Conversation == launch.ID && strings.Contains(m.Text, "collabot 命令") {
						return true
					}
				}
				return false
			})
			if got := session(e.fake.Sent(), fr.Session()); len(got) != 0 {
				t.Errorf("also answered by the webhook: %+v", got)
			}
		})
	}
}
