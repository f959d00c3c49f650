package web_test

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/web"
)

// screenshots is where the browser tests keep their screenshots; the
// README shows the ones in docs/screenshots, refreshed with
//
//	go test ./internal/web -run Browser -args -screenshots ../../docs/screenshots
var screenshots = flag.String("screenshots", "", "folder for the browser tests' screenshots (default: a temporary one)")

// chromium finds the system Chromium. Without one the browser tests
// skip, unless COLLABOT_REQUIRE_CHROMIUM is set (CI installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("COLLABOT_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("COLLABOT_REQUIRE_CHROMIUM") != "" {
		t.Fatal("COLLABOT_REQUIRE_CHROMIUM is set but no chromium is installed (apt-get install -y chromium)")
	}
	t.Skip("no chromium: install it (apt-get install -y chromium) to run the browser tests")
	return ""
}

// browser is one person's browser: its own profile, so its own cookies.
type browser struct {
	t    *testing.T
	ctx  context.Context
	b    *board
	dir  string // where screenshots go
	down string // where downloads go
	// done gets the suggested file name of each download Chrome has
	// finished writing: the file appears before its last byte does, so a
	// test that reads on sight reads a part of it.
	done chan string
}

func (b *board) browser(t *testing.T, exe string) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900), chromedp.Flag("lang", "zh-CN"),
		chromedp.Flag("accept-lang", "zh-CN"))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTime(); cancel(); cancelAlloc() })
	br := &browser{t: t, ctx: ctx, b: b, dir: *screenshots, down: t.TempDir(), done: make(chan string, 8)}
	if br.dir == "" {
		br.dir = t.TempDir()
	}
	br.do(chromedp.EmulateViewport(1280, 900))
	names := map[string]string{} // download guid → suggested name; only the listener touches it
	if err := chromedp.ListenBrowser(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *cdpbrowser.EventDownloadWillBegin:
			names[ev.GUID] = ev.SuggestedFilename
		case *cdpbrowser.EventDownloadProgress:
			if ev.State == cdpbrowser.DownloadProgressStateCompleted {
				select {
				case br.done <- names[ev.GUID]:
				default:
				}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	events := true
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: br.down, EventsEnabled: &events}); err != nil {
		t.Fatal(err)
	}
	return br
}

// download waits until Chrome has written the whole of the named download
// and returns its content.
func (br *browser) download(name string) string {
	br.t.Helper()
	for {
		select {
		case got := <-br.done:
			if got != name {
				continue
			}
			data, err := os.ReadFile(filepath.Join(br.down, name))
			if err != nil {
				br.t.Fatal(err)
			}
			return string(data)
		case <-br.ctx.Done():
			br.t.Fatalf("the download of %s did not finish: %v", name, br.ctx.Err())
		}
	}
}

func (br *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	br.t.Helper()
	if err := chromedp.Do(br.ctx, steps...); err != nil {
		br.t.Fatal(err)
	}
}

func (br *browser) text(sel string) string {
	br.t.Helper()
	s, err := chromedp.Run(br.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		br.t.Fatalf("%s: %v", sel, err)
	}
	return s
}

func (br *browser) eval(js string) string {
	br.t.Helper()
	s, err := chromedp.Run(br.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		br.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// until waits for a JavaScript condition: after a click that loads a
// page, the old page's elements are still there for a moment.
func (br *browser) until(cond string) {
	br.t.Helper()
	// Evaluated again and again: while the next page loads, the old
	// one's script context goes away under an evaluation, which is an
	// error worth retrying, not a failure.
	deadline := time.Now().Add(30 * time.Second)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		ok, err := chromedp.Run(br.ctx, chromedp.Evaluate[bool](cond+` && document.readyState === "complete"`))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			br.t.Fatalf("waiting for %s: %v", cond, err)
		}
		<-tick.C
	}
}

func (br *browser) location() string {
	br.t.Helper()
	u, err := chromedp.Run(br.ctx, chromedp.Location())
	if err != nil {
		br.t.Fatal(err)
	}
	return u
}

// open goes to a board address and waits for the element that shows it.
func (br *browser) open(url, ready string) {
	br.t.Helper()
	if strings.HasPrefix(url, "/") {
		url = br.b.srv.URL + url
	}
	br.do(chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(ready)))
}

// shot saves the whole page at a width: the viewport grows to the page's
// height first, since a screenshot only holds the viewport.
func (br *browser) shot(name string, width int64, mobile bool) {
	br.t.Helper()
	opts := []chromedp.EmulateViewportOption{}
	if mobile {
		opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	br.do(chromedp.EmulateViewport(width, 800, opts...))
	h, err := chromedp.Run(br.ctx, chromedp.Evaluate[int64]("document.documentElement.scrollHeight"))
	if err != nil {
		br.t.Fatal(err)
	}
	br.do(chromedp.EmulateViewport(width, h, opts...))
	png, err := chromedp.Run(br.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		br.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(br.dir, name+".png"), png, 0o644); err != nil {
		br.t.Fatal(err)
	}
	br.do(chromedp.EmulateViewport(1280, 900))
}

func contains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

// TestBrowserBoard drives the board in headless Chromium as people use
// it: a link from chat, what waits for amy, filters, one collaboration
// with its Gantt chart and timeline, the other language, the CSV; then a
// phone's width; then links that must not work and an address amy must
// not open.
func TestBrowserBoard(t *testing.T) {
	exe := chromium(t)
	b := newBoard(t)
	amy := b.browser(t, exe)

	// The link from chat: the token leaves the address bar at once.
	amy.open(b.link("amy"), "#waiting")
	if loc := amy.location(); loc != b.srv.URL+"/web/" {
		t.Errorf("after the link the address is %q: the token must not stay in it", loc)
	}
	if hist := amy.eval("String(history.length) + location.hash"); strings.Contains(hist, "v1.") {
		t.Errorf("the token is still in the page's address: %s", hist)
	}
	if ck := amy.eval("document.cookie"); strings.Contains(ck, "collabot_board") {
		t.Errorf("a script can read the session cookie: %q", ck)
	}
	contains(t, "waiting", amy.text("#waiting"), "M-1 的会议纪要待你确认", "确认 M-1")
	contains(t, "tasks", amy.text("#tasks"), "🟢", "T-4", "准备测试环境")
	contains(t, "my collaborations", amy.text("#mycollabs"), "COL-1", "COL-3", "🔴 1")
	amy.shot("mine-desktop", 1280, false)

	// Filter the collaborations.
	amy.do(chromedp.Click(chromedp.CSS(`nav a[href="/web/collabs"]`)))
	amy.until(`location.pathname === "/web/collabs"`)
	amy.do(chromedp.SetValue(chromedp.CSS(`select[name=status]`), "open"), chromedp.Click(chromedp.CSS(`input[name=overdue]`)),
		chromedp.Click(chromedp.ID("apply")))
	amy.until(`location.search.includes("overdue=1")`)
	ids := amy.eval(`Array.from(document.querySelectorAll("#results [data-id]")).map(e => e.dataset.id).join(",")`)
	if ids != "COL-1" {
		t.Errorf("open collaborations with overdue tasks: %q, want COL-1", ids)
	}
	if !strings.Contains(amy.location(), "status=open") || !strings.Contains(amy.location(), "overdue=1") {
		t.Errorf("the filter is not in the address: %s", amy.location())
	}
	amy.do(chromedp.Navigate(b.srv.URL+"/web/collabs"), chromedp.WaitVisible(chromedp.ID("filters")),
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "下线\n"))
	amy.until(`location.search.includes("q=")`)
	if ids := amy.eval(`Array.from(document.querySelectorAll("[data-id]")).map(e => e.dataset.id).join(",")`); ids != "COL-3" {
		t.Errorf("search 下线 (archived and cancelled included): %q", ids)
	}
	amy.open("/web/collabs", "#results")
	amy.shot("collaborations-desktop", 1280, false)

	// One collaboration: the record, the Gantt chart, the timeline.
	amy.do(chromedp.Click(chromedp.CSS(`#results a[href="/web/c/COL-1"]`)))
	amy.until(`location.pathname === "/web/c/COL-1"`)
	rows := amy.eval(`String(document.querySelectorAll("#gantt .g-row").length) + "/" + document.querySelectorAll("#gantt .g-sub").length +
		"/" + document.querySelectorAll("#gantt .st-red").length + "/" + document.querySelectorAll("#gantt .g-today").length`)
	if rows != "5/1/1/1" {
		t.Errorf("Gantt rows/sub-tasks/red/today line: %s, want 5/1/1/1", rows)
	}
	// The bars are drawn: the first one has a size on screen.
	if w := amy.eval(`String(Math.round(document.querySelector("#gantt .g-bar").getBoundingClientRect().width))`); w == "0" {
		t.Error("the Gantt bars have no width on screen")
	}
	contains(t, "departments", amy.text("#departments"), "研发部", "已承接", "用时 3.0 小时", "财务部", "已等待")
	contains(t, "timeline", amy.text("#timeline"), "陈斌 Ben 确认承接 研发部", "马克 Mike 记录纪要 M-1")
	contains(t, "meetings", amy.text("#meetings"), "议程已发", "纪要待确认")
	contains(t, "risks", amy.text("#risks"), "R-2", "测试环境不稳定")
	amy.shot("collaboration-desktop", 1280, false)

	// The CSV downloads as a file.
	amy.do(chromedp.Click(chromedp.ID("download-csv")))
	contains(t, "the CSV", amy.download("COL-1.csv"), "新品推广接口调试", "T-1")

	// The other language, kept for the next pages.
	amy.do(chromedp.Click(chromedp.ID("lang-switch")))
	amy.until(`document.documentElement.lang === "en"`)
	contains(t, "in English", amy.text("#departments"), "Acknowledgements", "accepted", "took 3.0 h (business hours)")
	contains(t, "in English", amy.text("#gantt"), "Tasks against due dates")
	amy.open("/web/", "#waiting")
	contains(t, "Mine in English", amy.text("#waiting"), "Waiting for me", "confirm M-1")
	amy.open("/web/c/COL-1", "#gantt")
	amy.shot("collaboration-en-desktop", 1280, false)
	amy.do(chromedp.Click(chromedp.ID("lang-switch")))
	amy.until(`document.documentElement.lang === "zh-CN"`)

	// A phone: nothing wider than the screen but the chart, which scrolls.
	for _, page := range []struct{ path, ready, name string }{
		{"/web/", "#waiting", "mine-phone"},
		{"/web/collabs", "#results", "collaborations-phone"},
		{"/web/c/COL-1", "#gantt", "collaboration-phone"},
	} {
		amy.open(page.path, page.ready)
		amy.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		if w := amy.eval("String(document.documentElement.scrollWidth)"); w != "390" {
			t.Errorf("%s is %spx wide on a 390-px phone", page.path, w)
		}
		amy.shot(page.name, 390, true)
	}

	// amy (市场部) changes the address to 研发部's own COL-2: not found, and
	// nothing of it shows.
	for _, path := range []string{"/web/c/COL-2", "/web/c/COL-2/export/csv"} {
		amy.open(path, "#message")
		contains(t, path, amy.text("#message"), "找不到 COL-2")
		if body := amy.text("body"); strings.Contains(body, "内部性能压测") {
			t.Errorf("%s shows 研发部's collaboration to amy", path)
		}
	}

	// Leadership's department figures, from the tab the others lack.
	if n := amy.eval(`String(document.querySelectorAll('nav a[href="/web/departments"]').length)`); n != "0" {
		t.Error("amy, no head, is offered the department figures")
	}
	lily := b.browser(t, exe)
	lily.open(b.link("lily"), "#waiting")
	lily.do(chromedp.Click(chromedp.CSS(`nav a[href="/web/departments"]`)))
	lily.until(`location.pathname === "/web/departments"`)
	contains(t, "department figures", lily.text("#departments"), "研发部", "按时确认", "100%", "3.0 小时", "财务部", "法务部")
	lily.shot("departments-desktop", 1280, false)
	lily.shot("departments-phone", 390, true)

	// Links that must not work, in a browser that never had a good one.
	stranger := b.browser(t, exe)
	link := b.link("amy")
	i := strings.Index(link, "#v1.") + 8
	altered := link[:i] + string(rune(link[i]^1)) + link[i+1:]
	stranger.open(altered, "#message")
	contains(t, "an altered link", stranger.text("main"), "链接无法使用", "被改动过", "看板 网页")
	if strings.Contains(stranger.location(), "v1.") {
		t.Errorf("the refused token stayed in the address: %s", stranger.location())
	}
	stranger.shot("refused-phone", 390, true)
	old, _ := web.NewSigner(secret, time.Hour)
	expired, _ := old.Sign(b.demo.Workspace(), bot.PersonID("amy"), monday)
	stranger.open(b.srv.URL+"/web/open#"+expired, "#message")
	contains(t, "an expired link", stranger.text("main"), "已过期", "看板 网页")
	stranger.open("/web/", "#message")
	contains(t, "no link at all", stranger.text("main"), "请从聊天中打开")
}
