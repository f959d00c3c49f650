package engine_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// consoleMsg is what a person types on the console, as FormFor and
// Submit get it from an adapter.
func consoleMsg(h *harness, as, text, event string) bot.Message {
	return bot.Message{Workspace: h.ws, Platform: bot.Console, Channel: "term", EventID: event,
		From: bot.Identity{Platform: bot.Console, ID: as}, Text: text}
}

func keys(f *bot.Form) []string {
	var out []string
	for _, x := range f.Fields {
		out = append(out, x.Key)
	}
	return out
}

func field(f *bot.Form, key string) (bot.FormField, bool) {
	for _, x := range f.Fields {
		if x.Key == key {
			return x, true
		}
	}
	return bot.FormField{}, false
}

// TestFormFor: which messages open which form, with the answers the
// command gave, and which act at once or are refused (no form: the
// message is handled as typed).
func TestFormFor(t *testing.T) {
	h := newHarness(t)
	h.fileRequest() // COL-1 awaits 研发部 (ben) and 财务部 (fiona)
	tests := []struct {
		as, text string
		form     string // "" when none
		given    map[string]string
	}{
		// A new request is a project until someone picks another type.
		{"amy", "new", "request", map[string]string{"type": "project"}},
		{"amy", "/collab 发起协作", "request", map[string]string{"type": "project"}},
		{"amy", "new resource", "request", map[string]string{"type": "resource"}},
		{"amy", "新建 问题协同", "request", map[string]string{"type": "problem"}},
		{"amy", "new 新品推广", "", nil}, // the text answers the first question
		{"amy", "new\ntopic: x", "", nil},
		{"ben", "ack COL-1 accept", "acknowledgement", map[string]string{"decision": "accept"}},
		{"ben", "ack COL 1 decline", "acknowledgement", map[string]string{"decision": "decline"}},
		{"ben", "确认 COL-1 研发部 需补充信息", "acknowledgement", map[string]string{"decision": "info"}},
		{"ben", "ack COL-1", "acknowledgement", nil},
		{"amy", "ack COL-1 accept", "", nil}, // not a contact: refused, no form
		{"amy", "确认", "", nil},
		{"amy", "ack COL-9", "", nil}, // no such collaboration
		{"amy", "board COL-1", "", nil},
		{"amy", "task add COL-1", "task", nil},
		{"amy", "risk new COL-1", "risk", nil},
		{"amy", "meeting new COL-1", "meeting", nil},
		{"amy", "edit COL-1", "request", nil},
		{"amy", "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.as+" "+tt.text, func(t *testing.T) {
			f, err := h.eng.FormFor(context.Background(), consoleMsg(h, tt.as, tt.text, ""))
			if err != nil {
				t.Fatal(err)
			}
			if (f != nil) != (tt.form != "") || (f != nil && f.Name != tt.form) {
				t.Fatalf("FormFor(%q) = %+v, want %q", tt.text, f, tt.form)
			}
			if f != nil && len(tt.given)+len(f.Given) > 0 && !reflect.DeepEqual(f.Given, tt.given) {
				t.Errorf("given = %v, want %v", f.Given, tt.given)
			}
		})
	}
	// Describing changed nothing: no dialog waits, nothing was recorded.
	if out := h.chat(":as ben\n确认 COL-1 承接\n跳过\n跳过\n跳过\n确认\n"); !strings.Contains(out, "承接") {
		t.Errorf("ben's chat after describing:\n%s", out)
	}
}

// TestFormDescription: the request form as data, in both languages; an
// acknowledgement's decision given by the button leaves only its fields;
// an edit carries the current answers.
func TestFormDescription(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	f, err := h.eng.FormFor(ctx, consoleMsg(h, "amy", "new", ""))
	if err != nil || f == nil {
		t.Fatalf("new: %v %v", f, err)
	}
	if f.Title.ZH != "协作需求" && f.Title.ZH == "" || f.Title.EN == "" || f.Lang != bot.Chinese {
		t.Errorf("title %+v, lang %s", f.Title, f.Lang)
	}
	want := map[string]bot.InputKind{"topic": bot.InputText, "goal": bot.InputLongText, "departments": bot.InputDepartments,
		"contacts": bot.InputPeople, "due": bot.InputDate}
	for k, kind := range want {
		x, ok := field(f, k)
		if !ok || x.Kind != kind || x.Label.ZH == "" || x.Label.EN == "" || x.Prompt.ZH == "" || x.Prompt.EN == "" {
			t.Errorf("%s = %+v, want kind %s with labels and prompts in both languages", k, x, kind)
		}
	}
	if x, _ := field(f, "topic"); !x.Required || x.Max == 0 {
		t.Errorf("topic: %+v", x)
	}
	if x, _ := field(f, "departments"); len(x.Choices) != len(h.cfg.Directory().Departments) {
		t.Errorf("departments offer %d choices", len(x.Choices))
	}
	if x, _ := field(f, "scope"); x.Required {
		t.Errorf("scope is optional: %+v", x)
	}
	// mike reads English.
	if f, _ := h.eng.FormFor(ctx, consoleMsg(h, "mike", "new", "")); f == nil || f.Lang != bot.English {
		t.Errorf("mike's form: %+v", f)
	}

	h.fileRequest()
	ack, _ := h.eng.FormFor(ctx, consoleMsg(h, "ben", "ack COL-1 decline", ""))
	if ack == nil || !slices.Equal(keys(ack), []string{"reason", "alternative"}) || ack.Target != "COL-1/研发部" {
		t.Fatalf("decline form: %+v", ack)
	}
	if !slices.Contains(ack.Subject, "COL-1") || !slices.Contains(ack.Subject, "无法承接") {
		t.Errorf("subject %v", ack.Subject)
	}
	open, _ := h.eng.FormFor(ctx, consoleMsg(h, "ben", "ack COL-1", ""))
	if x, _ := field(open, "reason"); x.When == nil || x.When.Field != "decision" || x.Required != true {
		t.Errorf("reason without a decision: %+v", x)
	}

	edit, _ := h.eng.FormFor(ctx, consoleMsg(h, "amy", "edit COL-1", ""))
	if edit == nil || len(edit.Given) != 0 {
		t.Fatalf("edit: %+v", edit)
	}
	if x, _ := field(edit, "topic"); !slices.Equal(x.Value, []string{"新品推广接口调试"}) {
		t.Errorf("edit topic = %v", x.Value)
	}
	if x, _ := field(edit, "departments"); !slices.Equal(x.Value, []string{"研发部", "财务部"}) {
		t.Errorf("edit departments = %v", x.Value)
	}
	if x, _ := field(edit, "due"); !slices.Equal(x.Value, []string{"2026-12-18"}) {
		t.Errorf("edit due = %v", x.Value)
	}
}

// TestSubmit: a submission's problems come back by field in the
// speaker's language and nothing changes; a good one commits, once.
func TestSubmit(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	good := func() bot.Submission {
		return bot.Submission{Form: "request", Values: map[string][]string{
			"topic": {"新品推广接口调试"}, "goal": {"Q4 新品上线", "12月1日前完成接口联调"}, "departments": {"研发部"},
			"requirements": {"完成接口联调"}, "due": {"2026-12-18"}}}
	}
	tests := []struct {
		name   string
		as     string
		change func(s *bot.Submission)
		field  string
		says   string
	}{
		{"a due date in the past", "amy", func(s *bot.Submission) { s.Values["due"] = []string{"2026-01-05"} }, "due", "已过"},
		{"a contact outside the directory", "amy", func(s *bot.Submission) {
			s.People = map[string][]bot.Identity{"contacts": {{Platform: bot.Slack, ID: "U0NOBODY"}}}
		}, "contacts", "U0NOBODY"},
		{"a topic over the limit", "amy", func(s *bot.Submission) { s.Values["topic"] = []string{strings.Repeat("长", 300)} }, "topic", "最多"},
		{"a required field missing", "amy", func(s *bot.Submission) { delete(s.Values, "goal") }, "goal", "协作背景与目标"},
		{"in English", "mike", func(s *bot.Submission) { delete(s.Values, "goal") }, "goal", "Background"},
		{"an unknown department", "amy", func(s *bot.Submission) { s.Values["departments"] = []string{"宣传部"} }, "departments", "宣传部"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good()
			tt.change(&s)
			res, err := h.eng.Submit(ctx, consoleMsg(h, tt.as, "", "sub-bad-"+string(rune('a'+i))), s)
			if err != nil {
				t.Fatal(err)
			}
			if res.OK() || res.Problems[0].Field != tt.field || !strings.Contains(res.Problems[0].Message, tt.says) || res.Problems[0].Refusal == nil {
				t.Fatalf("problems %+v, want one on %s saying %q", res.Problems, tt.field, tt.says)
			}
			if len(res.Replies) != 1 || res.Replies[0].Refusal == nil {
				t.Errorf("replies %+v", res.Replies)
			}
		})
	}
	var n int
	h.store.View(ctx, h.ws, func(tx bot.Tx) error {
		l, err := tx.Collaborations(ctx, bot.Filter{Limit: 10})
		n = len(l)
		return err
	})
	if n != 0 {
		t.Fatalf("%d collaborations filed by refused submissions", n)
	}
	for range 2 { // the redelivery changes nothing
		res, err := h.eng.Submit(ctx, consoleMsg(h, "amy", "", "sub-good"), good())
		if err != nil || !res.OK() {
			t.Fatalf("%+v %v", res, err)
		}
	}
	c := h.collab(1)
	if c.Request.Topic != "新品推广接口调试" || !strings.Contains(c.Request.Goal, "12月1日") || c.Status != bot.StatusInReview {
		t.Fatalf("filed %+v", c.Request)
	}
	if _, err := h.eng.Submit(ctx, consoleMsg(h, "amy", "", "sub-again"), good()); err != nil {
		t.Fatal(err)
	}
	if h.collab(2).ID != 2 {
		t.Error("a new event files again")
	}

	// A rule's refusal names no field of the form: ben may not review.
	res, err := h.eng.Submit(ctx, consoleMsg(h, "ben", "", "rev"), bot.Submission{Form: "review", Target: "COL-1",
		Values: map[string][]string{"decision": {"reject"}, "comments": {"目标不可衡量"}}})
	if err != nil || res.OK() || res.Problems[0].Refusal == nil || res.Problems[0].Refusal.Code != bot.CodeForbidden {
		t.Fatalf("ben reviewing: %+v %v", res, err)
	}
	// alice may, with people given as accounts.
	res, err = h.eng.Submit(ctx, consoleMsg(h, "alice", "", "rev2"), bot.Submission{Form: "review", Target: "COL-1",
		Values: map[string][]string{"decision": {"approve"}}})
	if err != nil || !res.OK() || h.collab(1).Status != bot.StatusAwaitingAck {
		t.Fatalf("alice approving: %+v %v", res, err)
	}
	if _, err := h.eng.Submit(ctx, consoleMsg(h, "alice", "", "x"), bot.Submission{Form: "nothing"}); err == nil {
		t.Error("an unknown form was taken")
	}
}

// TestRefusalOnReply: a refused command's reply carries the refusal.
func TestRefusalOnReply(t *testing.T) {
	h := newHarness(t)
	replies, err := h.eng.Handle(context.Background(), consoleMsg(h, "amy", "show COL-9", "e1"))
	if err != nil {
		t.Fatal(err)
	}
	var refusal *bot.Error
	for _, r := range replies {
		if r.Refusal != nil {
			refusal = r.Refusal
		}
	}
	if refusal == nil || !errors.Is(refusal, &bot.Error{Code: bot.CodeNotFound}) || refusal.Msg.Key == "" {
		t.Fatalf("replies %+v", replies)
	}
}

// TestFormForNewcomer: someone the bot has never seen gets the form too;
// describing it registers nobody, submitting it does.
func TestFormForNewcomer(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	m := bot.Message{Workspace: h.ws, Platform: bot.Slack, Channel: "C0NEW", Name: "Zoe",
		From: bot.Identity{Platform: bot.Slack, ID: "U0ZOE"}, Text: "new"}
	f, err := h.eng.FormFor(ctx, m)
	if err != nil || f == nil || f.Name != "request" {
		t.Fatalf("newcomer's form: %+v %v", f, err)
	}
	registered := func() bool {
		var ok bool
		h.store.View(ctx, h.ws, func(tx bot.Tx) error {
			_, ok, err = tx.PersonByIdentity(ctx, m.From)
			return err
		})
		return ok
	}
	if registered() {
		t.Fatal("describing a form registered the newcomer")
	}
	m.EventID = "zoe-1"
	res, err := h.eng.Submit(ctx, m, bot.Submission{Form: "request", Values: map[string][]string{
		"topic": {"x"}, "goal": {"y"}, "departments": {"研发部"}, "requirements": {"z"}, "due": {"2026-12-18"}}})
	if err != nil || !res.OK() || !registered() {
		t.Fatalf("newcomer's submission: %+v %v (registered %v)", res, err, registered())
	}
}

// TestEditLeavesOutWhatCannotShow: a contact who has no account on the
// editor's platform cannot be shown in a picker; the field is left out
// and keeps its answer.
func TestEditLeavesOutWhatCannotShow(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	out := h.chat(":as amy\n发起协作\n" + strings.Replace(pastedRequest, "期望完成时间", "对接人: emma、fiona\n期望完成时间", 1) + "确认\n")
	mustContain(t, out, "COL-1")
	slackAmy := bot.Message{Workspace: h.ws, Platform: bot.Slack, Channel: "C0", From: bot.Identity{Platform: bot.Slack, ID: "U0AMY"}, Text: "edit COL-1"}
	f, err := h.eng.FormFor(ctx, slackAmy)
	if err != nil || f == nil {
		t.Fatalf("edit: %+v %v", f, err)
	}
	if _, ok := field(f, "contacts"); ok {
		t.Error("contacts without Slack accounts offered in a picker")
	}
	slackAmy.EventID = "edit-1"
	res, err := h.eng.Submit(ctx, slackAmy, bot.Submission{Form: "request", Target: "COL-1", Values: map[string][]string{"topic": {"新题目"}}})
	if err != nil || !res.OK() {
		t.Fatalf("%+v %v", res, err)
	}
	c := h.collab(1)
	if c.Request.Topic != "新题目" || c.Request.Departments[0].Contact != "emma" || c.Request.Departments[1].Contact != "fiona" {
		t.Fatalf("after the edit: %+v", c.Request)
	}
}
