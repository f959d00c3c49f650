package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

func TestPastedRequestInTwoMessages(t *testing.T) {
	h := newHarness(t)
	// The command and the paste in one message, then confirm: two messages.
	out := h.chat("\"\"\"\n/collab new\n" + strings.TrimPrefix(pastedRequest, `"""`+"\n") + "confirm\n")
	mustContain(t, out, "新品推广接口调试", "COL-1")
	c := h.collab(1)
	if c.Request.Topic != "新品推广接口调试" || len(c.Request.Departments) != 2 || c.Requester != "amy" {
		t.Fatalf("request = %+v", c.Request)
	}
	if c.Request.Due.In(h.cfg.Location()).Format("2006-01-02") != "2026-12-18" {
		t.Errorf("due = %v", c.Request.Due)
	}
	if c.Status != bot.StatusInReview {
		t.Errorf("市场部 has first review on: status %s", c.Status)
	}
}

// TestRefusals: each bad input gets a clear, localised answer, changes
// nothing it should not, and never ends an open dialog.
func TestRefusals(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(h *harness)
		script string
		want   []string // in the transcript
		check  func(t *testing.T, h *harness)
	}{
		{"past due date is asked again", nil,
			"发起协作\n" + strings.Replace(pastedRequest, "2026-12-18", "2026-01-05", 1),
			[]string{"已过", "期望完成时间"},
			func(t *testing.T, h *harness) { h.noCollab(t, 1) }},
		{"unknown department lists the known ones", nil,
			"发起协作\n" + strings.Replace(pastedRequest, "研发部、财务部", "人事部", 1),
			[]string{"人事部", "研发部", "财务部"}, nil},
		{"decline without reason cannot skip it", (*harness).fileRequest,
			":as ben\n确认 COL-1 无法承接\n跳过\n",
			[]string{"必填", "不能跳过"},
			func(t *testing.T, h *harness) {
				if a, _ := h.collab(1).Ack("研发部"); a.Status != bot.AckPending {
					t.Errorf("ack = %s", a.Status)
				}
			}},
		{"acknowledging for another department", (*harness).fileRequest,
			":as ben\n确认 COL-1 财务部 承接\n",
			[]string{"只有财务部的对接人(周婷 Fiona)"},
			func(t *testing.T, h *harness) {
				if a, _ := h.collab(1).Ack("财务部"); a.Status != bot.AckPending {
					t.Errorf("财务部 ack = %s", a.Status)
				}
			}},
		{"a plain member cannot acknowledge, told in their language", (*harness).fileRequest,
			":as david\n确认 COL-1 承接\n",
			[]string{"You are not the contact or head", "研发部 (陈斌 Ben), 财务部 (周婷 Fiona)"}, nil},
		{"accepting deliverables as a non-requester", (*harness).deliver,
			":as ben\n验收 COL-1 通过\n",
			[]string{"只有需求发起人或总协调人可以验收"},
			func(t *testing.T, h *harness) {
				if c := h.collab(1); c.Status != bot.StatusAccepting {
					t.Errorf("status = %s", c.Status)
				}
			}},
		{"a 100 KB message", nil,
			"发起协作\n" + strings.Repeat("很长的内容", 7000) + "\n",
			[]string{"消息太长"},
			func(t *testing.T, h *harness) { h.noCollab(t, 1) }},
		{"a 5,000-character answer", nil,
			"发起协作\n" + strings.Repeat("长", 5000) + "\n新品推广\n",
			[]string{"最多"},
			func(t *testing.T, h *harness) {
				out := h.chat("取消\n")
				mustContain(t, out, "已取消")
			}},
		{"a wrong date is asked again, the dialog goes on", nil,
			"发起协作\n主题\n目标\n研发部\n跳过\n需求\n跳过\n跳过\n2月30日\n下周五\n确认\n",
			[]string{"2月30日", "COL-1"},
			func(t *testing.T, h *harness) {
				if c := h.collab(1); c.Request.Due.In(h.cfg.Location()).Format("2006-01-02") != "2026-12-04" {
					t.Errorf("due = %v", c.Request.Due)
				}
			}},
		{"unknown command gets the nearest", nil, "borad COL-1\n", []string{"board"}, nil},
		{"gibberish gets a hint", nil, "zzzzqqq\n", []string{"帮助"}, nil},
		{"markup cannot ping everyone", nil,
			"发起协作\n" + strings.Replace(pastedRequest, "新品推广接口调试", "<!channel> 新品 @所有人", 1) + "确认\n",
			nil,
			func(t *testing.T, h *harness) {
				topic := h.collab(1).Request.Topic
				if strings.Contains(topic, "<!channel>") || strings.Contains(topic, "@所有人") {
					t.Errorf("topic keeps live markup: %q", topic)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			out := h.chat(tt.script)
			mustContain(t, out, tt.want...)
			if tt.check != nil {
				tt.check(t, h)
			}
		})
	}
}

func (h *harness) noCollab(t *testing.T, id bot.CollabID) {
	t.Helper()
	err := h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		_, err := tx.Collaboration(context.Background(), id)
		return err
	})
	if bot.ErrorCode(err) != bot.CodeNotFound {
		t.Errorf("%s exists: %v", id, err)
	}
}

// deliver brings COL-1 to acceptance.
func (h *harness) deliver() {
	h.fileRequest()
	h.chat(":as ben\n确认 COL-1 承接\n确认\n:as fiona\n确认 COL-1 承接\n确认\n" +
		":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 用例通过\n\"\"\"\n确认\n" +
		":as ben\n\"\"\"\n提交成果 COL-1\n成果交付清单: 测试报告, v1, 1, https://docs.example.com/r\n成果自检: 已自检\n\"\"\"\n确认\n")
	if c := h.collab(1); c.Status != bot.StatusAccepting {
		h.t.Fatalf("setup: status %s", c.Status)
	}
}

func TestRestartMidDialogContinues(t *testing.T) {
	h := newHarness(t)
	h.chat("发起协作\n新品推广接口调试\n")
	h.restart() // the process dies between two answers
	out := h.chat("Q4 上线\n研发部\n跳过\n完成调试\n跳过\n跳过\n下周五\n确认\n")
	mustContain(t, out, "COL-1")
	c := h.collab(1)
	if c.Request.Topic != "新品推广接口调试" || c.Request.Goal != "Q4 上线" {
		t.Errorf("request after restart = %+v", c.Request)
	}
}

func TestBackAndEdit(t *testing.T) {
	h := newHarness(t)
	out := h.chat("发起协作\n错的主题\n上一步\n对的主题\n目标\n研发部\n跳过\n需求\n跳过\n跳过\n下周五\n确认\n")
	mustContain(t, out, "COL-1")
	if got := h.collab(1).Request.Topic; got != "对的主题" {
		t.Errorf("topic = %q", got)
	}
	h2 := newHarness(t)
	h2.chat("\"\"\"\n发起协作\n" + strings.TrimPrefix(pastedRequest, `"""`+"\n") + "修改 协作主题\n改过的主题\n确认\n")
	if got := h2.collab(1).Request.Topic; got != "改过的主题" {
		t.Errorf("edited topic = %q", got)
	}
}

// TestRedeliveredEventChangesNothing: a platform redelivering an event
// (same id) gets no second answer and causes no second notification.
func TestRedeliveredEventChangesNothing(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	ctx := context.Background()
	m := bot.Message{Workspace: h.ws, Platform: bot.Slack, EventID: "Ev42", Channel: "C1",
		From: bot.Identity{Platform: bot.Slack, ID: "U0BOB"}, Text: "确认 COL-1 承接"}
	first, err := h.eng.Handle(ctx, m)
	if err != nil || len(first) == 0 {
		t.Fatalf("first delivery: %v %v", first, err)
	}
	again, err := h.eng.Handle(ctx, m)
	if err != nil || len(again) != 0 {
		t.Fatalf("redelivery answered: %v %v", again, err)
	}
	// A redelivered refusal is not refused twice either.
	bad := m
	bad.EventID, bad.Text = "Ev43", "确认 COL-1 财务部 承接"
	if r, _ := h.eng.Handle(ctx, bad); len(r) == 0 {
		t.Fatal("refusal not answered")
	}
	if r, _ := h.eng.Handle(ctx, bad); len(r) != 0 {
		t.Errorf("redelivered refusal answered again: %v", r)
	}
}

func TestAnotherWorkspaceCannotReach(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	other := &harness{t: t, path: h.path, clock: h.clock}
	other.open("globex") // same database, another tenant
	out := other.chat(":as ben\n确认 COL-1 承接\nboard COL-1\n")
	mustContain(t, out, "找不到 COL-1")
	if a, _ := h.collab(1).Ack("研发部"); a.Status != bot.AckPending {
		t.Errorf("globex changed acme's record: %s", a.Status)
	}
}

func TestNewcomerIsRegisteredOnFirstContact(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	m := bot.Message{Workspace: h.ws, Platform: bot.DingTalk, Channel: "cid1", From: bot.Identity{Platform: bot.DingTalk, ID: "staff9999"},
		Name: "新同事", Text: "我的部门 运营部"}
	r, err := h.eng.Handle(ctx, m)
	if err != nil || len(r) == 0 || !strings.Contains(r[0].Body, "运营部") {
		t.Fatalf("iam: %v %v", r, err)
	}
	m.Text = "我的部门"
	r, _ = h.eng.Handle(ctx, m)
	if len(r) == 0 || !strings.Contains(r[0].Body, "新同事") || !strings.Contains(r[0].Body, "运营部") {
		t.Errorf("who am I: %v", r)
	}
}

// TestButtonsRunTheirCommand: a notification's buttons come back as a
// click (an Action) and do what typing their command does.
func TestButtonsRunTheirCommand(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	ctx := context.Background()
	n, err := h.eng.Notification(ctx, h.ws, bot.Notice{Kind: "ack_requested", To: "bob", Collab: 1,
		Params: map[string]string{"department": "研发部"}})
	ackButtons := n.Reply.Buttons
	if err != nil || len(ackButtons) != 3 {
		t.Fatalf("ack buttons: %+v %v", ackButtons, err)
	}
	click := bot.Message{Workspace: h.ws, Platform: bot.Slack, EventID: "click-1", Channel: "D1", Direct: true,
		From: bot.Identity{Platform: bot.Slack, ID: "U0BOB"}, Action: &bot.Action{ID: ackButtons[0].Action, Value: ackButtons[0].Value}}
	if _, err := h.eng.Handle(ctx, click); err != nil {
		t.Fatal(err)
	}
	click.EventID, click.Action, click.Text = "msg-2", nil, "confirm"
	if _, err := h.eng.Handle(ctx, click); err != nil {
		t.Fatal(err)
	}
	if a, _ := h.collab(1).Ack("研发部"); a.Status != bot.AckAccepted || a.By != "bob" {
		t.Errorf("after the click: %+v", a)
	}
}

// TestUpdateInDirectMessage: in a 1:1 chat, `update` finds the only
// collaboration the person has open tasks in.
func TestUpdateInDirectMessage(t *testing.T) {
	h := newHarness(t)
	h.deliver()
	h.chat(":as amy\n验收 COL-1 不通过\n缺性能测试\n补充性能测试\n2026-12-15\n确认\n")
	out := h.chat(":dm\n:as ben\n进度\n今天补了压测脚本\n跳过\n跳过\n跳过\n确认\n")
	mustContain(t, out, "COL-1")
	var n int
	h.store.View(context.Background(), h.ws, func(tx bot.Tx) error {
		p, err := tx.Progress(context.Background(), 1, "")
		n = len(p)
		return err
	})
	if n != 1 {
		t.Errorf("%d progress updates", n)
	}
}

// TestChoiceButtonsAnswerTheForm: the buttons under a choice question
// answer it; they are not commands ("accept" is also a command word).
func TestChoiceButtonsAnswerTheForm(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	ctx := context.Background()
	m := bot.Message{Workspace: h.ws, Platform: bot.Slack, Channel: "D1", Direct: true,
		From: bot.Identity{Platform: bot.Slack, ID: "U0BOB"}, Text: "ack COL-1"}
	r, err := h.eng.Handle(ctx, m)
	if err != nil || len(r) == 0 || len(r[len(r)-1].Buttons) == 0 {
		t.Fatalf("decision question: %+v %v", r, err)
	}
	var accept bot.Button
	for _, b := range r[len(r)-1].Buttons {
		if b.Value == "accept" {
			accept = b
		}
	}
	for _, click := range []bot.Action{{ID: accept.Action, Value: accept.Value}, {ID: "answer", Value: "confirm"}} {
		m.Text, m.Action = "", &click
		if _, err := h.eng.Handle(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	if a, _ := h.collab(1).Ack("研发部"); a.Status != bot.AckAccepted {
		t.Errorf("after clicking accept and confirm: %s", a.Status)
	}
	if c := h.collab(1); len(c.Acceptances) != 0 {
		t.Error("the accept button ran the acceptance command")
	}
}

func TestGroupKnowsItsCollaboration(t *testing.T) {
	h := newHarness(t)
	h.fileRequest()
	out := h.chat("看板\n:dm\n看板\n")
	mustContain(t, out, "进度看板 · COL-1", "请指明是哪个协作")
}

func TestSubTasksThroughChat(t *testing.T) {
	h := newHarness(t)
	h.deliver() // T-1 exists; rework after a fail happens in sub-tasks
	task := func(title, parent string) string {
		return "\"\"\"\n任务 新建 COL-1\n任务名称: " + title + "\n责任部门: 研发部\n直接责任人: @ben\n截止时间: 2026-12-10\n交付标准: 通过\n上级任务: " + parent + "\n\"\"\"\n确认\n"
	}
	h.chat(task("补充压测", "T-1"))
	sub, err := h.collab(1).Task(2)
	if err != nil || sub.Parent != 1 {
		t.Fatalf("T-2 = %+v, %v", sub, err)
	}
	out := h.chat(task("第三层", "T-2"))
	mustContain(t, out, "最多两级")
	if _, err := h.collab(1).Task(3); err == nil {
		t.Error("a third level was added")
	}
}
