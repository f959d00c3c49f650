package engine_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/configs"
	"github.com/collabot/collabot/internal/testkit"
)

// after returns what the transcript printed after the last line holding
// marker, so a check looks only at the answer to one message.
func after(out, marker string) string {
	i := strings.LastIndex(out, marker)
	if i < 0 {
		return ""
	}
	return out[i:]
}

func mustLack(t testing.TB, out string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(out, w) {
			t.Errorf("output has %q:\n%s", w, out)
		}
	}
}

// TestCommandsAreNeverEaten: a complete command typed while a form waits
// for an answer runs, the form keeps its place, and the reply ends with
// the question repeated — whatever kind of field is open.
func TestCommandsAreNeverEaten(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(h *harness)
		open   string   // opens a form and answers up to the field under test
		cmd    string   // the command typed mid-form
		want   []string // in the command's answer
		finish string   // the rest of the form
		check  func(t *testing.T, h *harness)
	}{
		{"free text: the board during 承接范围", (*harness).fileRequest,
			":as ben\n确认 COL-1 承接\n", "看板 COL-1", []string{"进度看板", "待确认", "↩ 继续“对接确认 · COL-1 研发部”:承接哪些内容"},
			"接口开发与联调\n确认\n",
			func(t *testing.T, h *harness) {
				if a, _ := h.collab(1).Ack("研发部"); a.Status != bot.AckAccepted || a.Scope != "接口开发与联调" {
					t.Errorf("ack = %+v", a)
				}
			}},
		{"free text: help during 风险提示 is not a risk", (*harness).fileRequest,
			":as ben\n确认 COL-1 承接\n跳过\n跳过\n", "帮助", []string{"collabot 命令", "↩ 继续“对接确认 · COL-1 研发部”:看到哪些风险"},
			"确认\n",
			func(t *testing.T, h *harness) {
				c := h.collab(1)
				if a, _ := c.Ack("研发部"); a.Risks != "" || len(c.Risks) != 0 {
					t.Errorf("help became a risk: ack %+v, risks %d", a, len(c.Risks))
				}
			}},
		{"date: the list during 期望完成时间", nil,
			"发起协作\n主题\n目标\n研发部\n跳过\n需求\n跳过\n跳过\n", "我的协作", []string{"你还没有参与任何协作", "↩ 继续“协作需求表”:希望什么时候完成"},
			"下周五\n确认\n",
			func(t *testing.T, h *harness) {
				if c := h.collab(1); c.Request.Topic != "主题" || c.Request.Due.IsZero() {
					t.Errorf("request = %+v", c.Request)
				}
			}},
		{"person: a task's status during 直接责任人", (*harness).withTask,
			":as amy\n任务 新建 COL-1\n联调文档\n跳过\n研发部\n跳过\n", "task T-1 start", []string{"T-1", "进行中", "↩ 继续“任务 · COL-1”:谁直接负责"},
			"@ben\n跳过\n跳过\n下周五\n文档评审通过\n跳过\n确认\n",
			func(t *testing.T, h *harness) {
				c := h.collab(1)
				if t1, _ := c.Task(1); t1.Status != bot.TaskInProgress {
					t.Errorf("T-1 = %s", t1.Status)
				}
				if t2, err := c.Task(2); err != nil || t2.Owner != "ben" || t2.Title != "联调文档" {
					t.Errorf("T-2 = %+v, %v", t2, err)
				}
			}},
		{"choice: the record during 会议类型, in English", (*harness).withTask,
			":as amy\n:lang en\nmeeting new COL-1\n", "show COL-1", []string{"Cross-department collaboration record", "↩ Back to “Meeting · COL-1”: What kind of meeting"},
			"kickoff\ntomorrow 10:00\n1h\n@ben\nskip\nskip\nconfirm\n",
			func(t *testing.T, h *harness) {
				if m, err := h.collab(1).Meeting(1); err != nil || m.Kind != bot.MeetingKickoff {
					t.Errorf("M-1 = %+v, %v", m, err)
				}
			}},
		{"a refused command still repeats the question", (*harness).fileRequest,
			":as ben\n确认 COL-1 承接\n", "查看 COL-42", []string{"找不到", "↩ 继续“对接确认 · COL-1 研发部”"},
			"确认\n", nil},
		{"a word that only starts like a command is an answer", nil,
			"发起协作\n", "看板 redesign", []string{"协作需求表 · 协作背景与目标"},
			"目标\n研发部\n跳过\n需求\n跳过\n跳过\n下周五\n确认\n",
			func(t *testing.T, h *harness) {
				if got := h.collab(1).Request.Topic; got != "看板 redesign" {
					t.Errorf("topic = %q", got)
				}
			}},
		{"an answer starting with the bot's name keeps every word", nil,
			":lang en\nnew\n", "Collab tools rollout", []string{"Background and goal"},
			"roll it out\nengineering\nskip\nthe tools\nskip\nskip\nnext friday\nconfirm\n",
			func(t *testing.T, h *harness) {
				if got := h.collab(1).Request.Topic; got != "Collab tools rollout" {
					t.Errorf("topic = %q", got)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			out := h.chat(tt.open + tt.cmd + "\n")
			mustContain(t, after(out, "you are @amy"), tt.want...)
			h.chat(":as " + speaker(tt.open) + "\n" + tt.finish)
			if tt.check != nil {
				tt.check(t, h)
			}
		})
	}
}

// speaker is who the script last spoke as (amy unless it says otherwise).
func speaker(script string) string {
	who := "amy"
	for _, line := range strings.Split(script, "\n") {
		if w, ok := strings.CutPrefix(line, ":as "); ok {
			who = w
		}
	}
	return who
}

// TestReadmeWalkthroughShowsTheBoard: the README's own steps, in its
// order, end with the board although ben's acknowledgement form is open.
func TestReadmeWalkthroughShowsTheBoard(t *testing.T) {
	h := newHarness(t)
	out := h.chat("\"\"\"\n发起协作\n" + strings.TrimPrefix(pastedRequest, `"""`+"\n") + "确认\n" +
		":as alice\n初审 COL-1 通过\n:as ben\n确认 COL-1 承接\n看板 COL-1\n帮助\n")
	mustContain(t, after(out, "now speaking as @ben"), "COL-1 进度看板", "collabot 命令")
	if a, _ := h.collab(1).Ack("研发部"); a.Scope != "" || a.Status != bot.AckPending {
		t.Errorf("the board or help was taken as an answer: %+v", a)
	}
}

// TestFormsNeverMerge: opening another form keeps the open one as a
// draft; nothing carries from one into the other; `继续` brings it back.
func TestFormsNeverMerge(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as amy\n\"\"\"\n任务 新建 COL-1\n任务名称: 子任务甲\n直接责任人: @ben\n上级任务: T-1\n\"\"\"\n" +
		"\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n\"\"\"\n")
	mustContain(t, out, "“任务 · COL-1”表单已存为草稿", "会议 · 会议时间")
	mustLack(t, after(out, "会议 安排"), "上级任务", "子任务甲")
	out = h.chat("取消\n")
	mustContain(t, out, "已取消“会议”", "还有未完成的“任务 · COL-1”草稿")
	out = h.chat("继续\n")
	mustContain(t, out, "接着填写“任务 · COL-1”", "什么时候完成")
	h.chat("下周五\n用例通过\n确认\n")
	if t2, err := h.collab(1).Task(2); err != nil || t2.Title != "子任务甲" || t2.Parent != 1 {
		t.Fatalf("resumed task = %+v, %v", t2, err)
	}

	// A new paste of the same form replaces the old one: no parent left.
	h.chat("\"\"\"\n任务 新建 COL-1\n任务名称: 旧\n直接责任人: @ben\n上级任务: T-1\n\"\"\"\n")
	out = h.chat("\"\"\"\n任务 add COL-1\n任务名称: 新\n直接责任人: @ben\n截止时间: 下周五\n交付标准: 通过\n\"\"\"\n确认\n")
	mustContain(t, out, "已替换为新的", "T-3")
	if t3, _ := h.collab(1).Task(3); t3.Title != "新" || t3.Parent != 0 {
		t.Errorf("T-3 = %+v", t3)
	}
}

// TestPasteOfAnotherFormIsRefused: a block of another form's keys typed
// into an open form changes nothing in it.
func TestPasteOfAnotherFormIsRefused(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as amy\n:lang en\ntask add COL-1\nAPI docs\n" +
		"\"\"\"\nkind: kickoff\nstart: tomorrow 10:00\nduration: 1h\nattendees: @ben\n\"\"\"\n")
	mustContain(t, out, "looks like a “Meeting” form", "meeting new COL-n")
	out = h.chat("skip\nengineering\nskip\n@ben\nskip\nskip\nnext friday\nreviewed\nskip\nconfirm\n")
	mustContain(t, out, "T-2")
	if t2, _ := h.collab(1).Task(2); !t2.Start.Before(t2.CreatedAt.Add(1)) {
		t.Errorf("the meeting's start went into the task: %+v", t2)
	}
}

// TestIdleFormIsKeptAsDraft: a form left alone is put aside, not lost.
func TestIdleFormIsKeptAsDraft(t *testing.T) {
	h := newHarness(t)
	h.chat("发起协作\n新品推广接口调试\n")
	h.clock.Set("+31m", h.cfg.Location())
	out := h.chat("help\n")
	mustContain(t, out, "已有 30 分钟没有动静,已存为草稿", "collabot 命令")
	mustLack(t, out, "30m0s")
	out = h.chat("继续\nQ4 上线\n研发部\n跳过\n完成调试\n跳过\n跳过\n下周五\n确认\n")
	mustContain(t, out, "COL-1")
	if c := h.collab(1); c.Request.Topic != "新品推广接口调试" {
		t.Errorf("topic = %q", c.Request.Topic)
	}
}

// TestWordsMeanOneThing: bare 确认, 确认 M-n, "无", past dates and a
// meeting without a time.
func TestWordsMeanOneThing(t *testing.T) {
	t.Run("bare confirm lists what waits", func(t *testing.T) {
		h := newHarness(t)
		h.fileRequest()
		out := h.chat(":as ben\n确认\n")
		mustContain(t, out, "待你确认", "确认 COL-1 承接")
		out = h.chat(":as david\nconfirm\n")
		mustContain(t, out, "Nothing is waiting for your confirmation")
	})
	t.Run("confirm M-n confirms the minutes", func(t *testing.T) {
		h := newHarness(t)
		h.withTask()
		h.chat(":as amy\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 明天 10:00\n时长: 1h\n参会人: @ben\n\"\"\"\n确认\n")
		h.clock.Set("+1d", h.cfg.Location())
		h.clock.Set("+2h", h.cfg.Location())
		h.chat("\"\"\"\n会议 M-1 纪要\n共识结论: 范围确定\n\"\"\"\n确认\n")
		out := h.chat(":as ben\n确认\n确认 M-1\n")
		mustContain(t, out, "M-1 的会议纪要待你确认", "已确认 M-1 的纪要")
		if m, _ := h.collab(1).Meeting(1); len(m.Unconfirmed()) != 0 {
			t.Errorf("unconfirmed = %v", m.Unconfirmed())
		}
	})
	t.Run("无 is no problem", func(t *testing.T) {
		h := newHarness(t)
		h.withTask()
		out := h.chat(":as ben\n\"\"\"\n进度 COL-1\n已完成: 接口联通\n遇到的问题: 无\n\"\"\"\n确认\n")
		mustContain(t, out, "已记录你今天在 COL-1 的进度")
		mustLack(t, out, "进度中的问题", "遇到的问题已转给")
	})
	t.Run("a past day must be in the future", func(t *testing.T) {
		h := newHarness(t)
		out := h.chat("发起协作\n主题\n目标\n研发部\n跳过\n需求\n跳过\n跳过\n昨天\n")
		mustContain(t, out, "已过,请填写将来的时间")
		mustLack(t, out, "看不懂")
		out = h.chat(":lang en\nyesterday\n")
		mustContain(t, out, "has passed; give a date in the future")
	})
	t.Run("a meeting start without a time asks for the time", func(t *testing.T) {
		h := newHarness(t)
		h.withTask()
		out := h.chat(":as amy\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 12月9日\n时长: 1h\n参会人: @ben\n\"\"\"\n")
		mustContain(t, out, "还缺具体时间(几点)", "会议 · 会议时间")
		mustLack(t, out, "18:00")
	})
	t.Run("minutes: action items carry the department, risks enter the register", func(t *testing.T) {
		h := newHarness(t)
		h.withTask()
		h.chat(":as amy\n\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 明天 10:00\n时长: 1h\n参会人: @ben, @fiona\n\"\"\"\n确认\n")
		h.clock.Set("+1d", h.cfg.Location())
		h.clock.Set("+2h", h.cfg.Location())
		out := h.chat("\"\"\"\n会议 M-1 纪要\n共识结论: 范围确定\n待办事项: @fiona 预算审批 下周五\n风险: 测试账号不足\n\"\"\"\n确认\n")
		mustContain(t, out, "T-2 预算审批(周婷 Fiona · 财务部)", "已登记为 R-1")
		c := h.collab(1)
		if t2, _ := c.Task(2); t2.Department != "财务部" {
			t.Errorf("T-2 department = %q", t2.Department)
		}
		if r, err := c.Risk(1); err != nil || r.Source != "M-1" || r.Description != "测试账号不足" {
			t.Errorf("R-1 = %+v, %v", r, err)
		}
	})
}

// TestNeedsHelpTakesTheProblemsAsItsNote: a status line that says a task
// needs help, with the problems given, is accepted as it is; without them,
// the dialog asks for the problems before the summary.
func TestNeedsHelpTakesTheProblemsAsItsNote(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as ben\n:lang en\n\"\"\"\nupdate COL-1\nstatus: T-1: needs_help\nproblems: need staging database access\n\"\"\"\nconfirm\n")
	mustContain(t, out, "T-1 needs help", "Recorded today's progress on COL-1")
	mustLack(t, out, "|needs_help|", "Please fill in")
	t1, _ := h.collab(1).Task(1)
	if t1.Status != bot.TaskNeedsHelp || t1.StatusNote != "need staging database access" {
		t.Errorf("T-1 = %s %q", t1.Status, t1.StatusNote)
	}
	mustContain(t, out, "→ @amy (DM): 【COL-1 · 任务需协助 T-1】")
	mustLack(t, out, "→ @ben (DM)", "A problem in a progress update")

	// The next day: a second update of the same day would open filled
	// with the first one's problems.
	h.clock.Set("+1d", h.cfg.Location())
	out = h.chat(":as ben\n\"\"\"\nupdate COL-1\nstatus: T-1: blocked\n\"\"\"\n")
	mustContain(t, out, "Daily progress · Problems", "T-1 is marked blocked: say what is in the way")
	out = h.chat(":as ben\nno staging database\nconfirm\n")
	mustContain(t, out, "Recorded today's progress")
	if t1, _ := h.collab(1).Task(1); t1.Status != bot.TaskBlocked || t1.StatusNote != "no staging database" {
		t.Errorf("T-1 = %s %q", t1.Status, t1.StatusNote)
	}
}

// TestAnswersThatLookLikeCommands: an answer that starts with a command
// word but lacks the command's shape stays an answer.
func TestAnswersThatLookLikeCommands(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	out := h.chat(":as amy\n:lang en\nnew\nLegacy reports\ndrop the legacy report from scope\n")
	mustContain(t, out, "Assisting departments")
	mustLack(t, out, "has no department that")
	out = h.chat("engineering\nskip\nrisk new vendor may be late\n")
	mustContain(t, out, "Deliverables")
	out = h.chat("skip\nskip\nnext friday\nconfirm\n")
	mustContain(t, out, "COL-2")
	if c := h.collab(2); c.Request.Goal != "drop the legacy report from scope" || c.Request.Requirements != "risk new vendor may be late" {
		t.Errorf("request = %+v", c.Request)
	}

	// A multi-line answer with a "key: value" line further down is an
	// answer, not another form's paste.
	out = h.chat("new\nTopic\n\"\"\"\nintegration, split as follows\nowner: ben\ndue: friday\n\"\"\"\n")
	mustLack(t, out, "looks like")
	mustContain(t, out, "Assisting departments")
}

// TestResumeANamedDraft: 继续 <what it is about> switches to that draft
// while another form is open.
func TestResumeANamedDraft(t *testing.T) {
	h := newHarness(t)
	h.withTask()
	h.chat(":as amy\n任务 新建 COL-1\n文档\n")
	out := h.chat("会议 安排 COL-1\n启动会\n继续 COL-1\n")
	mustContain(t, out, "接着填写“任务 · COL-1”", "任务 · 任务描述")
	out = h.chat("继续 会议\n")
	mustContain(t, out, "接着填写“会议 · COL-1”", "会议 · 会议时间")
	out = h.chat("继续\n")
	mustContain(t, out, "接着填写“任务 · COL-1”")
	mustLack(t, out, "↩")
}

// TestFormOutlivesItsTemplate: a form saved at a question that a later
// template no longer has is neither a crash nor a trap.
func TestFormOutlivesItsTemplate(t *testing.T) {
	dir := t.TempDir()
	base, err := configs.FS.ReadFile("templates/request.yaml")
	if err != nil {
		t.Fatal(err)
	}
	extra := "\n  - key: budget\n    label: {zh: 预算, en: Budget}\n    prompt: {zh: \"预算?\", en: \"Budget?\"}\n    type: text\n    required: true\n"
	if err := os.WriteFile(filepath.Join(dir, "request.yaml"), append(base, extra...), 0o600); err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, path: filepath.Join(t.TempDir(), "collabot.db"), clock: console.NewClock(monday)}
	demo := testkit.OpenDemoTemplates(t, h.path, h.clock, "", dir)
	h.cfg, h.ws, h.store, h.eng = demo.Config, demo.Workspace(), demo.Store, demo.Engine
	out := h.chat("\"\"\"\n发起协作\n协作主题: 主题\n协作背景与目标: 目标\n需协助部门: 研发部\n具体需求描述: 需求\n期望完成时间: 下周五\n\"\"\"\n")
	mustContain(t, out, "协作需求表 · 预算")

	h.store.Close()
	h.open("") // the stock templates: no 预算
	out = h.chat("帮助\n")
	mustContain(t, out, "collabot 命令", "↩ “协作需求表”待提交")
	out = h.chat("会议 安排 COL-1\n继续\n确认\n")
	mustContain(t, out, "已创建 COL-1")
}

// TestSlashSteersTheForm: "/collab 确认" (Slack sends every slash command
// with its prefix) confirms the open form.
func TestSlashSteersTheForm(t *testing.T) {
	h := newHarness(t)
	out := h.chat("\"\"\"\n发起协作\n" + strings.TrimPrefix(pastedRequest, `"""`+"\n") + "/collab 确认\n")
	mustContain(t, out, "已创建 COL-1")
	out = h.chat("发起协作\n/collab 取消\n")
	mustContain(t, out, "已取消“协作需求表”")
}

// TestLateAnswerIsNotLost: a message long after a form went quiet is not
// taken for its answer, and says so; the form waits as a draft.
func TestLateAnswerIsNotLost(t *testing.T) {
	h := newHarness(t)
	h.chat("发起协作\n主题\n")
	h.clock.Set("+1h", h.cfg.Location())
	out := h.chat("Q4 上线\n")
	mustContain(t, out, "已存为草稿", "这条消息没有填进表单")
	mustLack(t, out, "我没看懂")
	out = h.chat("继续\nQ4 上线\n")
	mustContain(t, out, "协作需求表 · 需协助部门")
}
