package bot_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/words"
)

func TestParseRef(t *testing.T) {
	tests := []struct {
		kind bot.IDKind
		in   string
		want int64
		ok   bool
	}{
		{bot.KindCollab, "COL-12", 12, true},
		{bot.KindCollab, "col-12", 12, true},
		{bot.KindCollab, " COL 12 ", 12, true},
		{bot.KindCollab, "COL12", 12, true},
		{bot.KindTask, "T－3", 3, true},
		{bot.KindCollab, "COL-１", 1, true},   // full-width digit from a Chinese IME
		{bot.KindCollab, "ＣＯＬ－１２", 12, true}, // all full-width
		{bot.KindTask, "#T-3", 3, true},
		{bot.KindRisk, "R-0", 0, false},
		{bot.KindRisk, "R--1", 0, false},
		{bot.KindMeeting, "T-3", 0, false},
		{bot.KindTask, "T-3x", 0, false},
		{bot.KindTask, "", 0, false},
		{bot.KindTask, "T-99999999999999999999", 0, false},
	}
	for _, tt := range tests {
		got, err := bot.ParseRef(tt.kind, tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRef(%s, %q) = %d, %v", tt.kind, tt.in, got, err)
		}
		if err != nil {
			assertRefusal(t, err)
		}
	}
	if s := bot.TaskID(7).String(); s != "T-7" {
		t.Errorf("TaskID(7) = %s", s)
	}
	if s := bot.CollabID(3).String(); s != "COL-3" {
		t.Errorf("CollabID(3) = %s", s)
	}
}

func TestStatusWords(t *testing.T) {
	tasks := map[string]bot.TaskStatus{
		"needs_help": bot.TaskNeedsHelp, "needs help": bot.TaskNeedsHelp, "需协助": bot.TaskNeedsHelp,
		"In-Progress": bot.TaskInProgress, "进行中": bot.TaskInProgress, "done": bot.TaskDone, "已完成": bot.TaskDone,
		"阻塞": bot.TaskBlocked, "todo": bot.TaskTodo, "待执行": bot.TaskTodo,
	}
	for in, want := range tasks {
		if got, err := bot.ParseTaskStatus(in); err != nil || got != want {
			t.Errorf("ParseTaskStatus(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"overdue", "延期", "finished-ish", ""} {
		if _, err := bot.ParseTaskStatus(in); bot.ErrorCode(err) != bot.CodeInvalid {
			t.Errorf("ParseTaskStatus(%q) should be refused, got %v", in, err)
		}
	}
	sev := map[string]bot.Severity{"高": bot.SeverityHigh, "HIGH": bot.SeverityHigh, "中": bot.SeverityMedium, "low": bot.SeverityLow}
	for in, want := range sev {
		if got, err := bot.ParseSeverity(in); err != nil || got != want {
			t.Errorf("ParseSeverity(%q) = %q, %v", in, got, err)
		}
	}
	if got, err := bot.ParseAckStatus("无法承接"); err != nil || got != bot.AckDeclined {
		t.Errorf("ParseAckStatus(无法承接) = %q, %v", got, err)
	}
	if _, err := bot.ParseAckStatus("pending"); err == nil {
		t.Error("pending is not an answer")
	}
	if got, _ := bot.ParseMeetingKind("周例会"); got != bot.MeetingWeekly {
		t.Errorf("周例会 = %q", got)
	}
	if got, _ := bot.ParseVerdict("不通过"); got != bot.VerdictFail {
		t.Errorf("不通过 = %q", got)
	}
	labels := []struct{ got, want string }{
		{bot.TaskNeedsHelp.Label(bot.Chinese), "需协助"},
		{bot.TaskOverdue.Label(bot.Chinese), "延期"},
		{bot.StatusRetrospective.Label(bot.Chinese), "复盘中"},
		{bot.MeetingRetrospective.Label(bot.Chinese), "复盘会"},
		{bot.StatusAwaitingAck.Label(bot.English), "awaiting acknowledgement"},
	}
	for _, l := range labels {
		if l.got != l.want {
			t.Errorf("label %q, want %q", l.got, l.want)
		}
	}
}

func TestDirectory(t *testing.T) {
	dir := org(false)
	// Hidden characters and full-width letters do not make a new
	// department (issue 14, row 9).
	for _, name := range []string{"研发部", "RD", " engineering ", "研\u200b发部", "\ufeff研发部\u200d", "ＲＤ", "r\u00add"} {
		if d, ok := dir.Department(name); !ok || d.Name != "研发部" {
			t.Errorf("Department(%q) = %v, %v", name, d.Name, ok)
		}
	}
	_, err := dir.ResolveDepartment("人事部")
	if bot.ErrorCode(err) != bot.CodeUnknownDept {
		t.Fatalf("unknown department: %v", err)
	}
	assertRefusal(t, err)
	if text := words.Refusal(bot.English, err); !strings.Contains(text, "研发部 (engineering)") {
		t.Errorf("the refusal does not say what to type in English: %s", text)
	}
	a := dir.Actor("bob")
	if !a.Heads("研发部") || a.PrimaryDepartment() != "研发部" || a.Leadership {
		t.Errorf("bob = %+v", a)
	}
	if !dir.Actor("lily").Leadership {
		t.Error("lily is leadership")
	}

	withSlack := bot.NewDirectory("acme", nil, nil, []bot.Person{{ID: "zoe", Identities: []bot.Identity{
		{Platform: bot.Slack, ID: "U1"}, {Platform: bot.DingTalk, ID: "dt1"}}}})
	for _, id := range []bot.Identity{{Platform: bot.Slack, ID: "U1"}, {Platform: bot.DingTalk, ID: "dt1"}} {
		if p, ok := withSlack.ByIdentity(id.Platform, id.ID); !ok || p.ID != "zoe" {
			t.Errorf("ByIdentity(%v) = %v, %v", id, p.ID, ok)
		}
	}
	if _, ok := withSlack.ByIdentity(bot.Slack, "dt1"); ok {
		t.Error("a DingTalk id matched on Slack")
	}
	merged := withSlack.With([]bot.Person{{ID: "zoe", Name: "impostor"}, {ID: "new", Registered: true}})
	if p, _ := merged.Person("zoe"); p.Name == "impostor" {
		t.Error("a registered person overrode a configured one")
	}
	if _, ok := merged.Person("new"); !ok {
		t.Error("registered person missing after With")
	}
}

func TestRefusal(t *testing.T) {
	err := fmt.Errorf("saving: %w", bot.Refuse(bot.CodeConflict, "refuse.conflict", nil))
	if words.Refusal(bot.Chinese, err) != "记录刚被其他人修改,请重试。" ||
		words.Refusal(bot.English, err) != "The record was changed by someone else just now; please try again." {
		t.Error("refusal not localised")
	}
	internal := words.Refusal(bot.English, errString("disk I/O error at /var/lib/secret"))
	if internal == "" || strings.Contains(internal, "secret") {
		t.Errorf("internal errors must not leak: %q", internal)
	}
}

// TestRefusalArgs: a refusal's arguments that are wording (a status label,
// a list, another message) read in the reader's language, and its Error,
// for logs, is English with its code.
func TestRefusalArgs(t *testing.T) {
	_, err := bot.ParseSeverity("huge")
	if got, want := words.Refusal(bot.English, err), "“huge” is not one of the choices: high, medium, low"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	if got, want := words.Refusal(bot.Chinese, err), "“huge”不是可选值,请从以下选择:高、中、低"; got != want {
		t.Errorf("Chinese: %q, want %q", got, want)
	}
	if got, want := err.Error(), "invalid (severity): “huge” is not one of the choices: high, medium, low"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	err = bot.Refuse(bot.CodeWrongState, "refuse.wrong_state", bot.Args{"refusal": bot.Msg{Key: "refuse.review.not_in_review"}, "status": bot.StatusActive.LabelText()})
	if got, want := words.Refusal(bot.Chinese, err), "该需求当前不在初审阶段。(当前状态:进行中)"; got != want {
		t.Errorf("nested: %q, want %q", got, want)
	}
	if !errors.Is(err, &bot.Error{Code: bot.CodeWrongState}) || bot.ErrorCode(fmt.Errorf("x: %w", err)) != bot.CodeWrongState {
		t.Error("codes no longer match")
	}
}

type errString string

func (e errString) Error() string { return string(e) }
