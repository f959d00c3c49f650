package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// figures reads a department's card: each figure's label and what it shows.
func figures(t *testing.T, body, dept string) map[string]string {
	t.Helper()
	_, card, ok := strings.Cut(body, `data-dept="`+dept+`"`)
	if !ok {
		return nil
	}
	card, _, _ = strings.Cut(card, "</section>")
	out := map[string]string{}
	re := regexp.MustCompile(`(?s)<dt>(.*?)</dt>\s*<dd>(.*?)</dd>`)
	tags := regexp.MustCompile(`<[^>]+>`)
	for _, m := range re.FindAllStringSubmatch(card, -1) {
		out[m[1]] = strings.Join(strings.Fields(tags.ReplaceAllString(m[2], " ")), " ")
	}
	return out
}

// TestDepartments: the figures of the story, counted by queries over the
// real SQLite file: 研发部 answered in 3 business hours, within its
// business day; 财务部 and 运营部 let theirs run out; T-1 of 研发部 fell
// due open and asked for help once; R-2 is an open high risk. Heads see
// their own departments, leadership all, others none.
func TestDepartments(t *testing.T) {
	b := newBoard(t)
	_, body := b.get(b.client(b.token("bob")), "/web/departments")
	rd := figures(t, body, "研发部")
	want := map[string]string{
		"按时确认":          "100% 1/1 上期无数据",
		"确认用时中位数(工作时间)": "3.0 小时 上期无数据",
		"任务按时完成":        "0% 0/1 上期无数据",
		"任务延期率":         "100% 1/1 上期无数据",
		"求助/阻塞次数":       "1 ↑ 上期 0",
		"未解决高风险":        "1",
	}
	for k, v := range want {
		if rd[k] != v {
			t.Errorf("研发部 %s: %q, want %q", k, rd[k], v)
		}
	}
	if figures(t, body, "财务部") != nil || !strings.Contains(body, `href="/web/departments"`) {
		t.Errorf("bob, head of 研发部, sees other departments or no tab:\n%s", body)
	}

	lily := b.client(b.token("lily"))
	_, body = b.get(lily, "/web/departments")
	for _, d := range []string{"市场部", "研发部", "运营部", "财务部", "法务部"} {
		if figures(t, body, d) == nil {
			t.Errorf("leadership does not see %s", d)
		}
	}
	for _, d := range []string{"财务部", "运营部"} {
		if got := figures(t, body, d)["按时确认"]; got != "0% 0/1 上期无数据" {
			t.Errorf("%s acknowledged on time: %q", d, got)
		}
	}
	if got := figures(t, body, "法务部")["按时确认"]; got != "—" {
		t.Errorf("法务部 was never asked (COL-3 was cancelled in review): %q", got)
	}

	st, body := b.get(b.client(b.token("amy")), "/web/departments")
	if st != http.StatusNotFound || !strings.Contains(body, "只对部门负责人和分管领导开放") || strings.Contains(body, `href="/web/departments"`) {
		t.Errorf("amy, no head: %d\n%s", st, body)
	}

	// Forty days on, the story is the previous period of the last 30 days.
	b.chat(":clock +40d\n")
	_, body = b.get(b.client(b.token("lily")), "/web/departments?days=30")
	rd = figures(t, body, "研发部")
	if rd["按时确认"] != "— 上期 100%" || rd["确认用时中位数(工作时间)"] != "— 上期 3.0 小时" || rd["求助/阻塞次数"] != "0 ↓ 上期 1" {
		t.Errorf("研发部 forty days on: %q", rd)
	}
	_, body = b.get(b.client(b.token("lily")), "/web/departments?days=90")
	if got := figures(t, body, "研发部")["任务延期率"]; got != "100% 3/3 上期无数据" {
		t.Errorf("研发部 over 90 days: %q", got)
	}
}
