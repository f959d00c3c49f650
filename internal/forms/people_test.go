package forms_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/forms"
	"github.com/collabot/collabot/internal/words"
)

func dingtalk(ids ...string) []bot.Identity {
	var out []bot.Identity
	for _, id := range ids {
		out = append(out, bot.Identity{Platform: bot.DingTalk, ID: id})
	}
	return out
}

func TestPerson(t *testing.T) {
	f := field(forms.TypePerson)
	for _, tt := range []struct{ in, out string }{
		{"bob", "bob"},
		{"@bob", "bob"},
		{"Bob", "bob"},
		{"BOB ", "bob"},
		{"李强 Bob", "bob"},
		{"李强", "bob"},
		{"陈斌", "ben"},
		{"Ben", "ben"},
		{"@陈斌", "ben"},
		{"David Miller", "david"},
		{"Miller", "david"},
		{"mill", "david"}, // part of a name, when unique
		{"@李强Bob", "bob"}, // a Slack mention as the adapter writes it
		{"U0BOB", "bob"},
		{"u0bob", "bob"},
		{"staff2051", "ben"},
		{"＠bob", "bob"},
		{"- bob", "bob"},
		// Invisible characters and look-alikes (issue 14, row 9): the
		// old fold kept them, so these were strangers or refused.
		{"b\u200bob", "bob"},
		{"陈\u200d斌", "ben"},
		{"\ufeffDavid\u00adMiller", "david"},
		{"ｂｏｂ", "bob"},
		{"𝐁𝐨𝐛", "bob"},
		{"李\u2060强", "bob"},
	} {
		accepts(t, ctx(t), f, tt.in, tt.out)
	}
	// DingTalk shows "@陈斌" and sends the account separately.
	c := ctx(t)
	c.Mentions = dingtalk("staff2051")
	accepts(t, c, f, "@陈斌", "ben")
	c.Mentions = dingtalk("manager3307")
	if got, _ := f.Parse(c, "@小李"); got != "bob" {
		t.Errorf("a DingTalk nickname resolves by the mention's account: %q", got)
	}

	e := refuses(t, ctx(t), f, "刘", bot.CodeInvalid, "刘艳 Emma(emma)", "刘洋 Chris (chris)")
	_ = e
	refuses(t, ctx(t), f, "nobody", bot.CodeUnknownPerson, "@")
	refuses(t, ctx(t), f, "@bobby", bot.CodeUnknownPerson, "bobby")
	// A mention's account decides, not the name shown.
	c.Mentions = []bot.Identity{{Platform: bot.Slack, ID: "U0BOB"}}
	accepts(t, c, f, "@ben", "bob")
	c.Mentions = []bot.Identity{{Platform: bot.Slack, ID: "U0NOBODY"}}
	refuses(t, c, f, "@zed", bot.CodeUnknownPerson, "zed")
	// Platform syntax is the adapters' to read: the forms do not.
	refuses(t, ctx(t), f, "<@U0BOB>", bot.CodeUnknownPerson)
	refuses(t, ctx(t), f, "bob, ben", bot.CodeInvalid, "只能填一人")
	refuses(t, ctx(t), f, "@all", bot.CodeInvalid, "@所有人")
	refuses(t, ctx(t), f, "@所有人", bot.CodeInvalid)
}

func TestPeople(t *testing.T) {
	f := field(forms.TypePeople)
	for _, tt := range []struct{ in, out string }{
		{"@bob @ben", "bob,ben"},
		{"bob, ben、emma", "bob,ben,emma"},
		{"bob，ben；emma", "bob,ben,emma"},
		{"bob ben", "bob,ben"},
		{"bob and ben", "bob,ben"},
		{"陈斌 和 李强", "ben,bob"},
		{"陈斌 Ben", "ben"},
		{"David Miller, Olivia Brown", "david,olivia"},
		{"@李强Bob @王芳Amy", "bob,amy"},
		{"@李强Bob,@李强Bob, bob", "bob"},
		{"bob\nben\n", "bob,ben"},
		{"- bob\n- ben", "bob,ben"},
		{"@bob,@ben", "bob,ben"},
		{"slack:U42", "slack:U42"}, // a newcomer's id
		{"@bob和@ben", "bob,ben"},
		{"@陈斌、@刘艳", "ben,emma"},
	} {
		c := ctx(t)
		c.Directory = c.Directory.With([]bot.Person{bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: "U42"}, "Zoe", bot.English)})
		accepts(t, c, f, tt.in, tt.out)
	}
	c := ctx(t)
	c.Mentions = dingtalk("manager3307", "staff2051")
	accepts(t, c, f, "@李强 @陈斌", "bob,ben")
	// A mention takes the account of the person it names, whatever the order.
	c.Mentions = []bot.Identity{{Platform: bot.DingTalk, ID: "staff2051"}, {Platform: bot.Slack, ID: "U0AMY"}}
	accepts(t, c, f, "@王芳Amy @陈斌", "amy,ben")

	refuses(t, ctx(t), f, "bob, nobody", bot.CodeUnknownPerson, "nobody")
	refuses(t, ctx(t), f, "bob 刘", bot.CodeInvalid, "刘艳")
	refuses(t, ctx(t), f, "@everyone", bot.CodeInvalid)
	refuses(t, ctx(t), f, strings.Repeat("bob,", 201), bot.CodeInvalid, "200")
	refuses(t, ctx(t), f, strings.Repeat("@bob ", 201), bot.CodeInvalid, "200")
}

// A raw id is looked up on the speaker's platform first.
func TestPersonPlatformFirst(t *testing.T) {
	dir := bot.NewDirectory("t", nil, nil, []bot.Person{
		{ID: "sam", Name: "Sam", Identities: []bot.Identity{{Platform: bot.Slack, ID: "X1"}}},
		{ID: "tao", Name: "Tao", Identities: []bot.Identity{{Platform: bot.DingTalk, ID: "X1"}}},
	})
	f := field(forms.TypePerson)
	for platform, want := range map[bot.Platform]string{bot.Slack: "sam", bot.DingTalk: "tao", bot.Console: "sam"} {
		c := forms.Context{Now: monday, Directory: dir, Platform: platform}
		if got, err := f.Parse(c, "X1"); err != nil || got != want {
			t.Errorf("on %s: %q, %v; want %s", platform, got, err, want)
		}
	}
}

func TestDepartments(t *testing.T) {
	one, many := field(forms.TypeDepartment), field(forms.TypeDepartments)
	for _, tt := range []struct {
		f       *forms.Field
		in, out string
	}{
		{one, "研发部", "研发部"},
		{one, "rd", "研发部"},
		{one, " Engineering ", "研发部"},
		{one, "研发", "研发部"},
		{many, "研发部、财务部", "研发部,财务部"},
		{many, "研发部，财务部", "研发部,财务部"},
		{many, "mkt;ops", "市场部,运营部"},
		{many, "市场部 研发部", "市场部,研发部"},
		{many, "研发部\n财务部", "研发部,财务部"},
		{many, "研发部, rd, engineering", "研发部"},
		{many, "finance and legal", "财务部,法务部"},
		{one, "研\u200b发部", "研发部"},
		{one, "𝐑𝐃", "研发部"},
		{many, "ｍｋｔ、财\u200d务部", "市场部,财务部"},
	} {
		accepts(t, ctx(t), tt.f, tt.in, tt.out)
	}
	e := refuses(t, ctx(t), many, "研发部、人事部", bot.CodeUnknownDept, "人事部", "市场部 (marketing)、研发部 (engineering)、运营部 (operations)、财务部 (finance)、法务部 (legal)")
	if e != nil && e.Field != "f" {
		t.Errorf("the directory's refusal must name this field, got %q", e.Field)
	}
	refuses(t, ctx(t), one, "研发部、财务部", bot.CodeInvalid, "只能填一个部门")
	e = refuses(t, ctx(t), one, "<!channel>", bot.CodeUnknownDept)
	if e != nil && strings.Contains(words.Msg(bot.Chinese, e.Msg), "<!channel>") {
		t.Error("a refusal repeats a broadcast")
	}
}
