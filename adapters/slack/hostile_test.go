package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestHostileTextStaysText (issue 14, row 8): what people typed — a
// disguised link, Slack's own link and mention markup, broadcast words,
// a bare address — is rendered in Block Kit and the fallback text as
// text: no <url|label> link, no live mention, and every mrkdwn object
// verbatim so Slack links nothing by itself. The bot's own bold, heading
// and bullets still render. The old renderer made [Login](https://evil…)
// a live link labelled Login.
func TestHostileTextStaysText(t *testing.T) {
	hostile := "[Login](https://evil.example/sso) <https://evil.example|Docs> <!channel> <!here> <@U0CEO> @here https://evil.example/raw"
	r := bot.Reply{Title: "协作 " + hostile, Body: "## **需求** COL-1\n- 主题:" + hostile + "\n\n**说明**:" + hostile,
		Fields: []bot.Field{{Label: "备注 " + hostile, Value: hostile}}}
	msgs := pack([]bot.Reply{r})
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	raw, err := json.Marshal(msgs[0].blocks)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []map[string]any
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	var texts []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if typ, _ := x["type"].(string); typ == "mrkdwn" {
				if x["verbatim"] != true {
					t.Errorf("mrkdwn not verbatim: Slack would link bare addresses in %v", x["text"])
				}
			}
			if s, ok := x["text"].(string); ok {
				texts = append(texts, s)
			}
			for _, y := range x {
				walk(y)
			}
		case []any:
			for _, y := range x {
				walk(y)
			}
		}
	}
	for _, b := range blocks {
		walk(b)
	}
	texts = append(texts, msgs[0].text)
	all := strings.Join(texts, "\n")
	for _, live := range []string{"<https://", "|Login>", "|Docs>", "<!channel>", "<!here>", "<@U0CEO>"} {
		if strings.Contains(all, live) {
			t.Errorf("live markup %q in:\n%s", live, all)
		}
	}
	for _, kept := range []string{"*需求 COL-1*", "• 主题:[Login](https://evil.example/sso)", "*说明*", "&lt;!channel&gt;"} {
		if !strings.Contains(all, kept) {
			t.Errorf("lacks %q (the bot's formatting, the text as typed):\n%s", kept, all)
		}
	}
}
