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

func TestFormFor(t *testing.T) {
	cfg, err := config.LoadDemo(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	dir := cfg.Directory()
	tests := []struct {
		text   string
		form   string // "" when no modal
		values map[string]string
	}{
		{"new", "request", nil},
		{"/collab 发起协作", "request", nil},
		{"new 新品推广", "", nil}, // the text answers the first question
		{"ack COL-1 accept", "acknowledgement", map[string]string{"decision": "accept"}},
		{"ack COL 1 decline", "acknowledgement", map[string]string{"decision": "decline"}},
		{"确认 COL-1 研发部 需补充信息", "acknowledgement", map[string]string{"decision": "info"}},
		{"ack COL-1", "acknowledgement", nil},
		{"确认", "", nil}, // confirming a form
		{"review COL-1 approve", "", nil},
		{"review COL-1 reject", "review", map[string]string{"decision": "reject"}},
		{"review COL-1 reject the goal is vague", "", nil},
		{"task add COL-1", "task", nil},
		{"task T-3 done", "", nil},
		{"update", "progress", nil},
		{"meeting new COL-1", "meeting", nil},
		{"meeting M-2 agenda", "agenda", nil},
		{"meeting M-2 minutes", "minutes", nil},
		{"meeting M-2 confirm", "", nil},
		{"risk new COL-1", "risk", nil},
		{"risk R-1 respond", "risk_response", nil},
		{"risk R-1 resolve", "", nil},
		{"deliver COL-1", "delivery", nil},
		{"accept COL-1 pass", "", nil},
		{"accept COL-1 fail", "acceptance", map[string]string{"verdict": "fail"}},
		{"accept COL-1", "acceptance", nil},
		{"retro COL-1", "retrospective", nil},
		{"board COL-1", "", nil},
		{"new\ntopic: x", "", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		spec, ok := formFor(tt.text, dir)
		if ok != (tt.form != "") || spec.Form != tt.form {
			t.Errorf("formFor(%q) = %q, %v; want %q", tt.text, spec.Form, ok, tt.form)
			continue
		}
		if ok && len(tt.values)+len(spec.Values) > 0 && !reflect.DeepEqual(spec.Values, tt.values) {
			t.Errorf("formFor(%q) values = %v, want %v", tt.text, spec.Values, tt.values)
		}
	}
	if spec, _ := formFor("ack COL 1 decline", dir); spec.Command != "ack COL-1 decline" || spec.Refs[0] != "COL-1" {
		t.Errorf("command %q, refs %v", spec.Command, spec.Refs)
	}
}
