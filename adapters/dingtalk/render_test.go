package dingtalk

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
)

func TestMarkdown(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"lines are hard breaks", "a\nb", "a  \nb"},
		{"blank lines are paragraphs", "a\n\n\nb", "a\n\nb"},
		{"a list gets a blank line before it", "**任务**\n- T-1\n- T-2\n说明", "**任务**\n\n- T-1  \n- T-2  \n说明"},
		{"inline code becomes bold", "回复 `确认` 提交", "回复 **确认** 提交"},
		{"an unpaired backtick stays", "a `b` c ` d", "a **b** c ` d"},
		{"leading spaces would be code", "  协作主题: x", "协作主题: x"},
		{"a typed heading is not one", "# 不是标题", "＃ 不是标题"},
		{"angle brackets are not HTML", "`修改 <字段>`", "**修改 ＜字段＞**"},
		{"CRLF", "a\r\nb", "a  \nb"},
		// What people typed stays text (issue 14, rows 8 and 9): the old
		// renderer passed these through as a live link, an image and a ping.
		{"a disguised link", "主题:[Login](https://evil.example/sso)", "主题:［Login］(https://evil.example/sso)"},
		{"an image", "![x](https://evil.example/p.png)", "!［x］(https://evil.example/p.png)"},
		{"an autolink", "<https://evil.example>", "＜https://evil.example＞"},
		{"broadcasts", "@所有人 @all @Here 请看 @allison", "＠所有人 ＠all ＠Here 请看 @allison"},
		{"brackets that are not a link", "[草稿] 第 [1] 版", "[草稿] 第 [1] 版"},
		{"the bot's own words", "👉 @我 并回复: **确认**", "👉 @我 并回复: **确认**"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := markdown(c.in); got != c.want {
				t.Errorf("markdown(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}

// TestRenderHostileTitleAndFields: a title and field values go through
// the same defusing as the body.
func TestRenderHostileTitleAndFields(t *testing.T) {
	out := render(bot.Reply{Title: "[Login](https://evil.example) @所有人", Fields: []bot.Field{{Label: "备注", Value: "[x](https://evil.example) @all"}}}, false, bot.Chinese)
	text := out[0].Text
	if strings.Contains(text, "](https://") || strings.Contains(text, "@所有人") || strings.Contains(text, " @all") {
		t.Errorf("live markup in %q", text)
	}
}

func TestRender(t *testing.T) {
	buttons := []bot.Button{
		{Label: "承接 Accept", Command: "ack COL-3 accept"},
		{Label: "无法承接 Decline", Command: "ack COL-3 decline"},
	}
	cases := []struct {
		name    string
		r       bot.Reply
		direct  bool
		title   string
		text    []string // substrings of the text
		buttons []link
	}{
		{"title, body and fields", bot.Reply{Title: "COL-3 · 请确认", Body: "正文", Fields: []bot.Field{{Label: "协作主题", Value: "接口\n调试"}}}, true,
			"COL-3 · 请确认", []string{"#### COL-3 · 请确认\n\n正文\n\n**协作主题**: 接口 调试"}, nil},
		{"buttons in a 1:1 chat are links", bot.Reply{Body: "请确认", Buttons: buttons}, true,
			"请确认", []string{"请确认"}, []link{
				{"承接 Accept", "dtmd://dingtalkclient/sendMessage?content=ack%20COL-3%20accept"},
				{"无法承接 Decline", "dtmd://dingtalkclient/sendMessage?content=ack%20COL-3%20decline"}}},
		{"buttons in a group are written out", bot.Reply{Body: "请确认", Buttons: buttons}, false,
			"请确认", []string{"👉 @我 并回复: **ack COL-3 accept**(承接 Accept) · **ack COL-3 decline**(无法承接 Decline)"}, nil},
		{"the title comes from the body without markup", bot.Reply{Body: "**进度看板 · COL-1 新品推广接口调试与联调测试以及上线前的全部准备工作**\n..."}, true,
			"进度看板 · COL-1 新品推广接口调试与联调测试以及上线前的全部准备工作", nil, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msgs := render(c.r, c.direct, bot.Chinese)
			if len(msgs) != 1 {
				t.Fatalf("%d messages", len(msgs))
			}
			m := msgs[0]
			if !strings.HasPrefix(c.title, strings.TrimSuffix(m.Title, "…")) {
				t.Errorf("title %q, want %q", m.Title, c.title)
			}
			for _, want := range c.text {
				if !strings.Contains(m.Text, want) {
					t.Errorf("text lacks %q:\n%s", want, m.Text)
				}
			}
			if !reflect.DeepEqual(m.Buttons, c.buttons) {
				t.Errorf("buttons %+v, want %+v", m.Buttons, c.buttons)
			}
		})
	}
}

func TestRenderManyButtons(t *testing.T) {
	var bs []bot.Button
	for _, c := range []string{"高", "中", "低", "跳过", "上一步", "取消", "确认"} {
		bs = append(bs, bot.Button{Label: c, Command: c})
	}
	m := render(bot.Reply{Body: "影响程度?", Buttons: bs}, true, bot.Chinese)[0]
	if len(m.Buttons) != maxButtons {
		t.Fatalf("%d buttons", len(m.Buttons))
	}
	if !strings.Contains(m.Text, "👉 也可以回复: **取消** · **确认**") {
		t.Errorf("the buttons beyond five are not written out:\n%s", m.Text)
	}
	key, param := m.template()
	var p map[string]string
	if err := json.Unmarshal([]byte(param), &p); err != nil || key != "sampleActionCard5" || p["actionTitle5"] != "上一步" {
		t.Errorf("template %s %v (%v)", key, p, err)
	}
}

func TestRenderSplitsLongReplies(t *testing.T) {
	body := strings.Repeat("- 🔴 T-12 接口调试 · 陈斌 Ben · 逾期 3 天\n", 800) // ~45 KB
	msgs := render(bot.Reply{Title: "看板", Body: body, Buttons: []bot.Button{{Label: "刷新", Command: "board"}}}, true, bot.Chinese)
	if len(msgs) < 4 {
		t.Fatalf("%d messages for %d bytes", len(msgs), len(body))
	}
	total := 0
	for i, m := range msgs {
		if len(m.Text) > maxText {
			t.Errorf("message %d is %d bytes", i, len(m.Text))
		}
		if (len(m.Buttons) > 0) != (i == len(msgs)-1) {
			t.Errorf("message %d has %d buttons", i, len(m.Buttons))
		}
		total += strings.Count(m.Text, "T-12")
	}
	if total != 800 {
		t.Errorf("%d of 800 lines kept", total)
	}
	if !strings.HasSuffix(msgs[0].Title, "(1/"+string(rune('0'+len(msgs)))+")") {
		t.Errorf("title %q", msgs[0].Title)
	}
}

func TestSplitKeepsRunes(t *testing.T) {
	s := strings.Repeat("协", 100) // one line, 300 bytes
	for _, part := range bot.SplitText(s, 100) {
		if len(part) > 100 || !strings.HasPrefix(s, part) && strings.Trim(part, "协") != "" {
			t.Errorf("bad part %q", part)
		}
	}
}

func TestParseAPIError(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		code      string // "" for no error
		throttled time.Duration
		token     bool
	}{
		{"ok", 200, `{"processQueryKey":"x"}`, "", 0, false},
		{"webhook ok", 200, `{"errcode":0,"errmsg":"ok"}`, "", 0, false},
		{"webhook flow control in a 200", 200, `{"errcode":130101,"errmsg":"send too fast"}`, "130101", time.Minute, false},
		{"QPS limit", 403, `{"code":"Forbidden.AccessDenied.QpsLimitForApi","message":"qps"}`, "Forbidden.AccessDenied.QpsLimitForApi", 2 * time.Second, false},
		{"429 without a code", 429, `oops`, "", time.Minute, false},
		{"token invalid", 401, `{"code":"InvalidAuthentication","message":"不合法的access_token"}`, "InvalidAuthentication", 0, true},
		{"legacy token expired", 200, `{"errcode":42001,"errmsg":"access_token expired"}`, "42001", 0, true},
		{"server error", 502, `<html>bad gateway</html>`, "", 0, false},
		{"SDK error text", 0, `{"code":"invalidClientSecret","message":"wrong"}`, "invalidClientSecret", 0, false},
		{"SDK network error", 0, `dial tcp: connection refused`, "", 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := parseAPIError(c.status, []byte(c.body))
			wantErr := c.code != "" || c.status >= 300
			if (e != nil) != wantErr {
				t.Fatalf("error %v, want one: %v", e, wantErr)
			}
			if e == nil {
				return
			}
			if e.Code != c.code {
				t.Errorf("code %q, want %q", e.Code, c.code)
			}
			if after, ok := e.throttle(); after != c.throttled || ok != (c.throttled > 0) {
				t.Errorf("throttle %v %v, want %v", after, ok, c.throttled)
			}
			if e.tokenInvalid() != c.token {
				t.Errorf("tokenInvalid %v", e.tokenInvalid())
			}
			if strings.Contains(e.Error(), "<html>") {
				t.Errorf("the body leaks into %q", e.Error())
			}
		})
	}
	if e := (&APIError{Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second}); true {
		if after, _ := e.throttle(); after != 7*time.Second {
			t.Errorf("Retry-After ignored: %v", after)
		}
	}
}

func TestStripMention(t *testing.T) {
	cases := []struct {
		in     string
		people int
		bot    bool
		want   string
	}{
		{" 发起协作", 0, true, "发起协作"},                  // DingTalk removed the mention
		{"@collabot 发起协作", 0, true, "发起协作"},         // it did not
		{"@collabot\u2005看板", 0, true, "看板"},        // DingTalk's mention space
		{"@陈斌 负责接口", 1, true, "@陈斌 负责接口"},           // a person, not the bot
		{"@collabot @陈斌 负责接口", 1, true, "@陈斌 负责接口"}, // both
		{"@陈斌 负责接口", 1, false, "@陈斌 负责接口"},          // a 1:1 message
		{"@", 0, true, ""},
	}
	for _, c := range cases {
		if got := stripMention(c.in, c.people, c.bot); got != c.want {
			t.Errorf("stripMention(%q, %d) = %q, want %q", c.in, c.people, got, c.want)
		}
	}
}
