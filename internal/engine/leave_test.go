package engine_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestLeaveReadsDatesAsPeopleWriteThem: leave takes the dates the forms
// take (relative days, weekdays, month and day, ranges with 到/至/to/-),
// a whole week by name, and shows what it understood with weekdays.
// The harness's clock is Monday 2026-11-23.
func TestLeaveReadsDatesAsPeopleWriteThem(t *testing.T) {
	for _, tt := range []struct {
		text     string
		from, to string
		said     string
	}{
		{"请假 明天", "2026-11-24", "2026-11-24", "已登记请假 2026-11-24(周二):当天不会给你发提醒"},
		{"请假 下周一到下周三", "2026-11-30", "2026-12-02", "2026-11-30(周一) 至 2026-12-02(周三)"},
		{"请假 12月7日至9日", "2026-12-07", "2026-12-09", "2026-12-07(周一) 至 2026-12-09(周三)"},
		{"请假 2026-12-07到2026-12-09", "2026-12-07", "2026-12-09", "至 2026-12-09(周三)"},
		{"请假 下周", "2026-11-30", "2026-12-04", "2026-11-30(周一) 至 2026-12-04(周五)"},
		{"请假 到周五", "2026-11-23", "2026-11-27", "2026-11-23(周一) 至 2026-11-27(周五)"},
		{"leave tomorrow", "2026-11-24", "2026-11-24", "Leave on 2026-11-24 (Tuesday) declared"},
		{"leave next monday to wednesday", "2026-11-30", "2026-12-02", "from 2026-11-30 (Monday) to 2026-12-02 (Wednesday)"},
		{"leave dec 14 - dec 16", "2026-12-14", "2026-12-16", "2026-12-14 (Monday)"},
		{"leave 2026-12-21-2026-12-23", "2026-12-21", "2026-12-23", "2026-12-23 (Wednesday)"},
		{"leave next week", "2026-11-30", "2026-12-04", "to 2026-12-04 (Friday)"},
		{"请假 下周一到周三", "2026-11-30", "2026-12-02", "2026-11-30(周一) 至 2026-12-02(周三)"},
		{"leave wed to fri", "2026-11-25", "2026-11-27", "2026-11-25 (Wednesday) to 2026-11-27 (Friday)"},
	} {
		t.Run(tt.text, func(t *testing.T) {
			h := newHarness(t)
			script := ":as ben\n" + tt.text + "\n"
			if strings.HasPrefix(tt.text, "leave") {
				script = ":as ben\n:lang en\n" + tt.text + "\n"
			}
			mustContain(t, h.chat(script), tt.said)
			if l := h.settings("ben").Leave; len(l) != 1 || l[0] != (bot.Leave{From: tt.from, To: tt.to}) {
				t.Errorf("leave = %v, want %s..%s", l, tt.from, tt.to)
			}
		})
	}
	for _, bad := range []string{"请假 3天", "请假 昨天", "请假 不知道", "leave 2 weeks", "leave someday"} {
		h := newHarness(t)
		out := h.chat(":as ben\n:lang en\n" + bad + "\n")
		if !strings.Contains(out, "请假日期看不懂") && !strings.Contains(out, "I could not read those dates") {
			t.Errorf("%q was not refused with the usage:\n%s", bad, out)
		}
		if l := h.settings("ben").Leave; len(l) != 0 {
			t.Errorf("%q declared %v", bad, l)
		}
	}
}

// TestLeaveMergesPeriods: leave within a declared period adds nothing and
// says so (nobody is told twice); overlapping and adjacent periods become
// one, and the coordinator hears of the whole of it.
func TestLeaveMergesPeriods(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	h.chat(":as ben\n请假 2026-11-30..2026-12-02\n")
	out := h.chat(":as ben\n请假 12月1日\n")
	mustContain(t, out, "这几天已在请假中:2026-11-30(周一) 至 2026-12-02(周三)")
	mustLack(t, out, "→ @amy")
	out = h.chat(":as ben\n请假 12月3日到12月4日\n")
	mustContain(t, out, "已登记请假 2026-11-30(周一) 至 2026-12-04(周五)", "→ @amy (DM)", "陈斌 Ben 请假 2026-11-30 至 2026-12-04")
	h.chat(":as ben\n请假 2026-12-10\n")
	want := []bot.Leave{{From: "2026-11-30", To: "2026-12-04"}, {From: "2026-12-10", To: "2026-12-10"}}
	if l := h.settings("ben").Leave; !slices.Equal(l, want) {
		t.Errorf("leave = %v, want %v", l, want)
	}
	mustContain(t, h.chat(":as ben\n请假\n"), "已登记的请假:2026-11-30..2026-12-04, 2026-12-10。发送 `销假` 取消。")
}

// TestSettingsShowsEverythingPersonal: one command shows language,
// department, snooze, quiet hours and leave, each with how to change it.
func TestSettingsShowsEverythingPersonal(t *testing.T) {
	h := newHarness(t)
	out := h.chat(":as ben\n设置\n")
	mustContain(t, out, "【我的设置】", "回复语言:中文", "研发部", "没有暂停提醒", "没有设置免打扰时段", "没有登记请假")
	mustContain(t, h.chat(":as ben\n免打扰 22:00-08:00\n"), "每天 22:00 到 08:00 不给你发消息")
	out = h.chat(":as ben\n免打扰 off\n免打扰时段 22:00-08:00\n请假 下周\n免打扰 2h\n:lang en\nmy settings\n")
	mustContain(t, out, "【My settings】", "Language: English", "22:00 to 08:00", "Declared leave: 2026-11-30..2026-12-04", "Your reminders are held until 2026-11-23 12:00")
}

// TestUnknownWordsGetSensibleGuesses: a typo gets the nearest command in
// the same script; a word too short or too far gets the general hint,
// never a guess in the other language; "my tasks" is understood.
func TestUnknownWordsGetSensibleGuesses(t *testing.T) {
	h := newHarness(t)
	for _, tt := range []struct{ text, want, lacks string }{
		{"lsit", "你是不是想用 `list`", ""},
		{"看扳", "你是不是想用 `看板`", ""},
		{"天气", "我没看懂", "你是不是想用"},
		{":lang en\nmy", "I did not understand that", "Did you mean"},
		{":lang en\nyes", "I did not understand that", "Did you mean"},
		{":lang en\nmeetign", "Did you mean `meeting`", ""},
		{":lang en\nmy tasks", "no open tasks", "There is no"},
		{":lang en\nmy collaborations", "You are not part of any collaboration", "There is no"},
	} {
		out := h.chat(":as amy\n" + tt.text + "\n:lang zh\n")
		mustContain(t, out, tt.want)
		if tt.lacks != "" {
			mustLack(t, out, tt.lacks)
		}
	}
}

// TestUnspacedChineseCommands: Chinese is typed without spaces; a command
// word run into its reference and argument is read as if spaced, while an
// answer that merely starts with a command word stays an answer.
func TestUnspacedChineseCommands(t *testing.T) {
	h := newHarness(t)
	h.inReview()
	mustContain(t, h.chat(":as alice\n初审COL-1通过\n"), "COL-1 初审通过")
	mustContain(t, h.chat(":as ben\n看板COL1\n"), "【COL-1 进度看板】")
	mustContain(t, h.chat(":as ben\n确认col-1承接\n"), "【对接确认 · COL-1 研发部 · 承接范围】")
	mustContain(t, h.chat(":as amy\n确认收到\n"), "我没看懂")
}

// TestGluedProseStaysAnAnswer: prose that starts with a command word and a
// reference, typed to a form's question, is its answer ("看板COL-1里的任务
// 都要按时完成"); and a question on an acknowledgement that starts with a
// model number is not read as a meeting reference.
func TestGluedProseStaysAnAnswer(t *testing.T) {
	h := newHarness(t)
	h.inReview()
	h.chat(":as alice\n初审 COL-1 通过\n")
	out := h.chat(":as ben\n新建\n接口联调\n上线前联调\n财务部\n跳过\n看板COL-1里的任务都要按时完成\n")
	mustLack(t, out, "【COL-1 进度看板】")
	mustContain(t, out, "【协作需求表 · 交付物】")
	out = h.chat(":as fiona\n确认 COL-1 需补充信息 M-2型号的服务器要几台?\n")
	mustLack(t, out, "不是有效的编号")
	mustContain(t, out, "M-2型号的服务器要几台?")
}

// leaveBase has ben file COL-1 to 财务部, fiona accept it, and ben give
// her T-1, due Friday 2026-11-27 18:00.
const leaveBase = ":as ben\n\"\"\"\nnew\n协作主题: 新品上线\n协作背景与目标: 提升转化\n需协助部门: 财务部\n具体需求描述: 预算\n期望完成时间: 2026-12-18\n\"\"\"\n确认\n" +
	":as fiona\n确认 COL-1 承接\n跳过\n跳过\n跳过\n确认\n" +
	":as ben\n\"\"\"\ntask add COL-1\n任务名称: 预算表\n责任部门: 财务部\n直接责任人: @fiona\n截止时间: 2026-11-27 18:00\n交付标准: 预算明细\n\"\"\"\n确认\n"

// TestEscalationPastLeave: an escalation to a head on leave reaches
// leadership instead, says whom it was for, and the record says so;
// with leadership away too, the coordinator hears it reached no one. An
// escalation after a reminder held back by leave says it was not sent.
func TestEscalationPastLeave(t *testing.T) {
	t.Run("leadership stands in", func(t *testing.T) {
		h := newHarness(t)
		h.chat(leaveBase + ":as frank\n请假 2026-11-30..2026-12-02\n")
		h.at("2026-11-27 18:00")
		out := h.atOut("2026-11-30 18:00")
		mustContain(t, section(out, "→ @lily (DM): 【COL-1 · 🔺"), "任务逾期上报 T-1", "此上报本应发给 孙伟 Frank(请假至 2026-12-02),故改发给你。")
		mustContain(t, section(out, "→ @henry (DM): 【COL-1 · 🔺"), "This escalation was for 孙伟 Frank, on leave until 2026-12-02, so it comes to you instead.")
		mustLack(t, out+h.atOut("2026-12-03 18:00"), "→ @frank (DM): 【COL-1 · 🔺")
		out = h.chat(":as ben\n查看 COL-1\n")
		mustContain(t, out, "collabot 上报改送(原接收人请假) T-1:接收人:孙伟 Frank → 林莉 Lily、Henry Zhou。")
		mustLack(t, out, "因请假未发送")
	})
	t.Run("nobody above: the coordinator is told", func(t *testing.T) {
		h := newHarness(t)
		h.chat(leaveBase + ":as frank\n请假 2026-11-30..2026-12-02\n:as lily\n请假 2026-11-30..2026-12-02\n:as henry\n请假 2026-11-30..2026-12-02\n")
		h.at("2026-11-27 18:00")
		out := h.atOut("2026-11-30 18:00")
		mustContain(t, section(out, "→ @ben (DM): 【COL-1 · 🔺"), "任务逾期上报 T-1",
			"此上报本应发给 孙伟 Frank,但其请假至 2026-12-02,其上级也无人可接收:上报未送达任何人,请你跟进。")
		mustContain(t, h.chat(":as ben\n查看 COL-1\n"), "上报无人接收(接收人请假,上级均不在) T-1:接收人:孙伟 Frank → —")
	})
	t.Run("the owner was not reminded", func(t *testing.T) {
		h := newHarness(t)
		h.chat(leaveBase + ":as fiona\n请假 2026-11-27\n")
		h.at("2026-11-27 18:00")
		frank := section(h.atOut("2026-11-30 18:00"), "→ @frank (DM): 【COL-1 · 🔺")
		mustContain(t, frank, "责任人未提醒:请假至 2026-11-27,到期时只提醒了总协调人")
		mustLack(t, frank, "到期时已提醒责任人")
	})
}

// TestLeaveNamesWhatFallsDue: leave lists what falls due on the person
// while away — an acknowledgement they are the contact for, a task they
// own — with the commands that settle it, and the coordinator is told
// even where the person owns no task yet. Both languages.
func TestLeaveNamesWhatFallsDue(t *testing.T) {
	filed := ":as ben\n\"\"\"\nnew\n协作主题: 新品上线\n协作背景与目标: 提升转化\n需协助部门: 财务部\n具体需求描述: 预算\n期望完成时间: 2026-12-18\n\"\"\"\n确认\n"
	t.Run("an acknowledgement", func(t *testing.T) {
		h := newHarness(t)
		out := h.chat(filed + ":as fiona\n请假 2026-11-24..2026-11-25\n")
		mustContain(t, out, "已通知 1 个协作的总协调人", "以下事项在请假期间到期",
			"COL-1 财务部 对接确认,截止 2026-11-24 10:00:另指定对接人 `对接人 COL-1 财务部 @某人`")
		mustContain(t, section(out, "→ @ben (DM): 【COL-1 · 请假通知】"), "请假期间到期、需要你决定的事项", "`对接人 COL-1 财务部 @某人`")
	})
	t.Run("a task, in English", func(t *testing.T) {
		h := newHarness(t)
		out := h.chat(leaveBase + ":as ben\n:lang en\n:as fiona\n:lang en\nleave 2026-11-26..2026-11-27\n")
		mustContain(t, out, "These fall due during your leave",
			"COL-1 T-1 “预算表”, due 2026-11-27 18:00: hand it over with `task T-1 reassign @someone` or move it with `task T-1 due <date> <reason>`")
		mustContain(t, section(out, "→ @ben (DM): 【COL-1 · Leave】"), "Falling due during the leave, for you to decide", "`task T-1 reassign @someone`")
	})
	t.Run("nothing due meanwhile", func(t *testing.T) {
		h := newHarness(t)
		out := h.chat(leaveBase + ":as fiona\n请假 2026-11-30\n")
		mustLack(t, out, "以下事项在请假期间到期", "请假期间到期、需要你决定的事项")
	})
}
