package slack

import (
	"reflect"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/config"
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
		{"对接人: <@U0BOB> <@U0CAROL|carol>, <@U0BOB>", "对接人: @U0BOB @carol, @U0BOB", slack("U0BOB", "U0CAROL")},
		{"<@U0DAN|Dan (ops), eng>", "@Danopseng", slack("U0DAN")},
		{"see <https://docs.example.com/a?b=1&amp;c=2|the spec> and <https://x.example>", "see https://docs.example.com/a?b=1&c=2 and https://x.example", nil},
		{"in <#C0LAUNCH|launch> ping <!here> and <!subteam^S1|@eng>", "in #launch ping @here and @eng", nil},
		{"mail <mailto:amy@example.com|amy@example.com>", "mail amy@example.com", nil},
		{"a &lt;b&gt; &amp; &lt;!channel&gt;", "a <b> & <!channel>", nil},
		{"<@W0ENT> enterprise", "@W0ENT enterprise", slack("W0ENT")},
	}
	for _, tt := range tests {
		got, ms := cleanText(tt.in, "UBOT", nil)
		if got != tt.want || !reflect.DeepEqual(ms, tt.mentions) {
			t.Errorf("cleanText(%q) = %q, %v; want %q, %v", tt.in, got, ms, tt.want, tt.mentions)
		}
	}
}

// TestMentionNames: a mention of someone the directory knows reads as
// their name in one word, which the forms resolve with the account.
func TestMentionNames(t *testing.T) {
	cfg, err := config.LoadDemo(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	got, ms := cleanText("负责人: <@U0BOB|bobby>, <@U0DAVID>", "UBOT", cfg.Directory())
	if got != "负责人: @李强Bob, @DavidMiller" || len(ms) != 2 || ms[1].ID != "U0DAVID" {
		t.Errorf("got %q, %v", got, ms)
	}
}
