package bot_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

// TestChecklistVerdicts: items are named by number or by name, with or
// without a pass word; a pass cannot carry a failing item; only the failed
// items go back, and a re-delivery carries the passed ones over.
func TestChecklistVerdicts(t *testing.T) {
	w := at(t, bot.StatusActive)
	items := []bot.Deliverable{{Name: "接口文档", Version: "v1", Tasks: []bot.TaskID{1}}, {Name: "测试报告", Version: "v1"},
		{Name: "API spec", Version: "v1", Note: "初版"}}
	w.must(w.c.Deliver(w.as("ben"), items, "已自检", t0))

	err := w.c.Decide(w.as("amy"), bot.VerdictPass, "", []string{"2 不通过 缺用例"}, time.Time{}, t0)
	if e := (*bot.Error)(nil); !errors.As(err, &e) || e.Msg.Key != "refuse.acceptance.pass_with_failures" {
		t.Fatalf("pass with a failing item: %v", err)
	}
	w.must(w.c.Decide(w.as("amy"), bot.VerdictFail, "不全", []string{"#2: 缺退款用例", "api SPEC 通过 很好", "补一份说明"}, day(3), t0))
	a := w.c.Acceptances[0]
	want := []bot.ItemResult{{Item: 1, Name: "接口文档", Pass: true}, {Item: 2, Name: "测试报告", Comment: "缺退款用例"},
		{Item: 3, Name: "API spec", Pass: true, Comment: "很好"}}
	if len(a.Results) != 3 || a.Results[0] != want[0] || a.Results[1] != want[1] || a.Results[2] != want[2] {
		t.Errorf("results %+v", a.Results)
	}
	if strings.Join(a.Items, ";") != "测试报告 — 缺退款用例;补一份说明" {
		t.Errorf("rework %q", a.Items)
	}

	w.must(w.c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "测试报告", Version: "v2"}, {Name: "操作手册"}}, "已补", day(1)))
	d := w.c.Deliveries[1]
	if len(d.Items) != 4 || !d.Items[2].Kept || !d.Items[3].Kept || d.Items[2].Name != "接口文档" || d.Items[2].Tasks[0] != 1 {
		t.Fatalf("re-delivery %+v", d.Items)
	}
	ch, ok := w.c.DeliveryChanges(2)
	if !ok || strings.Join(ch.Added, ",") != "操作手册" || len(ch.Versions) != 1 || ch.Versions[0].To != "v2" ||
		strings.Join(ch.Redelivered, ",") != "测试报告" || len(ch.Removed) != 0 || len(ch.Kept) != 2 {
		t.Errorf("changes %+v", ch)
	}
	if back := bot.ParseChanges(ch.Param()); back.Param() != ch.Param() {
		t.Errorf("changes do not read back: %q", ch.Param())
	}
	if _, ok := w.c.DeliveryChanges(1); ok {
		t.Error("a first delivery has changes")
	}
}

func TestDeliveryRefusals(t *testing.T) {
	for _, tt := range []struct {
		name  string
		items []bot.Deliverable
		key   string
	}{
		{"twice", []bot.Deliverable{{Name: "报告"}, {Name: " 报告 "}}, "refuse.delivery.duplicate_item"},
		{"unknown task", []bot.Deliverable{{Name: "报告", Tasks: []bot.TaskID{7}}}, "refuse.delivery.unknown_task"},
		{"bad link", []bot.Deliverable{{Name: "报告", Link: "docs/r"}}, "refuse.delivery.bad_link"},
		{"no name", []bot.Deliverable{{Name: " "}}, "refuse.required"},
	} {
		w := at(t, bot.StatusActive)
		err := w.c.Deliver(w.as("ben"), tt.items, "已自检", t0)
		if e := (*bot.Error)(nil); !errors.As(err, &e) || e.Msg.Key != tt.key {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestAddAttachments(t *testing.T) {
	link := func(i int) bot.Attachment {
		return bot.Attachment{Link: "https://f.example.com/" + strings.Repeat("x", i) + "/报告.pdf", Platform: bot.Slack}
	}
	got, err := bot.AddAttachments(nil, []bot.Attachment{link(1), link(1), {Name: "a", Link: "/tmp/a.pdf", Platform: bot.Console}})
	if err != nil || len(got) != 2 || got[0].Name != "报告.pdf" {
		t.Fatalf("%+v %v", got, err)
	}
	for _, tt := range []struct {
		add []bot.Attachment
		key string
	}{
		{[]bot.Attachment{{Name: "a", Link: "/tmp/a", Platform: bot.Slack}}, "refuse.attachment.bad_link"},
		{[]bot.Attachment{{Name: "a", Link: "ftp://x/a", Platform: bot.Console}}, "refuse.attachment.bad_link"},
		{[]bot.Attachment{{Name: "a"}}, "refuse.attachment.no_link"},
		{[]bot.Attachment{{Name: strings.Repeat("名", bot.MaxAttachmentName+1), Link: "https://x.example.com/a"}}, "refuse.attachment.name_too_long"},
	} {
		if _, err := bot.AddAttachments(nil, tt.add); keyOf(err) != tt.key {
			t.Errorf("%+v: %v", tt.add, err)
		}
	}
	var many []bot.Attachment
	for i := range bot.MaxAttachments + 1 {
		many = append(many, link(i+2))
	}
	if _, err := bot.AddAttachments(got, many); keyOf(err) != "refuse.attachment.too_many" {
		t.Errorf("too many: %v", err)
	}
}

func keyOf(err error) string {
	var e *bot.Error
	if errors.As(err, &e) {
		return e.Msg.Key
	}
	return ""
}

// TestOldDocumentsWithoutChecklist: a collaboration stored before items
// had notes, tasks and verdicts reads back, fails and re-delivers as
// before: a fail without verdicts per item sent the whole delivery back.
func TestOldDocumentsWithoutChecklist(t *testing.T) {
	old := `{"id":1,"workspace":"demo","version":3,"status":"active","requester":"amy","coordinator":"amy",
	  "request":{"topic":"旧协作","departments":[{"department":"研发部","contact":"ben"}]},
	  "deliveries":[{"number":1,"by":"ben","at":"2026-11-23T10:00:00+08:00","items":[{"name":"测试报告","version":"v1","quantity":1}],"self_check":"已自检"}],
	  "acceptances":[{"delivery":1,"by":"amy","at":"2026-11-24T10:00:00+08:00","verdict":"fail","comments":"缺压测","items":["补充压测"],"due":"2026-11-27T10:00:00+08:00"}]}`
	var c bot.Collaboration
	if err := json.Unmarshal([]byte(old), &c); err != nil {
		t.Fatal(err)
	}
	if f := c.Acceptances[0].Failed(); len(f) != 0 {
		t.Errorf("an old verdict has item results: %+v", f)
	}
	c.Deliveries = append(c.Deliveries, bot.Delivery{Number: 2, Items: []bot.Deliverable{{Name: "测试报告", Version: "v2", Quantity: 1}}})
	ch, ok := c.DeliveryChanges(2)
	if !ok || len(ch.Redelivered) != 1 || len(ch.Versions) != 1 || len(ch.Kept) != 0 {
		t.Errorf("changes after an old fail: %+v", ch)
	}
}

// TestChecklistCaseFoldLengths: a name whose lowercase has another byte
// length (Ⱥ is 2 bytes, ⱥ 3) is matched and cut on the line's own text.
func TestChecklistCaseFoldLengths(t *testing.T) {
	w := at(t, bot.StatusActive)
	w.must(w.c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "ⱥpi spec", Version: "v1"}, {Name: "测试报告"}}, "已自检", t0))
	w.must(w.c.Decide(w.as("amy"), bot.VerdictFail, "不全", []string{"Ⱥpi spec"}, day(3), t0))
	a := w.c.Acceptances[0]
	if len(a.Results) != 2 || a.Results[0].Pass || !a.Results[1].Pass {
		t.Errorf("results %+v", a.Results)
	}
}

// TestChecklistItemOutOfRange: a number the list does not have is refused,
// not taken as free text that fails the whole delivery.
func TestChecklistItemOutOfRange(t *testing.T) {
	w := at(t, bot.StatusActive)
	w.must(w.c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "接口文档"}, {Name: "测试报告"}}, "已自检", t0))
	for _, v := range []bot.Verdict{bot.VerdictFail, bot.VerdictPass} {
		err := w.c.Decide(w.as("amy"), v, "不全", []string{"9 nonexistent"}, day(3), t0)
		if e := (*bot.Error)(nil); !errors.As(err, &e) || e.Msg.Key != "refuse.acceptance.no_such_item" || e.Msg.Args["count"] != "2" {
			t.Errorf("%s with item 9 of 2: %v", v, err)
		}
	}
	if len(w.c.Acceptances) != 0 {
		t.Errorf("recorded %+v", w.c.Acceptances)
	}
}

// TestPassClosesWithoutRetrospective: a type with acceptance but no
// retrospective is archived by the pass, not left waiting for one.
func TestPassClosesWithoutRetrospective(t *testing.T) {
	w := at(t, bot.StatusActive)
	w.c.Steps = []string{bot.StepAcknowledgement, bot.StepPlan, bot.StepAcceptance}
	w.must(w.c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "接口文档"}}, "已自检", t0))
	w.must(w.c.Decide(w.as("amy"), bot.VerdictPass, "", nil, time.Time{}, t0))
	if w.c.Status != bot.StatusArchived || w.c.ClosedAt.IsZero() {
		t.Fatalf("after the pass: %s", w.c.Status)
	}
}

// TestCheckVerdictLines: the lines of a verdict are checked against the
// delivery as they are typed, and a pass's notes become its items'
// comments; a pass refuses a line naming no item (it would be lost).
func TestCheckVerdictLines(t *testing.T) {
	w := at(t, bot.StatusActive)
	w.must(w.c.Deliver(w.as("ben"), []bot.Deliverable{{Name: "测试报告", Version: "v1"}}, "已自检", t0))
	for _, tt := range []struct {
		verdict bot.Verdict
		lines   []string
		key     string // "": accepted
	}{
		{bot.VerdictFail, []string{"9 missing"}, "refuse.acceptance.no_such_item"},
		{bot.VerdictFail, []string{"1 缺用例", "补一份说明"}, ""},
		{bot.VerdictPass, []string{"2 很好"}, "refuse.acceptance.no_such_item"},
		{bot.VerdictPass, []string{"整体不错"}, "refuse.acceptance.note_names_no_item"},
		{bot.VerdictPass, []string{"1 不通过 缺页"}, "refuse.acceptance.pass_with_failures"},
		{bot.VerdictPass, []string{"测试报告: 结论清楚", ""}, ""},
	} {
		err := w.c.CheckVerdictLines(tt.verdict, tt.lines)
		var e *bot.Error
		switch {
		case tt.key == "" && err != nil:
			t.Errorf("%s %q: %v", tt.verdict, tt.lines, err)
		case tt.key != "" && (!errors.As(err, &e) || e.Msg.Key != tt.key):
			t.Errorf("%s %q: %v, want %s", tt.verdict, tt.lines, err, tt.key)
		}
	}
	if len(w.c.Acceptances) != 0 {
		t.Fatal("checking lines decided")
	}
	w.must(w.c.Decide(w.as("amy"), bot.VerdictPass, "", []string{"#1 结论清楚"}, time.Time{}, t0))
	if r := w.c.Acceptances[0].Results; len(r) != 1 || !r[0].Pass || r[0].Comment != "结论清楚" {
		t.Errorf("pass notes %+v", r)
	}
}
