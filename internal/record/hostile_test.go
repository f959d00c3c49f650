package record_test

import (
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

// hostile is a collaboration whose every free-text field tries to ping the
// whole group, reshape the Markdown or run as a spreadsheet formula.
func hostile(t *testing.T) *story {
	t.Helper()
	s := drive(t, "<!channel> =cmd()", bot.StatusActive)
	mallory := bot.Newcomer(bot.Identity{Platform: bot.Slack, ID: "U999"}, "<!everyone> @all Mallory", "")
	s.dir = s.dir.With([]bot.Person{mallory})
	r := &s.c.Request
	r.Goal = "=1+1"
	r.Requirements = "正常一行\n# 标题\n> 引用\n| a | b |\n|---|---|\n```\n<script>alert(1)</script>\n[x]: http://evil\n@all 请看 @所有人 <@U123>\n见 [Login](https://evil.example/sso) ![px](https://evil.example/p.png)"
	r.Standard = "+SUM(A1)"
	r.Scope = "-2+3"
	r.Cadence = "@SUM(A1)"
	s.do(s.c.AddTask(s.dir, s.as("amy"), bot.Task{ID: 6, Parent: 1, Title: "# 大标题 <!here>", Department: "研发部",
		Owner: "ben", Collaborators: []bot.PersonID{mallory.ID}, Due: day(4), Standard: "> 引用"}, day(2)))
	s.do(s.c.SetTaskStatus(s.as("ben"), 6, bot.TaskBlocked, "<!here> 帮忙\n# 急", day(2)))
	s.do(s.c.ScheduleMeeting(s.dir, s.as("amy"), bot.Meeting{ID: 2, Kind: bot.MeetingTopic, Start: day(2).Add(time.Hour),
		Duration: time.Hour, Attendees: []bot.PersonID{"amy", mallory.ID}, Agenda: []string{"# 议题", "> 引用"}}, day(2)))
	s.save()
	return s
}

func TestHostileTextInMarkdown(t *testing.T) {
	s := hostile(t)
	sheet := record.Build(s.c, s.timeline, s.progress, s.dir, day(3), shanghai)
	if sheet.Topic != "<!channel> =cmd()" {
		t.Errorf("the sheet's data keeps the topic as typed, got %q", sheet.Topic)
	}
	outputs := map[string]string{
		"markdown zh": markdown(t, sheet, bot.Chinese),
		"markdown en": markdown(t, sheet, bot.English),
		"board":       record.Board(s.c, s.dir, day(3), shanghai, bot.Chinese),
		"summary":     record.Summary(s.c, day(3), bot.English),
	}
	for name, out := range outputs {
		for _, ping := range []string{"<!channel>", "<!here>", "<!everyone>", "<@U123>", "@all", "@所有人"} {
			if strings.Contains(out, ping) {
				t.Errorf("%s: %q would notify people", name, ping)
			}
		}
		for _, l := range strings.Split(out, "\n") {
			l = strings.TrimLeft(l, " ")
			switch {
			case strings.HasPrefix(l, "#") && (strings.Contains(l, "标题") || strings.Contains(l, "议题") || strings.Contains(l, "急")):
				t.Errorf("%s: user text became a heading: %q", name, l)
			case strings.HasPrefix(l, "|") && strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") != 3:
				t.Errorf("%s: user text adds a column to the basic information: %q", name, l)
			case strings.HasPrefix(l, ">"), strings.HasPrefix(l, "```"),
				strings.HasPrefix(l, "<"), strings.HasPrefix(l, "["), strings.HasPrefix(l, "---|"):
				t.Errorf("%s: user text changes the document's structure: %q", name, l)
			}
		}
	}
	// A link or image someone typed is text in a Markdown viewer (issue
	// 14, row 8): the old export rendered [Login](…) as a link.
	for name, out := range outputs {
		if strings.Contains(out, "[Login](") || strings.Contains(out, "[px](") {
			t.Errorf("%s: a typed link or image is live:\n%s", name, out)
		}
	}
	md := outputs["markdown zh"]
	for _, readable := range []string{`见 \[Login\](https://evil.example/sso) !\[px\](https://evil.example/p.png)`, "| 协作主题 | ‹!channel› =cmd() |", `<br># 标题<br>`, `<br>> 引用<br>`, "＠all 请看 ＠所有人 ‹@U123›", `\| a \| b \|`,
		"‹!everyone› ＠all Mallory", "**T-6** # 大标题 ‹!here›", "  - \\# 议题"} {
		if !strings.Contains(md, readable) {
			t.Errorf("lacks %q, the text still readable:\n%s", readable, md)
		}
	}
}

func TestHostileTextInCSV(t *testing.T) {
	s := hostile(t)
	recs := rows(t, record.Build(s.c, s.timeline, s.progress, s.dir, day(3), shanghai), bot.Chinese)
	want := map[string]string{
		"协作主题":    "‹!channel› =cmd()",
		"协作背景与目标": "'=1+1",
		"交付标准":    "'+SUM(A1)",
		"涉及场景/系统": "'-2+3",
		"协同方式与频次": "'@SUM(A1)",
	}
	for _, r := range recs {
		if r[0] == "基本信息" {
			if v, ok := want[r[2]]; ok && r[3] != v {
				t.Errorf("%s = %q, want %q", r[2], r[3], v)
			}
		}
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				t.Errorf("cell %q in row %q would run as a formula", c, r)
			}
			if strings.Contains(c, "<!") || strings.Contains(c, "@all") {
				t.Errorf("cell %q would notify people", c)
			}
		}
	}
}
