package engine_test

import (
	"context"
	"slices"
	"testing"

	"github.com/collabot/collabot/bot"
)

// requestWithoutContacts is a request form pasted without contacts, for
// the contacts to be answered after.
const requestWithoutContacts = "\"\"\"\n发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 新品上线,12月18日前完成接口调试\n" +
	"需协助部门: 研发部、财务部\n具体需求描述: 完成产品接口调试并提供测试报告\n期望完成时间: 下周五\n\"\"\"\n"

func contactsOf(c *bot.Collaboration) string {
	s := ""
	for _, a := range c.Request.Departments {
		s += a.Department + "=" + string(a.Contact) + " "
	}
	return s
}

// TestContactsGoToTheirDepartments: contacts typed in another order than
// the departments go to the departments they belong to (研发部、财务部 with
// @fiona @ben was refused at 确认, "周婷 Fiona 不属于研发部").
func TestContactsGoToTheirDepartments(t *testing.T) {
	for _, lang := range []string{"zh", "en"} {
		t.Run(lang, func(t *testing.T) {
			h := newHarness(t)
			out := h.chat(":lang " + lang + "\n" + requestWithoutContacts + "修改 对接人\n@fiona @ben\n确认\n")
			mustLack(t, out, "⚠️")
			mustContain(t, out, "COL-1")
			if got := contactsOf(h.collab(1)); got != "研发部=ben 财务部=fiona " {
				t.Fatalf("contacts: %s", got)
			}
		})
	}
}

// TestContactsRefusedAsAnswered: a contact of none of the assisting
// departments, or a second one for a department, is refused when the
// contacts are answered, step by step or pasted, naming the person and
// the departments asked; nobody is dropped silently (@david @frank @gary
// for two departments used to lose @gary).
func TestContactsRefusedAsAnswered(t *testing.T) {
	for _, tt := range []struct {
		name, lang, answer, refused string
	}{
		{"none zh", "zh", "@gary", "⚠️ 郑刚 Gary 不属于任何一个需协助部门(研发部、财务部),不能代表其中任何部门答复;请每个部门写一位本部门的人(顺序不限)。"},
		{"none en", "en", "@gary", "⚠️ 郑刚 Gary belongs to none of the assisting departments (研发部, 财务部), so cannot answer for any of them; name one person of each (in any order)."},
		{"three for two zh", "zh", "@david @frank @gary", "⚠️ 郑刚 Gary 不属于任何一个需协助部门(研发部、财务部)"},
		{"two for one zh", "zh", "@david @ben", "⚠️ 研发部只有一位对接人,David Miller 和 陈斌 Ben 不能同时代表它;每个需协助部门(研发部、财务部)只写一位本部门的人。"},
		{"two for one en", "en", "@david @ben", "⚠️ David Miller and 陈斌 Ben are both for 研发部, which takes one contact; name one person per assisting department (研发部, 财务部)."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			out := h.chat(":lang " + tt.lang + "\n" + requestWithoutContacts + "修改 对接人\n" + tt.answer + "\n")
			mustContain(t, out, tt.refused)

			// Pasted, the same refusal, under the field's name.
			h = newHarness(t)
			paste := "\"\"\"\n发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 新品上线,12月18日前完成接口调试\n" +
				"需协助部门: 研发部、财务部\n对接人: " + tt.answer + "\n具体需求描述: 完成产品接口调试并提供测试报告\n期望完成时间: 下周五\n\"\"\"\n"
			out = h.chat(":lang " + tt.lang + "\n" + paste + "确认\n")
			label := map[string]string{"zh": "• 对接人: ", "en": "• Contacts: "}[tt.lang]
			mustContain(t, out, label+tt.refused[len("⚠️ "):])
			// Confirmed, the contacts are asked again rather than
			// replaced unseen; skipped, each department has its own.
			h.noCollab(t, 1)
			h.chat("跳过\n确认\n")
			if got := contactsOf(h.collab(1)); got != "研发部=ben 财务部=fiona " {
				t.Fatalf("contacts: %s", got)
			}
		})
	}
}

// TestConfirmRefusalNamesTheField: a refusal at 确认 says which field to
// edit, not `修改 <字段>`.
func TestConfirmRefusalNamesTheField(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{
		{"zh", "请用 `修改 需协助部门` 改正后再 `确认`"},
		{"en", "Use `edit Assisting departments` to fix it"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			paste := "\"\"\"\n发起协作\n协作主题: 新品推广接口调试\n协作背景与目标: Q4 新品上线,12月18日前完成接口调试\n" +
				"需协助部门: 市场部\n具体需求描述: 完成产品接口调试并提供测试报告\n期望完成时间: 下周五\n\"\"\"\n"
			out := h.chat(":lang " + tt.lang + "\n" + paste + "确认\n")
			mustContain(t, out, tt.want)
			mustLack(t, after(out, "⚠️"), "<字段>", "<field>")
		})
	}
}

// TestAckEscalationSaysWhenReminded: an acknowledgement due outside
// working hours is reminded at the start of the next ones, and its
// escalation says so rather than "到期时已提醒" (reminded at a Friday-night
// deadline that reached the contact on Monday morning).
func TestAckEscalationSaysWhenReminded(t *testing.T) {
	for _, tt := range []struct {
		name, filed, reminded, escalated string
		zh, en                           string
	}{
		{"deadline out of hours", "2026-11-26 21:54", "2026-11-30 09:00", "2026-11-30 18:00",
			"截止 2026-11-27 21:54,已于工作时间开始时(2026-11-30 09:00)提醒。",
			"due 2026-11-27 21:54, and reminded when working hours began (2026-11-30 09:00)."},
		{"deadline in hours", "2026-11-24 10:30", "2026-11-25 10:31", "2026-11-25 18:00",
			"截止 2026-11-25 10:30,到期时已提醒。", "due 2026-11-25 10:30, and reminded then."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.at(tt.filed)
			out := h.chat(":as bob\n\"\"\"\n发起协作\n协作主题: 报销接口\n协作背景与目标: 12月底前打通报销接口\n需协助部门: 财务部\n" +
				"具体需求描述: 提供报销接口文档\n期望完成时间: 2026-12-25\n\"\"\"\n确认\n")
			mustContain(t, out, "→ @fiona (DM)")
			h.sent = nil
			h.at(tt.reminded)
			if !slices.ContainsFunc(h.sent, func(n bot.Notice) bool { return n.Kind == "ack_reminder" && n.To == "fiona" }) {
				t.Fatalf("fiona was not reminded at %s: %+v", tt.reminded, h.sent)
			}
			h.at(tt.escalated)
			i := slices.IndexFunc(h.sent, func(n bot.Notice) bool { return n.Kind == "ack_escalation" && n.To == "frank" })
			if i < 0 {
				t.Fatalf("no escalation to frank by %s: %+v", tt.escalated, h.sent)
			}
			for lang, want := range map[bot.Lang]string{bot.Chinese: tt.zh, bot.English: tt.en} {
				r, err := h.eng.NotificationIn(context.Background(), h.ws, h.sent[i], lang)
				if err != nil {
					t.Fatal(err)
				}
				mustContain(t, r.Reply.Body, want)
			}
		})
	}
}

// TestReviewEscalationSaysWhenReminded: every escalation, not only the
// acknowledgement's, says when its reminder really went out — a review
// due on Friday night reached the head on Monday morning.
func TestReviewEscalationSaysWhenReminded(t *testing.T) {
	h := newHarness(t)
	h.at("2026-11-26 21:54")
	h.chat(":as amy\n\"\"\"\n发起协作\n协作主题: 报销接口\n协作背景与目标: 12月底前打通报销接口\n需协助部门: 财务部\n" +
		"具体需求描述: 提供报销接口文档\n期望完成时间: 2026-12-25\n\"\"\"\n确认\n")
	h.sent = nil
	h.at("2026-11-30 09:00")
	if !slices.ContainsFunc(h.sent, func(n bot.Notice) bool { return n.Kind == "review_reminder" && n.To == "alice" }) {
		t.Fatalf("alice was not reminded on Monday morning: %+v", h.sent)
	}
	h.at("2026-12-01 18:00")
	i := slices.IndexFunc(h.sent, func(n bot.Notice) bool { return n.Kind == "review_escalation" })
	if i < 0 {
		t.Fatalf("no review escalation by Tuesday evening: %+v", h.sent)
	}
	for lang, want := range map[bot.Lang]string{
		bot.Chinese: "到期(2026-11-27 21:54)仍未初审,已于工作时间开始时(2026-11-30 09:00)提醒;",
		bot.English: "by 2026-11-27 21:54 (reminded when working hours began (2026-11-30 09:00))",
	} {
		r, err := h.eng.NotificationIn(context.Background(), h.ws, h.sent[i], lang)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, r.Reply.Body, want)
		mustLack(t, r.Reply.Body, "到期时已提醒", "reminded then")
	}
}
