package record_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/record"
)

// line finds the board line about one task or department.
func line(board, contains string) (string, int) {
	for i, l := range strings.Split(board, "\n") {
		if strings.Contains(l, contains) {
			return l, i
		}
	}
	return "", -1
}

func TestBoardColours(t *testing.T) {
	tests := []struct {
		name   string
		change func(*story)
		now    time.Time
		task   string
		want   string // the task's line starts with this
	}{
		{"todo on track", nil, day(3), "T-5", "- 🟢 T-5 补充用户场景文档 · 张敏 Amy · 11-29 10:00 · 待执行"},
		{"in progress on track", nil, day(3), "T-1", "- 🟢 T-1 接口调试 · 李工 Ben · 11-28 10:00 · 进行中"},
		{"overdue sub-task under its parent", nil, day(3), "T-2", "  - 🔴 T-2 编写测试用例 · 王贝 Bella · 11-25 10:00 · 延期"},
		{"needs help, with what", nil, day(3), "T-3", "- 🟡 T-3 预算审批 · 赵芳 Fiona · 12-03 10:00 · 需协助:等待预算口径"},
		{"blocked", func(s *story) {
			s.do(s.c.SetTaskStatus(s.as("amy"), 5, bot.TaskBlocked, "等待设计稿", day(2)))
		}, day(3), "T-5", "- 🟡 T-5 补充用户场景文档 · 张敏 Amy · 11-29 10:00 · 阻塞:等待设计稿"},
		{"done", nil, day(3), "T-4", "- ✅ T-4 准备测试环境 · 李工 Ben · 11-24 10:00 · 已完成"},
		{"overdue wins over needs help", nil, day(11), "T-3", "- 🔴 T-3 预算审批 · 赵芳 Fiona · 12-03 10:00 · 延期"},
		{"done late stays done", nil, day(30), "T-4", "- ✅ T-4"},
		{"a due date next year shows the year", func(s *story) {
			s.do(s.c.AddTask(s.dir, s.as("amy"), bot.Task{ID: 6, Title: "年度复盘", Department: "市场部", Owner: "amy",
				Due: time.Date(2027, 1, 8, 18, 0, 0, 0, shanghai), Standard: "报告"}, day(2)))
		}, day(3), "T-6", "- 🟢 T-6 年度复盘 · 张敏 Amy · 2027-01-08 18:00 · 待执行"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := drive(t, "新品推广接口调试", bot.StatusActive)
			if tt.change != nil {
				tt.change(s)
			}
			board := record.Board(s.c, s.dir, tt.now, shanghai, bot.Chinese)
			got, _ := line(board, " "+tt.task+" ")
			if !strings.HasPrefix(got, tt.want) {
				t.Errorf("%s line\n got %q\nwant %q…\n%s", tt.task, got, tt.want, board)
			}
		})
	}
}

func TestBoard(t *testing.T) {
	s := drive(t, "新品推广接口调试", bot.StatusActive)
	tests := []struct {
		lang    bot.Lang
		want    []string // in this order
		summary string
		avoid   []string
	}{
		{bot.Chinese, []string{
			"**进度看板 · COL-1 新品推广接口调试**",
			"进行中 · 截止时间 12-07 10:00 · 总协调人 张敏 Amy",
			"**对接确认**", "- ✅ 研发部 · 李工 Ben · 已承接", "- ✅ 财务部 · 赵芳 Fiona · 已承接",
			"**任务**", "- 🟢 T-1", "  - 🔴 T-2", "- 🟡 T-3", "- ✅ T-4", "- 🟢 T-5",
			"**未解决风险**", "- R-2 【高】 接口供应商延迟交付 · 李工 Ben · 已响应", "- R-1 【中】 测试环境不稳定 · 李工 Ben · 待响应",
		}, "共 5 项任务:1 项已完成,1 项延期,1 项需协助", []string{"R-3", "|", "needs help"}},
		{bot.English, []string{
			"**Progress board · COL-1 新品推广接口调试**",
			"active · Due 12-07 10:00 · Coordinator 张敏 Amy",
			"**Acknowledgements**", "- ✅ 研发部 · 李工 Ben · accepted",
			"**Tasks**", "- 🟢 T-1", "  - 🔴 T-2", "- 🟡 T-3 预算审批 · 赵芳 Fiona · 12-03 10:00 · needs help: 等待预算口径",
			"**Open risks**", "- R-2 [high]", "- R-1 [medium]",
		}, "5 tasks: 1 done, 1 overdue, 1 need help", []string{"R-3", "|", "需协助"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			board := record.Board(s.c, s.dir, day(3), shanghai, tt.lang)
			last := -1
			for _, want := range tt.want {
				_, i := line(board, want)
				if i < 0 {
					t.Errorf("lacks %q", want)
					continue
				}
				if i < last {
					t.Errorf("%q is out of order", want)
				}
				last = i
			}
			for _, no := range tt.avoid {
				if strings.Contains(board, no) {
					t.Errorf("shows %q", no)
				}
			}
			// A blank line keeps the summary out of the last list item.
			if !strings.Contains(board, "- 🟢 T-5 补充用户场景文档 · 张敏 Amy · 11-29 10:00 · "+
				map[bot.Lang]string{bot.Chinese: "待执行", bot.English: "to do"}[tt.lang]+"\n\n"+tt.summary+"\n") {
				t.Errorf("summary line not set apart from the list")
			}
			for _, l := range strings.Split(board, "\n") {
				if n := utf8.RuneCountInString(l); n > 80 {
					t.Errorf("line of %d characters is too wide for a phone: %q", n, l)
				}
			}
			if t.Failed() {
				t.Log(board)
			}
		})
	}
}

func TestBoardBeforeWork(t *testing.T) {
	tests := []struct {
		stage bot.CollabStatus
		want  []string
	}{
		{bot.StatusDraft, []string{"草稿", "- ⏳ 研发部 · 李工 Ben · 待确认", "- ⏳ 财务部 · 赵芳 Fiona · 待确认", "(暂无任务)"}},
		{bot.StatusAwaitingAck, []string{"待确认", "- ✅ 研发部 · 李工 Ben · 已承接", "- ⏳ 财务部 · 赵芳 Fiona · 待确认", "**未解决风险**", "R-1 【中】"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.stage), func(t *testing.T) {
			s := drive(t, "新品推广接口调试", tt.stage)
			board := record.Board(s.c, s.dir, t0, shanghai, bot.Chinese)
			for _, want := range tt.want {
				if !strings.Contains(board, want) {
					t.Errorf("lacks %q:\n%s", want, board)
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	long := "新品推广接口调试与活动页上线联合测试以及订单系统改造和数据看板建设的跨部门协作项目"
	allDone := func(s *story) {
		for _, id := range []bot.TaskID{2, 1, 3, 5} {
			s.do(s.c.SetTaskStatus(s.as("amy"), id, bot.TaskDone, "", day(2)))
		}
	}
	tests := []struct {
		name   string
		topic  string
		stage  bot.CollabStatus
		change func(*story)
		now    time.Time
		lang   bot.Lang
		want   string
	}{
		{"draft", "新品推广接口调试", bot.StatusDraft, nil, t0, bot.Chinese, "COL-1 · 新品推广接口调试 · 草稿"},
		{"waiting for one department", "新品推广接口调试", bot.StatusAwaitingAck, nil, t0, bot.Chinese, "COL-1 · 新品推广接口调试 · 待确认 · 1 个部门待确认"},
		{"active", "新品推广接口调试", bot.StatusActive, nil, day(3), bot.Chinese, "COL-1 · 新品推广接口调试 · 进行中 · 5 项任务,1 🔴,1 🟡"},
		{"active in English", "新品推广接口调试", bot.StatusActive, nil, day(3), bot.English, "COL-1 · 新品推广接口调试 · active · 5 tasks, 1 🔴, 1 🟡"},
		{"nothing overdue yet", "新品推广接口调试", bot.StatusActive, nil, day(1).Add(5 * time.Hour), bot.English, "COL-1 · 新品推广接口调试 · active · 5 tasks, 1 🟡"},
		{"everything done", "新品推广接口调试", bot.StatusActive, allDone, day(30), bot.English, "COL-1 · 新品推广接口调试 · active · 5 tasks ✅"},
		{"a long topic is clipped", long, bot.StatusDraft, nil, t0, bot.Chinese, "COL-1 · " + string([]rune(long)[:39]) + "… · 草稿"},
		{"a topic cannot ping", "<!here> 紧急 @all", bot.StatusDraft, nil, t0, bot.English, "COL-1 · ‹!here› 紧急 ＠all · draft"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := drive(t, tt.topic, tt.stage)
			if tt.change != nil {
				tt.change(s)
			}
			if got := record.Summary(s.c, tt.now, tt.lang); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
