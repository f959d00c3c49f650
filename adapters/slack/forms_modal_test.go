package slack

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
)

// TestFormModals: the forms of the plan and of execution open as modals
// drawn from the engine's description — people as user pickers, dates as
// date pickers, choices and departments as selects — and their
// submissions commit through the real slack-go client, with refusals
// under the field at fault.
func TestFormModals(t *testing.T) {
	f := slackfake.New(t)
	w := newWorld(t)
	a := newAdapter(t, adapterOpts(f, w.eng, w))
	o := over{t, httpServer(t, a).URL}
	open := func(user, text, trigger string) slackfake.OpenedView {
		t.Helper()
		o.slash(slackfake.SlashPayload(user, "C0LAUNCH", text, trigger, f.HookURL(trigger)))
		return f.WaitView(trigger)
	}
	submit := func(view slackfake.OpenedView, user, trigger string, state map[string]map[string]any) map[string]any {
		t.Helper()
		return o.interact(slackfake.SubmitPayload(t, view, user, trigger, state))
	}

	// COL-1 filed, approved and accepted: active.
	if got := submit(open("U0AMY", "new", "t-new"), "U0AMY", "t-new-s", request); got != nil {
		t.Fatalf("filing answered %v", got)
	}
	w.drain(a)
	o.interact(slackfake.ClickPayload(t, f.WaitPost("D0ALICE", "请初审"), "通过", "U0ALICE", "t-approve", f.HookURL("approve")))
	w.drain(a)
	// Accepting is one tap: its details are optional, the decision the
	// button gives is enough.
	o.interact(slackfake.ClickPayload(t, f.WaitPost("D0CHRIS", "COL-1"), "承接", "U0CHRIS", "t-accept", f.HookURL("accept")))
	waitFor(t, "COL-1 active", func() bool { return w.collab(1).Status == bot.StatusActive })

	// A task: its owner is picked, its due date too.
	task := open("U0AMY", "task add COL-1", "t-task")
	for key, want := range map[string]string{"title": "plain_text_input", "owner": "users_select", "due": "datepicker",
		"department": "static_select", "collaborators": "multi_users_select", "standard": "plain_text_input"} {
		if got := task.InputType(key); got != want {
			t.Errorf("task %s input = %q, want %s", key, got, want)
		}
	}
	state := map[string]map[string]any{"title": slackfake.PlainText("接口联调"), "owner": slackfake.Users("U0CHRIS"),
		"due": slackfake.Date("2026-12-01"), "standard": slackfake.PlainText("用例全部通过")}
	got := submit(task, "U0AMY", "t-task-s1", with(state, "owner", slackfake.Users("U0NOBODY")))
	if errs, _ := got["errors"].(map[string]any); errs == nil || !strings.Contains(errs["owner"].(string), "U0NOBODY") {
		t.Fatalf("a stranger as owner answered %v", got)
	}
	if got := submit(task, "U0AMY", "t-task-s2", state); got != nil {
		t.Fatalf("task answered %v", got)
	}
	c := w.collab(1)
	if len(c.Tasks) != 1 || c.Tasks[0].Owner != "chris" || c.Tasks[0].Title != "接口联调" {
		t.Fatalf("tasks %+v", c.Tasks)
	}

	// chris's progress: done / not done / problems, and a status picked
	// per task of his, prefilled with the status it has.
	progress := open("U0CHRIS", "update COL-1", "t-update")
	if progress.InputType("status:T-1") != "static_select" || progress.InputType("done") == "" || progress.InputType("status") != "" {
		t.Fatalf("progress modal: %s", progress.Render())
	}
	if raw := mustJSON(t, progress.View); !strings.Contains(raw, `"initial_option":{"text":{"emoji":true,"text":"待执行","type":"plain_text"},"value":"todo"}`) {
		t.Errorf("T-1's status is not prefilled: %s", raw)
	}
	if got := submit(progress, "U0CHRIS", "t-update-s", map[string]map[string]any{
		"done": slackfake.PlainText("完成接口文档"), "status:T-1": slackfake.Pick("in_progress"),
	}); got != nil {
		t.Fatalf("progress answered %v", got)
	}
	if s := w.collab(1).Tasks[0].Status; s != bot.TaskInProgress {
		t.Errorf("T-1 is %s", s)
	}

	// A risk: its severity and department are picked.
	risk := open("U0AMY", "risk new COL-1", "t-risk")
	if risk.InputType("severity") != "static_select" || risk.InputType("department") != "static_select" {
		t.Fatalf("risk modal: %s", risk.Render())
	}
	if got := submit(risk, "U0AMY", "t-risk-s", map[string]map[string]any{
		"description": slackfake.PlainText("测试环境不稳定"), "impact": slackfake.PlainText("联调延期"),
		"severity": slackfake.Pick("medium"), "department": slackfake.Pick("运营部"),
	}); got != nil {
		t.Fatalf("risk answered %v", got)
	}
	if c := w.collab(1); len(c.Risks) != 1 || c.Risks[0].Severity != bot.SeverityMedium || c.Risks[0].Department != "运营部" {
		t.Fatalf("risks %+v", c.Risks)
	}

	// The delivery, then a failed acceptance: the verdict the command gave
	// leaves the items to rework, required, and their due date, which
	// defaults to the acceptance span (3 business days) when left empty.
	if w.collab(1).Tasks[0].Status != bot.TaskDone {
		o.slash(slackfake.SlashPayload("U0CHRIS", "C0LAUNCH", "task T-1 done", "t-done", f.HookURL("t-done")))
	}
	deliver := open("U0AMY", "deliver COL-1", "t-deliver")
	if got := submit(deliver, "U0AMY", "t-deliver-s", map[string]map[string]any{
		"items": slackfake.PlainText("接口文档, v1.0, 1, https://docs.example.com/api"), "selfcheck": slackfake.PlainText("用例全部通过"),
	}); got != nil {
		t.Fatalf("delivery answered %v", got)
	}
	accept := open("U0AMY", "accept COL-1 fail", "t-fail")
	if accept.InputType("verdict") != "" || accept.InputType("items") == "" || accept.InputType("due") != "datepicker" {
		t.Fatalf("acceptance modal: %s", accept.Render())
	}
	got = submit(accept, "U0AMY", "t-fail-s1", map[string]map[string]any{"comments": slackfake.PlainText("文档缺示例")})
	if errs, _ := got["errors"].(map[string]any); errs["items"] == nil || errs["due"] != nil {
		t.Fatalf("a fail without items answered %v", got)
	}
	if got := submit(accept, "U0AMY", "t-fail-s2", map[string]map[string]any{"comments": slackfake.PlainText("文档缺示例"),
		"items": slackfake.PlainText("1 补充调用示例")}); got != nil {
		t.Fatalf("acceptance answered %v", got)
	}
	c = w.collab(1)
	if len(c.Acceptances) == 0 || c.Acceptances[len(c.Acceptances)-1].Verdict != bot.VerdictFail {
		t.Fatalf("acceptances %+v (status %s)", c.Acceptances, c.Status)
	}
	if a := c.Acceptances[len(c.Acceptances)-1]; a.Due.IsZero() || len(a.Results) != 1 || a.Results[0].Pass || a.Results[0].Comment != "补充调用示例" {
		t.Fatalf("the modal's fail: %+v", a)
	}
}

// TestEditModal: editing a request opens its modal with the current
// answers; what the submission leaves out stays as it was.
func TestEditModal(t *testing.T) {
	f := slackfake.New(t)
	w := newWorld(t)
	a := newAdapter(t, adapterOpts(f, w.eng, w))
	o := over{t, httpServer(t, a).URL}
	o.slash(slackfake.SlashPayload("U0AMY", "C0LAUNCH", "new", "t-new", f.HookURL("new")))
	if got := o.interact(slackfake.SubmitPayload(t, f.WaitView("t-new"), "U0AMY", "t-new-s", request)); got != nil {
		t.Fatalf("filing answered %v", got)
	}
	o.slash(slackfake.SlashPayload("U0AMY", "C0LAUNCH", "edit COL-1", "t-edit", f.HookURL("edit")))
	edit := f.WaitView("t-edit")
	raw := mustJSON(t, edit.View)
	for _, want := range []string{`"initial_value":"新品推广接口调试"`, `"initial_date":"2026-12-18"`, `"initial_options":[{`} {
		if !strings.Contains(raw, want) {
			t.Errorf("edit modal lacks %s: %s", want, raw)
		}
	}
	if got := o.interact(slackfake.SubmitPayload(t, edit, "U0AMY", "t-edit-s", map[string]map[string]any{
		"topic": slackfake.PlainText("新品推广接口联调"),
	})); got != nil {
		t.Fatalf("edit answered %v", got)
	}
	c := w.collab(1)
	if c.Request.Topic != "新品推广接口联调" || len(c.Request.Departments) != 1 || c.Request.Departments[0].Department != "运营部" ||
		c.Request.Requirements != "完成接口联调" {
		t.Fatalf("after the edit: %+v", c.Request)
	}
}
