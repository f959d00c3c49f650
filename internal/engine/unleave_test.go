package engine_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestUnleaveAsksWhichAndTellsWhoWasTold: with several periods declared,
// `unleave` lists them and asks which instead of wiping them all; a day
// names the period to cancel (`销假 12月7日`), `unleave all` cancels every
// one. Each cancellation is on the timeline that recorded the leave, and
// the coordinator who was told of the leave is told it is cancelled.
func TestUnleaveAsksWhichAndTellsWhoWasTold(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	h.chat(":as ben\n请假 2026-11-30..2026-12-04\n请假 2026-12-07..2026-12-08\n")

	out := h.chat(":as ben\n销假\n")
	mustContain(t, out, "你登记了 2 段请假:2026-11-30..2026-12-04, 2026-12-07..2026-12-08。要取消哪一段?",
		"`销假 全部`", "[2026-12-07(周一) 至 2026-12-08(周二)] 销假 2026-12-07")
	mustLack(t, out, "已销假", "→ @amy")
	if l := h.settings("ben").Leave; len(l) != 2 {
		t.Fatalf("asking which cancelled leave: %v", l)
	}

	mustContain(t, h.chat(":as ben\n销假 12月25日\n"), "登记的请假中没有 2026-12-25(周五)")

	out = h.chat(":as ben\n销假 12月7日\n")
	mustContain(t, out, "已销假:2026-12-07(周一) 至 2026-12-08(周二),期间提醒照常。已通知 1 个协作的总协调人。",
		"→ @amy (DM): 【COL-1 · 销假通知】", "陈斌 Ben 已取消 2026-12-07 至 2026-12-08 的请假")
	if l := h.settings("ben").Leave; !slices.Equal(l, []bot.Leave{{From: "2026-11-30", To: "2026-12-04"}}) {
		t.Errorf("leave = %v, want only 2026-11-30..2026-12-04", l)
	}
	mustContain(t, h.timeline(1), "leave_cancelled ben: 2026-12-07..2026-12-08")

	// The one left goes without asking; in English too.
	out = h.chat(":as ben\n:lang en\nunleave\n:lang zh\n")
	mustContain(t, out, "Leave cancelled: 2026-11-30 (Monday) to 2026-12-04 (Friday); reminders as usual then. Told the coordinator of 1 collaboration.",
		"→ @amy (DM): 【COL-1 · 销假通知】")
	if l := h.settings("ben").Leave; len(l) != 0 {
		t.Errorf("leave = %v, want none", l)
	}

	// The record names the person, never the id.
	md := h.export(1, bot.English)
	mustContain(t, md, "陈斌 Ben declared leave: 2026-11-30..2026-12-04", "陈斌 Ben cancelled leave: 2026-12-07..2026-12-08")
	mustLack(t, md, "leave ben", "Ben ben")
}

// TestUnleaveAllAndNobodyToldTwice: `unleave all` cancels every period;
// a coordinator who was never told of a period (no open task then) is
// not told of its cancellation.
func TestUnleaveAllAndNobodyToldTwice(t *testing.T) {
	h := newHarness(t)
	h.chat(":as ben\n请假 2026-11-30\n") // no collaboration yet: nobody told
	h.withTask()
	h.chat(":as ben\n请假 2026-12-07\n")
	out := h.chat(":as ben\n:lang en\nunleave all\n:lang zh\n")
	mustContain(t, out, "Leave cancelled: 2026-11-30 (Monday), 2026-12-07 (Monday)", "Told the coordinator of 1 collaboration.")
	if n := strings.Count(out, "→ @amy"); n != 1 {
		t.Errorf("amy told %d times:\n%s", n, out)
	}
	if l := h.settings("ben").Leave; len(l) != 0 {
		t.Errorf("leave = %v, want none", l)
	}
}

// TestRecordNamesPeopleInLeaveAndInvitations: the activity log shows the
// people a leave or an invitation is about by name, in the Markdown and
// the CSV record, never by their id.
func TestRecordNamesPeopleInLeaveAndInvitations(t *testing.T) {
	h := newHarness(t)
	h.meetingTomorrow()
	h.chat(":as amy\n会议 M-1 加人 @emma @fiona\n:as ben\n请假 2026-11-30\n")
	md := h.export(1, bot.Chinese)
	mustContain(t, md, "邀请参会人 M-1:刘艳 Emma、周婷 Fiona", "陈斌 Ben 登记请假:2026-11-30..2026-11-30")
	mustLack(t, md, "emma, fiona", "登记请假 ben")
	var csv strings.Builder
	for _, row := range h.csvRows(1, bot.English) {
		csv.WriteString(strings.Join(row, ",") + "\n")
	}
	mustContain(t, csv.String(), "invited attendees,王芳 Amy · M-1 — 刘艳 Emma, 周婷 Fiona", "declared leave,陈斌 Ben — 2026-11-30..2026-11-30")
	mustLack(t, csv.String(), "— emma", "· ben")
}
