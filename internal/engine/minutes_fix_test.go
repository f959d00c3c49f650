package engine_test

import (
	"testing"
)

// TestOneLinePasteNamesItsField: a pasted block of one `field: value`
// line, led by the key or label of a field of the open form, answers that
// field (it was stored literally: "Decisions: • decisions: use plan A",
// "已完成: 已完成: 完成60%"); prose that merely holds a colon stays the
// answer.
func TestOneLinePasteNamesItsField(t *testing.T) {
	for _, tc := range []struct {
		name         string
		setup        func(*harness)
		script       string
		wants, lacks []string
	}{
		{"minutes en", (*harness).meetingHeld, ":as amy\n:lang en\nmeeting M-1 minutes\n\"\"\"\ndecisions: use plan A\n\"\"\"\n",
			[]string{"Decisions: use plan A"}, []string{"decisions: use plan A"}},
		{"minutes zh", (*harness).meetingHeld, ":as amy\n会议 M-1 纪要\n\"\"\"\n共识结论: 采用方案A\n\"\"\"\n",
			[]string{"共识结论: 采用方案A"}, []string{"共识结论: 共识结论"}},
		{"progress zh", (*harness).withTask, ":as ben\n进度 COL-1\n\"\"\"\n已完成: 完成60%\n\"\"\"\n",
			[]string{"已完成: 完成60%"}, []string{"已完成: 已完成"}},
		{"progress en", (*harness).withTask, ":as ben\n:lang en\nupdate COL-1\n\"\"\"\nDone: 60% of the API\n\"\"\"\n",
			[]string{"Done: 60% of the API"}, []string{"Done: Done"}},
		{"prose stays", (*harness).meetingHeld, ":as amy\n:lang en\nmeeting M-1 minutes\nnote: ask bob first\nskip\nskip\n",
			[]string{"Decisions: note: ask bob first"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tc.setup(h)
			out := h.chat(tc.script)
			mustContain(t, out, tc.wants...)
			mustLack(t, out, tc.lacks...)
		})
	}
}

// TestRemoveAttendee: someone invited by mistake comes off the meeting —
// traced, told they need not attend, and neither the minutes nor their
// reminders reach them after; the organiser and people not invited are
// refused with the reason (it was "not something I can do to M-1").
func TestRemoveAttendee(t *testing.T) {
	for _, tc := range []struct {
		lang, invite, remove, reply, notice string
		refusals                            map[string]string
	}{
		{"zh", "会议 M-1 加人 @carol", "会议 M-1 移除 @carol", "✅ 已将 赵敏 Carol 移出 M-1;已告知无需参加", "你无需参加,之后不会再收到它的议程和提醒",
			map[string]string{
				"会议 M-1 移除 @amy":   "是 M-1 的组织人,不能移除;如要取消会议,发送 `会议 M-1 取消 <原因>`",
				"会议 M-1 移除 @carol": "赵敏 Carol 不是 M-1 的参会人;参会人是 陈斌 Ben",
				"会议 M-1 移除 @ben":   "移除后 M-1 将没有参会人",
			}},
		{"en", "meeting M-1 invite @carol", "meeting M-1 remove @carol", "✅ Removed 赵敏 Carol from M-1; they were told they need not attend", "you need not attend, and you will get no more agendas or reminders about it",
			map[string]string{
				"meeting M-1 remove @amy":   "organises M-1 and cannot be removed from it; to call it off, `meeting M-1 cancel <reason>`",
				"meeting M-1 remove @carol": "赵敏 Carol is not an attendee of M-1; its attendees are 陈斌 Ben",
				"meeting M-1 remove @ben":   "M-1 would have no attendees left",
			}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t)
			h.meetingTomorrow()
			h.chat(":as carol\n:lang " + tc.lang + "\n:as amy\n:lang " + tc.lang + "\n" + tc.invite + "\n")
			out := h.chat(":as amy\n" + tc.remove + "\n")
			mustContain(t, out, tc.reply)
			mustContain(t, noticesTo(out, "carol"), tc.notice, "M-1")
			mustContain(t, h.timeline(1), "attendees_removed M-1: carol")
			// The record people read names who was removed, not their id.
			shown := h.chat(":as amy\n查看 COL-1\n")
			mustContain(t, shown, "赵敏 Carol")
			mustLack(t, shown, ":carol", ": carol")
			for cmd, want := range tc.refusals {
				mustContain(t, h.chat(":as amy\n"+cmd+"\n"), "⚠️", want)
			}
			h.clock.Set("+1d", h.cfg.Location())
			h.clock.Set("+2h", h.cfg.Location())
			out = h.chat(":as amy\n会议 M-1 纪要\n范围确定\n跳过\n跳过\n确认\n")
			h.clock.Set("+2d", h.cfg.Location())
			out += h.chat(":as amy\n")
			mustContain(t, noticesTo(out, "ben"), "M-1")
			if n := noticesTo(out, "carol"); n != "" {
				t.Errorf("carol, removed, still hears of M-1:\n%s", n)
			}
		})
	}
}

// TestAmendMinutes: the organiser amends recorded minutes (it was "already
// recorded", with no way to correct them): the form opens filled in, the
// change is traced old → new, attendees confirm again and are told what
// changed; an unchanged action item keeps its task, a new one becomes a
// task, one taken out is named with how to cancel it.
func TestAmendMinutes(t *testing.T) {
	for _, tc := range []struct {
		lang, open, paste string
		wants, notice     []string
	}{
		{"zh", "会议 M-1 纪要", "\"\"\"\n会议 M-1 更正\n共识结论: 范围调整为仅下单\n待办事项: @ben 修复登录 2026-12-12\n@ben 压测 2026-12-14\n\"\"\"\n确认\n",
			[]string{"这是 M-1 已记录的纪要", "共识结论: 范围确定", "陈斌 Ben · 补充接口文档 · 2026-12-10 18:00",
				"✅ 已更正 M-1 的纪要(共识结论、待办事项)", "T-4 压测", "T-3「修复登录」的截止时间仍为 2026-12-11 18:00;如需改期,发送 `任务 T-3 改期 <日期> <原因>`。", "T-2「补充接口文档」已不在纪要中,但任务仍保留;如不再需要,发送 `任务 T-2 取消 <原因>`。"},
			[]string{"M-1 纪要已更正,请重新确认", "共识结论:范围确定 → 范围调整为仅下单", "待办事项:补充接口文档 @ben 2026-12-10 → —", "[确认无误] 确认 M-1"}},
		{"en", "meeting M-1 minutes", "\"\"\"\nmeeting M-1 amend\ndecisions: scope cut to checkout\naction items: @ben 修复登录 2026-12-11\n@ben load test 2026-12-14\n\"\"\"\nconfirm\n",
			[]string{"The minutes of M-1 as recorded", "Decisions: 范围确定", "✅ Minutes of M-1 amended (Decisions, Action items)",
				"T-4 load test", "T-2 “补充接口文档” is no longer in the minutes but stays a task; if it is not to be done, `task T-2 cancel <reason>`."},
			[]string{"Minutes of M-1 amended: please confirm again", "Decisions: 范围确定 → scope cut to checkout", "Your earlier confirmation was of the old text", "[Confirm] confirm M-1"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t)
			h.meetingHeld()
			h.chat(":as ben\n:lang " + tc.lang + "\n:as amy\n:lang " + tc.lang + "\n会议 M-1 纪要\n范围确定\n\"\"\"\n@ben 补充接口文档 2026-12-10\n@ben 修复登录 2026-12-11\n\"\"\"\n跳过\n确认\n:as ben\n确认 M-1\n")
			out := h.chat(":as amy\n" + tc.open + "\n取消\n")
			out += h.chat(":as amy\n" + tc.paste)
			mustContain(t, out, tc.wants...)
			mustContain(t, noticesTo(out, "ben"), tc.notice...)
			c := h.collab(1)
			m, _ := c.Meeting(1)
			if got := len(m.Minutes.Actions); got != 2 || m.Minutes.Actions[0] != 3 || m.Minutes.Actions[1] != 4 {
				t.Errorf("actions %v, want T-3 kept and T-4 new", m.Minutes.Actions)
			}
			if len(c.Tasks) != 4 {
				t.Errorf("%d tasks, want 4 (T-3 not re-created)", len(c.Tasks))
			}
			if un := m.Unconfirmed(); len(un) != 1 || un[0] != "ben" {
				t.Errorf("unconfirmed %v, want ben asked again", un)
			}
			mustContain(t, h.timeline(1), "minutes_amended M-1: decisions: 范围确定 → ", "actions: 补充接口文档 @ben 2026-12-10 → —")
			// The record people read labels the minutes' own fields.
			shown := h.chat(":as amy\n:lang zh\n查看 COL-1\n")
			mustContain(t, shown, "共识结论:范围确定 → ", "待办事项:补充接口文档 @ben 2026-12-10 → —")
			mustLack(t, shown, "decisions: 范围确定", "后续措施:补充接口文档")
			// Someone else's minutes are refused with the reason.
			mustContain(t, h.chat(":as ben\n会议 M-1 更正\n"), "⚠️")
		})
	}
}
