package engine_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestDecidedFormCloses: a whole command that decides what an open form
// asks (same form, same target) closes that form; a later bare 确认 or a
// stray line is not taken for the old decision on the next round.
func TestDecidedFormCloses(t *testing.T) {
	for _, tc := range []struct {
		lang                                 string
		open, decide, resubmit, stray, close string
		decided, continues                   string
	}{
		{"", "初审 COL-1\n驳回\n", "初审 COL-1 驳回 目标不可衡量\n", "重新提交 COL-1\n", "好的,已经看过了\n", "确认\n",
			"已驳回 COL-1", "↩ 继续“需求初审"},
		{":lang en\n", "review COL-1\nreject\n", "review COL-1 reject goal not measurable\n", "resubmit COL-1\n", "ok, seen it\n", "confirm\n",
			"COL-1", "↩ Back to “"},
	} {
		h := newHarness(t)
		h.inReview()
		out := h.chat(":as alice\n" + tc.lang + tc.open + tc.decide)
		mustContain(t, out, tc.decided)
		mustLack(t, out, tc.continues)
		if c := h.collab(1); c.Status != bot.StatusRejected {
			t.Fatalf("%q: after the whole command: %s\n%s", tc.lang, c.Status, out)
		}
		h.chat(":as amy\n" + tc.resubmit)
		out = h.chat(":as alice\n" + tc.lang + tc.stray + tc.close)
		if c := h.collab(1); c.Status != bot.StatusInReview || len(c.Reviews) != 1 {
			t.Errorf("%q: the closed form decided the new round: %s, %d reviews\n%s", tc.lang, c.Status, len(c.Reviews), out)
		}
	}
}

// TestSettledSignoffFormCloses: a refusal typed whole closes the refusal
// form it answered; after the coordinator asks again, a bare 确认 lists
// what waits instead of refusing again.
func TestSettledSignoffFormCloses(t *testing.T) {
	for _, tc := range []struct{ lang, open, decide, renew, confirm string }{
		{"", "共识函 COL-1 拒签\n", "共识函 COL-1 拒签 目标不够具体\n", "共识函 COL-1 重新发起\n", "好的\n确认\n"},
		{":lang en\n", "signoff COL-1 refuse\n", "signoff COL-1 refuse goal too vague\n", "signoff COL-1 renew\n", "fine\nconfirm\n"},
	} {
		h := newHarness(t)
		h.withSteps()
		out := h.chat(":as frank\n" + tc.lang + tc.open + tc.decide)
		mustLack(t, out, "↩")
		h.chat(":as amy\n" + tc.renew)
		out = h.chat(":as frank\n" + tc.lang + tc.confirm)
		for _, so := range h.collab(1).Consensus.Signoffs {
			if so.Department == "财务部" && so.Status != bot.SignoffPending {
				t.Errorf("%q: a bare confirm refused the renewed signoff again: %s\n%s", tc.lang, so.Status, out)
			}
		}
	}
}

// TestOutlivedFormIsRefused: a form opened before its round began again
// (here decided in another chat, then resubmitted) is refused at submit,
// with how to answer the new round, and closed.
func TestOutlivedFormIsRefused(t *testing.T) {
	for _, tc := range []struct{ lang, open, decide, resubmit, confirm, want, again string }{
		{"", "初审 COL-1\n驳回\n目标不可衡量\n", "初审 COL-1 驳回 目标不可衡量\n", "重新提交 COL-1\n", "确认\n",
			"“需求初审 · COL-1”是在 COL-1 这一轮开始", "`初审 COL-1`"},
		{":lang en\n", "review COL-1\nreject\ngoal not measurable\n", "review COL-1 reject goal not measurable\n", "resubmit COL-1\n", "confirm\n",
			"before COL-1's current round began", "`review COL-1`"},
	} {
		h := newHarness(t)
		h.inReview()
		h.chat(":as alice\n" + tc.lang + tc.open + ":dm\n" + tc.decide)
		h.chat(":as amy\n" + tc.resubmit)
		out := h.chat(":as alice\n" + tc.lang + ":group\n" + tc.confirm)
		mustContain(t, out, tc.want, tc.again)
		if c := h.collab(1); c.Status != bot.StatusInReview || len(c.Reviews) != 1 {
			t.Errorf("%q: the old form decided the new round: %s, %d reviews\n%s", tc.lang, c.Status, len(c.Reviews), out)
		}
		out = h.chat(":as alice\n" + tc.lang + ":group\n" + tc.confirm)
		mustLack(t, out, tc.want)
	}
}

// TestSubmittedDecisionDropsItsDrafts: a decision form opened twice (the
// first kept as a draft) leaves no draft behind once one is submitted.
func TestSubmittedDecisionDropsItsDrafts(t *testing.T) {
	for _, tc := range []struct{ lang, script, resume, none string }{
		{"", "初审 COL-1\n驳回\n初审 COL-1\n通过\n确认\n", "继续\n", "没有存为草稿的表单"},
		{":lang en\n", "review COL-1\nreject\nreview COL-1\napprove\nconfirm\n", "resume\n", "You have no form put aside"},
	} {
		h := newHarness(t)
		h.inReview()
		out := h.chat(":as alice\n" + tc.lang + tc.script)
		if c := h.collab(1); c.Status != bot.StatusAwaitingAck {
			t.Fatalf("%q: %s\n%s", tc.lang, c.Status, out)
		}
		out = h.chat(":as alice\n" + tc.lang + tc.resume)
		mustContain(t, out, tc.none)
	}
}
