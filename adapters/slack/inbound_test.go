package slack

import (
	"reflect"
	"testing"

	"github.com/collabot/collabot/bot"
)

func TestCleanText(t *testing.T) {
	slack := func(ids ...string) []bot.Identity {
		var out []bot.Identity
		for _, id := range ids {
			out = append(out, bot.Identity{Platform: bot.Slack, ID: id})
		}
		return out
	}
	tests := []struct {
		in, want string
		mentions []bot.Identity
	}{
		{"<@UBOT> new", "new", nil},
		{"<@UBOT|collabot> 看板 COL-1", "看板 COL-1", nil},
		{"对接人: <@U0BOB> <@U0CAROL|carol>, <@U0BOB>", "对接人: <@U0BOB> <@U0CAROL|carol>, <@U0BOB>", slack("U0BOB", "U0CAROL")},
		{"see <https://docs.example.com/a?b=1&amp;c=2|the spec> and <https://x.example>", "see https://docs.example.com/a?b=1&c=2 and https://x.example", nil},
		{"in <#C0LAUNCH|launch> ping <!here> and <!subteam^S1|@eng>", "in #launch ping @here and @eng", nil},
		{"mail <mailto:amy@example.com|amy@example.com>", "mail amy@example.com", nil},
		{"a &lt;b&gt; &amp; &lt;!channel&gt;", "a <b> & <!channel>", nil},
		{"<@W0ENT> enterprise", "<@W0ENT> enterprise", slack("W0ENT")},
	}
	for _, tt := range tests {
		got, ms := cleanText(tt.in, "UBOT")
		if got != tt.want || !reflect.DeepEqual(ms, tt.mentions) {
			t.Errorf("cleanText(%q) = %q, %v; want %q, %v", tt.in, got, ms, tt.want, tt.mentions)
		}
	}
}
