package slack

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/slack-go/slack"
)

// TestRenderLimits renders replies past every Block Kit limit and checks
// that each message Slack would receive is valid, and that nothing the
// limits allow is lost.
func TestRenderLimits(t *testing.T) {
	many := func(n int, f func(i int) bot.Button) []bot.Button {
		var bs []bot.Button
		for i := range n {
			bs = append(bs, f(i))
		}
		return bs
	}
	fields := func(n, size int) []bot.Field {
		var fs []bot.Field
		for i := range n {
			fs = append(fs, bot.Field{Label: "字段 " + strconv.Itoa(i), Value: strings.Repeat("值", size)})
		}
		return fs
	}
	cmd := func(i int) bot.Button {
		return bot.Button{Label: "T-" + strconv.Itoa(i) + " done", Action: "command", Value: "task T-" + strconv.Itoa(i) + " done"}
	}
	tests := []struct {
		name    string
		replies []bot.Reply
		buttons int // buttons that must survive
		body    int // body bytes that must survive, at least
	}{
		{"40 buttons", []bot.Reply{{Title: "Tasks", Buttons: many(40, cmd)}}, 40, 0},
		{"30 fields", []bot.Reply{{Title: "Summary", Fields: fields(30, 20)}}, 0, 0},
		{"a 10 KB body", []bot.Reply{{Body: strings.Repeat("进度正常,接口联调完成。\n", 300)}}, 0, 9000},
		{"a 100 KB body without line breaks", []bot.Reply{{Title: "Record", Body: strings.Repeat("长", 34000),
			Buttons: many(3, cmd)}}, 3, 0},
		{"fields of 5000 characters", []bot.Reply{{Fields: fields(12, 5000)}}, 0, 0},
		{"a 300-character title", []bot.Reply{{Title: strings.Repeat("标题", 150), Body: "x"}}, 0, 0},
		{"long labels and values", []bot.Reply{{Body: "x", Buttons: []bot.Button{
			{Label: strings.Repeat("很长的按钮", 40), Action: "answer", Value: "confirm"},
			{Label: "too long to carry", Action: "command", Value: strings.Repeat("v", 2500)},
		}}}, 1, 0},
		{"1000 buttons", []bot.Reply{{Title: "All", Body: "pick one", Buttons: many(1000, cmd)}}, 0, 0},
		{"60 replies", func() []bot.Reply {
			var rs []bot.Reply
			for i := range 60 {
				rs = append(rs, bot.Reply{Title: "Step " + strconv.Itoa(i), Body: "ok", Buttons: many(2, cmd)})
			}
			return rs
		}(), 120, 0},
		{"markup a person typed", []bot.Reply{{Title: "<!channel>", Body: "<!here> <@U0BOB> & <https://evil.example|click>",
			Fields: []bot.Field{{Label: "<b>", Value: "<!everyone>"}}}}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs := pack(tt.replies)
			if len(msgs) == 0 {
				t.Fatal("nothing rendered")
			}
			buttons, body := 0, 0
			for _, m := range msgs {
				blocks := generic(m.blocks)
				if problems := slackfake.CheckBlocks(blocks); len(problems) > 0 {
					t.Errorf("invalid message: %v", problems)
				}
				if n := utf8.RuneCountInString(m.text); n == 0 || n > maxFallbackRunes {
					t.Errorf("fallback text of %d characters", n)
				}
				for _, b := range blocks {
					if els, ok := b["elements"].([]any); ok && b["type"] == "actions" {
						buttons += len(els)
					}
					if b["type"] == "section" {
						body += len(textOf(b["text"]))
					}
				}
				for _, s := range []string{"<!channel>", "<!here>", "<!everyone>", "<https://evil"} {
					if strings.Contains(slackfake.Render(blocks)+m.text, s) {
						t.Errorf("live markup %q reached Slack", s)
					}
				}
			}
			if tt.buttons > 0 && buttons != tt.buttons {
				t.Errorf("%d buttons rendered, want %d", buttons, tt.buttons)
			}
			if body < tt.body {
				t.Errorf("%d bytes of body rendered, want at least %d", body, tt.body)
			}
		})
	}
}

func textOf(v any) string {
	m, _ := v.(map[string]any)
	s, _ := m["text"].(string)
	return s
}

func TestMrkdwn(t *testing.T) {
	tests := []struct{ in, want string }{
		{"**进度看板 COL-1**", "*进度看板 COL-1*"},
		{"# 协作记录表 · COL-1", "*协作记录表 · COL-1*"},
		{"## **Tasks**", "*Tasks*"},
		{"- **协作主题**:新品\n  - 子项", "• *协作主题*:新品\n  • 子项"},
		{"<!channel> & <@U1>", "&lt;!channel&gt; &amp; &lt;@U1&gt;"},
		// Someone's link stays text, its address in sight (issue 14, row 8).
		{"see [Login](https://evil.example/a?b=1&c=2)", "see [Login](https://evil.example/a?b=1&amp;c=2)"},
		{"<https://evil.example|Login> <!here> <@U1|ceo>", "&lt;https://evil.example|Login&gt; &lt;!here&gt; &lt;@U1|ceo&gt;"},
		{"---", "────────"},
		{"`确认` or `cancel`", "`确认` or `cancel`"},
	}
	for _, tt := range tests {
		if got := mrkdwn(tt.in); got != tt.want {
			t.Errorf("mrkdwn(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestActionIDs(t *testing.T) {
	for _, tt := range []struct {
		id, want string
		ok       bool
	}{{"command:3", "command", true}, {"answer:0", "answer", true}, {"command", "", false}, {":1", "", false},
		{"command:x", "", false}, {"other_app_button", "", false}} {
		got, ok := parseActionID(tt.id)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseActionID(%q) = %q, %v", tt.id, got, ok)
		}
	}
}

// generic turns slack-go blocks into what Slack would receive.
func generic(blocks []slack.Block) []map[string]any {
	raw, _ := json.Marshal(blocks)
	var out []map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}
