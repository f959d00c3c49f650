package web_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/collabot/collabot/bot"
)

// TestLongListsArePaged: 120 collaborations of 20 tasks each (运营部 →
// 研发部, 财务部; ben, david, emma and bob own the tasks in turn) show
// 50 at a time, newest first, with a link to the next 50; Mine shows
// ben's 50 most urgent tasks, reds first, and his newest 50
// collaborations with a link to all; someone of 市场部 sees none of them.
func TestLongListsArePaged(t *testing.T) {
	h := benchBoard(t, 0, 120, 20)
	get := func(as, path string) string {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(h.cookie(t, bot.PersonID(as)))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("%s as %s: %d", path, as, w.Code)
		}
		return w.Body.String()
	}
	ids := func(body string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`data-id="COL-(\d+)"`).FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		return out
	}
	more := regexp.MustCompile(`id="more" href="|href="([^"]*)" id="more"`)
	for _, as := range []string{"lily", "frank"} { // leadership; 财务部's head
		path, pages := "/web/collabs?status=open", [][2]string{{"120", "71"}, {"70", "21"}, {"20", "1"}}
		for i, want := range pages {
			body := get(as, path)
			got := ids(body)
			if len(got) == 0 || got[0] != want[0] || got[len(got)-1] != want[1] {
				t.Fatalf("%s, page %d: %v, want %s…%s", as, i+1, got, want[0], want[1])
			}
			m := more.FindStringSubmatch(body)
			if i == len(pages)-1 {
				if m != nil {
					t.Fatalf("%s: a link after the last page: %s", as, m[0])
				}
				break
			}
			if m == nil || !strings.Contains(m[1], "status=open") {
				t.Fatalf("%s, page %d: no link to the next keeping the filter: %v", as, i+1, m)
			}
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if got := ids(get("amy", "/web/collabs")); len(got) != 0 {
		t.Fatalf("市场部's amy sees %v", got)
	}
	mine := get("ben", "/web/")
	tasks := regexp.MustCompile(`<li class="task (st-[a-z]+)">`).FindAllStringSubmatch(mine, -1)
	if len(tasks) != 50 || tasks[0][1] != "st-red" {
		t.Fatalf("ben's tasks: %d, first %v", len(tasks), tasks[:min(1, len(tasks))])
	}
	if !strings.Contains(mine, "50") || !strings.Contains(mine, `href="/web/collabs?person=ben"`) {
		t.Fatal("Mine does not say there is more")
	}
	if got := ids(mine); len(got) != 50 || got[0] != "120" {
		t.Fatalf("ben's collaborations: %d from %v", len(got), got[:min(1, len(got))])
	}
}
