package slackfake

import (
	"context"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

// TestPublishHome: views.publish through slack-go records the page for
// its user; a page over a home tab's 100 blocks (or with a bad block) is
// refused and fails the test using the fake, while 60 blocks, too many
// for a message, are fine on a home tab.
func TestPublishHome(t *testing.T) {
	rec := &recorder{TB: t}
	f := New(rec)
	api := slack.New(BotToken, slack.OptionAPIURL(f.URL()))
	page := func(n int) slack.HomeTabViewRequest {
		var bs []slack.Block
		for i := range n {
			bs = append(bs, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, "item "+strings.Repeat("x", i%3+1), false, false), nil, nil))
		}
		bs = append(bs, slack.NewActionBlock("", slack.NewButtonBlockElement("command:0", "task T-1 done", slack.NewTextBlockObject(slack.PlainTextType, "完成", false, false))))
		return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: bs}}
	}
	if _, err := api.PublishViewContext(context.Background(), slack.PublishViewContextRequest{UserID: "U0AMY", View: page(59)}); err != nil {
		t.Fatal(err)
	}
	h, n := f.HomeOf("U0AMY")
	if n != 1 || len(h.Blocks()) != 60 {
		t.Fatalf("%d pages, %d blocks", n, len(h.Blocks()))
	}
	if id, value, _, ok := h.Button("完成"); !ok || id != "command:0" || value != "task T-1 done" {
		t.Errorf("button %q %q %v", id, value, ok)
	}
	p := HomeClickPayload(t, h, "完成", "U0AMY", "trig")
	if p["view"].(map[string]any)["type"] != "home" {
		t.Errorf("a click on the home tab: %v", p)
	}
	if _, err := api.PublishViewContext(context.Background(), slack.PublishViewContextRequest{UserID: "U0AMY", View: page(101)}); err == nil {
		t.Error("a page of 102 blocks was published")
	}
	if _, n := f.HomeOf("U0AMY"); n != 1 || len(rec.failures()) != 1 || !strings.Contains(rec.failures()[0], "102 blocks") {
		t.Errorf("%d pages, failures %q", n, rec.failures())
	}
	if ev := AppHomeOpened("Ev1", "U0AMY", "home")["event"].(map[string]any); ev["channel"] != "D0AMY" || ev["type"] != "app_home_opened" {
		t.Errorf("app_home_opened: %v", ev)
	}
}
