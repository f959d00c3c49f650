package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/internal/testkit"
	"github.com/collabot/collabot/internal/web"
)

func TestLinkOpensThePersonsBoard(t *testing.T) {
	b := newBoard(t)
	link := b.link("amy")
	if !strings.HasPrefix(link, b.srv.URL+"/web/open#v1.") {
		t.Fatalf("link %q: the token belongs in the fragment", link)
	}
	c := b.client(b.token("amy"))
	st, body := b.get(c, "/web/")
	if st != http.StatusOK {
		t.Fatalf("/web/: %d\n%s", st, body)
	}
	mustHave(t, body, "王芳 Amy", "M-1 的会议纪要待你确认", "确认 M-1", "T-4", "准备测试环境", "🟢", "COL-1", "COL-3")
	mustLack(t, body, "COL-2", "内部性能压测")
	// The coordinator sees the late task and the department still to answer.
	st, body = b.get(b.client(b.token("fiona")), "/web/")
	if st != http.StatusOK {
		t.Fatal(st)
	}
	mustHave(t, body, "待财务部对接确认", "确认 COL-1 承接")
}

// TestWhoSeesWhat: the rules of who may read a collaboration, checked by
// opening it by URL as each person.
func TestWhoSeesWhat(t *testing.T) {
	b := newBoard(t)
	tests := []struct {
		person  bot.PersonID
		collab  string
		visible bool
		why     string
	}{
		{"amy", "COL-1", true, "requester"},
		{"amy", "COL-2", false, "市场部, no role in 研发部's own"},
		{"mike", "COL-2", false, "市场部 member, coordinator elsewhere"},
		{"alice", "COL-2", false, "head of 市场部, not of 研发部 or 运营部"},
		{"alice", "COL-1", true, "head of the requesting department"},
		{"ben", "COL-2", true, "requester"},
		{"bob", "COL-2", true, "head of 研发部"},
		{"carol", "COL-2", true, "head of the assisting 运营部"},
		{"chris", "COL-2", true, "contact of 运营部"},
		{"olivia", "COL-2", false, "运营部 member without a role"},
		{"david", "COL-1", false, "研发部 member without a role"},
		{"emma", "COL-1", true, "owner of a sub-task"},
		{"frank", "COL-1", true, "head of 财务部, owner of T-3"},
		{"gary", "COL-3", true, "contact of 法务部 on a cancelled one"},
		{"gary", "COL-1", false, "法务部 is not in it"},
		{"lily", "COL-2", true, "leadership"},
		{"henry", "COL-3", true, "leadership"},
		{"stranger", "COL-1", false, "nobody the directory knows"},
	}
	for _, tt := range tests {
		t.Run(string(tt.person)+" "+tt.collab, func(t *testing.T) {
			c := b.client(b.token(tt.person))
			st, body := b.get(c, "/web/c/"+tt.collab)
			want := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[tt.visible]
			if st != want {
				t.Fatalf("%s (%s): %d, want %d", tt.collab, tt.why, st, want)
			}
			_, list := b.get(c, "/web/collabs")
			inList := strings.Contains(list, `data-id="`+tt.collab+`"`)
			if inList != tt.visible {
				t.Errorf("in the list: %v, want %v", inList, tt.visible)
			}
			st, _ = b.get(c, "/web/c/"+tt.collab+"/export/csv")
			if st != want {
				t.Errorf("CSV export: %d, want %d", st, want)
			}
			if !tt.visible {
				// Hidden reads exactly as missing: nothing to enumerate.
				_, missing := b.get(c, "/web/c/COL-99")
				if strings.ReplaceAll(body, tt.collab, "COL-99") != missing {
					t.Errorf("a hidden collaboration reads differently from a missing one")
				}
				mustLack(t, body, "内部性能压测", "新品推广接口调试", "旧版活动页下线")
			}
		})
	}
}

func TestRefusedLinks(t *testing.T) {
	b := newBoard(t)
	tok := b.token("amy")
	session := func(body string, header bool) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, b.srv.URL+"/web/session", strings.NewReader(body))
		if header {
			req.Header.Set("X-Collabot-Board", "1")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		if len(resp.Cookies()) > 0 && resp.Cookies()[0].MaxAge >= 0 && !strings.Contains(string(out), `"/web/"`) {
			t.Errorf("a refused token got a cookie")
		}
		return resp.StatusCode, string(out)
	}
	altered := []byte(tok)
	altered[10] ^= 1
	foreign, _ := b.signer.Sign("another-workspace", "amy", b.clock.Now())
	expiredSigner, _ := web.NewSigner(secret, time.Hour)
	expired, _ := expiredSigner.Sign("demo", "david", monday) // david reads English
	tests := []struct {
		name, token, want string
	}{
		{"good", tok, `"/web/"`},
		{"altered", string(altered), "why=invalid"},
		{"expired, in the person's language", expired, "lang=en&why=expired"}, // expired on the Monday, now Thursday
		{"another workspace", foreign, "why=workspace"},
		{"huge", strings.Repeat("a", 1<<20), "why=invalid"},
		{"empty", "", "why=invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, body := session(tt.token, true)
			if st != http.StatusOK || !strings.Contains(body, tt.want) {
				t.Errorf("%d %s, want %s", st, body, tt.want)
			}
		})
	}
	if st, _ := session(tok, false); st != http.StatusForbidden {
		t.Errorf("an exchange without the header (a cross-site form): %d", st)
	}
	// The pages the refusals lead to say what happened and what to do.
	for why, wants := range map[string][]string{
		"why=invalid":             {"链接无法使用", "被改动过", "看板 网页"},
		"why=expired&lang=en":     {"This board link has expired.", "board web"},
		"why=workspace":           {"另一个工作区"},
		"why=none":                {"请从聊天中打开"},
		"why=%3Cscript%3E":        {"链接无效"},
		"why=expired&lang=zh-CN":  {"已过期", "看板 网页"},
		"why=expired&lang=klingo": {"已过期"},
	} {
		st, body := b.get(http.DefaultClient, "/web/refused?"+why)
		if st != http.StatusUnauthorized {
			t.Errorf("%s: %d", why, st)
		}
		mustHave(t, body, wants...)
		mustLack(t, body, "<script>")
	}
	// An altered cookie is refused like an altered link, and removed.
	jar := b.client("")
	u, _ := url.Parse(b.srv.URL + "/web/")
	jar.Jar.SetCookies(u, []*http.Cookie{{Name: "collabot_board", Value: string(altered), Path: "/web/"}})
	st, body := b.get(jar, "/web/c/COL-1")
	if st != http.StatusUnauthorized || !strings.Contains(body, "被改动过") {
		t.Errorf("altered cookie: %d\n%s", st, body)
	}
	if cs := jar.Jar.Cookies(u); len(cs) != 0 {
		t.Errorf("the altered cookie was kept: %v", cs)
	}
	// A good link turns bad when it expires, and says so.
	c := b.client(tok)
	b.chat(":clock +7d\n")
	st, body = b.get(c, "/web/")
	if st != http.StatusUnauthorized || !strings.Contains(body, "已过期") {
		t.Errorf("after a week: %d\n%s", st, body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	b := newBoard(t)
	c := b.client(b.token("lily"))
	inline := regexp.MustCompile(`<script>|<script [^>]*>[^<]|\sstyle=|\son[a-z]+=|<style`)
	for _, path := range []string{"/web/", "/web/collabs", "/web/c/COL-1", "/web/open", "/web/refused?why=none",
		"/web/c/COL-99", "/web/nowhere", "/web/departments", "/web/assets/board.css", "/web/assets/open.js", "/web/c/COL-1/export/csv"} {
		resp, err := c.Get(b.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self'") ||
			strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		for k, v := range map[string]string{"Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), v)
			}
		}
		if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			if m := inline.Find(body); m != nil {
				t.Errorf("%s: inline script or style %q", path, m)
			}
			if h.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: Cache-Control %q", path, h.Get("Cache-Control"))
			}
		}
	}
	// The cookie is out of reach of scripts and of other sites' forms.
	req, _ := http.NewRequest(http.MethodPost, b.srv.URL+"/web/session", strings.NewReader(b.token("amy")))
	req.Header.Set("X-Collabot-Board", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ck := resp.Cookies()
	if len(ck) != 1 || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteLaxMode || ck[0].Path != "/web/" || ck[0].MaxAge <= 0 {
		t.Errorf("session cookie %+v", ck)
	}
}

// TestTokenNeverLogged follows a link, pages and refusals with the log
// captured: no token, whole or in part, is written.
func TestTokenNeverLogged(t *testing.T) {
	b := newBoard(t)
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cal, _ := b.demo.Config.Calendar(testkit.Quiet())
	s, err := web.New(web.Options{Store: b.demo.Store, Directory: b.demo.Config.Directory(), Calendar: cal, Clock: b.clock,
		Log: log, Workspace: b.demo.Workspace(), Signer: b.signer, BaseURL: b.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	b.srv.Config.Handler = s.Handler()
	tok := b.token("amy")
	c := b.client(tok)
	for _, p := range []string{"/web/", "/web/c/COL-1", "/web/c/COL-1/export/json", "/web/c/COL-2", "/web/collabs?q=" + tok} {
		b.get(c, p)
	}
	bad := []byte(tok)
	bad[12] ^= 1
	b.client(string(bad))
	if !strings.Contains(logs.String(), "board opened") {
		t.Fatalf("nothing was logged; the test would prove nothing:\n%s", logs.String())
	}
	sig := tok[strings.LastIndex(tok, ".")+1:]
	if strings.Contains(logs.String(), sig[:12]) || strings.Contains(logs.String(), string(bad[3:20])) {
		t.Errorf("a token reached the log:\n%s", logs.String())
	}
}

func TestBadInputGetsACleanPage(t *testing.T) {
	b := newBoard(t)
	c := b.client(b.token("amy"))
	tests := []struct {
		path   string
		status int
		want   string
	}{
		{"/web/c/COL-99999999999999999999999", http.StatusNotFound, "找不到"},
		{"/web/c/%3Cscript%3Ealert(1)%3C%2Fscript%3E", http.StatusNotFound, "&lt;script&gt;"},
		{"/web/c/%FF%FE", http.StatusNotFound, "找不到"},
		{"/web/c/COL-0", http.StatusNotFound, "找不到"},
		{"/web/c/T-1", http.StatusNotFound, "找不到"},
		{"/web/c/COL-1/export/exe", http.StatusNotFound, "找不到"},
		{"/web/c/COL-1/export/../../etc/passwd", http.StatusNotFound, ""},
		{"/web/collabs?q=" + strings.Repeat("长", 3000), http.StatusRequestURITooLong, "太长"},
		{"/web/collabs?q=" + strings.Repeat("x", 300), http.StatusOK, "过长"},
		{"/web/collabs?q=%FF%FE&status=%00&dept=" + strings.Repeat("部", 50) + "&person=%3Cb%3E&overdue=yes", http.StatusOK, "没有符合条件"},
		{"/web/collabs?status=cancelled&status=active", http.StatusOK, "COL-3"},
		{"/web/nowhere", http.StatusNotFound, "没有这个页面"},
		{"/web/assets/../../go.mod", http.StatusNotFound, ""},
	}
	for _, tt := range tests {
		st, body := b.get(c, tt.path)
		if st != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("%.60s: %d, want %d with %q\n%.400s", tt.path, st, tt.status, tt.want, body)
		}
		mustLack(t, body, "<script>alert", "goroutine", "panic")
	}
	// A header a proxy would refuse stays an HTTP error, not a crash.
	req, _ := http.NewRequest(http.MethodGet, b.srv.URL+"/web/", nil)
	req.Header.Set("Cookie", "collabot_board="+strings.Repeat("v1.", 20000))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a huge cookie: %d", resp.StatusCode)
	}
}

func TestFilters(t *testing.T) {
	b := newBoard(t)
	c := b.client(b.token("lily")) // leadership: all three
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"COL-1", "COL-2", "COL-3"}},
		{"status=cancelled", []string{"COL-3"}},
		{"status=open", []string{"COL-1", "COL-2"}},
		{"status=awaiting_ack&dept=运营部", []string{"COL-2"}},
		{"dept=财务部", []string{"COL-1"}},
		{"person=emma", []string{"COL-1"}},
		{"person=chris", []string{"COL-2"}},
		{"overdue=1", []string{"COL-1"}},
		{"help=1", []string{"COL-1"}}, // T-1 needs help; being overdue as well does not hide that
		{"q=压测", []string{"COL-2"}},
		{"q=col-3", []string{"COL-3"}},
		{"q=2", []string{"COL-2"}},
		{"q=nothing-like-it", nil},
	}
	for _, tt := range tests {
		_, body := b.get(c, "/web/collabs?"+tt.query)
		got := regexp.MustCompile(`data-id="(COL-\d+)"`).FindAllStringSubmatch(body, -1)
		var ids []string
		for _, m := range got {
			ids = append(ids, m[1])
		}
		if strings.Join(ids, ",") != strings.Join(reverse(tt.want), ",") {
			t.Errorf("?%s: %v, want %v", tt.query, ids, reverse(tt.want))
		}
	}
}

func reverse(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[len(s)-1-i] = v
	}
	return out
}

func TestOneCollaboration(t *testing.T) {
	b := newBoard(t)
	c := b.client(b.token("alice"))
	st, body := b.get(c, "/web/c/COL-1")
	if st != http.StatusOK {
		t.Fatal(st)
	}
	mustHave(t, body,
		"跨部门沟通记录表", "Q4 新品上线", "用例全部通过", // the sheet
		"研发部", "已承接", "用时 3.0 小时(工作时间)", "财务部", "已等待 27.0 小时(工作时间)", // acknowledgements and latency
		`<svg role="img"`, `class="g-row st-red"`, `g-row st-green g-sub`, "g-today", "g-late", // the Gantt, two levels
		"R-2", "测试环境不稳定", "sev-high", // risks
		"M-1", "启动会", "议程已发", "纪要待确认(1 人未确认)", // meetings
		"陈斌 Ben 确认承接 研发部", "马克 Mike 记录纪要 M-1", // the timeline
		"/web/c/COL-1/export/csv", "/web/c/COL-1/export/md", "/web/c/COL-1/export/json")
	// The downloads are the chat's exports.
	for format, want := range map[string]string{"csv": "text/csv", "md": "text/markdown", "json": "application/json"} {
		resp, err := c.Get(b.srv.URL + "/web/c/COL-1/export/" + format)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), want) ||
			resp.Header.Get("Content-Disposition") != `attachment; filename="COL-1.`+format+`"` || !bytes.Contains(data, []byte("新品推广接口调试")) {
			t.Errorf("%s: %s %s\n%.200s", format, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"), data)
		}
	}
}

func TestLanguage(t *testing.T) {
	b := newBoard(t)
	// david reads English; amy Chinese, until she switches.
	_, body := b.get(b.client(b.token("lily")), "/web/c/COL-2")
	mustHave(t, body, `lang="zh-CN"`, "对接确认")
	_, body = b.get(b.client(b.token("henry")), "/web/c/COL-1")
	mustHave(t, body, `lang="en"`, "Acknowledgements", "Tasks against due dates", "took 3.0 h (business hours)", "中文")
	c := b.client(b.token("amy"))
	_, body = b.get(c, "/web/?lang=en")
	mustHave(t, body, "What waits for me", "the minutes of M-1 wait for your confirmation", "<code>confirm M-1</code>", `href="/web/?lang=zh-CN"`)
	_, body = b.get(c, "/web/collabs")
	mustHave(t, body, "Collaborations", "Overdue tasks")
	_, body = b.get(c, "/web/collabs?lang=zh-CN")
	mustHave(t, body, "全部协作")
}

func TestBoardOff(t *testing.T) {
	srv := httptest.NewServer(web.Disabled(bot.Chinese))
	defer srv.Close()
	for _, p := range []string{"/web/", "/web/open", "/web/c/COL-1"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "COLLABOT_WEB_SECRET") ||
			resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: %d\n%s", p, resp.StatusCode, body)
		}
	}
}

func mustHave(t *testing.T, body string, wants ...string) {
	t.Helper()
	missing := false
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
			missing = true
		}
	}
	if missing {
		t.Logf("page:\n%s", body)
	}
}

func mustLack(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("page shows %q", w)
		}
	}
}

// TestLongTimelineIsCut: a collaboration that ran for months shows its
// latest entries and says how many earlier ones there are, with a link
// to the whole timeline, which shows them all.
func TestLongTimelineIsCut(t *testing.T) {
	b := newBoard(t)
	at := monday.Add(30 * 24 * time.Hour)
	var extra []bot.TimelineEntry
	for i := range 260 {
		extra = append(extra, bot.TimelineEntry{Collab: 1, At: at.Add(time.Duration(i) * time.Minute), Actor: "ben",
			Action: "progress_posted", Subject: fmt.Sprintf("day-%03d", i)})
	}
	err := b.demo.Store.Apply(context.Background(), b.demo.Workspace(), "", func(tx bot.Tx) error { return tx.Record(context.Background(), extra...) })
	if err != nil {
		t.Fatal(err)
	}
	c := b.client(b.token("alice"))
	entries := regexp.MustCompile(`<li( class="reminders")?><time>`)
	_, body := b.get(c, "/web/c/COL-1")
	earlier := regexp.MustCompile(`另有 (\d+) 条较早的记录未显示`).FindStringSubmatch(body)
	if n := len(entries.FindAllString(body, -1)); n != 200 || earlier == nil {
		t.Fatalf("%d entries shown, note %v", n, earlier)
	}
	mustHave(t, body, "day-259", `href="?timeline=all#timeline"`)
	mustLack(t, body, "day-000")
	_, all := b.get(c, "/web/c/COL-1?timeline=all")
	shown, _ := strconv.Atoi(earlier[1])
	if n := len(entries.FindAllString(all, -1)); n != 200+shown {
		t.Fatalf("the whole timeline shows %d, want %d", n, 200+shown)
	}
	mustHave(t, all, "day-000", "day-259")
	mustLack(t, all, "较早的记录未显示")
}
