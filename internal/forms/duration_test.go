package forms_test

import (
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
)

func TestDuration(t *testing.T) {
	f := templateField(t, "meeting", "duration")
	for _, tt := range []struct{ in, out string }{
		{"1h", "1h"},
		{"90m", "1h30m"},
		{"90分钟", "1h30m"},
		{"1.5小时", "1h30m"},
		{"1.5h", "1h30m"},
		{"半小时", "30m"},
		{"半个小时", "30m"},
		{"一个半小时", "1h30m"},
		{"1小时30分", "1h30m"},
		{"1小时30分钟", "1h30m"},
		{"1小时半", "1h30m"},
		{"两小时", "2h"},
		{"两个钟头", "2h"},
		{"2 hours", "2h"},
		{"45 min", "45m"},
		{"45 Mins", "45m"},
		{"an hour", "1h"},
		{"half an hour", "30m"},
		{"1 hour and 30 minutes", "1h30m"},
		{"1h30m", "1h30m"},
		{"１ｈ", "1h"},
		{"2 days", "48h"},
		{"90s", "1m30s"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.out)
	}
	for _, tt := range []struct{ in, hint string }{
		{"abc", "看不懂"},
		{"90", "cannot read"},
		{"-1h", "大于 0"},
		{"0m", "大于 0"},
		{"400 days", "一年"},
		{"99999999999h", "一年"},
		{"3个工作日", "不按工作日"},
		{"1bd", "not business days"},
		{"1h30", "看不懂"},
	} {
		refuses(t, ctx(t), f, tt.in, bot.CodeInvalid, tt.hint, "1小时")
	}
}

func TestBusinessDuration(t *testing.T) {
	f := field(forms.TypeDuration)
	f.Business = true
	for _, tt := range []struct{ in, out string }{
		{"3个工作日", "3bd"},
		{"三个工作日", "3bd"},
		{"1bd", "1bd"},
		{"3 business days", "3bd"},
		{"4bh", "4bh"},
		{"4个工作小时", "4bh"},
		{"2 hours", "2h"},
		{"半小时", "30m"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.out)
	}
	refuses(t, ctx(t), f, "0bd", bot.CodeInvalid, "大于 0", "3个工作日")
	refuses(t, ctx(t), f, "soon", bot.CodeInvalid, "1bd")
}
