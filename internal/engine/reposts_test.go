package engine_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// A second post of a text that is replaced whole (the day's progress,
// the retrospective, an agenda, a risk response) leaves what it changed
// in the timeline, before → after, so the earlier words stay findable.

func TestSecondProgressOfTheDayIsACorrection(t *testing.T) {
	cases := []struct {
		name, lang, first, second string
		pending                   string // what the correction does not restate
		prefilled, replaced       string
		record                    []string // the export's activity log, in lang
	}{
		{"zh", ":lang zh\n", "进度 COL-1\n\"\"\"\n已完成: 完成 80% 配置\n未完成: 测试\n\"\"\"\n确认\n",
			"进度 COL-1\n\"\"\"\n已完成: 完成 60% 配置(更正)\n\"\"\"\n确认\n", "测试",
			"你今天 10:00 已提交过 COL-1 的进度", "✅ 已更新你今天在 COL-1 的进度(替换 10:00 提交的那条",
			[]string{"提交进度", "更正当日进度", "完成 80% 配置 → 完成 60% 配置(更正)"}},
		{"en", ":lang en\n", "update COL-1\n\"\"\"\ndone: 80% of the config\npending: tests\n\"\"\"\nconfirm\n",
			"update COL-1\n\"\"\"\ndone: 60% of the config (correction)\n\"\"\"\nconfirm\n", "tests",
			"You posted today's progress on COL-1 at 10:00; here it is.", "✅ Updated today's progress on COL-1 (it replaces the one posted at 10:00",
			[]string{"posted progress", "corrected the day's progress", "Done: 80% of the config → 60% of the config (correction)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.withTask()
			h.chat(":as ben\n" + tc.lang + tc.first)
			out := h.chat(":as ben\n" + tc.lang + strings.SplitN(tc.second, "\n", 2)[0] + "\n")
			// The form opens filled with the morning's update.
			mustContain(t, out, tc.prefilled, "80%", tc.pending)
			out = h.chat(":as ben\n" + tc.lang + strings.SplitN(tc.second, "\n", 2)[1])
			mustContain(t, out, tc.replaced)
			mustContain(t, h.timeline(1), "progress_posted 2026-11-23: \n",
				"progress_corrected 2026-11-23: done: ")
			lang := bot.Chinese
			if tc.name == "en" {
				lang = bot.English
			}
			mustContain(t, h.export(1, lang), tc.record...)
			// The day's update is the corrected one; what it did not restate stays.
			out = h.chat(":as ben\n" + tc.lang + "export COL-1 csv\n")
			mustContain(t, out, "60%", "80%", tc.pending)
			out = h.chat(":as ben\n" + tc.lang + "export COL-1 json\n")
			mustContain(t, out, "80%")
		})
	}
}

func TestUnchangedProgressCorrectionIsRefused(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	h.chat(":as ben\n:lang en\nupdate COL-1\n\"\"\"\ndone: config\n\"\"\"\nconfirm\n")
	out := h.chat(":as ben\n:lang en\nupdate COL-1\nconfirm\n")
	mustContain(t, out, "nothing was changed")
	if n := strings.Count(h.timeline(1), "progress_"); n != 1 {
		t.Errorf("%d progress entries:\n%s", n, h.timeline(1))
	}
}

func TestRetrospectiveRewriteIsARevision(t *testing.T) {
	h := newHarness(t)
	h.accepted()
	h.chat(":as amy\n\"\"\"\n复盘 COL-1\n协作亮点: 响应及时\n待改进点: 环境\n\"\"\"\n确认\n")
	h.sent = nil
	out := h.chat(":as amy\n复盘 COL-1\n")
	// The form opens filled with the retrospective shared.
	mustContain(t, out, "COL-1 的复盘已分享过", "协作亮点: 响应及时", "待改进点: 环境")
	out = h.chat("\"\"\"\n待改进点: 提前准备测试环境\n\"\"\"\n确认\n")
	mustContain(t, out, "✅ COL-1 的复盘已更新", "【COL-1 · 复盘已更新】", "待改进点:环境 → 提前准备测试环境")
	mustLack(t, out, "复盘已分享】")
	mustContain(t, h.timeline(1), "retrospective_revised COL-1: improvements: 环境 → 提前准备测试环境")
	mustContain(t, h.export(1, bot.Chinese), "修改复盘", "待改进点:环境 → 提前准备测试环境")
	mustContain(t, h.export(1, bot.English), "revised the retrospective", "Improvements: 环境 → 提前准备测试环境")
	if r := h.collab(1).Retrospective; r == nil || r.Improvements[0] != "提前准备测试环境" || r.Highlights[0] != "响应及时" {
		t.Errorf("retrospective = %+v", r)
	}
	out = h.chat(":as amy\n:lang en\nretro COL-1\nconfirm\n")
	mustContain(t, out, "The retrospective of COL-1 is already shared", "The retrospective is unchanged")
}

func TestAgendaRevisionKeepsTheOldAgenda(t *testing.T) {
	h := newHarness(t)
	h.meetingTomorrow()
	h.chat(":as amy\n\"\"\"\n会议 M-1 议程\n议程: 确认目标\n\"\"\"\n确认\n")
	h.chat(":as amy\n\"\"\"\n会议 M-1 议程\n议程: 确认目标\n讨论分工\n预阅读材料: https://docs.example.com/plan\n\"\"\"\n确认\n")
	mustContain(t, h.timeline(1), "agenda_set M-1: \n",
		"agenda_revised M-1: agenda: 确认目标 → 确认目标 / 讨论分工; materials: — → https://docs.example.com/plan")
	mustContain(t, h.export(1, bot.Chinese), "修改议程", "议程:确认目标 → 确认目标 / 讨论分工")
	mustContain(t, h.export(1, bot.English), "revised the agenda", "Agenda: 确认目标 → 确认目标 / 讨论分工")
}

func TestSecondRiskResponseRecordsTheDateChange(t *testing.T) {
	h := newHarness(t)
	h.riskRaised()
	h.chat(":as ben\n\"\"\"\n风险 R-1 响应\n解决方案: 扩容测试环境\n预计解决时间: 2026-11-24 18:00\n\"\"\"\n确认\n")
	h.chat(":as ben\n\"\"\"\n风险 R-1 响应\n解决方案: 扩容测试环境\n预计解决时间: 2026-11-26 18:00\n\"\"\"\n确认\n")
	mustContain(t, h.timeline(1), "risk_responded R-1: 扩容测试环境\n",
		"risk_responded R-1: due: 2026-11-24 18:00 → 2026-11-26 18:00\n")
	mustContain(t, h.export(1, bot.Chinese), "预计解决时间:2026-11-24 18:00 → 2026-11-26 18:00")
	mustContain(t, h.export(1, bot.English), "Expected resolution: 2026-11-24 18:00 → 2026-11-26 18:00")
	h.chat(":as ben\n\"\"\"\n风险 R-1 响应\n解决方案: 换一台测试机\n预计解决时间: 2026-11-27 12:00\n\"\"\"\n确认\n")
	mustContain(t, h.timeline(1), "risk_responded R-1: response: 扩容测试环境 → 换一台测试机; due: 2026-11-26 18:00 → 2026-11-27 12:00")
}

// TestFilledFormsForModals: a modal for a second update of the day, or for
// a rewrite of the retrospective, shows what stands as its values, and
// its submission is a correction.
func TestFilledFormsForModals(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	ctx := context.Background()
	h.chat(":as ben\n\"\"\"\n进度 COL-1\n已完成: 接口联通\n遇到的问题: 缺测试账号\n\"\"\"\n确认\n")
	f, err := h.eng.FormFor(ctx, consoleMsg(h, "ben", "update COL-1", ""))
	if err != nil || f == nil {
		t.Fatalf("update: %+v %v", f, err)
	}
	if x, _ := field(f, "done"); !slices.Equal(x.Value, []string{"接口联通"}) {
		t.Errorf("done = %v", x.Value)
	}
	if x, _ := field(f, "problems"); !slices.Equal(x.Value, []string{"缺测试账号"}) {
		t.Errorf("problems = %v", x.Value)
	}
	res, err := h.eng.Submit(ctx, consoleMsg(h, "ben", "", "sub-1"), bot.Submission{Form: "progress", Target: "COL-1",
		Values: map[string][]string{"done": {"接口联通 80%"}, "problems": {"缺测试账号"}}})
	if err != nil || !res.OK() {
		t.Fatalf("submit: %+v %v", res, err)
	}
	mustContain(t, h.timeline(1), "progress_corrected 2026-11-23: done: 接口联通 → 接口联通 80%\n")
}

func TestFilledRetrospectiveForModals(t *testing.T) {
	h := newHarness(t)
	h.accepted()
	h.chat(":as amy\n\"\"\"\n复盘 COL-1\n协作亮点: 响应及时\n快速决策\n待改进点: 环境\n\"\"\"\n确认\n")
	f, err := h.eng.FormFor(context.Background(), consoleMsg(h, "amy", "retro COL-1", ""))
	if err != nil || f == nil {
		t.Fatalf("retro: %+v %v", f, err)
	}
	if x, _ := field(f, "highlights"); !slices.Equal(x.Value, []string{"响应及时\n快速决策"}) {
		t.Errorf("highlights = %q", x.Value)
	}
}
