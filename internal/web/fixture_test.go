package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/adapters/console"
	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
	"github.com/collabot/collabot/internal/web"
)

// monday is when the story starts: Monday 2026-11-23 10:00 in Shanghai.
var monday = time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

const secret = "0123456789abcdef0123456789abcdef-test-secret"

// board is the demo organisation on a real SQLite file, its
// collaborations made by people typing in the terminal chat, and the web
// board serving them on a local HTTP server.
type board struct {
	t      testing.TB
	demo   *testkit.Demo
	clock  *console.Clock
	signer *web.Signer
	web    *web.Server
	srv    *httptest.Server
	out    string // what the story printed
}

// story is what the people of the demo organisation do, in the order
// they do it, from Monday 10:00 to Thursday 10:00:
//   - COL-1 (市场部 → 研发部, 财务部; coordinator mike): reviewed,
//     accepted by 研发部 three hours later, 财务部 still to answer; four
//     tasks, one a sub-task; T-1 needs help and then runs late; a kickoff
//     whose minutes amy has not confirmed; a high risk.
//   - COL-2 (研发部 → 运营部): 研发部's own; no one of 市场部 in it.
//   - COL-3 (市场部 → 法务部): cancelled.
const story = `:as amy
"""
发起协作
协作主题: 新品推广接口调试
协作背景与目标: Q4 新品上线,3 个工作日内完成接口调试
需协助部门: 研发部、财务部
具体需求描述: 完成产品接口调试并提供测试报告
交付物: 测试报告
交付标准: 用例全部通过
总协调人: @mike
期望完成时间: 2026-12-04
"""
确认
:as alice
初审 COL-1 通过
:clock +3h
:as ben
"""
确认 COL-1 承接
承接范围: 接口开发与联调
资源需求: 测试账号 2 个
风险提示: 11月底人手紧张
"""
确认
:as mike
"""
任务 新建 COL-1
任务名称: 接口调试
责任部门: 研发部
直接责任人: @ben
协同责任人: @emma
截止时间: 2026-11-25 18:00
交付标准: 用例全部通过
"""
确认
"""
任务 新建 COL-1
任务名称: 退款接口
责任部门: 研发部
直接责任人: @emma
截止时间: 2026-11-27 18:00
交付标准: 退款用例通过
上级任务: T-1
"""
确认
"""
任务 新建 COL-1
任务名称: 预算审批
直接责任人: @frank
截止时间: 2026-12-02
交付标准: 审批单
"""
确认
"""
任务 新建 COL-1
任务名称: 准备测试环境
直接责任人: @amy
截止时间: 2026-12-01
交付标准: 环境可用
"""
确认
"""
会议 安排 COL-1
会议类型: 启动会
会议时间: 2026-11-24 10:00
时长: 1h
参会人: @ben, @amy
议程: 对齐目标、确认分工
"""
确认
:as ben
任务 T-1 求助 缺测试账号
:as amy
"""
风险 上报 COL-1
问题描述: 测试环境不稳定
影响范围: 联调可能延期 2 天
影响程度: 高
责任部门: 研发部
责任人: @ben
期望解决时间: 2026-11-27
"""
确认
:as ben
"""
发起协作
协作主题: 内部性能压测
协作背景与目标: 双十二前完成核心接口压测
需协助部门: 运营部
具体需求描述: 提供压测流量模型
期望完成时间: 2026-12-10
"""
确认
:as amy
"""
发起协作
协作主题: 旧版活动页下线
协作背景与目标: 清理过期页面
需协助部门: 法务部
具体需求描述: 确认下线公告
期望完成时间: 2026-12-08
"""
确认
撤销 COL-3 活动取消
:clock 2026-11-24 14:00
:as mike
"""
会议 M-1 纪要
共识结论: 研发部负责接口联调
待办事项: @ben 补充接口文档 2026-11-27
"""
确认
:as ben
确认 M-1
:clock 2026-11-26 10:00
`

func newBoard(t testing.TB) *board {
	t.Helper()
	clock := console.NewClock(monday)
	demo := testkit.OpenDemo(t, filepath.Join(t.TempDir(), "collabot.db"), clock, "")
	b := &board{t: t, demo: demo, clock: clock}
	out := b.chat(story)
	b.out = out
	for _, bad := range []string{"⚠️", "没看懂", "还不能提交", "草稿", "not understand"} {
		if strings.Contains(out, bad) {
			t.Fatalf("the story did not play as written (%s):\n%s", bad, out)
		}
	}
	signer, err := web.NewSigner(secret, 0)
	if err != nil {
		t.Fatal(err)
	}
	b.signer = signer
	b.srv = httptest.NewUnstartedServer(nil)
	b.srv.Start()
	t.Cleanup(b.srv.Close)
	cal, err := demo.Config.Calendar(testkit.Quiet())
	if err != nil {
		t.Fatal(err)
	}
	// The board reads the story's clock to the minute, so that the
	// seconds a test takes do not move the figures it checks.
	minute := bot.ClockFunc(func() time.Time { return clock.Now().Truncate(time.Minute) })
	b.web, err = web.New(web.Options{Store: demo.Store, Directory: demo.Config.Directory(), Calendar: cal, Clock: minute,
		Log: testkit.Quiet(), Lang: demo.Config.Lang(), Workspace: demo.Workspace(), Signer: signer, BaseURL: b.srv.URL,
		Figures: demo.Store, AckWithin: demo.Config.Timers.Acknowledgement.After.Span})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(web.Prefix, b.web.Handler())
	b.srv.Config.Handler = mux
	demo.Engine.Web = b.web
	return b
}

// chat types script into the terminal chat and returns what it printed.
func (b *board) chat(script string) string {
	b.t.Helper()
	var out bytes.Buffer
	c := &console.Console{Workspace: b.demo.Workspace(), Handler: b.demo.Engine, In: strings.NewReader(script), Out: &out,
		As: "amy", Clock: b.clock, Location: b.demo.Config.Location()}
	if err := c.Run(context.Background()); err != nil {
		b.t.Fatal(err)
	}
	return out.String()
}

// link is the person's board link, as chat would hand it out now.
func (b *board) link(p bot.PersonID) string {
	b.t.Helper()
	u, _, err := b.web.Link(b.demo.Workspace(), p)
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

// token is the fragment of the person's link.
func (b *board) token(p bot.PersonID) string {
	_, tok, _ := strings.Cut(b.link(p), "#")
	return tok
}

// client is a browser without JavaScript: it does what open.js does by
// hand, then keeps the cookie.
func (b *board) client(token string) *http.Client {
	b.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	if token == "" {
		return c
	}
	req, _ := http.NewRequest(http.MethodPost, b.srv.URL+"/web/session", strings.NewReader(token))
	req.Header.Set("X-Collabot-Board", "1")
	resp, err := c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	return c
}

// get fetches a board path and returns the status and body.
func (b *board) get(c *http.Client, path string) (int, string) {
	b.t.Helper()
	resp, err := c.Get(b.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var body bytes.Buffer
	body.ReadFrom(resp.Body)
	return resp.StatusCode, body.String()
}
