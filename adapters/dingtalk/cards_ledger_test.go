package dingtalk_test

import (
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
