package record_test

import (
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

func markdown(t *testing.T, s *record.Sheet, lang bot.Lang) string {
	t.Helper()
	var b strings.Builder
	if err := s.Markdown(&b, lang); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestMarkdownSheet(t *testing.T) {
	s := drive(t, "新品推广接口调试", bot.StatusArchived)
	sheet := record.Build(s.c, s.timeline, s.progress, s.dir, day(3), shanghai)
	tests := []struct {
		lang bot.Lang
		// sections in the order the process fills them
		sections []string
		// the record sheet's vocabulary and the values filled in
		contains []string
		absent   []string
	}{
		{bot.Chinese,
			[]string{"# 跨部门沟通记录表 · COL-1", "## 一、基本信息(5W1H 需求)", "## 二、对接确认", "## 三、会议与纪要(会议共识/待办事项)",
				"## 四、任务分工(WBS)", "## 五、进度更新", "## 六、问题与风险(风险应对记录表)", "## 七、成果交付与验收", "## 八、复盘总结", "## 九、操作记录"},
			[]string{"| 基础信息 | 内容 |", "| 协作主题 | 新品推广接口调试 |", "| 需求发起部门/对接人 | 市场部 / 张敏 Amy |",
				"| 需协助部门/对接人 | 研发部 / 李工 Ben、财务部 / 赵芳 Fiona |", "| 协作背景与目标 | ", "| 具体需求描述 | ",
				"| 协同方式与频次 | 每日17:00", "| 风险提示与应对预案 | ", "| 期望完成时间 | 2026-12-07 10:00 |", "| 总协调人 | 张敏 Amy |", "| budget | 5 万 |",
				"✅ **研发部** · 对接人 李工 Ben · 已承接", "**承接范围**:接口调试", "**资源需求**:测试环境 1 套",
				"### M-1 启动会 · 2026-11-24 10:00 · 90 分钟", "**参会人**:张敏 Amy、李工 Ben、赵芳 Fiona", "**议程**:",
				"**会议纪要**:待确认", "**共识结论**:", "**待办事项**:", "**T-5** 补充用户场景文档 · 直接责任人 张敏 Amy", "**未确认**:赵芳 Fiona",
				"共 5 项任务:1 项已完成,1 项延期,1 项需协助", "🔴 **T-2** 编写测试用例", "研发部(主责)", "财务部(配合)", "**交付标准**:",
				"**已完成**:完成接口1调试", "**未完成**:接口2调试中", "**遇到的问题**:需协调测试资源", "**任务状态**:T-1 进行中",
				"**R-2** 【高】 接口供应商延迟交付 · 已响应", "**应对措施**:申请增加2名开发人员", "**解决方案**:", "**影响范围**:上线延后",
				"### 成果交付清单", "**第 1 次交付**", "测试报告 · v1 · 数量 1", "**成果自检**:", "### 成果验收结果",
				"**不通过** · 第 1 次交付 · 验收人 张敏 Amy", "**验收意见**:需补充边界值测试用例", "**整改项**:", "**整改期限**:2026-11-28 10:00",
				"**通过** · 第 2 次交付", "**协作亮点**:", "**待改进点**:", "**后续措施**:",
				"- 2026-11-23 10:00 张敏 Amy 起草需求 COL-1:新品推广接口调试。", "collabot 上报分管领导 R-2。", "导出时间:2026-11-26 10:00"},
			[]string{"Background", "](", "<script", "·  ·"}},
		{bot.English,
			[]string{"# Cross-department collaboration record · COL-1", "## 1. Basic information (5W1H request)", "## 2. Acknowledgements",
				"## 3. Meetings and minutes", "## 4. Tasks (WBS)", "## 5. Progress", "## 6. Issues and risks",
				"## 7. Delivery and acceptance", "## 8. Retrospective", "## 9. Activity log"},
			[]string{"| Item | Value |", "| Topic | 新品推广接口调试 |", "| Requesting department / contact | 市场部 / 张敏 Amy |",
				"| Assisting departments / contacts | 研发部 / 李工 Ben, 财务部 / 赵芳 Fiona |", "| Background and goal | ",
				"✅ **研发部** · Contact 李工 Ben · accepted", "### M-1 kickoff · 2026-11-24 10:00 · 90 min",
				"**Minutes**: awaiting confirmation", "**Decisions**:", "**Action items**:", "5 tasks: 1 done, 1 overdue, 1 need help",
				"🔴 **T-2** 编写测试用例 · 研发部 (lead) · Owner 王贝 Bella · Due 2026-11-25 10:00 · overdue",
				"**Problems**: 需协调测试资源", "**R-2** [high]", "**fail** · Delivery 1 · decided by 张敏 Amy",
				"**Highlights**:", "collabot escalated to leadership R-2.", "Exported: 2026-11-26 10:00"},
			[]string{"协作主题", "进行中", "需协助", "](", "<script"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			md := markdown(t, sheet, tt.lang)
			last := -1
			for _, h := range tt.sections {
				i := strings.Index(md, h+"\n")
				if i < 0 {
					t.Errorf("no heading %q", h)
					continue
				}
				if i < last {
					t.Errorf("heading %q is out of the process order", h)
				}
				last = i
			}
			for _, want := range tt.contains {
				if !strings.Contains(md, want) {
					t.Errorf("lacks %q", want)
				}
			}
			for _, no := range tt.absent {
				if strings.Contains(md, no) {
					t.Errorf("shows %q", no)
				}
			}
			if t.Failed() {
				t.Log(md)
			}
		})
	}
}

// Sub-tasks are nested under their parent, before the next top-level task.
func TestMarkdownNestsSubTasks(t *testing.T) {
	s := drive(t, "新品推广接口调试", bot.StatusActive)
	md := markdown(t, record.Build(s.c, s.timeline, s.progress, s.dir, day(3), shanghai), bot.Chinese)
	parent := strings.Index(md, "\n- 🟢 **T-1**")
	child := strings.Index(md, "\n  - 🔴 **T-2**")
	next := strings.Index(md, "\n- 🟡 **T-3**")
	if parent < 0 || child < 0 || next < 0 || !(parent < child && child < next) {
		t.Errorf("T-1 at %d, its sub-task T-2 at %d, T-3 at %d:\n%s", parent, child, next, md)
	}
}

// An empty section says so rather than disappear: the sheet keeps its shape.
func TestMarkdownOfDraft(t *testing.T) {
	s := drive(t, "新品推广接口调试", bot.StatusDraft)
	sheet := record.Build(s.c, s.timeline, nil, nil, t0, shanghai)
	for lang, none := range map[bot.Lang]string{bot.Chinese: "(无)", bot.English: "(none)"} {
		md := markdown(t, sheet, lang)
		if n := strings.Count(md, "\n"+none+"\n"); n != 6 {
			t.Errorf("%s: %d empty sections marked %s, want 6 (meetings, tasks, progress, risks, delivery, retrospective):\n%s", lang, n, none, md)
		}
		if !strings.Contains(md, "⏳ **研发部**") {
			t.Errorf("%s: a department not asked yet should show as waiting:\n%s", lang, md)
		}
	}
}

// In a chat the basic information is a list: chat platforms show a
// Markdown table as raw pipes.
func TestChatMarkdownHasNoTable(t *testing.T) {
	s := drive(t, "新品推广接口调试", bot.StatusActive)
	var b strings.Builder
	if err := record.Build(s.c, s.timeline, s.progress, s.dir, day(3), shanghai).ChatMarkdown(&b, bot.Chinese); err != nil {
		t.Fatal(err)
	}
	if md := b.String(); strings.Contains(md, "| ") || !strings.Contains(md, "- **协作主题**:新品推广接口调试") {
		t.Errorf("chat record:\n%s", md)
	}
}
