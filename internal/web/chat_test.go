package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestBoardWebInChat: `看板 网页` / `board web` hands the person their own
// link in a direct chat, never in a group; the board offers it as a
// button; without a secret, chat says the board is off.
func TestBoardWebInChat(t *testing.T) {
	b := newBoard(t)
	out := b.chat(":as ben\n:dm\n看板 网页\n")
	mustHave(t, out, "你的网页看板", "/web/open#v1.", "2026-12-03 10:00", "请勿转发")
	tok := regexp.MustCompile(`/web/open#(v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)`).FindStringSubmatch(out)
	if tok == nil {
		t.Fatalf("no link in:\n%s", out)
	}
	st, body := b.get(b.client(tok[1]), "/web/")
	if st != http.StatusOK || !strings.Contains(body, "陈斌 Ben") {
		t.Fatalf("the link from chat: %d\n%s", st, body)
	}
	out = b.chat(":as david\n:dm\nboard web\n")
	mustHave(t, out, "Your web board", "Open the web board", "/web/open#v1.")

	out = b.chat(":as ben\n:group\n看板 网页\n")
	mustHave(t, out, "只在私聊中发送")
	mustLack(t, out, "/web/open#")

	out = b.chat(":as amy\n看板 COL-1\n")
	mustHave(t, out, "进度看板", "网页看板", "看板 网页")

	b.demo.Engine.Web = nil
	out = b.chat(":as amy\n:dm\n看板 网页\n")
	mustHave(t, out, "网页看板尚未开启", "COLLABOT_WEB_SECRET")
}
