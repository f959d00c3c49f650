package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// drainAt delivers what is due at t, as the dispatcher does (drain
// delivers what is due at monday; home refreshes wait a few seconds).
func (w *world) drainAt(a *Adapter, t time.Time) int {
	w.t.Helper()
	ctx := context.Background()
	due, err := w.store.DueNotices(ctx, t, 500)
	if err != nil {
		w.t.Fatal(err)
	}
	sent := 0
	for _, q := range due {
		n, err := w.eng.Notification(ctx, q.Workspace, q.Notice)
		if err != nil {
			w.t.Fatal(err)
		}
		n.ID = q.ID
		if err := a.Send(ctx, n); err != nil {
			if !errors.Is(err, bot.ErrUndeliverable) {
				w.t.Errorf("send %s to %s: %v", n.Kind, n.To, err)
			}
			if err := w.store.MarkFailed(ctx, q.ID, err, t.Add(24*time.Hour)); err != nil {
				w.t.Fatal(err)
			}
			continue
		}
		if err := w.store.MarkSent(ctx, q.ID, t); err != nil {
			w.t.Fatal(err)
		}
		sent++
	}
	return sent
}

// stepClock is a clock a test moves on.
type stepClock struct{ at atomic.Int64 }

func (c *stepClock) Now() time.Time       { return time.Unix(0, c.at.Load()).In(monday.Location()) }
func (c *stepClock) step(d time.Duration) { c.at.Add(int64(d)) }

// homeWorld is the bot with its App Home on the fake Slack, on a clock
// the test moves: home refreshes are gathered per few seconds.
func homeWorld(t *testing.T) (*slackfake.Server, *world, *Adapter, over, *stepClock) {
	f := slackfake.New(t)
	clk := &stepClock{}
	clk.at.Store(monday.UnixNano())
	w := &world{t: t, path: filepath.Join(t.TempDir(), "collabot.db"), clock: clk}
	demo := testkit.OpenDemo(t, w.path, clk, "")
	w.cfg, w.store, w.eng = demo.Config, demo.Store, demo.Engine
	o := adapterOpts(f, w.eng, w)
	o.Home = w.eng
	a := newAdapter(t, o)
	return f, w, a, over{t, httpServer(t, a).URL}, clk
}

// refresh lets the clock pass the few seconds home refreshes gather and
// delivers what is due, then moves on a minute for the next changes.
func (w *world) refresh(a *Adapter, clk *stepClock) {
	w.t.Helper()
	clk.step(10 * time.Second)
	w.drainAt(a, clk.Now())
	clk.step(time.Minute)
}

// event posts an Events API callback over HTTP.
func (o over) event(p map[string]any) {
	o.t.Helper()
	res := signed(o.t, o.srv+"/slack/events", jsonType, mustJSON(o.t, p))
	res.Body.Close()
	if res.StatusCode != 200 {
		o.t.Fatalf("event: status %d", res.StatusCode)
	}
}

// TestWholeCollaborationByButtons: a collaboration from request to
// archive on Slack with no typed text: buttons on the App Home tab and on
// the notices, and the modals they open, filled with form values. The
// page is published when opened and again after changes; accepting,
// starting and finishing a task, passing acceptance are one click each.
func TestWholeCollaborationByButtons(t *testing.T) {
	f, w, a, o, clk := homeWorld(t)
	clicks := 0
	click := func(p map[string]any) map[string]any {
		t.Helper()
		clicks++
		return o.interact(p)
	}
	submit := func(view slackfake.OpenedView, user, trigger string, state map[string]map[string]any) {
		t.Helper()
		clicks++
		if got := o.interact(slackfake.SubmitPayload(t, view, user, trigger, state)); got != nil {
			t.Fatalf("%s answered %v", trigger, got)
		}
	}

	// amy opens the app: nothing waits, a button files a request.
	o.event(slackfake.AppHomeOpened("EvHome1", "U0AMY", "home"))
	home := f.WaitHome("U0AMY", 1)
	if !strings.Contains(home.Render(), "眼下没有") {
		t.Fatalf("amy's empty home: %s", home.Render())
	}
	o.event(slackfake.AppHomeOpened("EvHome1b", "U0AMY", "messages")) // the DM tab: no page
	click(slackfake.HomeClickPayload(t, home, "发起协作", "U0AMY", "t-new"))
	submit(f.WaitView("t-new"), "U0AMY", "t-new-s", request)
	w.drain(a)

	// alice approves from the notice; chris opens his home and accepts
	// from there: one click, no modal.
	click(slackfake.ClickPayload(t, f.WaitPost("D0ALICE", "请初审"), "通过", "U0ALICE", "t-approve", f.HookURL("approve")))
	w.drain(a)
	o.event(slackfake.AppHomeOpened("EvHome2", "U0CHRIS", "home"))
	home = f.WaitHome("U0CHRIS", 1)
	views := len(f.Views())
	click(slackfake.HomeClickPayload(t, home, "承接", "U0CHRIS", "t-accept"))
	waitFor(t, "COL-1 active", func() bool { return w.collab(1).Status == bot.StatusActive })
	if len(f.Views()) != views {
		t.Fatal("accepting opened a modal")
	}
	// The change refreshes the pages of those who opened theirs, once.
	w.refresh(a, clk)
	home = f.WaitHome("U0CHRIS", 2)
	if strings.Contains(home.Render(), "等待运营部对接确认") {
		t.Errorf("the acknowledgement still waits on chris's page: %s", home.Render())
	}
	amy := f.WaitHome("U0AMY", 2)
	if !strings.Contains(amy.Render(), "COL-1") {
		t.Fatalf("amy's page after the change: %s", amy.Render())
	}

	// amy adds a task from her page, for chris.
	click(slackfake.HomeClickPayload(t, amy, "添加任务", "U0AMY", "t-task"))
	submit(f.WaitView("t-task"), "U0AMY", "t-task-s", map[string]map[string]any{"title": slackfake.PlainText("接口联调"),
		"owner": slackfake.Users("U0CHRIS"), "due": slackfake.Date("2026-12-01"), "standard": slackfake.PlainText("用例全部通过")})
	w.refresh(a, clk)
	home = f.WaitHome("U0CHRIS", 3)
	if !strings.Contains(home.Render(), "🟢") || !strings.Contains(home.Render(), "T-1") {
		t.Fatalf("chris's task on his page: %s", home.Render())
	}
	click(slackfake.HomeClickPayload(t, home, "开始", "U0CHRIS", "t-start"))
	waitFor(t, "T-1 started", func() bool { return w.collab(1).Tasks[0].Status == bot.TaskInProgress })
	w.refresh(a, clk)
	home = f.WaitHome("U0CHRIS", 4)

	click(slackfake.HomeClickPayload(t, home, "完成", "U0CHRIS", "t-done"))
	waitFor(t, "T-1 done", func() bool { return w.collab(1).Tasks[0].Status == bot.TaskDone })
	w.refresh(a, clk)

	// amy delivers from her page and passes the acceptance from its notice.
	amy, _ = f.HomeOf("U0AMY")
	click(slackfake.HomeClickPayload(t, amy, "提交交付", "U0AMY", "t-deliver"))
	submit(f.WaitView("t-deliver"), "U0AMY", "t-deliver-s", map[string]map[string]any{
		"items": slackfake.PlainText("接口文档, v1.0, 1, https://docs.example.com/api"), "selfcheck": slackfake.PlainText("用例全部通过")})
	w.refresh(a, clk)
	amy, _ = f.HomeOf("U0AMY")
	click(slackfake.HomeClickPayload(t, amy, "通过", "U0AMY", "t-pass"))
	waitFor(t, "COL-1 accepted", func() bool { return w.collab(1).Status == bot.StatusRetrospective })
	w.refresh(a, clk)

	// The retrospective from her page.
	amy = f.WaitHome("U0AMY", 6)
	click(slackfake.HomeClickPayload(t, amy, "复盘", "U0AMY", "t-retro"))
	submit(f.WaitView("t-retro"), "U0AMY", "t-retro-s", map[string]map[string]any{
		"highlights": slackfake.PlainText("当天联调完成"), "improvements": slackfake.PlainText("测试环境提前准备")})
	w.refresh(a, clk)
	amy, n := f.HomeOf("U0AMY")
	click(slackfake.HomeClickPayload(t, amy, "归档", "U0AMY", "t-archive"))
	waitFor(t, "COL-1 archived", func() bool { return w.collab(1).Status == bot.StatusArchived })
	w.refresh(a, clk)
	if amy = f.WaitHome("U0AMY", n+1); !strings.Contains(amy.Render(), "眼下没有") {
		t.Errorf("amy's page once all is done: %s", amy.Render())
	}
	t.Logf("a whole collaboration in %d clicks and submissions, no typed text", clicks)
}

// TestHomeRefreshBurst: fifty changes to someone's items in a burst (his
// task's status typed back and forth in his DM) publish his page once.
func TestHomeRefreshBurst(t *testing.T) {
	f, w, a, o, clk := homeWorld(t)
	o.slash(slackfake.SlashPayload("U0AMY", "C0LAUNCH", "new", "t-new", f.HookURL("new")))
	if got := o.interact(slackfake.SubmitPayload(t, f.WaitView("t-new"), "U0AMY", "t-new-s", request)); got != nil {
		t.Fatalf("filing answered %v", got)
	}
	w.drain(a)
	o.interact(slackfake.ClickPayload(t, f.WaitPost("D0ALICE", "请初审"), "通过", "U0ALICE", "t-approve", f.HookURL("approve")))
	w.drain(a)
	o.interact(slackfake.ClickPayload(t, f.WaitPost("D0CHRIS", "COL-1"), "承接", "U0CHRIS", "t-accept", f.HookURL("accept")))
	waitFor(t, "COL-1 active", func() bool { return w.collab(1).Status == bot.StatusActive })
	o.slash(slackfake.SlashPayload("U0AMY", "C0LAUNCH", "task add COL-1", "t-task", f.HookURL("task")))
	if got := o.interact(slackfake.SubmitPayload(t, f.WaitView("t-task"), "U0AMY", "t-task-s", map[string]map[string]any{
		"title": slackfake.PlainText("接口联调"), "owner": slackfake.Users("U0CHRIS"), "due": slackfake.Date("2026-12-01"),
		"standard": slackfake.PlainText("用例全部通过")})); got != nil {
		t.Fatalf("task answered %v", got)
	}
	o.event(slackfake.AppHomeOpened("EvHomeB", "U0CHRIS", "home"))
	f.WaitHome("U0CHRIS", 1)
	w.refresh(a, clk)
	before := w.collab(1).Version
	for i := range 50 {
		text := map[bool]string{true: "任务 T-1 开始", false: "任务 T-1 重开"}[i%2 == 0]
		o.event(slackfake.MessageEvent(fmt.Sprintf("EvBurst%d", i), "D0CHRIS", "U0CHRIS", text, nil))
	}
	waitFor(t, "the burst handled", func() bool { return w.collab(1).Version >= before+50 })
	_, n := f.HomeOf("U0CHRIS")
	w.refresh(a, clk)
	if _, after := f.HomeOf("U0CHRIS"); after != n+1 {
		t.Fatalf("50 changes published chris's page %d times, want once", after-n)
	}
}

// waitFor polls cond with a deadline: clicks are handled after their ack.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond) // polling the store with a deadline
	}
}

// TestHomeBlocksCapped: a page with more than Block Kit's 100 blocks is
// cut whole items at a time, ends with how many were left out and a link
// to the web board, and stays valid as views.publish checks it.
func TestHomeBlocksCapped(t *testing.T) {
	h := &bot.Home{Lang: bot.English, Title: "What waits for you", Board: "https://board.example.com/me?t=x",
		Buttons: []bot.Button{{Label: "New request", Action: "command", Value: "new"}}}
	for _, kind := range []string{"acks", "tasks"} {
		sec := bot.HomeSection{Kind: kind, Title: kind}
		for i := range 40 {
			sec.Items = append(sec.Items, bot.HomeItem{Ref: fmt.Sprint("T-", i), Emoji: "🔴", Text: fmt.Sprintf("*T-%d* <b>", i),
				Buttons: []bot.Button{{Label: "Start", Action: "command", Value: fmt.Sprint("task T-", i, " start")},
					{Label: "Done", Action: "command", Value: fmt.Sprint("task T-", i, " done")}}})
		}
		h.Sections = append(h.Sections, sec)
	}
	blocks := homeBlocks(h)
	var view map[string]any
	raw := mustJSON(t, slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}})
	if err := json.Unmarshal([]byte(raw), &view); err != nil {
		t.Fatal(err)
	}
	if problems := slackfake.CheckHome(view); len(problems) > 0 {
		t.Fatalf("invalid home: %v", problems)
	}
	render := func(bs []slack.Block) string {
		var out []string
		for _, b := range bs {
			if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil {
				out = append(out, s.Text.Text)
			}
		}
		return strings.Join(out, "\n")
	}
	shown := 0
	for _, b := range blocks {
		if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil && strings.HasPrefix(s.Text.Text, "🔴") {
			shown++
		}
	}
	last, ok := blocks[len(blocks)-1].(*slack.ContextBlock)
	if !ok {
		t.Fatalf("the page does not end with what was left out")
	}
	text := last.ContextElements.Elements[0].(*slack.TextBlockObject).Text
	if want := fmt.Sprintf("<https://board.example.com/me?t=x|…and %d more — open the board>", 80-shown); text != want {
		t.Errorf("last line %q, want %q", text, want)
	}
	if len(blocks) > 100 || shown < 40 {
		t.Errorf("%d blocks, %d items shown", len(blocks), shown)
	}
	if !strings.Contains(render(blocks), "*T-0* &lt;b&gt;") {
		t.Error("an item's text is not escaped")
	}
}
