package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/adapters/dingtalk"
	"github.com/collabot/collabot/adapters/dingtalk/dingtest"
	"github.com/collabot/collabot/adapters/slack"
	"github.com/collabot/collabot/adapters/slack/slackfake"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/engine"
)

var update = flag.Bool("update", false, "rewrite the notice goldens in testdata/notices")

// everyNotice plays collaborations through the chat and the scheduler
// until every kind of notice has gone out, and returns the first of each.
func everyNotice(t *testing.T) (*harness, map[string]bot.Notice) {
	h := newHarness(t)
	// COL-1 goes the whole way; its requester is not its coordinator, so
	// every role hears what it should.
	h.chat(":as amy\n发起协作\n" + strings.Replace(pastedRequest, "期望完成时间", "总协调人: @mike\n期望完成时间", 1) + "确认\n" +
		":as alice\n初审 COL-1 驳回 目标需要可衡量的指标\n" +
		":as amy\n\"\"\"\n修改 COL-1\n协作背景与目标: Q4 新品上线,接口调试通过率 100%\n\"\"\"\n确认\n" +
		":as alice\n初审 COL-1 通过\n" +
		":as ben\n确认 COL-1 需补充信息\n测试环境由谁提供?\n确认\n" +
		":as amy\n补充 COL-1 研发部 市场部提供测试环境\n" +
		":as ben\n\"\"\"\n确认 COL-1 承接\n承接范围: 接口开发与联调\n资源需求: 测试账号 2 个\n风险提示: 11月底人手紧张\n\"\"\"\n确认\n" +
		":as fiona\n\"\"\"\n确认 COL-1 无法承接\n原因: 本季度无预算\n替代方案: 请财务部负责人审批\n\"\"\"\n确认\n" +
		":as amy\n对接人 COL-1 财务部 @frank\n" +
		":as frank\n确认 COL-1 承接\n确认\n" +
		":as ben\n\"\"\"\n确认 COL-1 研发部 详情\n承接范围: 接口开发与联调,不含压测\n\"\"\"\n确认\n" +
		":as mike\n\"\"\"\n任务 新建 COL-1\n任务名称: 接口调试\n任务描述: 覆盖下单、退款\n直接责任人: @ben\n协同责任人: @emma\n截止时间: 2026-11-25 18:00\n交付标准: 用例全部通过\n\"\"\"\n确认\n" +
		"\"\"\"\n任务 新建 COL-1\n任务名称: 预算审批\n直接责任人: @frank\n截止时间: 2026-11-30\n交付标准: 审批单\n\"\"\"\n确认\n" +
		"\"\"\"\n任务 新建 COL-1\n任务名称: 旧方案\n直接责任人: @ben\n截止时间: 2026-11-30\n交付标准: 无\n\"\"\"\n确认\n任务 T-3 取消 方案调整\n" +
		":as ben\n任务 T-1 求助 缺测试账号\n任务 T-1 阻塞 测试环境未就绪\n" +
		":as mike\n任务 T-2 改期 2026-12-02 等报价\n" +
		":as frank\n任务 T-2 申请改期 2026-12-04 报价延迟\n:as mike\n任务 T-2 同意\n" +
		":as frank\n任务 T-2 申请改期 2026-12-09 再等等\n:as mike\n任务 T-2 拒绝 不能再晚\n" +
		"任务 T-2 转交 @fiona\n任务 T-2 交付标准 审批单和预算表\n" +
		"\"\"\"\n会议 安排 COL-1\n会议类型: 启动会\n会议时间: 2026-11-24 10:00\n时长: 1h\n参会人: @ben, @frank\n议程: 对齐目标、确认分工\n\"\"\"\n确认\n" +
		"\"\"\"\n会议 安排 COL-1\n会议类型: 专题会\n会议时间: 2026-11-24 15:00\n时长: 1h\n参会人: @ben\n\"\"\"\n确认\n" +
		"会议 M-2 改期 2026-11-24 16:00\n会议 M-2 加人 @emma\n会议 M-2 加人 @david\n会议 M-2 移除 @david\n" +
		"\"\"\"\n会议 安排 COL-1\n会议类型: 周例会\n会议时间: 2026-11-26 10:00\n时长: 30m\n参会人: @ben\n\"\"\"\n确认\n会议 M-3 取消 时间冲突\n" +
		"\"\"\"\n会议 安排 COL-1\n会议类型: 周例会\n会议时间: 2026-12-02 10:00\n时长: 30m\n参会人: @ben\n\"\"\"\n确认\n会议 M-4 重复 每周三 10:00\n会议 M-4 取消 改为线上同步\n" +
		":as amy\n\"\"\"\n风险 上报 COL-1\n问题描述: 测试环境不稳定\n影响范围: 联调可能延期 2 天\n影响程度: 中\n责任部门: 研发部\n期望解决时间: 2026-11-27\n\"\"\"\n确认\n" +
		":as ben\n风险 R-2 影响程度 高 客户已投诉\n\"\"\"\n风险 R-2 响应\n解决方案: 切换到备用环境\n预计解决时间: 2026-11-25\n\"\"\"\n确认\n风险 R-2 解决 已切换\n" +
		"\"\"\"\n进度 COL-1\n已完成: 下单接口联调\n遇到的问题: 退款接口文档缺失\n\"\"\"\n确认\n" +
		"请假 2026-11-30..2026-12-01\n请假 2026-12-07\n销假 12月7日\n" +
		":as amy\n\"\"\"\n风险 上报 COL-1\n问题描述: 供应商延迟\n影响范围: 上线\n影响程度: 低\n责任部门: 研发部\n\"\"\"\n确认\n")
	// COL-2 waits on its departments, then is edited and cancelled.
	h.chat(":as carol\n\"\"\"\n发起协作\n协作主题: 双十二活动\n协作背景与目标: 活动页按时上线\n需协助部门: 研发部、法务部\n具体需求描述: 页面与合规审查\n期望完成时间: 2026-12-10\n\"\"\"\n确认\n" +
		":as gary\n\"\"\"\n确认 COL-2 无法承接\n原因: 人手不足\n替代方案: 外部律所\n\"\"\"\n确认\n" +
		":as carol\n移除部门 COL-2 法务部\n\"\"\"\n修改 COL-2\n协作主题: 双十二活动页\n\"\"\"\n确认\n" +
		"\"\"\"\n修改 COL-2\n需协助部门: 研发部、财务部\n\"\"\"\n确认\n")
	h.chat(":as amy\n对接人 COL-1 研发部 @david\n:as carol\n总协调人 COL-2 @olivia\n总协调人 COL-2 @chris\n" +
		":as mike\n风险 R-3 影响程度 中 供应商未确认日期\n")
	// The other collaboration types (types_test.go): COL-3 a loan, COL-4
	// a problem, COL-5 and COL-6 alignments.
	h.chat(typedScenario)
	h.chat(":as carol\n补充 COL-5 研发部 在差旅系统里按协议价预订\n") // ben's question on his read receipt

	h.at("2026-11-23 10:30") // agendas due 24 h before, the calendar's end
	h.at("2026-11-23 17:00") // daily progress
	h.at("2026-11-23 18:00") // its summary
	h.at("2026-11-24 12:00") // acknowledgement of COL-2, risk R-3
	h.chat(":as mike\n\"\"\"\n会议 M-1 纪要\n共识结论: 研发部负责接口联调\n待办事项: @ben 补充接口文档 2026-11-27\n风险: 测试账号不足\n\"\"\"\n确认\n\"\"\"\n会议 M-1 更正\n风险: 测试账号不足\n联调环境排期紧\n\"\"\"\n确认\n")
	// T-5 waits for 研发部's head: reminded, escalated, then confirmed.
	h.chat(":as mike\n任务 COL-1 负责人确认 开\n\"\"\"\n任务 新建 COL-1\n任务名称: 压测脚本\n直接责任人: @emma\n截止时间: 2026-12-04\n交付标准: 脚本可复用\n\"\"\"\n确认\n")
	h.at("2026-11-24 17:00")
	h.at("2026-11-25 09:00") // M-2's minutes
	h.at("2026-11-25 14:00") // acknowledgement escalated; minutes escalated; T-5's head reminded
	h.at("2026-11-25 18:00") // T-1 due; minutes confirmation; T-5 escalated
	h.chat(":as bob\n任务 T-5 确认\n:as mike\n任务 T-5 取消 合并到 T-1\n")
	h.at("2026-11-26 18:00") // T-1 overdue, escalated
	// An issue's resolution moves a task.
	h.chat(":as mike\n风险 R-3 解决 改用备选供应商 顺延 T-2 至 2026-12-09\n")
	// A resolved issue turns out not fixed: reopened (leadership told
	// again, as it is high), handed to another owner, corrected, lowered
	// (leadership told it no longer stands), and resolved again.
	out := h.chat(":as amy\n\"\"\"\n风险 上报 COL-1\n问题描述: 云环境配额不足\n影响范围: 压测\n影响程度: 高\n责任部门: 研发部\n责任人: @ben\n\"\"\"\n确认\n")
	m := regexp.MustCompile(`已登记 (R-\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the scenario's new risk was not registered:\n%s", out)
	}
	r := m[1]
	h.chat(strings.ReplaceAll(":as ben\n风险 R 解决 已扩容\n:as mike\n风险 R 重新打开 扩容未生效\n风险 R 责任人 @david\n风险 R 期望解决时间 2026-11-30 等云厂商\n"+
		"风险 R 影响程度 中 已有替代方案\n:as david\n风险 R 解决 配额已生效\n", "风险 R ", "风险 "+r+" "))
	h.chat(":as david\n任务 T-1 完成\n任务 T-4 完成\n:as ben\n任务 T-4 完成\n:as fiona\n任务 T-2 完成\n:as mike\n" +
		"\"\"\"\n提交成果 COL-1\n成果交付清单:\n接口测试报告, v1.0, 1, https://docs.example.com/report, 说明: 覆盖下单与退款, T-1\n" +
		"性能测试报告, v0.9, 1, https://docs.example.com/perf\n成果自检: 已按交付标准自检\n\"\"\"\n附件 https://files.example.com/联调截图.png\n确认\n")
	h.at("2026-11-30 10:00") // weekly board
	h.at("2026-12-01 18:00") // acceptance due
	h.at("2026-12-03 09:00") // acceptance escalated
	h.chat(":as amy\n\"\"\"\n验收 COL-1 不通过\n验收意见: 缺性能测试\n整改项: 2 补充压测数据\n整改期限: 2026-12-04\n\"\"\"\n确认\n")
	h.at("2026-12-03 17:00") // the loan's return reminder, due a working day before its end
	h.at("2026-12-04 18:00") // rework due
	h.at("2026-12-07 18:00") // rework escalated
	h.chat(":as mike\n\"\"\"\n提交成果 COL-1\n成果交付清单: 性能测试报告, v1.1, 1, https://docs.example.com/perf\n成果自检: 已补\n\"\"\"\n确认\n" +
		":as amy\n验收 COL-1 通过 符合标准\n")
	h.at("2026-12-11 10:00") // retrospective due (3 business days after the pass, 12-10 18:00)
	h.chat(":as mike\n\"\"\"\n复盘 COL-1\n协作亮点: 响应及时\n待改进点: 提前准备测试环境\n后续措施: 建立环境清单\n\"\"\"\n确认\n" +
		// A rewrite of the retrospective tells the group what it revised.
		"\"\"\"\n复盘 COL-1\n后续措施: 建立环境清单\n每月复查一次\n\"\"\"\n确认\n归档 COL-1\n归档 COL-1 确认\n" +
		":as carol\n撤销 COL-2 活动取消\n归还 COL-3 已归还\n")
	// COL-7 runs the goal consensus and plan approval (seed 003): a
	// signature, a refusal asked again, a plan returned then approved,
	// and every reminder and escalation of both.
	h.chat(":as amy\n\"\"\"\n发起协作\n协作主题: 年终盘点\n协作背景与目标: 12月底前完成库存盘点\n需协助部门: 研发部、财务部\n" +
		"具体需求描述: 盘点系统支持与预算核对\n涉及场景/系统: 仓储系统\n期望完成时间: 2026-12-31\n\"\"\"\n确认\n:as alice\n初审 COL-7 通过\n" +
		":as amy\n共识函 COL-7 开\n方案 COL-7 开\n:as ben\n\"\"\"\n确认 COL-7 承接\n承接范围: 盘点系统导出\n\"\"\"\n确认\n:as fiona\n确认 COL-7 承接\n确认\n" +
		":as bob\n共识函 COL-7 签署 需12月20日前确认数据口径\n:as frank\n共识函 COL-7 拒签 预算未定\n:as amy\n共识函 COL-7 重新发起\n" +
		":as ben\n方案 COL-7 提交\n分批导出库存数据\n导出失败时人工核对\n数据差异率低于 0.1%\n确认\n")
	h.at("2026-12-14 15:00") // signature and plan decision reminded and escalated
	h.at("2026-12-16 11:00") // 财务部's plan reminded and escalated
	h.chat(":as lily\n方案 COL-7 退回 研发部 请补充回滚预案\n:as ben\n方案 COL-7 提交\n分批导出库存数据,失败时回滚重导\n确认\n:as henry\n方案 COL-7 批准 研发部\n" +
		":as frank\n共识函 COL-7 签署\n")
	// The coordinator names an approver: leadership hear they no longer decide.
	h.chat(":as amy\n方案 COL-7 审批人 @carol\n")
	// COL-8 waits for alice's first review, COL-9 for amy's answer to
	// 研发部's question: both reminded, then escalated.
	h.chat(":as amy\n\"\"\"\n发起协作\n协作主题: 春节物料\n协作背景与目标: 1月10日前备齐物料\n需协助部门: 研发部\n具体需求描述: 物料清单系统\n期望完成时间: 2027-01-29\n\"\"\"\n确认\n" +
		"\"\"\"\n发起协作\n协作主题: 年会直播\n协作背景与目标: 年会直播零事故\n需协助部门: 研发部\n具体需求描述: 直播技术支持\n期望完成时间: 2027-01-29\n\"\"\"\n确认\n" +
		":as alice\n初审 COL-9 通过\n:as ben\n确认 COL-9 需补充信息\n直播平台用哪家?\n确认\n")
	h.at("2026-12-17 12:00") // COL-8's review and COL-9's question reminded
	h.at("2026-12-18 12:00") // and escalated
	// COL-10 switches both steps off while they wait: whoever they asked
	// hears they need not act, and the group hears who switched them off.
	h.chat(":as amy\n\"\"\"\n发起协作\n协作主题: 展会物料\n协作背景与目标: 展会前备齐物料\n需协助部门: 研发部、财务部\n" +
		"具体需求描述: 物料系统与预算\n期望完成时间: 2027-01-29\n\"\"\"\n确认\n:as alice\n初审 COL-10 通过\n" +
		":as amy\n共识函 COL-10 开\n方案 COL-10 开\n:as ben\n确认 COL-10 承接\n确认\n:as fiona\n确认 COL-10 承接\n确认\n" +
		":as ben\n方案 COL-10 提交\n先联调\n跳过\n跳过\n确认\n:as amy\n方案 COL-10 关\n共识函 COL-10 关\n")
	// COL-11, a problem 研发部 took on and did not solve by its date:
	// its contact reminded, the requester's head told a business day on.
	h.chat(":as carol\n\"\"\"\n新建 问题协同\n协作主题: 退款延迟\n问题描述: 退款到账慢\n需协助部门: 研发部\n期望解决时间: 2026-12-21\n\"\"\"\n确认\n" +
		":as ben\n确认 COL-11 承接\n确认\n")
	h.at("2026-12-23 10:00")

	first := map[string]bot.Notice{}
	for _, n := range h.sent {
		if _, ok := first[n.Kind]; !ok {
			first[n.Kind] = n
		}
	}
	return h, first
}

// TestEveryNoticeHasWords: every kind of notice the rules and the
// scheduler send has words in both languages, and every kind with words is
// still sent by something.
func TestEveryNoticeHasWords(t *testing.T) {
	_, first := everyNotice(t)
	for kind := range first {
		if !slices.Contains(engine.NoticeKinds(), kind) {
			t.Errorf("notice %q is sent but has no words", kind)
		}
	}
	for _, kind := range engine.NoticeKinds() {
		if _, ok := first[kind]; !ok {
			t.Errorf("notice %q has words but the scenario never sent it", kind)
		}
	}
}

// encodings are what must never reach a person: values joined with "|",
// Go durations, RFC 3339 instants, the process's own identifiers.
var encodings = regexp.MustCompile(`\||\d+m0s|\dh\d+m|\d{4}-\d\d-\d\dT\d\d:|` +
	`\b(?:ack_reminder|task_due|task_overdue|risk_response|daily_progress|needs_help|in_progress|awaiting_ack|` +
	`in_review|needs_info|acceptance_requested|ack_requested|minutes_to_confirm)\b`)

// TestNoticeGoldens renders the first notice of every kind in both
// languages for the terminal, Slack (Block Kit JSON, through the real
// adapter to the local Slack) and DingTalk (markdown or action card,
// through the real adapter to the local DingTalk), and compares each with
// testdata/notices/<renderer>.<lang>.golden. Run with -update to rewrite
// them after a deliberate change, and read the diff.
func TestNoticeGoldens(t *testing.T) {
	h, first := everyNotice(t)
	ctx := context.Background()
	kinds := slices.Sorted(func(yield func(string) bool) {
		for k := range first {
			if !yield(k) {
				return
			}
		}
	})
	titles := map[bot.Lang][]string{}
	rendered := map[bot.Lang]map[string]bot.Notification{bot.Chinese: {}, bot.English: {}}
	for _, lang := range []bot.Lang{bot.Chinese, bot.English} {
		for _, kind := range kinds {
			n, err := h.eng.NotificationIn(ctx, h.ws, first[kind], lang)
			if err != nil {
				t.Fatal(err)
			}
			rendered[lang][kind] = n
			title := n.Reply.Title
			if _, after, ok := strings.Cut(title, " · "); ok {
				title = after
			}
			titles[lang] = append(titles[lang], strings.TrimSpace(strings.TrimLeft(title, "⏰🔺🔴📋📝📊🚨📅 ")))
		}
	}
	for _, lang := range []bot.Lang{bot.Chinese, bot.English} {
		other := map[bot.Lang]bot.Lang{bot.Chinese: bot.English, bot.English: bot.Chinese}[lang]
		for _, kind := range kinds {
			r := rendered[lang][kind].Reply
			text := r.Title + "\n" + r.Body
			for _, f := range r.Fields {
				text += "\n" + f.Label + ": " + f.Value
			}
			if m := encodings.FindString(text); m != "" {
				t.Errorf("%s %s shows an internal encoding %q:\n%s", kind, lang, m, text)
			}
			for _, w := range titles[other] {
				if len([]rune(w)) > 3 && strings.Contains(r.Body, w) {
					t.Errorf("%s in %s quotes %q, a title of the other language:\n%s", kind, lang, w, r.Body)
				}
			}
		}
	}

	renderers := map[string]func(t *testing.T, n bot.Notification) string{
		"terminal": terminal,
		"slack":    slackRender(t),
		"dingtalk": dingtalkRender(t),
	}
	for name, render := range renderers {
		for _, lang := range []bot.Lang{bot.Chinese, bot.English} {
			var b strings.Builder
			for _, kind := range kinds {
				fmt.Fprintf(&b, "=== %s\n%s\n", kind, strings.TrimRight(render(t, rendered[lang][kind]), "\n"))
			}
			golden(t, filepath.Join("testdata", "notices", name+"."+string(lang)+".golden"), b.String())
		}
	}
}

// nobody answers messages: the goldens only send.
type nobody struct{}

func (nobody) Handle(context.Context, bot.Message) ([]bot.Reply, error) { return nil, nil }

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestNoticeGoldens ./internal/engine -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs; run with -update and read the diff. Got:\n%s", path, got)
	}
}

func terminal(t *testing.T, n bot.Notification) string {
	var out bytes.Buffer
	c := &console.Console{Out: &out}
	if err := c.Send(context.Background(), n); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// slackRender sends through the real adapter to the local Slack and
// returns the blocks it posted, as JSON.
func slackRender(t *testing.T) func(t *testing.T, n bot.Notification) string {
	f := slackfake.New(t)
	a, err := slack.New(slack.Options{BotToken: slackfake.BotToken, SigningSecret: "s", APIURL: f.URL(), Workspace: "demo",
		Handler: nobody{}, Log: quiet(), Clock: bot.ClockFunc(func() time.Time { return monday })})
	if err != nil {
		t.Fatal(err)
	}
	return func(t *testing.T, n bot.Notification) string {
		n.Accounts, n.Group = []bot.Identity{{Platform: bot.Slack, ID: "U0AMY"}}, "slack:C0GROUP"
		before := len(f.Posts())
		if err := a.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		posts := f.Posts()
		if len(posts) != before+1 {
			t.Fatalf("%s: %d posts", n.Kind, len(posts)-before)
		}
		raw, err := json.MarshalIndent(posts[len(posts)-1].Blocks, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}
}

// dingtalkRender sends through the real adapter to the local DingTalk and
// returns what arrived: the message kind, its title, text and buttons.
func dingtalkRender(t *testing.T) func(t *testing.T, n bot.Notification) string {
	f := dingtest.New(t, func() time.Time { return monday })
	a, err := dingtalk.New(dingtalk.Options{ClientID: f.ClientID, ClientSecret: f.ClientSecret, RobotCode: f.RobotCode,
		APIURL: f.URL, Workspace: "demo", Handler: nobody{}, Log: quiet(), Clock: bot.ClockFunc(func() time.Time { return monday })})
	if err != nil {
		t.Fatal(err)
	}
	return func(t *testing.T, n bot.Notification) string {
		n.Accounts, n.Group = []bot.Identity{{Platform: bot.DingTalk, ID: "staff1002"}}, "dingtalk:cid-group"
		before := len(f.Sent())
		if err := a.Send(context.Background(), n); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, m := range f.Sent()[before:] {
			fmt.Fprintf(&b, "[%s] %s\n%s\n", m.MsgKey, m.Title, m.Text)
			for _, btn := range m.Buttons {
				fmt.Fprintf(&b, "  [%s] %s\n", btn.Title, btn.URL)
			}
		}
		return b.String()
	}
}
