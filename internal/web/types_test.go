package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBoardShowsTheType: a collaboration of a type other than the
// project carries its type beside its status; a project does not.
func TestBoardShowsTheType(t *testing.T) {
	b := newBoard(t)
	out := b.chat(":as carol\n\"\"\"\n新建 信息同步\n协作主题: 差旅制度更新\n同步内容: 住宿标准调整\n需确认部门: 研发部\n确认截止时间: 2026-12-04\n\"\"\"\n确认\n")
	if !strings.Contains(out, "COL-4") {
		t.Fatalf("alignment not filed:\n%s", out)
	}
	c := b.client(b.token("carol"))
	st, body := b.get(c, "/web/c/COL-4")
	if st != http.StatusOK {
		t.Fatal(st)
	}
	mustHave(t, body, `id="type">信息同步对齐</span>`)
	c = b.client(b.token("alice"))
	if _, body := b.get(c, "/web/c/COL-1"); strings.Contains(body, `id="type"`) {
		t.Errorf("a project shows a type badge")
	}
}
