package engine_test

import (
	"strings"
	"testing"
)

// TestQuietHoursHoldMessages checks that a person's quiet hours hold what
// others' actions send them until the window ends, and no longer; that
// people without quiet hours get theirs at once; and that the command
// reads, refuses and ends a window in both languages.
func TestQuietHoursHoldMessages(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as ben\n免打扰时段\n免打扰时段 22:00-08:00\n免打扰时段\n:as fiona\nquiet 25:00-08:00\nquiet whenever\n")
	for _, want := range []string{"没有设置免打扰时段", "每天 22:00 到 08:00 不给你发消息", "你的免打扰时段:每天 22:00 到 08:00", "看不懂这个时段"} {
		if !strings.Contains(out, want) {
			t.Errorf("the quiet command did not say %q:\n%s", want, out)
		}
	}
	// People's ways of writing a window, as the confirmation reads it back.
	for in, want := range map[string]string{
		"晚上10点到早上7点半": "22:00 到 07:30", "10pm to 7am": "22:00 到 07:00", "23-6": "23:00 到 06:00",
		"12:00～13:30": "12:00 到 13:30", "22点-22点": "看不懂这个时段", "9-": "看不懂这个时段",
	} {
		if got := h.chat(":as fiona\n免打扰时段 " + in + "\n"); !strings.Contains(got, want) {
			t.Errorf("免打扰时段 %s: want %q in\n%s", in, want, got)
		}
	}
	h.chat(":as fiona\nquiet off\n")
	if _, err := h.clock.Set("2026-11-23 23:10", h.cfg.Location()); err != nil {
		t.Fatal(err)
	}
	out = h.chat(":as amy\n发起协作\n" + pastedRequest + "确认\n:as alice\n初审 COL-1 通过\n")
	if strings.Contains(out, "→ @ben") {
		t.Errorf("ben was messaged at 23:10, inside his quiet hours:\n%s", out)
	}
	if !strings.Contains(out, "→ @fiona") {
		t.Errorf("fiona, without quiet hours, was not told at once:\n%s", out)
	}
	if out := h.chat(":clock 2026-11-24 07:59\n"); strings.Contains(out, "→ @ben") {
		t.Errorf("ben was messaged at 07:59:\n%s", out)
	}
	out = h.chat(":clock 2026-11-24 08:00\n")
	if n := strings.Count(out, "→ @ben (DM): 【COL-1 · 请确认协作需求】"); n != 1 {
		t.Errorf("at 08:00 ben got the acknowledgement request %d times, want once:\n%s", n, out)
	}
	out = h.chat(":as ben\nquiet off\n")
	if !strings.Contains(out, "已取消免打扰时段") {
		t.Errorf("quiet off did not end the window:\n%s", out)
	}
}

// TestAckCommandWordsAreNotAnswers checks that the reference and the
// department typed after 确认 belong to the command: the form then asks
// its first question, and only words after the decision are answers.
func TestAckCommandWordsAreNotAnswers(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"确认 COL-1", "是否承接?"},
		{"ack COL-1 研发部", "是否承接?"},
		{"确认 研发部 COL-1", "是否承接?"},
		{"确认 COL-1 研发部 无法承接 排期满", "有什么替代建议?"},
	} {
		h := newHarness(t)
		h.fileRequest()
		out := h.chat(":as ben\n" + tc.line + "\n")
		if !strings.Contains(out, tc.want) || strings.Contains(out, "不能是") {
			t.Errorf("%q: want the form to ask %q:\n%s", tc.line, tc.want, out)
		}
	}
}

// TestReadingFollowsWhoTakesPart: in a direct chat, show, board and export
// answer the people the web board shows a collaboration to (participants,
// heads of its departments, leadership) and tell anyone else it does not
// exist; in the collaboration's own group everyone there may read it.
func TestReadingFollowsWhoTakesPart(t *testing.T) {
	h := newHarness(t)
	h.fileRequest() // 市场部 asks 研发部 and 财务部
	for _, tc := range []struct {
		who  string
		dm   bool
		sees bool
	}{
		{"gary", true, false}, // 法务部, not in it
		{"olivia", true, false},
		{"bob", true, true}, // head of 研发部
		{"ben", true, true}, // 研发部's contact
		{"lily", true, true},
		{"gary", false, true}, // in the collaboration's group
	} {
		script := ":as " + tc.who + "\n"
		if tc.dm {
			script += ":dm\n"
		}
		out := h.chat(script + "查看 COL-1\n看板 COL-1\n导出 COL-1\n")
		hidden := strings.Count(out, "找不到 COL-1") + strings.Count(out, "COL-1 was not found")
		if tc.sees && hidden > 0 || !tc.sees && (hidden != 3 || strings.Contains(out, "新品推广接口调试")) {
			t.Errorf("%s (direct %v): sees %v, want %v:\n%s", tc.who, tc.dm, hidden == 0, tc.sees, out)
		}
	}
}

// TestQuietHoursSkipTodaysProgressRequest: a progress request that quiet
// hours hold into the next morning is not delivered then as "today's
// progress" for a day gone by; the coordinator's summary lists the
// person as not asked, in quiet hours. Both languages.
func TestQuietHoursSkipTodaysProgressRequest(t *testing.T) {
	for _, tc := range []struct{ lang, quiet, label string }{
		{"", "免打扰时段 16:30-08:30", "⚠️ 未提醒:周婷 Fiona(免打扰中)"},
		{":lang en\n", "quiet 16:30-08:30", "⚠️ Not asked: 周婷 Fiona (in quiet hours)"},
	} {
		h := newHarness(t)
		h.chat(leaveBase + ":as ben\n" + tc.lang + ":as fiona\n" + tc.quiet + "\n")
		out := h.atOut("2026-11-23 18:01")
		mustContain(t, section(out, "→ @ben"), tc.label)
		mustLack(t, out+h.atOut("2026-11-24 08:31"), "→ @fiona")
	}
}
