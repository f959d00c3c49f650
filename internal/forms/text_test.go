package forms_test

import (
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

const zwsp = "\u200B"

func TestTextAccepted(t *testing.T) {
	short, long := field(forms.TypeText), field(forms.TypeLongText)
	for _, tt := range []struct {
		f       *forms.Field
		in, out string
	}{
		{short, "  新品推广接口调试  ", "新品推广接口调试"},
		{short, "line one\nline  two", "line one line two"},
		{short, "a\x00b\x1b[31mc", "ab[31mc"},
		{short, "\u202Eevil\u202C text", "evil text"},
		{short, "\uFEFFBOM", "BOM"},
		{long, "第一段\r\n\r\n\r\n\r\n第二段  \n第三行", "第一段\n\n第二段\n第三行"},
		{long, "tab\there", "tab\there"},
		// broadcasts are defused, not removed
		{short, "<!channel> 请注意", "@" + zwsp + "channel 请注意"},
		{short, "<!here|here> now", "@" + zwsp + "here now"},
		{short, "<!everyone>", "@" + zwsp + "everyone"},
		{short, "@channel 请注意", "@" + zwsp + "channel 请注意"},
		{short, "ping @Here please", "ping @" + zwsp + "Here please"},
		{short, "@all 请看", "@" + zwsp + "all 请看"},
		{short, "@所有人 请看", "@" + zwsp + "所有人 请看"},
		{short, "＠所有人", "＠" + zwsp + "所有人"},
		{short, "<!subteam^S0ENG|@eng> 看一下", "@eng 看一下"},
		// a Slack user mention becomes the name, which notifies nobody
		{short, "<@U0BOB> 负责", "@李强 Bob 负责"},
		{short, "<@U0NOBODY|zed> 负责", "@zed 负责"},
		// markup that replacing markup would assemble is defused too
		{short, "<<!U0BOB>>", "@李强 Bob"},
		{short, "<<<!!channel>>>", "<<@!channel>>"},
		{short, "<<!@U0BOB>>", "@李强 Bob"},
		// what merely looks like it is left alone
		{short, "mail ops@channel.io", "mail ops@channel.io"},
		{short, "@allen 看一下", "@allen 看一下"},
		{short, "a < b > c", "a < b > c"},
	} {
		accepts(t, ctx(t), tt.f, tt.in, tt.out)
	}
}

func TestTextLimits(t *testing.T) {
	short := field(forms.TypeText)
	accepts(t, ctx(t), short, strings.Repeat("字", 200), strings.Repeat("字", 200))
	refuses(t, ctx(t), short, strings.Repeat("字", 201), bot.CodeInvalid, "200", "201")

	short.Max = 10
	refuses(t, ctx(t), short, "12345678901", bot.CodeInvalid, "最多 10 字")
	short.Min = 3
	refuses(t, ctx(t), short, "ab", bot.CodeInvalid, "至少 3 字")

	long := field(forms.TypeLongText)
	accepts(t, ctx(t), long, strings.Repeat("a", 4000), strings.Repeat("a", 4000))
	refuses(t, ctx(t), long, strings.Repeat("a", 4001), bot.CodeInvalid, "4000")

	// A pasted log is refused at once, without scanning it.
	huge := strings.Repeat("日志 <!channel> ", 100<<10/16)
	start := time.Now()
	e := refuses(t, ctx(t), long, huge, bot.CodeInvalid, "4000")
	if time.Since(start) > time.Second {
		t.Errorf("refusing 100 KB took %v", time.Since(start))
	}
	if e != nil && strings.Contains(words.Msg(bot.Chinese, e.Msg)+words.Msg(bot.English, e.Msg), "<!channel>") {
		t.Error("a refusal repeats a broadcast")
	}

	f := field(forms.TypeText)
	if got, err := f.Parse(ctx(t), " \n\t "); err != nil || got != "" {
		t.Errorf("optional blank = %q, %v", got, err)
	}
	f.Required = true
	refuses(t, ctx(t), f, " \n ", bot.CodeRequired, "必填", "required")
}

func TestList(t *testing.T) {
	f := field(forms.TypeList)
	for _, tt := range []struct{ in, out string }{
		{"确认目标\n讨论分工\n\n 排期 ", "确认目标\n讨论分工\n排期"},
		{"确认目标；讨论分工；排期", "确认目标\n讨论分工\n排期"},
		{"确认目标、讨论分工", "确认目标\n讨论分工"},
		{"a; b;; c", "a\nb\nc"},
		{"- 确认目标\n- 讨论分工", "确认目标\n讨论分工"},
		{"* one\n• two\n· three", "one\ntwo\nthree"},
		{"1. 确认目标\n2. 讨论分工", "确认目标\n讨论分工"},
		{"1、确认目标\n2)讨论分工\n（3）排期\n④ 复盘", "确认目标\n讨论分工\n排期\n复盘"},
		{"回顾进度,确认分工", "回顾进度,确认分工"},
		{"1.5 版本评审\n2.0 发布", "1.5 版本评审\n2.0 发布"},
		{"<!here> 准备材料", "@" + zwsp + "here 准备材料"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.out)
	}
	refuses(t, ctx(t), f, "ok\n"+strings.Repeat("长", 201), bot.CodeInvalid, "第2行", "200")
	refuses(t, ctx(t), f, strings.Repeat(strings.Repeat("x", 150)+"\n", 30), bot.CodeInvalid, "4000")
	f.Required = true
	refuses(t, ctx(t), f, "-\n*\n", bot.CodeRequired, "必填")
}

func TestChoice(t *testing.T) {
	f := templateField(t, "acknowledgement", "decision")
	for _, tt := range []struct{ in, out string }{
		{"accept", "accept"},
		{"ACCEPT ", "accept"},
		{"承接", "accept"},
		{"承接。", "accept"},
		{"接受", "accept"},
		{"Decline", "decline"},
		{"无法承接", "decline"},
		{"需补充信息", "info"},
		{"needs info", "info"},
		{"needs_info", "info"},
		{"needs-info", "info"},
		{"Need more information", "info"},
		{"ｉｎｆｏ", "info"},
		{"2", "decline"}, // by position, as a numbered prompt offers them
	} {
		accepts(t, ctx(t), f, tt.in, tt.out)
	}
	for _, in := range []string{"maybe", "4", "0", "<!channel>"} {
		e := refuses(t, ctx(t), f, in, bot.CodeInvalid, "承接 / 无法承接 / 需补充信息", "accept / decline / info")
		if e != nil && strings.Contains(words.Msg(bot.Chinese, e.Msg), "<!channel>") {
			t.Error("a refusal repeats a broadcast")
		}
	}
	sev := templateField(t, "risk", "severity")
	for in, out := range map[string]string{"高": "high", "HIGH": "high", "中": "medium", "低": "low", "l": "low", "严重": "high"} {
		accepts(t, ctx(t), sev, in, out)
	}
}

func TestNumber(t *testing.T) {
	f := field(forms.TypeNumber)
	for in, out := range map[string]string{"3": "3", "３": "3", " 42 ": "42", "1,000": "1000", "+7": "7", "１２": "12"} {
		accepts(t, ctx(t), f, in, out)
	}
	for _, in := range []string{"abc", "1.5", "3个", "-1", "1,00", "99999999999999999999"} {
		refuses(t, ctx(t), f, in, bot.CodeInvalid)
	}
	f.Min, f.Max = 1, 10
	accepts(t, ctx(t), f, "10", "10")
	refuses(t, ctx(t), f, "11", bot.CodeInvalid, "1 到 10", "between 1 and 10")
	refuses(t, ctx(t), f, "0", bot.CodeInvalid, "1 到 10")
	f.Min, f.Max = -5, 0
	accepts(t, ctx(t), f, "-5", "-5")
	accepts(t, ctx(t), f, "100", "100")
}

func TestURL(t *testing.T) {
	f := field(forms.TypeURL)
	for in, out := range map[string]string{
		"https://docs.example.com/a?b=1#c": "https://docs.example.com/a?b=1#c",
		"  http://x.com  ":                 "http://x.com",
		"HTTPS://Example.com/Path":         "https://Example.com/Path",
		"<https://x.com/doc|the doc>":      "https://x.com/doc",
		"<https://x.com/doc>":              "https://x.com/doc",
		"https://wiki.example.com/文档":      "https://wiki.example.com/文档",
	} {
		accepts(t, ctx(t), f, in, out)
	}
	for _, in := range []string{"javascript:alert(1)", "data:text/html,<script>", "file:///etc/passwd",
		"ftp://x.com", "https://", "//x.com", "x.com", "https://user:pw@evil.com", "http://a b.com",
		"https://x.com/" + strings.Repeat("a", 2000)} {
		refuses(t, ctx(t), f, in, bot.CodeInvalid, "https://")
	}
}

func TestRef(t *testing.T) {
	f := templateField(t, "task", "parent")
	for in, out := range map[string]string{"T-3": "T-3", "t3": "T-3", "T－3": "T-3", "Ｔ－３": "T-3", "#T-12": "T-12", " T 7 ": "T-7"} {
		accepts(t, ctx(t), f, in, out)
	}
	for _, in := range []string{"R-3", "T-0", "T-x", "3", "COL-3"} {
		refuses(t, ctx(t), f, in, bot.CodeInvalid, "T-3")
	}
	r := field(forms.TypeRef)
	r.Ref = bot.KindRisk
	accepts(t, ctx(t), r, "r-2", "R-2")
}
