package record

import (
	"testing"

	"github.com/collabot/collabot/bot"
)

func TestSentenceEndsOnce(t *testing.T) {
	for _, tc := range []struct {
		line string
		lang bot.Lang
		want string
	}{
		{"王芳 Amy 驳回:目标不清", bot.Chinese, "王芳 Amy 驳回:目标不清。"},
		{"王芳 Amy 驳回:目标不清。", bot.Chinese, "王芳 Amy 驳回:目标不清。"},
		{"Amy rejected: unclear goal!", bot.English, "Amy rejected: unclear goal!"},
		{"Amy rejected: unclear goal", bot.English, "Amy rejected: unclear goal."},
		{"Amy wrote: `x`", bot.English, "Amy wrote: `x`"},
		{"Amy asked: why?", bot.English, "Amy asked: why?"},
	} {
		if got := sentence(tc.line, tc.lang); got != tc.want {
			t.Errorf("sentence(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}
