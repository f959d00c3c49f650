package engine_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// david files a request to 运营部 (chris), in lang; the form's words are
// the language's own.
func davidFiles(lang string) string { return davidAsks(lang, "运营部") }

// davidAsks is davidFiles asking departments (named in Chinese).
func davidAsks(lang, departments string) string {
	if lang == "zh" {
		return ":as david\n:lang zh\n发起协作\n\"\"\"\n协作主题: 接口\n协作背景与目标: 提速20%\n需协助部门: " + departments + "\n具体需求描述: 开发\n" +
			"交付物: API\n交付标准: 测试通过\n期望完成时间: 2026-12-18\n\"\"\"\n确认\n:as chris\n:lang zh\n"
	}
	return ":as david\n:lang en\nnew\n\"\"\"\ntopic: Chekout API\ngoal: cut checkout time 20%\ndepartments: " + departments + "\nrequirements: build API\n" +
		"deliverables: API\nstandard: tests pass\ndue: 2026-12-18\n\"\"\"\nconfirm\n:as chris\n:lang en\n"
}

// TestDeclineTakenBack: a decline made by mistake is undone the way the
// bot says: the requester names the same contact again (asked anew,
// with a fresh deadline, the contact told why), or the contact who
// declined accepts after all.
func TestDeclineTakenBack(t *testing.T) {
	for _, tt := range []struct {
		lang, decline, info, again, accept                      string
		refusal, ownRefusal, asked, card, cardWhy, reply, trace string
	}{
		{"en", "ack COL-1 decline\nno people\nask finance\nconfirm\n", "ack COL-1 info\n", "contact COL-1 ops @chris\n", "ack COL-1 accept\nskip\nskip\nskip\nconfirm\n",
			"naming the same contact again will do", "If the decline was a mistake, you can still accept: `ack COL-1 accept`",
			"✅ Asked 运营部 again: 刘洋 Chris is to answer by", "→ @chris (DM): 【COL-1 · Please acknowledge again】",
			"运营部 had declined; David Miller asks it again.", "Recorded that 运营部 accepts", "asked again for the answer of 运营部"},
		{"zh", "确认 COL-1 无法承接\n没人手\n找财务部\n确认\n", "确认 COL-1 需补充信息\n", "对接人 COL-1 运营部 @chris\n", "确认 COL-1 承接\n跳过\n跳过\n跳过\n确认\n",
			"再次指定同一人即可", "如果是误操作,你仍可承接:`确认 COL-1 承接`",
			"✅ 已重新请运营部确认:刘洋 Chris 需在", "→ @chris (DM): 【COL-1 · 请重新确认协作需求】",
			"运营部此前答复无法承接,David Miller 请你重新答复", "运营部", "重新请确认 运营部"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			// The requester names the same contact again.
			h := newHarness(t)
			h.chat(davidFiles(tt.lang) + tt.decline)
			out := h.chat(":as chris\n" + tt.info)
			mustContain(t, out, tt.ownRefusal)
			declined, _ := h.collab(1).Ack("运营部")
			h.at("2026-11-24T10:00:00+08:00")
			out = h.chat(":as david\n" + tt.again)
			mustContain(t, out, tt.asked, tt.card, tt.cardWhy)
			mustLack(t, out, "⚠️")
			a, _ := h.collab(1).Ack("运营部")
			if a.Status != bot.AckPending || !a.AskedAt.After(declined.At) {
				t.Fatalf("after naming chris again: %+v", a)
			}
			mustContain(t, h.timeline(1), "ack_declined 运营部", "ack_asked_again 运营部")
			mustContain(t, h.export(1, map[string]bot.Lang{"en": bot.English, "zh": bot.Chinese}[tt.lang]), tt.trace)
			// A pending department already has its contact.
			mustContain(t, h.chat(":as david\n"+tt.again), "⚠️")

			// The contact who declined takes it back himself.
			p := newHarness(t)
			p.chat(davidFiles(tt.lang) + tt.decline)
			out = p.chat(":as chris\n" + tt.accept)
			mustLack(t, out, "⚠️")
			if c := p.collab(1); c.Status != bot.StatusActive {
				t.Fatalf("after chris accepts: %s\n%s", c.Status, out)
			}
			mustContain(t, p.timeline(1), "decline_withdrawn 运营部", "ack_accepted 运营部")
			mustContain(t, section(out, "→ @david"), "运营部")

			// Someone else is sent to the requester, with a way that works.
			q := newHarness(t)
			q.chat(davidFiles(tt.lang) + tt.decline)
			out = q.chat(":as carol\n:lang " + tt.lang + "\n" + strings.Replace(tt.accept, "COL-1", "COL-1 运营部", 1))
			mustContain(t, out, tt.refusal)
		})
	}
}

// TestReopenedAcceptanceSaysWhy: an edit that reopens an acceptance
// reads in the timeline in the reader's language, with the form's name
// for the field; the editor hears which departments answer again, and
// the contact that he had accepted, what changed, and to confirm again.
func TestReopenedAcceptanceSaysWhy(t *testing.T) {
	for _, tt := range []struct {
		lang, accept, edit, show       string
		reply, card, why, change, line string
	}{
		{"zh", "确认 COL-1 承接\n跳过\n跳过\n跳过\n确认\n", "修改 COL-1\n\"\"\"\n期望完成时间: 2026-12-20\n\"\"\"\n确认\n", "查看 COL-1\n",
			"已请以下部门重新确认:运营部。", "→ @chris (DM): 【COL-1 · 请重新确认协作需求】", "运营部已承接,因 David Miller 修改了期望完成时间,需重新确认",
			"期望完成时间:2026-12-18 18:00 → 2026-12-20 18:00", "David Miller 需求修改后请重新确认 运营部:期望完成时间:2026-12-18 18:00 → 2026-12-20 18:00"},
		{"en", "ack COL-1 accept\nskip\nskip\nskip\nconfirm\n", "edit COL-1\n\"\"\"\ndue: 2026-12-20\n\"\"\"\nconfirm\n", "show COL-1\n",
			"Asked to confirm again: 运营部.", "→ @chris (DM): 【COL-1 · Please acknowledge again】", "运营部 had accepted; David Miller changed Due date, so please confirm again",
			"Due date: 2026-12-18 18:00 → 2026-12-20 18:00", "David Miller asked again after the request changed 运营部: Expected completion: 2026-12-18 18:00 → 2026-12-20 18:00"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.chat(davidAsks(tt.lang, "运营部, 财务部") + tt.accept)
			if a, _ := h.collab(1).Ack("运营部"); a.Status != bot.AckAccepted {
				t.Fatalf("setup: %s", a.Status)
			}
			out := h.chat(":as david\n" + tt.edit + tt.show)
			mustContain(t, out, tt.reply, tt.card, tt.why, tt.change, tt.line)
			mustLack(t, out, "ack reopened", "截止时间")
		})
	}
}

// TestWordingEditableAfterAllAccepted: once every department accepted,
// a typo in the topic or goal is still fixed (traced, the departments
// and the coordinator told, nobody asked again); what they agreed to is
// not, and the refusal names what can still be edited.
func TestWordingEditableAfterAllAccepted(t *testing.T) {
	for _, tt := range []struct {
		lang, accept, hint, fix, done, told, material, refusal string
	}{
		{"en", "ack COL-1 accept\nskip\nskip\nskip\nconfirm\n", "only the Topic, the Background and goal and the Coordinator can still be changed",
			"edit COL-1\n\"\"\"\ntopic: Checkout API\n\"\"\"\nconfirm\n", "✅ Edited COL-1: Topic.", "Topic: Chekout API → Checkout API",
			"edit COL-1\n\"\"\"\ndue: 2026-12-20\n\"\"\"\nconfirm\n", "only the Topic, the Background and goal and the Coordinator can still be edited"},
		{"zh", "确认 COL-1 承接\n跳过\n跳过\n跳过\n确认\n", "只有协作主题、协作背景与目标、总协调人还能修改",
			"修改 COL-1\n\"\"\"\n协作主题: 结账接口\n\"\"\"\n确认\n", "✅ 已修改 COL-1:协作主题。", "协作主题:接口 → 结账接口",
			"修改 COL-1\n\"\"\"\n交付物: API 与文档\n\"\"\"\n确认\n", "只有协作主题、协作背景与目标、总协调人还能修改。需协助部门、具体需求描述、交付物"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.chat(davidFiles(tt.lang) + tt.accept + ":as david\n:as henry\n")
			// olivia coordinates, so the coordinator is someone to tell.
			h.chat(":as david\ncoordinator COL-1 @olivia\n")
			out := h.chat(":as david\n" + tt.fix)
			mustContain(t, out, tt.hint, tt.done)
			mustContain(t, section(out, "→ @chris"), tt.told)
			// olivia reads English whatever the test's language.
			mustContain(t, section(out, "→ @olivia"), tt.told[strings.Index(tt.told, ":")+1:])
			c := h.collab(1)
			if c.Status != bot.StatusActive || c.Acks[0].Status != bot.AckAccepted {
				t.Fatalf("after a wording edit: %s, ack %s", c.Status, c.Acks[0].Status)
			}
			mustContain(t, h.timeline(1), "request_edited COL-1: topic:")

			out = h.chat(":as david\n" + tt.material + "cancel\n")
			mustContain(t, out, "⚠️", tt.refusal)
			mustLack(t, out, "→ @chris")
		})
	}
}

// TestCoordinatorCommandTellsAsTheEdit: handing the coordination over by
// command tells the departments' contacts, as the same change made by an
// edit does; taking it back says who was told.
func TestCoordinatorCommandTellsAsTheEdit(t *testing.T) {
	for _, tt := range []struct {
		lang, hand, back, told, reply, backReply string
	}{
		{"en", "coordinator COL-1 @olivia\n", "coordinator COL-1 @david\n", "Coordinator: David Miller → Olivia Brown",
			"✅ COL-1 is now coordinated by Olivia Brown, who has been told.", "✅ You coordinate COL-1 now; Olivia Brown has been told."},
		{"zh", "总协调人 COL-1 @olivia\n", "总协调人 COL-1 @david\n", "总协调人:David Miller → Olivia Brown",
			"✅ COL-1 的总协调人改为 Olivia Brown,已通知对方。", "✅ 你现在是 COL-1 的总协调人,已通知 Olivia Brown。"},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			h := newHarness(t)
			h.chat(davidAsks(tt.lang, "运营部, 财务部"))
			out := h.chat(":as david\n" + tt.hand)
			mustContain(t, out, tt.reply, "→ @olivia")
			mustContain(t, section(out, "→ @chris"), tt.told)
			mustContain(t, section(out, "→ @fiona"), "David Miller → Olivia Brown") // fiona reads Chinese
			out = h.chat(":as david\n" + tt.back)
			mustContain(t, out, tt.backReply)
			mustLack(t, out, "coordinated by David Miller, who has been told", "改为 David Miller,已通知对方")
		})
	}
}
