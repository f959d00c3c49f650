package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collabot/collabot/internal/config"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
)

// platforms is a local Slack and a local DingTalk, and the variables that
// point collabot at them.
type platforms struct {
	slack    *slackfake.Server
	dingtalk *dingtest.Fake
	vars     map[string]string
}

func newPlatforms(t *testing.T, clock bot.Clock) *platforms {
	p := &platforms{slack: slackfake.New(t), dingtalk: dingtest.New(t, clock.Now)}
	p.vars = map[string]string{
		"COLLABOT_DB":                     t.TempDir() + "/collabot.db",
		"COLLABOT_HTTP_ADDR":              "127.0.0.1:0",
		"COLLABOT_SLACK_BOT_TOKEN":        slackfake.BotToken,
		"COLLABOT_SLACK_APP_TOKEN":        slackfake.AppToken,
		"COLLABOT_SLACK_API_URL":          p.slack.URL(),
		"COLLABOT_DINGTALK_CLIENT_ID":     p.dingtalk.ClientID,
		"COLLABOT_DINGTALK_CLIENT_SECRET": p.dingtalk.ClientSecret,
		"COLLABOT_DINGTALK_ROBOT_CODE":    p.dingtalk.RobotCode,
		"COLLABOT_DINGTALK_API_URL":       p.dingtalk.URL,
	}
	return p
}

// running is a service started by startService.
type running struct {
	s    *service
	addr string
	log  *testkit.SyncBuffer
	stop func() error
}

// startService builds serve's service on clock, with serve's flags args
// (--config FILE), and runs it on a local port until the test ends or
// stop is called.
func startService(t *testing.T, vars map[string]string, clock bot.Clock, args ...string) *running {
	t.Helper()
	logs := &testkit.SyncBuffer{}
	s := buildServiceLogged(t, vars, clock, logs, args...)
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.run(ctx, ln) }()
	var once sync.Once
	var runErr error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case runErr = <-done:
			case <-time.After(time.Minute):
				t.Error("serve did not stop within a minute")
			}
			s.close()
		})
		return runErr
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("serve: %v", err)
		}
		if t.Failed() {
			t.Logf("service log:\n%s", logs.String())
		}
	})
	r := &running{s: s, addr: ln.Addr().String(), log: logs, stop: stop}
	testkit.Eventually(t, "the adapters to connect", func() bool {
		for _, a := range s.adapters {
			if !a.Connected() {
				return false
			}
		}
		return true
	})
	return r
}

// buildService builds serve's service without running it; it is closed
// when the test ends.
func buildService(t *testing.T, vars map[string]string, clock bot.Clock) *service {
	t.Helper()
	s := buildServiceLogged(t, vars, clock, &testkit.SyncBuffer{})
	t.Cleanup(s.close)
	return s
}

func buildServiceLogged(t *testing.T, vars map[string]string, clock bot.Clock, logs *testkit.SyncBuffer, args ...string) *service {
	t.Helper()
	e := &env{stdout: logs, stderr: logs, getenv: func(k string) string { return vars[k] }}
	if _, err := e.flags("serve", args, nil); err != nil {
		t.Fatal(err)
	}
	s, err := newService(context.Background(), e, clock)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	ben   = dingtest.User{StaffID: "staff2051", Nick: "陈斌"}
	benDM = dingtest.DirectChat(ben.StaffID)
)

// lastDM waits for a 1:1 message to staff containing text.
func lastDM(t *testing.T, f *dingtest.Fake, staff, text string) dingtest.Message {
	t.Helper()
	var got dingtest.Message
	f.WaitFor(t, "a 1:1 message to "+staff+" containing "+text, func(v *dingtest.View) bool {
		for _, m := range dingtest.SentTo(v.Sent(), staff) {
			if strings.Contains(m.Title+m.Text, text) {
				got = m
			}
		}
		return got.Text != ""
	})
	return got
}

func dingButton(t *testing.T, m dingtest.Message, title string) dingtest.Button {
	t.Helper()
	b, ok := m.Button(title)
	if !ok {
		t.Fatalf("no button %q in %q", title, m.Title)
	}
	return b
}

// replied waits until DingTalk acknowledged fr and the bot answered in
// its session with text.
func replied(t *testing.T, f *dingtest.Fake, fr dingtest.Frame, text string) {
	t.Helper()
	f.WaitFor(t, "the answer to "+fr.ID()+" containing "+text, func(v *dingtest.View) bool {
		if v.Acked(fr.ID()) == 0 {
			return false
		}
		for _, m := range v.Sent() {
			if m.Session == fr.Session() && strings.Contains(m.Text, text) {
				return true
			}
		}
		return false
	})
}

// TestServeMixedPlatforms runs one collaboration across both platforms
// through `serve`'s wiring: chris (运营部, on Slack) files it with
// /collab new and its modal; ben (研发部's contact, on DingTalk only)
// gets a 1:1 card from the dispatcher and accepts it with its buttons;
// chris hears of it on Slack, adds a task for each of them and shows the
// board in his channel. Then `collabot tick` at 17:00 asks both for their
// progress, each on their own platform: ben by batchSend, chris by DM.
func TestServeMixedPlatforms(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	p := newPlatforms(t, clock)
	svc := startService(t, p.vars, clock)
	sl, dt := p.slack, p.dingtalk

	// chris files the request in #ops with the modal.
	env := sl.Push("slash_commands", slackfake.SlashPayload("U0CHRIS", "C0OPS", "new", "trig-new", sl.HookURL("new")))
	sl.Ack(env)
	view := sl.WaitView("trig-new")
	env = sl.Push("interactive", slackfake.SubmitPayload(t, view, "U0CHRIS", "trig-submit", map[string]map[string]any{
		"topic": slackfake.PlainText("双十二活动接口"), "goal": slackfake.PlainText("活动页面按时上线"),
		"departments": slackfake.Picks("研发部"), "requirements": slackfake.PlainText("接口联调与压测"), "due": slackfake.Date("2026-12-10"),
	}))
	sl.Ack(env)
	sl.WaitPost("new", "COL-1")

	// ben, on DingTalk, gets a card in his 1:1 chat without anyone
	// draining anything: serve's dispatcher was kicked by the message.
	card := lastDM(t, dt, ben.StaffID, "双十二活动接口")
	fr, err := dt.Click(benDM, ben, dingButton(t, card, "承接"))
	if err != nil {
		t.Fatal(err)
	}
	replied(t, dt, fr, "承接范围")
	for _, step := range []string{"跳过", "跳过", "跳过"} {
		fr := dt.Message(benDM, ben, step)
		dt.Deliver(fr)
		replied(t, dt, fr, "")
	}
	fr = dt.Message(benDM, ben, "确认")
	dt.Deliver(fr)
	replied(t, dt, fr, "已承接")

	// chris hears on Slack that 研发部 accepted, #ops that it is active.
	sl.WaitPost("D0CHRIS", "研发部")
	sl.WaitPost("C0OPS", "协作已启动")
	// He adds a task for ben and one for himself, pasting the form in his
	// DM with the bot, and shows the board to #ops.
	for i, task := range []string{
		"任务 新建 COL-1\n任务名称: 接口联调\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-01\n交付标准: 用例通过",
		"任务 新建 COL-1\n任务名称: 活动页面验收\n责任部门: 运营部\n直接责任人: @chris\n截止时间: 2026-12-08\n交付标准: 页面上线",
	} {
		id := "Ev-task-" + string(rune('A'+i))
		sl.Ack(sl.Push("events_api", slackfake.MessageEvent(id, "D0CHRIS", "U0CHRIS", task, nil)))
		sl.WaitPost("D0CHRIS", "请确认")
		id += "-ok"
		sl.Ack(sl.Push("events_api", slackfake.MessageEvent(id, "D0CHRIS", "U0CHRIS", "确认", nil)))
		sl.WaitPost("D0CHRIS", "T-"+string(rune('1'+i)))
	}
	// A fast answer comes in the slash command's acknowledgement.
	var board struct {
		ResponseType string           `json:"response_type"`
		Blocks       []map[string]any `json:"blocks"`
	}
	ack := sl.Ack(sl.Push("slash_commands", slackfake.SlashPayload("U0CHRIS", "C0OPS", "board COL-1", "trig-board", sl.HookURL("board"))))
	if err := json.Unmarshal(ack, &board); err != nil {
		t.Fatalf("board answer %s: %v", ack, err)
	}
	if text := slackfake.Render(board.Blocks); board.ResponseType != "in_channel" || !strings.Contains(text, "接口联调") || !strings.Contains(text, "活动页面验收") {
		t.Errorf("the board, %s, lacks a task:\n%s", board.ResponseType, text)
	}
	if err := svc.stop(); err != nil {
		t.Fatalf("serve stopped with %v", err)
	}

	// 17:00: one cron-driven tick delivers the progress requests.
	code, out, errOut := runCLI(t, p.vars, "tick", "--at", "2026-11-23T17:00:00+08:00")
	if code != 0 {
		t.Fatalf("tick: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"→ @ben (DM) queued: 📝 今日进度", "→ @chris (DM) queued: 📝 今日进度", "delivered"} {
		if !strings.Contains(out, want) {
			t.Errorf("tick output lacks %q:\n%s", want, out)
		}
	}
	reminder := lastDM(t, dt, ben.StaffID, "今日进度")
	if !strings.Contains(reminder.Text, "接口联调") || strings.Contains(reminder.Text, "活动页面验收") {
		t.Errorf("ben's reminder should list his task only:\n%s", reminder.Text)
	}
	dm := sl.WaitPost("D0CHRIS", "今日进度")
	if !strings.Contains(dm.Render(), "活动页面验收") || !dm.HasButtons() {
		t.Errorf("chris's reminder should list his task with buttons:\n%s", dm.Render())
	}
	// A second tick at the same instant sends nothing more.
	before := len(dingtest.SentTo(dt.Sent(), ben.StaffID))
	if code, out, _ := runCLI(t, p.vars, "tick", "--at", "2026-11-23T17:00:00+08:00"); code != 0 || !strings.Contains(out, "0 queued") {
		t.Errorf("second tick: exit %d\n%s", code, out)
	}
	if after := len(dingtest.SentTo(dt.Sent(), ben.StaffID)); after != before {
		t.Errorf("the second tick sent ben %d more messages", after-before)
	}
}

func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestServeEndpoints: /healthz, /readyz and /metrics on serve's
// listener, the metrics read by Prometheus's own text parser; /readyz
// fails once the store is gone.
func TestServeEndpoints(t *testing.T) {
	clock := console.NewClock(time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai(t)))
	p := newPlatforms(t, clock)
	svc := startService(t, p.vars, clock)
	get := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get("http://" + svc.addr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	if code, body := get("/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	code, body := get("/readyz")
	// The shipped calendar ends with 2026, and 60 days from 2026-11-23
	// reach into 2027: reported, and the service is still ready.
	for _, want := range []string{"store: ok", "migrations: ok", "slack: ok", "dingtalk: ok", "calendar: no public holidays for [2027] within 60 days"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("/readyz = %d, want 200 with %q:\n%s", code, want, body)
		}
	}

	// Something to count: ben asks for help twice with one message id
	// (a redelivery), and files nothing.
	fr := p.dingtalk.Message(benDM, ben, "帮助")
	p.dingtalk.Deliver(fr)
	replied(t, p.dingtalk, fr, "")
	p.dingtalk.Deliver(fr)
	p.dingtalk.WaitFor(t, "the redelivery acknowledged", func(v *dingtest.View) bool { return v.Acked(fr.ID()) >= 2 })

	code, body = get("/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics is not Prometheus text: %v", err)
	}
	value := func(name string, labels map[string]string) float64 {
		t.Helper()
		f := families[name]
		if f == nil {
			t.Fatalf("no metric %s", name)
		}
	next:
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
					continue next
				}
			}
			switch {
			case m.Counter != nil:
				return m.GetCounter().GetValue()
			case m.Gauge != nil:
				return m.GetGauge().GetValue()
			case m.Histogram != nil:
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
		t.Fatalf("no series %s%v", name, labels) // a zero never passes for a missing series
		return 0
	}
	if got := value("collabot_events_total", map[string]string{"platform": "dingtalk", "outcome": "received"}); got != 2 {
		t.Errorf("dingtalk events received = %v, want 2 (the message and its redelivery)", got)
	}
	if got := value("collabot_events_total", map[string]string{"platform": "dingtalk", "outcome": "duplicate"}); got != 1 {
		t.Errorf("dingtalk duplicates = %v, want 1", got)
	}
	if got := value("collabot_ack_seconds", map[string]string{"platform": "dingtalk"}); got != 2 {
		t.Errorf("dingtalk acks timed = %v, want 2", got)
	}
	// Present only when the collector read the store: the redelivery
	// left nothing queued.
	if got := value("collabot_outbox_depth", nil); got != 0 {
		t.Errorf("outbox depth = %v, want 0", got)
	}

	// The store goes away: not ready, and the body says why.
	svc.s.store.Close()
	rec := httptest.NewRecorder()
	svc.s.routes().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "store: ") || strings.Contains(rec.Body.String(), "store: ok") {
		t.Errorf("/readyz without a store = %d:\n%s", rec.Code, rec.Body.String())
	}
}

// TestCheckOrganisation refuses the demo organisation on a real platform
// unless asked for, and lets a company's file or a local test platform
// through.
func TestCheckOrganisation(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	company, err := config.Load(filepath.Join("..", "..", "configs", "collabot.example.yaml"), env("COLLABOT_SLACK_BOT_TOKEN", "xoxb-1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		getenv func(string) string
		cfg    *config.Config
		refuse bool
	}{
		{"demo on real Slack", env("COLLABOT_SLACK_BOT_TOKEN", "xoxb-1"), nil, true},
		{"demo on real DingTalk", env("COLLABOT_DINGTALK_CLIENT_ID", "ding1", "COLLABOT_DINGTALK_CLIENT_SECRET", "s"), nil, true},
		{"demo on purpose", env("COLLABOT_SLACK_BOT_TOKEN", "xoxb-1", "COLLABOT_DEMO", "1"), nil, false},
		{"demo on a local Slack", env("COLLABOT_SLACK_BOT_TOKEN", "xoxb-1", "COLLABOT_SLACK_API_URL", "http://127.0.0.1:9/api/"), nil, false},
		{"a company's file", env(), company, false},
	} {
		cfg := tc.cfg
		if cfg == nil {
			if cfg, err = config.LoadDemo(tc.getenv); err != nil {
				t.Fatal(err)
			}
		}
		err := checkOrganisation(cfg, tc.getenv)
		if (err != nil) != tc.refuse {
			t.Errorf("%s: got %v, want refused %v", tc.name, err, tc.refuse)
		}
		if err != nil && (!strings.Contains(err.Error(), "COLLABOT_CONFIG") || strings.Contains(err.Error(), "xoxb-1")) {
			t.Errorf("%s: the refusal should name COLLABOT_CONFIG and no secret: %v", tc.name, err)
		}
	}
}
