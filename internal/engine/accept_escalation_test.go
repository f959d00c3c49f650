package engine_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestAcceptanceEscalationButtonsOnlyForDeciders: an overdue acceptance
// escalated to a department head, who may not decide it, carries the
// board and what can be done rather than pass/fail buttons that would be
// refused ("只有需求发起人或总协调人可以验收。"); whoever may decide still
// gets them.
func TestAcceptanceEscalationButtonsOnlyForDeciders(t *testing.T) {
	h := newHarness(t)
	h.deliver()
	h.atOut("2026-11-27 10:00")
	h.atOut("2026-12-02 10:00")
	i := slices.IndexFunc(h.sent, func(n bot.Notice) bool { return n.Kind == "acceptance_escalation" })
	if i < 0 {
		t.Fatal("no acceptance escalation was sent")
	}
	n := h.sent[i]
	if n.To != "alice" {
		t.Fatalf("escalated to %s, not the requesting department's head", n.To)
	}
	decider := n
	decider.To = "amy"
	for _, tt := range []struct {
		lang                bot.Lang
		notice              bot.Notice
		want, lack, buttons []string
	}{
		{bot.Chinese, n, []string{"只有需求发起人 王芳 Amy 或总协调人 王芳 Amy 可以验收", "`总协调人 COL-1 @某人`"}, nil, []string{"看板 COL-1"}},
		{bot.English, n, []string{"Only 王芳 Amy or the coordinator, 王芳 Amy, can decide", "`coordinator COL-1 @someone`"}, nil, []string{"board COL-1"}},
		{bot.Chinese, decider, nil, []string{"只有需求发起人"}, []string{"验收 COL-1 通过", "验收 COL-1 不通过"}},
		{bot.English, decider, nil, []string{"Only "}, []string{"accept COL-1 pass", "accept COL-1 fail"}},
	} {
		r, err := h.eng.NotificationIn(context.Background(), h.ws, tt.notice, tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, r.Reply.Body, tt.want...)
		mustLack(t, r.Reply.Body, tt.lack...)
		var got []string
		for _, b := range r.Reply.Buttons {
			got = append(got, b.Command)
		}
		if strings.Join(got, "|") != strings.Join(tt.buttons, "|") {
			t.Errorf("%s to %s: buttons %q, want %q", tt.lang, tt.notice.To, got, tt.buttons)
		}
	}
}
