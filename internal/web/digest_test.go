package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/collabot/collabot/bot"
	"github.com/collabot/collabot/scheduler"
)

// TestWeeklyDigestMatchesTheDepartmentsPage plays the story's week in the
// terminal chat, moves the clock to Monday 09:30 and runs the scheduler:
// bob, head of 研发部, gets one digest whose figures are the ones his
// Departments page shows at that moment, and T-1 (overdue, asked for
// help) is named in it; a second run that minute sends nothing more.
func TestWeeklyDigestMatchesTheDepartmentsPage(t *testing.T) {
	b := newBoard(t)
	b.chat(":clock 2026-11-30 09:30\n")
	cal, err := b.demo.Config.Calendar(nil)
	if err != nil {
		t.Fatal(err)
	}
	ws := b.demo.Workspace()
	s := &scheduler.Scheduler{Store: b.demo.Store, Calendar: cal, Policy: scheduler.DefaultPolicy(),
		Workspaces: map[bot.Workspace]*bot.Directory{ws: b.demo.Config.Directory()}}
	ctx := context.Background()
	now := b.clock.Now()
	if _, err := s.Tick(ctx, now, false); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Tick(ctx, now.Add(time.Minute), false); err != nil || rep.Count(bot.ReminderSent) != 0 {
		t.Fatalf("a second run sent %d more (%v)", rep.Count(bot.ReminderSent), err)
	}
	rows, err := b.demo.Store.DueNotices(ctx, now, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var digest string
	n := 0
	for _, q := range rows {
		if q.Notice.Kind != "weekly_digest" || q.Notice.To != "bob" {
			continue
		}
		n++
		note, err := b.demo.Engine.NotificationIn(ctx, ws, q.Notice, bot.Chinese)
		if err != nil {
			t.Fatal(err)
		}
		digest = note.Reply.Body
	}
	if n != 1 {
		t.Fatalf("bob got %d digests, want 1", n)
	}
	_, page := b.get(b.client(b.token("bob")), "/web/departments")
	cells := figures(t, page, "研发部")
	_, line, ok := strings.Cut(digest, "**研发部** ")
	if !ok || len(cells) == 0 {
		t.Fatalf("no 研发部 in the digest or on the page:\n%s", digest)
	}
	line, _, _ = strings.Cut(line, "\n")
	for _, part := range strings.Split(line, " · ") {
		label, value, _ := strings.Cut(part, " ")
		shown, ok := cells[label]
		if !ok {
			t.Errorf("the digest's %q is not on the page %v", label, cells)
			continue
		}
		// The page shows "100% 1/1 上期无数据"; the digest "100% (1/1)".
		for _, w := range strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(value)) {
			if !strings.Contains(shown, w) {
				t.Errorf("%s: the digest says %q, the page %q", label, value, shown)
			}
		}
	}
	for _, want := range []string{"T-1 接口调试", "🔴"} {
		if !strings.Contains(digest, want) {
			t.Errorf("the digest does not name %q:\n%s", want, digest)
		}
	}
	if testing.Verbose() {
		t.Log(digest)
	}
	if !strings.Contains(digest, "/web/open#") {
		t.Errorf("the digest carries no board link:\n%s", digest)
	}
}
