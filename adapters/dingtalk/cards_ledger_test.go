package dingtalk_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/bot"
)

// TestCardDecidedSurvivesRestart: a card pressed, the process restarted
// (a new adapter, nothing of the first in memory), the card pressed
// again (a press that raced the first one's update): the decision is
// made once, the second press is told the card was decided, and the
// card is shown decided again, from the ledger rather than memory.
func TestCardDecidedSurvivesRestart(t *testing.T) {
	e := newCardEnv(t)
	stop := e.run()
	c := e.ackCard()
	second, err := e.fake.Press(c, ben.StaffID, "承接") // built while the card still shows its buttons
	if err != nil {
		t.Fatal(err)
	}
	e.press(c, ben, "承接", "陈斌")
	at := e.ackOf("研发部").At
	stop()

	o := e.options()
	o.Cards, o.Directory = cardTemplates, e.eng.Directory
	if e.ad, err = dingtalk.New(o); err != nil {
		t.Fatal(err)
	}
	e.run()
	e.clock.Advance(time.Minute)
	updates := len(e.cardNow(c.OutTrackID).Updates)
	e.fake.Deliver(second)
	e.fake.WaitFor(t, "the press after the restart", func(v *dingtest.View) bool { return v.Acked(second.ID()) == 1 })
	e.fake.Read(func(v *dingtest.View) {
		if r := v.Response(second.ID()); !strings.Contains(r, "这张卡片已经处理过了") {
			t.Errorf("the press after the restart was told %s", r)
		}
	})
	e.fake.WaitFor(t, "the card shown decided again", func(v *dingtest.View) bool {
		for _, x := range v.Cards() {
			if x.OutTrackID == c.OutTrackID {
				return len(x.Updates) > updates
			}
		}
		return false
	})
	now := e.cardNow(c.OutTrackID)
	if now.Data["decided"] != "true" || len(now.Buttons()) != 0 || !strings.Contains(now.Data["status"], "陈斌") {
		t.Errorf("the card after the restart: %v", now.Data)
	}
	if a := e.ackOf("研发部"); a.Status != bot.AckAccepted || !a.At.Equal(at) {
		t.Errorf("研发部's acknowledgement: %s at %v (first at %v)", a.Status, a.At, at)
	}
}

// forgetful is a ledger that never shows a card decided: the process
// that submitted a card crashed before noting it, or a second replica
// asks before the first noted it.
type forgetful struct{}

func (forgetful) MarkDecided(context.Context, bot.Workspace, string) error { return nil }
func (forgetful) Decided(context.Context, bot.Workspace, string) (bool, error) {
	return false, nil
}

// TestFormCardSubmittedOnceAcrossRestart: a filing card submitted with a
// required answer missing is refused and, corrected, files; the adapter
// restarted (nothing in memory) with a ledger that does not show the
// card decided, a second press of submit (its own frame, as from a
// second replica) files nothing more, is told the card was decided, and
// the card's inputs are hidden.
func TestFormCardSubmittedOnceAcrossRestart(t *testing.T) {
	e := newEnv(t)
	adapter := func() *dingtalk.Adapter {
		o := e.options()
		o.Cards = maps.Clone(cardTemplates)
		o.Cards["form"], o.Cards["notice"] = "tpl-form", "tpl-notice"
		o.Directory, o.Ledger = e.eng.Directory, forgetful{}
		ad, err := dingtalk.New(o)
		if err != nil {
			t.Fatal(err)
		}
		return ad
	}
	e.ad = adapter()
	stop := e.run()
	e.fake.Deliver(e.fake.Message(launch, amy, "/collab new"))
	filing := e.newCard("tpl-form", amy.StaffID, 0)
	request := map[string]any{"topic": "新品推广接口调试", "goal": "Q4 新品上线", "departments": []string{"研发部"},
		"requirements": "完成产品接口调试", "due": "2026-12-18"}
	second, err := e.fake.Fill(filing, amy.StaffID, request) // pressed again while the card still shows its inputs
	if err != nil {
		t.Fatal(err)
	}
	partial := maps.Clone(request)
	partial["topic"] = ""
	if c := e.fill(filing, amy, partial); c.Data["decided"] == "true" || c.Data["problems"] == "" {
		t.Fatalf("a filing without a topic: %v", c.Data)
	}
	if n := len(e.collabs()); n != 0 {
		t.Fatalf("a refused submission filed %d collaborations", n)
	}
	if c := e.fill(e.cardNow(filing.OutTrackID), amy, request); c.Data["decided"] != "true" {
		t.Fatalf("the corrected filing: %v", c.Data)
	}
	if n := len(e.collabs()); n != 1 {
		t.Fatalf("the corrected filing filed %d collaborations", n)
	}
	stop()

	e.ad = adapter()
	e.run()
	updates := len(e.cardNow(filing.OutTrackID).Updates)
	e.fake.Deliver(second)
	e.fake.WaitFor(t, "the second press", func(v *dingtest.View) bool { return v.Acked(second.ID()) == 1 })
	e.fake.Read(func(v *dingtest.View) {
		if r := v.Response(second.ID()); !strings.Contains(r, "这张卡片已经处理过了") {
			t.Errorf("the second press was told %s", r)
		}
	})
	if n := len(e.collabs()); n != 1 {
		t.Fatalf("two presses of one filing card filed %d collaborations", n)
	}
	e.fake.WaitFor(t, "the card's inputs hidden", func(v *dingtest.View) bool {
		for _, x := range v.Cards() {
			if x.OutTrackID == filing.OutTrackID {
				return len(x.Updates) > updates
			}
		}
		return false
	})
	if now := e.cardNow(filing.OutTrackID); now.Data["decided"] != "true" || now.Data["status"] == "" {
		t.Errorf("the card after the second press: %v", now.Data)
	}
}
